"""``validate_studies``: the review's in vivo comparisons against virtual studies, never tuned.

Reads a claims table (``examples/validation/study_claims.csv``; columns in :data:`COLUMNS`):
one row per comparison the review states, e.g. *the tumor temperature of RBC-MNs-E + laser
exceeded that of RBC-MNs-C + laser*. Each study file a claim names is simulated once
(:func:`~nanocloak.workflows.run_study.run_study`), and for each claim the model's two values
are put side by side with the review's statement.

Quantities (column ``readout``)
-------------------------------
Endpoints (:data:`ENDPOINTS`)
    Mean over the group's animals of a per-animal endpoint (``final_volume``,
    ``max_tumor_temperature``, ``lung_nodules``, ...), with its SD.
``median_survival_day``
    The group's Kaplan–Meier median survival (d; ``inf`` when survival stays above 1/2).
Series (:data:`SERIES`) at ``time``
    A time series interpolated linearly at ``time`` (a quantity such as ``"24 h"``, converted to
    the series' unit): group-level curves (``blood`` %ID, ``tumor_particles`` µg/g,
    ``biodistribution`` %ID/g by ``site`` organ, ``mri_signal_drop`` % by ``site``) or the
    mean over animals of per-animal curves (``tumor_volume``, ``body_weight``).

Verdicts
--------
For ``A > B`` or ``A < B`` the claim **agrees** when the model's values are ordered as stated
and, where both groups have an animal-to-animal spread, the difference exceeds two standard
errors :math:`|\\bar a - \\bar b| > 2\\sqrt{s_a^2/n_a + s_b^2/n_b}`; ordered but within that noise
it is **within noise**; otherwise it **disagrees**. ``A ~ B`` agrees when
:math:`1/2 \\le A/B \\le 2`. A claim whose quantity the model does not produce (e.g. a
temperature for a group without laser) has **no prediction**. Only ``agrees`` counts as
reproducing the review; every other verdict is named in the warnings.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.study_specs import load_study_spec
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate
from nanocloak.results.study import StudyResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.run_study import run_study, total_work
from nanocloak.workflows.study_course import StudySettings

COLUMNS = (
    "id",
    "study",
    "readout",
    "site",
    "time",
    "group_a",
    "relation",
    "group_b",
    "study_b",
    "time_b",
    "statement",
    "location",
    "size",
    "role",
    "source",
    "note",
)
RELATIONS = (">", "<", "~")
ROLES = ("validation", "calibration")
ENDPOINTS = (
    "final_volume",
    "max_tumor_temperature",
    "tumor_damage_fraction",
    "min_body_weight",
    "lung_nodules",
)
SURVIVAL = "median_survival_day"
SERIES = (
    "tumor_particles",
    "blood",
    "biodistribution",
    "mri_signal_drop",
    "tumor_volume",
    "viable_volume",
    "body_weight",
)
SITE_REQUIRED = ("biodistribution", "mri_signal_drop")
NOISE_SE = 2.0
"""A stated difference must exceed this many standard errors of the difference."""
TWO_FOLD = 2.0
VERDICTS = ("agrees", "within noise", "disagrees", "no prediction")
FORMULAS = (
    "endpoint: mean over the group's animals (SD over animals); median_survival_day: "
    "Kaplan-Meier median (inf when survival stays above 1/2)",
    "series at a time: linear interpolation of the group curve, or the mean over animals of "
    "each animal's interpolated curve",
    "'A > B' / 'A < B' agrees when the model orders A and B as stated and |A - B| > "
    f"{NOISE_SE:g} SE, SE = sqrt(sA^2/nA + sB^2/nB) (only where both have a spread over "
    "animals); ordered but not beyond the noise: 'within noise'",
    "'A ~ B' agrees when 1/2 <= A/B <= 2",
    "ratio = A/B, difference = A - B, in the quantity's unit",
    "nothing is tuned: a claim that does not agree is reported and names a missing or "
    "mis-sized mechanism",
)

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Claim:
    """One comparison the review states (a row of the claims table, see :data:`COLUMNS`)."""

    id: str
    study: str
    readout: str
    site: str
    time: str
    group_a: str
    relation: str
    group_b: str
    study_b: str
    time_b: str
    statement: str
    location: str
    size: str
    role: str
    source: str
    note: str

    @property
    def quantity(self) -> str:
        """A short label, e.g. ``"biodistribution liver at 24 h"``."""
        parts = [self.readout, self.site, f"at {self.time}" if self.time else ""]
        return " ".join(p for p in parts if p)

    def side(self, which: str) -> tuple[str, str, str]:
        """(study, group, time) of side ``"a"`` or ``"b"``."""
        if which == "a":
            return self.study, self.group_a, self.time
        return self.study_b or self.study, self.group_b, self.time_b or self.time


@dataclass(frozen=True, slots=True)
class Measurement:
    """A model value with its spread over ``n`` animals (``sd`` NaN for a group-level value)."""

    value: float
    sd: float
    n: int
    unit: str


def load_claims(path: str | Path) -> tuple[Claim, ...]:
    """Read and check a claims table (CSV with the columns of :data:`COLUMNS`).

    Raises
    ------
    DataFormatError
        A missing column, an unknown readout, relation or role, a series without a time, or a
        biodistribution or imaging readout without a site.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFormatError(f"{path}: cannot read the claims table ({exc})") from None
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFormatError(f"{path}: missing columns {missing}; expected {list(COLUMNS)}")
    claims: list[Claim] = []
    for number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        _check(row, f"{path}, row {number - 1} ({row['id'] or 'no id'})")
        claims.append(Claim(**row))
    if not claims:
        raise DataFormatError(f"{path}: no claims")
    ids = [c.id for c in claims]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DataFormatError(f"{path}: duplicate claim ids {duplicates}")
    return tuple(claims)


def _check(row: Mapping[str, str], where: str) -> None:
    for column in ("id", "study", "readout", "group_a", "relation", "group_b", "statement"):
        if not row[column]:
            raise DataFormatError(f"{where}: empty {column}")
    readouts = (*ENDPOINTS, SURVIVAL, *SERIES)
    choices = {"readout": readouts, "relation": RELATIONS, "role": ROLES}
    for column, allowed in choices.items():
        if row[column] not in allowed:
            raise DataFormatError(f"{where}: {column} {row[column]!r} is not one of {allowed}")
    if row["readout"] in SERIES and not row["time"]:
        raise DataFormatError(f"{where}: {row['readout']} needs a time, e.g. '24 h'")
    if row["readout"] in SITE_REQUIRED and not row["site"]:
        raise DataFormatError(f"{where}: {row['readout']} needs a site (organ), e.g. 'tumor'")
    for column in ("time", "time_b"):
        if row[column]:
            try:
                parse_quantity(row[column], "h", column)
            except SpecificationError as exc:
                raise DataFormatError(f"{where}: {exc}") from None


def measure(result: StudyResult, claim: Claim, which: str) -> Measurement:
    """The model's value of ``claim``'s quantity for side ``"a"`` or ``"b"`` (see module doc)."""
    _, group, time = claim.side(which)
    if group not in result.group_names:
        raise DataFormatError(
            f"claim {claim.id}: no group {group!r} in study {result.name!r}; "
            f"groups: {result.group_names}"
        )
    if claim.readout in ENDPOINTS:
        values = result.endpoint(claim.readout, group)
        unit = _unit(result.endpoints, claim.readout)
        return _spread(values, unit)
    if claim.readout == SURVIVAL:
        summary = result.summary().set_index("group")
        return Measurement(float(summary.loc[group, SURVIVAL]), math.nan, 1, "d")
    rows = result.readout(claim.readout, group)
    if claim.site:
        rows = rows[rows["site"] == claim.site]
    if rows.empty:
        return Measurement(math.nan, math.nan, 0, "")
    time_unit = str(rows["time_unit"].iloc[0])
    at = magnitude_in(parse_quantity(time, "h", "time"), time_unit)
    unit = str(rows["unit"].iloc[0])
    curves = [
        np.interp(at, *_sorted(frame))
        for _, frame in rows.groupby("animal")
        if frame["time"].min() - 1e-9 <= at <= frame["time"].max() + 1e-9
    ]
    if not curves:
        raise DataFormatError(
            f"claim {claim.id}: {claim.readout} of {group!r} is not sampled at {time} "
            f"(range {rows['time'].min():g}-{rows['time'].max():g} {time_unit})"
        )
    if (rows["animal"] < 0).all() or len(curves) == 1:
        return Measurement(float(curves[0]), math.nan, 1, unit)
    return _spread(np.asarray(curves, dtype=float), unit)


def _sorted(frame: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    ordered = frame.sort_values("time")
    return np.asarray(ordered["time"], dtype=float), np.asarray(ordered["value"], dtype=float)


def _spread(values: np.ndarray[Any, Any], unit: str) -> Measurement:
    if values.size == 0:
        return Measurement(math.nan, math.nan, 0, unit)
    sd = float(np.std(values, ddof=1)) if values.size > 1 else math.nan
    return Measurement(float(np.mean(values)), sd, int(values.size), unit)


def _unit(frame: Any, name: str) -> str:
    units = frame.loc[frame["name"] == name, "unit"]
    return str(units.iloc[0]) if len(units) else ""


def verdict(relation: str, a: Measurement, b: Measurement) -> tuple[str, float]:
    """The verdict of ``a relation b`` and the standard error of the difference (NaN if none).

    See the module docstring for the rule; ``inf`` values (median survival not reached) are
    ordered as numbers.
    """
    se = math.nan
    if a.n > 1 and b.n > 1 and math.isfinite(a.sd) and math.isfinite(b.sd):
        se = math.sqrt(a.sd**2 / a.n + b.sd**2 / b.n)
    if math.isnan(a.value) or math.isnan(b.value):
        return "no prediction", se
    if relation == "~":
        ratio = a.value / b.value if b.value not in (0.0,) else math.inf
        holds = 1.0 / TWO_FOLD <= ratio <= TWO_FOLD
        return ("agrees" if holds else "disagrees"), se
    holds = a.value > b.value if relation == ">" else a.value < b.value
    if not holds:
        return "disagrees", se
    difference = abs(a.value - b.value)
    if math.isfinite(se) and math.isfinite(difference) and difference <= NOISE_SE * se:
        return "within noise", se
    return "agrees", se


def evaluate_claims(
    claims: Sequence[Claim],
    results: Mapping[str, StudyResult],
    *,
    title: str = "Review comparisons against virtual studies",
    provenance: Mapping[str, Any] | None = None,
) -> AnalysisResult:
    """Compare each claim's two model values; ``results`` maps a claim's study name to its run.

    Returns
    -------
    AnalysisResult
        Estimates: claims agreeing per role (share and count); table ``claims`` (one row per
        claim: the two values, unit, ratio, difference, SE, verdict, the review's statement
        and where it is); warnings naming every claim that does not agree; one panel of the
        predicted log2 ratio, positive when in the review's direction.
    """
    rows: list[dict[str, Any]] = []
    for claim in claims:
        study_a, _, _ = claim.side("a")
        study_b, _, _ = claim.side("b")
        for study in (study_a, study_b):
            if study not in results:
                raise DataFormatError(f"claim {claim.id}: study {study!r} was not run")
        a = measure(results[study_a], claim, "a")
        b = measure(results[study_b], claim, "b")
        outcome, se = verdict(claim.relation, a, b)
        ratio = a.value / b.value if b.value != 0.0 and math.isfinite(b.value) else math.nan
        rows.append(
            {
                "id": claim.id,
                "study": claim.study if not claim.study_b else f"{claim.study} vs {claim.study_b}",
                "quantity": claim.quantity,
                "claim": f"{_label(claim, 'a')} {claim.relation} {_label(claim, 'b')}",
                "relation": claim.relation,
                "value_a": a.value,
                "value_b": b.value,
                "unit": a.unit or b.unit,
                "ratio": ratio,
                "difference": a.value - b.value
                if math.isfinite(a.value) and math.isfinite(b.value)
                else math.nan,
                "se_difference": se,
                "verdict": outcome,
                "statement": claim.statement,
                "location": claim.location,
                "size": claim.size,
                "role": claim.role,
                "source": claim.source,
            }
        )
    estimates: list[Estimate] = []
    for role in ROLES:
        mine = [r for r in rows if r["role"] == role]
        if not mine:
            continue
        agreed = sum(r["verdict"] == "agrees" for r in mine)
        estimates.append(
            Estimate(
                f"claims_agreeing_{role}",
                agreed / len(mine),
                "",
                label=f"{role} claims agreeing ({agreed} of {len(mine)})",
                note="share of claims whose verdict is 'agrees'",
            )
        )
    warnings = [
        f"{r['id']} {r['verdict']}: {r['claim']} ({r['quantity']}): model "
        f"{_fmt(r['value_a'])} vs {_fmt(r['value_b'])} {r['unit']}; review: {r['statement']}"
        for r in rows
        if r["verdict"] != "agrees"
    ]
    return AnalysisResult(
        kind="study_validation",
        title=title,
        estimates=tuple(estimates),
        formulas=FORMULAS,
        warnings=tuple(warnings),
        panels=(_panel(rows),),
        tables={"claims": rows},
        provenance=dict(provenance or {}),
    )


def _label(claim: Claim, which: str) -> str:
    study, group, time = claim.side(which)
    extras = []
    if claim.study_b:
        extras.append(Path(study).stem)
    if claim.time_b:
        extras.append(time)
    return f"{group} ({', '.join(extras)})" if extras else group


def _fmt(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else str(value)


def _panel(rows: Sequence[Mapping[str, Any]]) -> Panel:
    """Predicted log2 ratio per claim, signed so that positive is the review's direction."""
    series: list[Series] = []
    for outcome in VERDICTS:
        x, y = [], []
        for i, row in enumerate(rows):
            ratio = row["ratio"]
            if row["verdict"] != outcome or not (math.isfinite(ratio) and ratio > 0.0):
                continue
            log2 = math.log2(ratio)
            x.append(float(i + 1))
            y.append(-log2 if row["relation"] == "<" else log2)
        if x:
            series.append(Series(np.array(x), np.array(y), f"{outcome} (n = {len(x)})", "bar"))
    return Panel(
        tuple(series),
        "claim (row of the table)",
        "log2 predicted ratio, + = review's direction",
        "Review comparisons: model ratios",
    )


def claim_studies(claims: Sequence[Claim], studies_dir: Path) -> dict[str, Path]:
    """Study name → file, for every study the claims name (paths relative to ``studies_dir``)."""
    names = sorted({s for c in claims for s in (c.study, c.study_b) if s})
    files = {name: studies_dir / name for name in names}
    for file in files.values():
        if not file.is_file():
            raise DataFormatError(f"study file {file} (named by the claims) does not exist")
    return files


def default_studies_dir(claims_path: Path) -> Path:
    """``examples/studies`` beside ``examples/validation`` (the claims table's folder)."""
    return claims_path.resolve().parent.parent / "studies"


def validation_work(claims_path: str | Path, studies_dir: str | Path | None = None) -> int:
    """Units of progress :func:`validate_studies` reports (for a progress bar's total)."""
    path = Path(claims_path)
    folder = Path(studies_dir) if studies_dir is not None else default_studies_dir(path)
    files = claim_studies(load_claims(path), folder)
    return sum(total_work(load_study_spec(f)) for f in files.values())


def validate_studies(
    claims_path: str | Path,
    *,
    studies_dir: str | Path | None = None,
    settings: StudySettings | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Run every study the claims name (once each) and evaluate the claims.

    Parameters
    ----------
    claims_path
        CSV claims table (columns in :data:`COLUMNS`).
    studies_dir
        Folder the ``study`` column is relative to; default ``examples/studies`` beside the
        table's folder.
    settings
        Numerical settings of the study runs (default: :class:`StudySettings` defaults).
    progress
        Called with a short description after each unit of work (see :func:`validation_work`).
    """
    path = Path(claims_path)
    folder = Path(studies_dir) if studies_dir is not None else default_studies_dir(path)
    claims = load_claims(path)
    files = claim_studies(claims, folder)
    specs = {name: load_study_spec(file) for name, file in files.items()}
    for claim in claims:
        for which in ("a", "b"):
            study, group, _ = claim.side(which)
            groups = [g.name for g in specs[study].groups]
            if group not in groups:
                raise DataFormatError(
                    f"claim {claim.id}: no group {group!r} in {study}; groups: {groups}"
                )
    settings = settings or StudySettings()
    results = {
        name: run_study(spec, settings=settings, progress=progress) for name, spec in specs.items()
    }
    return evaluate_claims(
        claims,
        results,
        title=f"Review comparisons ({path.name}) against {len(results)} virtual studies",
        provenance={
            "claims": str(path),
            "studies": {name: str(file) for name, file in files.items()},
            "spec_hashes": {n: r.provenance.get("spec_hash") for n, r in results.items()},
            "settings": settings.describe(),
            "tuning": "none: disagreements are reported, not tuned away",
        },
    )
