"""``validate_pk``: PBPK predictions against published observations, calibration kept apart.

Reads an observation table (``examples/validation/pk_observations.csv``; columns in
:data:`COLUMNS`), simulates each scenario a row names once, and compares:

``value`` rows
    An observed number (e.g. the median DE24 of a meta-analysis) against the model's prediction:
    fold error :math:`FE = \\max(P/O, O/P)`, within 2-fold when :math:`FE \\le 2`. With a
    ``reference_scenario`` the observed number is a ratio (unit ``ratio``) and the prediction is
    :math:`P_A/P_B` (e.g. the RBC/PEG blood half-life ratio).
``direction`` rows
    A published direction: the particle's quantity ``>``, ``<`` or ``~`` (within 2-fold) the
    reference scenario's, or a threshold (``observed``) when no reference scenario is given.

Every row carries a ``role``: ``calibration`` when the observation (or its direction) was used
to choose or fit a parameter the prediction depends on, ``validation`` otherwise. The shares
within 2-fold and the directions passed are reported per role; only validation rows test the
model.

Scenarios
---------
``base``
    :func:`~nanocloak.workflows.simulate_pk.simulate_pk` with the knowledge-base defaults (the
    Lin/Cheng particle, mostly PEGylated; the membrane layer's "no effect" reference).
``design=PATH[;tumor=LINE][;membrane_to_core_ratio=X mg/mg][;schedule=TEXT][;injury=J]``
    :func:`~nanocloak.workflows.simulate_design_pk.simulate_design_pk` of a design file (path
    relative to the observation table), optionally on a tumour of another line, with another
    membrane-to-core ratio, a dosing schedule (``at 0, 120 h``: repeat dosing, ABC) or a vessel
    injury J in [0, 1].
"""

from __future__ import annotations

import csv
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from nanocloak.errors import DataFormatError
from nanocloak.io.specs import design_from_dict
from nanocloak.knowledge import loader
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate
from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_design_pk import simulate_design_pk
from nanocloak.workflows.simulate_pk import simulate_pk

COLUMNS = (
    "id",
    "kind",
    "quantity",
    "output",
    "time_h",
    "species",
    "dose_mg_per_kg",
    "particle",
    "scenario",
    "relation",
    "reference_scenario",
    "observed",
    "unit",
    "statistic",
    "source",
    "provenance",
    "role",
    "note",
)
KINDS = ("value", "direction")
ROLES = ("validation", "calibration")
RELATIONS = (">", "<", "~")
DE_QUANTITIES = {"DE24": "DE24_percent", "DE168": "DE168_percent", "DEmax": "DEmax_percent"}
QUANTITIES = (*DE_QUANTITIES, "percent_id", "t_half_elimination")
TWO_FOLD = 2.0
FORMULAS = (
    "fold error FE = max(P/O, O/P) >= 1, P predicted, O observed; within 2-fold: FE <= 2",
    "share within 2-fold = (value rows with FE <= 2) / (value rows), per role",
    "GMFE = 10^mean(|log10(P/O)|), the geometric mean fold error, per role",
    "direction 'A > B': prediction for A exceeds that for B (or the threshold O); "
    "'A ~ B': 1/2 <= P_A/P_B <= 2",
    "role 'calibration': the observation or its direction was used to choose or fit a "
    "parameter the prediction depends on; 'validation': it was not. Only validation rows test "
    "the model",
    "%ID = 100 x amount / dose; blood = C_V x total blood volume; DE includes tumor vascular "
    "blood (conventions of PkResult)",
    "a meta-analysis median is compared with one simulation at the knowledge-base (median) "
    "parameters, which is not the median of the model's DE distribution",
)


@dataclass(frozen=True, slots=True)
class Observation:
    """One row of the observation table (see :data:`COLUMNS`)."""

    id: str
    kind: str
    quantity: str
    output: str
    time_h: float
    species: str
    dose_mg_per_kg: float
    particle: str
    scenario: str
    relation: str
    reference_scenario: str
    observed: float
    unit: str
    statistic: str
    source: str
    provenance: str
    role: str
    note: str


def fold_error(predicted: float, observed: float) -> float:
    """Symmetric fold error ``max(P/O, O/P)`` (>= 1); ``inf`` when either is <= 0.

    Parameters
    ----------
    predicted, observed
        Positive values in the same unit.
    """
    if not (predicted > 0.0 and observed > 0.0):
        return math.inf
    ratio = predicted / observed
    return max(ratio, 1.0 / ratio)


def within_fold(predicted: float, observed: float, fold: float = TWO_FOLD) -> bool:
    """Whether the prediction is within ``fold``-fold of the observation."""
    return fold_error(predicted, observed) <= fold * (1.0 + 1e-12)


def share_within(fold_errors: Sequence[float], fold: float = TWO_FOLD) -> float:
    """Share of fold errors <= ``fold`` (NaN for none)."""
    if not fold_errors:
        return math.nan
    return sum(fe <= fold * (1.0 + 1e-12) for fe in fold_errors) / len(fold_errors)


def gmfe(fold_errors: Sequence[float]) -> float:
    """Geometric mean fold error ``10^mean(log10 FE)`` (NaN for none, inf if any is inf)."""
    if not fold_errors:
        return math.nan
    return float(10.0 ** np.mean(np.log10(np.asarray(fold_errors, dtype=float))))


def direction_holds(relation: str, a: float, b: float) -> bool:
    """Whether ``a relation b`` holds (``~``: within 2-fold)."""
    if relation == ">":
        return a > b
    if relation == "<":
        return a < b
    return within_fold(a, b)


def load_observations(path: str | Path) -> tuple[Observation, ...]:
    """Read and check an observation table (CSV with the columns of :data:`COLUMNS`).

    Raises
    ------
    DataFormatError
        A missing column, an unknown kind, role, relation or quantity, or a value row without a
        positive observed value.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFormatError(f"{path}: cannot read the observation table ({exc})") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFormatError(f"{path}: missing columns {missing}; expected {list(COLUMNS)}")
    rows = []
    for line, raw in enumerate(reader, start=2):
        where = f"{path}, line {line}"
        row = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        _check(row, where)
        rows.append(
            Observation(
                id=row["id"],
                kind=row["kind"],
                quantity=row["quantity"],
                output=row["output"],
                time_h=_number(row["time_h"], where, "time_h"),
                species=row["species"] or "mouse",
                dose_mg_per_kg=_number(row["dose_mg_per_kg"], where, "dose_mg_per_kg"),
                particle=row["particle"],
                scenario=row["scenario"],
                relation=row["relation"],
                reference_scenario=row["reference_scenario"],
                observed=_number(row["observed"], where, "observed"),
                unit=row["unit"],
                statistic=row["statistic"],
                source=row["source"],
                provenance=row["provenance"],
                role=row["role"],
                note=row["note"],
            )
        )
    if not rows:
        raise DataFormatError(f"{path}: no observations")
    return tuple(rows)


def validate_pk(observations_path: str | Path) -> AnalysisResult:
    """Compare PBPK predictions with the published observations of a table.

    Parameters
    ----------
    observations_path
        CSV table (columns in :data:`COLUMNS`); design paths in it are relative to its folder.

    Returns
    -------
    AnalysisResult
        Estimates: share within 2-fold and GMFE per role, directions passed per role; tables
        ``values`` and ``directions`` (observed, predicted, fold error, pass/fail, role,
        source); one panel, predicted vs observed on log-log axes.
    """
    path = Path(observations_path)
    observations = load_observations(path)
    cache: dict[tuple[str, str, float, float], PkResult] = {}

    def predict(scenario: str, obs: Observation) -> float:
        until = _until(obs)
        key = (scenario, obs.species, obs.dose_mg_per_kg, until)
        if key not in cache:
            cache[key] = _simulate(scenario, obs, until, path.parent)
        return _quantity(cache[key], obs)

    known_sources = loader.sources()
    warnings: list[str] = []
    value_rows: list[dict[str, Any]] = []
    direction_rows: list[dict[str, Any]] = []
    for obs in observations:
        if obs.source not in known_sources:
            warnings.append(
                f"{obs.id}: source {obs.source!r} is not in the bibliography; "
                "treat the row as unverified"
            )
        common = {
            "id": obs.id,
            "role": obs.role,
            "quantity": _label(obs),
            "particle": obs.particle,
            "source": obs.source,
            "provenance": obs.provenance,
        }
        predicted = predict(obs.scenario, obs)
        if obs.kind == "value" and obs.reference_scenario:
            predicted /= predict(obs.reference_scenario, obs)
            common["quantity"] = f"{_label(obs)}: {_short(obs.scenario)} / " + _short(
                obs.reference_scenario
            )
        if obs.kind == "value":
            fe = fold_error(predicted, obs.observed)
            value_rows.append(
                {
                    **common,
                    "observed": obs.observed,
                    "predicted": predicted,
                    "unit": obs.unit,
                    "fold_error": fe,
                    "within_2_fold": "yes" if fe <= TWO_FOLD * (1.0 + 1e-12) else "no",
                }
            )
            continue
        if obs.reference_scenario:
            reference = predict(obs.reference_scenario, obs)
            against = _short(obs.reference_scenario)
        else:
            reference = obs.observed
            against = "threshold"
        holds = direction_holds(obs.relation, predicted, reference)
        direction_rows.append(
            {
                **common,
                "claim": f"{_short(obs.scenario)} {obs.relation} {against}",
                "predicted": predicted,
                "reference_value": reference,
                "unit": obs.unit,
                "ratio": predicted / reference if reference != 0.0 else math.nan,
                "result": "pass" if holds else "fail",
            }
        )

    estimates: list[Estimate] = []
    for role in ROLES:
        fes = [r["fold_error"] for r in value_rows if r["role"] == role]
        dirs = [r for r in direction_rows if r["role"] == role]
        passed = sum(r["result"] == "pass" for r in dirs)
        estimates += [
            Estimate(
                f"share_within_2fold_{role}",
                share_within(fes),
                "",
                label=f"share within 2-fold ({role}, n = {len(fes)})",
                note=f"{role} value rows with FE <= 2",
            ),
            Estimate(
                f"gmfe_{role}",
                gmfe(fes),
                "",
                label=f"GMFE ({role}, n = {len(fes)})",
            ),
            Estimate(
                f"directions_passed_{role}",
                passed / len(dirs) if dirs else math.nan,
                "",
                label=f"directions passed ({role}: {passed} of {len(dirs)})",
            ),
        ]
        if role == "validation" and not fes:
            warnings.append("no validation value rows: the share within 2-fold is undefined")
    for row in value_rows:
        if row["fold_error"] > TWO_FOLD:
            warnings.append(
                f"{row['id']} ({row['role']}): predicted {row['predicted']:.3g} vs observed "
                f"{row['observed']:.3g} {row['unit']}, {row['fold_error']:.3g}-fold off"
            )
    for row in direction_rows:
        if row["result"] == "fail":
            warnings.append(f"{row['id']} ({row['role']}): direction '{row['claim']}' fails")
    unverified = sorted({o.id for o in observations if o.provenance == "unverified"})
    if unverified:
        warnings.append(
            f"{len(unverified)} rows rest on unverified reports (pbpk.md): {', '.join(unverified)}"
        )
    return AnalysisResult(
        kind="pk_validation",
        title=f"PBPK validation against {path.name}",
        estimates=tuple(estimates),
        formulas=FORMULAS,
        warnings=tuple(warnings),
        panels=(_panel(value_rows),),
        tables={"values": value_rows, "directions": direction_rows},
        provenance={
            "observations": str(path),
            "rows": len(observations),
            "scenarios simulated": len(cache),
            "roles": "calibration rows are reported apart and do not test the model",
        },
    )


def _check(row: Mapping[str, str], where: str) -> None:
    if not row["id"]:
        raise DataFormatError(f"{where}: empty id")
    choices = {
        "kind": KINDS,
        "role": ROLES,
        "quantity": QUANTITIES,
    }
    for column, allowed in choices.items():
        if row[column] not in allowed:
            raise DataFormatError(f"{where}: {column} {row[column]!r} is not one of {allowed}")
    if row["kind"] == "direction" and row["relation"] not in RELATIONS:
        raise DataFormatError(f"{where}: relation {row['relation']!r} is not one of {RELATIONS}")
    if row["kind"] == "value" and row["relation"]:
        raise DataFormatError(f"{where}: a value row takes no relation")
    if row["kind"] == "value" or not row["reference_scenario"]:
        try:
            observed = float(row["observed"])
        except ValueError:
            raise DataFormatError(
                f"{where}: observed {row['observed']!r} is not a number"
            ) from None
        if not observed > 0.0:
            raise DataFormatError(f"{where}: observed must be positive, got {observed}")
    if row["quantity"] == "percent_id" and not row["output"]:
        raise DataFormatError(f"{where}: percent_id needs an output (e.g. liver, liver+spleen)")
    if row["quantity"] == "percent_id" and not row["time_h"]:
        raise DataFormatError(f"{where}: percent_id needs a time_h")
    if not row["scenario"]:
        raise DataFormatError(f"{where}: empty scenario")
    unit = "h" if row["quantity"] == "t_half_elimination" else "%ID"
    if row["kind"] == "value" and row["reference_scenario"]:
        unit = "ratio"
    if row["unit"] != unit:
        raise DataFormatError(f"{where}: {row['quantity']} is in {unit!r}, not {row['unit']!r}")
    dose = _number(row["dose_mg_per_kg"], where, "dose_mg_per_kg")
    if not dose > 0.0:
        raise DataFormatError(f"{where}: dose_mg_per_kg must be a positive number (mg/kg)")


def _number(text: str, where: str, column: str) -> float:
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise DataFormatError(f"{where}: {column} {text!r} is not a number") from None


def predict_ratio(
    obs: Observation,
    folder: Path,
    constants: Mapping[str, float] | None = None,
    n_particles: int = 4000,
) -> float:
    """Predicted ratio of a value row with a reference scenario, :math:`P_A / P_B`, with
    membrane-layer constants overridden (for calibration)."""
    until = _until(obs)
    frozen = tuple(sorted((constants or {}).items()))
    a = _quantity(_simulate(obs.scenario, obs, until, folder, frozen, n_particles), obs)
    b = _quantity(_simulate(obs.reference_scenario, obs, until, folder, frozen, n_particles), obs)
    return a / b


def _until(obs: Observation) -> float:
    return max(168.0, obs.time_h if math.isfinite(obs.time_h) else 0.0)


SCENARIO_OPTIONS = ("design", "tumor", "membrane_to_core_ratio", "schedule", "injury")


def _simulate(
    scenario: str,
    obs: Observation,
    until_h: float,
    folder: Path,
    constants: tuple[tuple[str, float], ...] = (),
    n_particles: int = 4000,
) -> PkResult:
    if scenario == "base":
        return _base(obs.species, obs.dose_mg_per_kg, until_h)
    options: dict[str, str] = {}
    for part in scenario.split(";"):
        key, _, value = part.partition("=")
        options[key.strip()] = value.strip()
    unknown = set(options) - set(SCENARIO_OPTIONS)
    if "design" not in options or unknown:
        raise DataFormatError(
            f"{obs.id}: scenario {scenario!r}: use 'base' or 'design=PATH[;tumor=LINE]"
            "[;membrane_to_core_ratio=X mg/mg][;schedule=at 0, 120 h][;injury=J]'"
        )
    design_path = folder / options["design"]
    try:
        data = tomllib.loads(design_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFormatError(f"{obs.id}: cannot read design {design_path} ({exc})") from None
    if "membrane_to_core_ratio" in options:
        data.setdefault("preparation", {})["membrane_to_core_ratio"] = options[
            "membrane_to_core_ratio"
        ]
    design = design_from_dict(data, str(design_path))
    try:
        injury = float(options.get("injury", "0"))
    except ValueError:
        raise DataFormatError(f"{obs.id}: injury {options['injury']!r} is not a number") from None
    return simulate_design_pk(
        design,
        obs.dose_mg_per_kg,
        obs.species,
        until_h,
        tumor_line=options.get("tumor") or None,
        schedule=options.get("schedule") or None,
        vessel_injury=injury,
        constants=dict(constants),
        n_particles=n_particles,
    )


@cache
def _base(species: str, dose_mg_per_kg: float, until_h: float) -> PkResult:
    return simulate_pk(species, dose_mg_per_kg, None, until_h)


def _quantity(result: PkResult, obs: Observation) -> float:
    if obs.quantity in DE_QUANTITIES:
        return float(result.metrics()[DE_QUANTITIES[obs.quantity]])
    if obs.quantity == "t_half_elimination":
        return float(result.metrics()["t_half_elimination_h"])
    total = 0.0
    for output in obs.output.split("+"):
        if output not in result.outputs:
            raise DataFormatError(f"{obs.id}: no output {output!r}; outputs: {result.outputs}")
        total += float(np.interp(obs.time_h, result.t_h, result.series(output)))
    return total


def _short(scenario: str) -> str:
    """``design=../designs/x.toml;tumor=4T1`` → ``x (tumor=4T1)``."""
    if scenario == "base":
        return "base"
    parts = [p.strip() for p in scenario.split(";")]
    name = Path(parts[0].partition("=")[2]).stem
    return f"{name} ({', '.join(parts[1:])})" if parts[1:] else name


def _label(obs: Observation) -> str:
    if obs.quantity == "percent_id":
        return f"{obs.output} %ID at {obs.time_h:g} h"
    if obs.quantity == "t_half_elimination":
        return "blood elimination t1/2"
    return f"tumor {obs.quantity}"


def _panel(rows: Sequence[Mapping[str, Any]]) -> Panel:
    series: list[Series] = []
    positive = [
        v for r in rows for v in (r["observed"], r["predicted"]) if v > 0.0 and math.isfinite(v)
    ]
    for role in ROLES:
        mine = [r for r in rows if r["role"] == role and r["predicted"] > 0.0]
        if mine:
            series.append(
                Series(
                    np.array([r["observed"] for r in mine]),
                    np.array([r["predicted"] for r in mine]),
                    f"{role} (n = {len(mine)})",
                    "points",
                )
            )
    if positive:
        lo, hi = min(positive) / 3.0, max(positive) * 3.0
        x = np.array([lo, hi])
        series += [
            Series(x, x, "identity", "line"),
            Series(x, x * TWO_FOLD, "2-fold", "dashed"),
            Series(x, x / TWO_FOLD, "", "dashed"),
        ]
    units = ", ".join(sorted({str(r["unit"]) for r in rows}))
    return Panel(
        tuple(series),
        f"observed ({units})" if units else "observed",
        f"predicted ({units})" if units else "predicted",
        "PBPK predicted vs observed",
        xscale="log",
        yscale="log",
    )
