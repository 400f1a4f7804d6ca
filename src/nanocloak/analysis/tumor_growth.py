"""Tumor growth efficacy: caliper volume, RTV, T/C, ΔT/ΔC, TGI variants, body weight, mixed models.

Reads a long-format table (one row per animal and day: ``animal``, ``group``, ``day``,
``length``, ``width``, optional ``height``, ``volume`` and ``body weight``) and computes the
conventional efficacy numbers of analysis.md §3.2, each labelled with the variant used, plus the
longitudinal analysis TumGrowth does (Enot et al., OncoImmunology 2018,
doi:10.1080/2162402X.2018.1462431): a linear mixed model on log volume with per-group growth
rates compared pairwise with a multiplicity correction (``growth_models``), and single-day tests
(``group_tests``).

Endpoints for survival analysis (time to reach a volume threshold) are derived by
``derive_endpoints``; ``nanocloak.analysis.survival`` analyses them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from nanocloak.analysis.assumed_units import AssumedUnit, column_or_default, provenance_entry
from nanocloak.analysis.group_tests import Correction, single_day_tests
from nanocloak.analysis.growth_models import (
    GrowthModelFit,
    RandomEffects,
    add_log_volume,
    fit_growth_model,
    model_estimates,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable, table_from_rows
from nanocloak.results.analysis import AnalysisResult, Estimate

VolumeFormula = Literal["lw2/2", "pi/6*lw2", "pi/6*lwh"]
Statistic = Literal["mean", "median"]
EndpointMode = Literal["first-reach", "os", "tfs"]

FORMULA_TEXT: dict[str, str] = {
    "lw2/2": "V = L·W²/2 (L the longest diameter, W the perpendicular one; Tomayko & Reynolds "
    "1989, used e.g. by Benzekry et al. 2014, doi:10.1371/journal.pcbi.1003800)",
    "pi/6*lw2": "V = π/6·L·W² (prolate ellipsoid with the two short axes equal to W)",
    "pi/6*lwh": "V = π/6·L·W·H (ellipsoid with three measured axes)",
}
ANIMAL_NAMES = ("animal", "animal_id", "mouse", "mouse_id", "subject", "mid", "id")
GROUP_NAMES = ("group", "grp", "treatment", "arm")
DAY_NAMES = ("day", "days", "time")
LENGTH_NAMES = ("length", "tumor_length", "long_axis", "major_axis")
WIDTH_NAMES = ("width", "tumor_width", "short_axis", "minor_axis")
HEIGHT_NAMES = ("height", "tumor_height", "depth")
VOLUME_NAMES = ("volume", "tumor_volume", "tv")
WEIGHT_NAMES = ("body_weight", "bodyweight", "bw", "weight")
CONTROL_WORDS = ("control", "vehicle", "saline", "pbs", "untreated", "ctrl", "placebo")


def caliper_volume_mm3(
    length_mm: NDArray[np.float64],
    width_mm: NDArray[np.float64],
    height_mm: NDArray[np.float64] | None = None,
    formula: VolumeFormula = "lw2/2",
) -> NDArray[np.float64]:
    r"""Tumor volume from caliper diameters.

    .. math:: V = \frac{L W^2}{2}, \quad V = \frac{\pi}{6} L W^2 \quad\text{or}\quad
              V = \frac{\pi}{6} L W H

    Parameters
    ----------
    length_mm, width_mm
        The two diameters in the skin plane, mm. For the ``L·W²`` formulas the larger is taken
        as L and the smaller as W, whatever column they were written in.
    height_mm
        Third diameter (depth), mm; required by ``"pi/6*lwh"``.
    formula
        ``"lw2/2"`` (default), ``"pi/6*lw2"`` or ``"pi/6*lwh"``.

    Returns
    -------
    numpy.ndarray
        Volume, mm³.

    Examples
    --------
    >>> float(caliper_volume_mm3(np.array([10.0]), np.array([6.0]))[0])
    180.0
    """
    length = np.asarray(length_mm, dtype=float)
    width = np.asarray(width_mm, dtype=float)
    if formula == "pi/6*lwh":
        if height_mm is None:
            raise SpecificationError(
                "formula", formula, "a height column for π/6·L·W·H", "Add a 'height (mm)' column."
            )
        return np.asarray(math.pi / 6.0 * length * width * np.asarray(height_mm, float))
    big, small = np.fmax(length, width), np.fmin(length, width)
    if formula == "lw2/2":
        return np.asarray(big * small**2 / 2.0)
    if formula == "pi/6*lw2":
        return np.asarray(math.pi / 6.0 * big * small**2)
    raise SpecificationError("formula", formula, f"one of {sorted(FORMULA_TEXT)}")


@dataclass(frozen=True)
class GrowthData:
    """Long-format growth data: columns animal, group, day, volume_mm3, bw_g (NaN if absent)."""

    frame: pd.DataFrame
    source: str
    formula: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    assumed: tuple[AssumedUnit, ...] = ()

    @property
    def groups(self) -> list[str]:
        """Group names in order of appearance."""
        return list(dict.fromkeys(self.frame["group"]))


def _optional(
    table: LabTable,
    names: Sequence[str],
    unit: str,
    default: str,
    what: str,
    assumed: list[AssumedUnit],
) -> Any:
    if table.find(names) is None:
        return None
    return column_or_default(table, names, unit, default, what, assumed)


def read_growth(table: LabTable, formula: VolumeFormula = "lw2/2") -> GrowthData:
    """Read a long-format caliper table into ``GrowthData``.

    Lengths without a unit in the header are taken as mm, volumes as mm³, days as days and body
    weights as g (the usual units of mouse studies); each such assumption is listed in
    ``assumed`` and becomes a warning and a provenance entry of the result.
    """
    if formula not in FORMULA_TEXT:
        raise SpecificationError("formula", formula, f"one of {sorted(FORMULA_TEXT)}")
    animals = table.labels(ANIMAL_NAMES)
    groups = table.labels(GROUP_NAMES)
    if animals is None or groups is None:
        missing = "animal" if animals is None else "group"
        raise DataFormatError(
            f"{table.source}: no {missing} column; a long-format growth table needs the columns "
            f"animal, group, day, length, width (or volume); columns are: {table.columns}"
        )
    assumed: list[AssumedUnit] = []
    day = column_or_default(table, DAY_NAMES, "day", "day", "day", assumed)
    notes: list[str] = []
    warns: list[str] = []
    length = _optional(table, LENGTH_NAMES, "mm", "mm", "tumor length", assumed)
    width = _optional(table, WIDTH_NAMES, "mm", "mm", "tumor width", assumed)
    if length is not None and width is not None:
        height = _optional(table, HEIGHT_NAMES, "mm", "mm", "tumor height", assumed)
        volume = caliper_volume_mm3(length, width, height, formula)
        used: str = formula
        notes.append("Tumor volume from calipers: " + FORMULA_TEXT[formula] + ".")
        swapped = int(np.sum(width > length))
        if swapped and formula != "pi/6*lwh":
            warns.append(
                f"{swapped} row(s) have width > length; the larger diameter was used as L."
            )
    else:
        volume = _optional(table, VOLUME_NAMES, "mm**3", "mm**3", "tumor volume", assumed)
        if volume is None:
            raise DataFormatError(
                f"{table.source}: no length and width columns (for the caliper formula) and no "
                f"volume column; columns are: {table.columns}"
            )
        used = "given"
        notes.append("Tumor volume taken from the volume column as given (mm³).")
    weight = _optional(table, WEIGHT_NAMES, "g", "g", "body weight", assumed)
    frame = pd.DataFrame(
        {
            "animal": animals,
            "group": groups,
            "day": day,
            "volume_mm3": volume,
            "bw_g": np.full(len(day), np.nan) if weight is None else weight,
        }
    )
    frame = frame[np.isfinite(frame["day"])]
    dropped = int((~np.isfinite(frame["volume_mm3"])).sum())
    if dropped:
        warns.append(f"{dropped} row(s) without a volume were dropped (dead or removed animals).")
    frame = frame[np.isfinite(frame["volume_mm3"])]
    if (frame["volume_mm3"] < 0).any():
        raise DataFormatError(f"{table.source}: negative tumor volumes or diameters")
    duplicated = frame.duplicated(["animal", "day"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise DataFormatError(
            f"{table.source}: animal {first['animal']!r} has two rows for day {first['day']:g}; "
            "each animal needs one row per day (give animals unique ids across groups)"
        )
    if frame.groupby("animal")["group"].nunique().max() > 1:
        raise DataFormatError(f"{table.source}: an animal id appears in two groups")
    if frame.empty:
        raise DataFormatError(f"{table.source}: no rows with a day and a volume")
    order = {g: i for i, g in enumerate(dict.fromkeys(frame["group"]))}
    frame = (
        frame.assign(_order=frame["group"].map(order))
        .sort_values(["_order", "animal", "day"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    if assumed:
        notes.append(
            "Units assumed for columns without one: "
            + ", ".join(f"{a.column!r} in {a.unit}" for a in assumed)
            + "."
        )
    warns = [a.warning() for a in assumed] + warns
    return GrowthData(frame, table.source, used, tuple(notes), tuple(warns), tuple(assumed))


def _per_animal(frame: pd.DataFrame) -> pd.DataFrame:
    """Add V0, RTV and body-weight change (%) relative to each animal's first row."""
    first = frame.groupby("animal").transform("first")
    out = frame.copy()
    out["v0_mm3"] = first["volume_mm3"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rtv"] = out["volume_mm3"] / out["v0_mm3"]
        out["bw_change_pct"] = 100.0 * (out["bw_g"] - first["bw_g"]) / first["bw_g"]
    return out


def _summary_table(frame: pd.DataFrame, groups: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for group in groups:
        part = frame[frame["group"] == group]
        for day, at_day in part.groupby("day"):
            v = at_day["volume_mm3"].to_numpy(float)
            rtv = at_day["rtv"].to_numpy(float)
            bw = at_day["bw_change_pct"].to_numpy(float)
            n = len(v)
            positive = v[v > 0]
            rows.append(
                {
                    "group": group,
                    "day": float(day),
                    "n": n,
                    "mean_volume_mm3": float(np.mean(v)),
                    "sd_volume_mm3": float(np.std(v, ddof=1)) if n > 1 else math.nan,
                    "sem_volume_mm3": float(np.std(v, ddof=1) / math.sqrt(n))
                    if n > 1
                    else math.nan,
                    "median_volume_mm3": float(np.median(v)),
                    "geomean_volume_mm3": float(np.exp(np.mean(np.log(positive))))
                    if len(positive) == n
                    else math.nan,
                    "mean_rtv": float(np.nanmean(rtv)) if np.isfinite(rtv).any() else math.nan,
                    "median_rtv": float(np.nanmedian(rtv)) if np.isfinite(rtv).any() else math.nan,
                    "mean_bw_change_pct": float(np.nanmean(bw))
                    if np.isfinite(bw).any()
                    else math.nan,
                }
            )
    return rows


def choose_control(groups: Sequence[str], control: str | None) -> str:
    """The control group: ``control`` if given, else a group named like a control, else first."""
    if control is not None:
        if control not in groups:
            raise SpecificationError("control", control, f"one of the groups {list(groups)}")
        return control
    for group in groups:
        if any(word in group.lower() for word in CONTROL_WORDS):
            return group
    return groups[0]


def _stat(values: NDArray[np.float64], statistic: Statistic) -> NDArray[np.float64]:
    """Mean or median over the last axis, ignoring NaN (NaN where nothing is finite)."""
    values = np.asarray(values, dtype=float)
    out = np.full(values.shape[:-1], np.nan)
    ok = np.isfinite(values).any(axis=-1)
    if np.any(ok):
        picked = values[ok]
        out[ok] = (
            np.nanmedian(picked, axis=-1) if statistic == "median" else np.nanmean(picked, axis=-1)
        )
    return out


@dataclass(frozen=True)
class _AnimalValues:
    """Per animal of one group: volume on the baseline day, volume and RTV on the evaluation
    day (NaN where the animal was not measured)."""

    v0: NDArray[np.float64]
    vt: NDArray[np.float64]
    rtv: NDArray[np.float64]

    def take(self, index: NDArray[np.intp]) -> _AnimalValues:
        return _AnimalValues(self.v0[index], self.vt[index], self.rtv[index])


def _animal_values(frame: pd.DataFrame, group: str, day0: float, day: float) -> _AnimalValues:
    part = frame[frame["group"] == group]
    animals = list(dict.fromkeys(part["animal"]))

    def at(d: float, column: str) -> NDArray[np.float64]:
        rows = part[part["day"] == d].set_index("animal")[column]
        return np.asarray(rows.reindex(animals).to_numpy(float), dtype=float)

    return _AnimalValues(at(day0, "volume_mm3"), at(day, "volume_mm3"), at(day, "rtv"))


def _ratio(num: NDArray[np.float64], den: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 100.0 * num / den, np.nan)


def _efficacy_raw(
    treated: _AnimalValues, control: _AnimalValues, statistic: Statistic
) -> dict[str, NDArray[np.float64]]:
    """The efficacy numbers from per-animal values (last axis: animals), without the regression
    convention: ``dt_dc`` and ``tgi`` are the raw formulas even when T_t < T_0."""
    t0, tt = _stat(treated.v0, statistic), _stat(treated.vt, statistic)
    c0, ct = _stat(control.v0, statistic), _stat(control.vt, statistic)
    rtv_t, rtv_c = _stat(treated.rtv, statistic), _stat(control.rtv, statistic)
    dt_dc = _ratio(tt - t0, ct - c0)
    tc_rtv = _ratio(rtv_t, rtv_c)
    return {
        "T0": t0,
        "Tt": tt,
        "C0": c0,
        "Ct": ct,
        "tc_volume": _ratio(tt, ct),
        "tc_rtv": tc_rtv,
        "dt_dc": dt_dc,
        "tgi": 100.0 - dt_dc,
        "tgi_rtv": 100.0 - tc_rtv,
        "regression": _ratio(tt - t0, t0),
    }


def _efficacy(
    frame: pd.DataFrame,
    group: str,
    control: str,
    day0: float,
    day: float,
    statistic: Statistic,
) -> dict[str, float]:
    """Efficacy of ``group`` against ``control`` by the analysis.md §3.2 convention: ΔT/ΔC and
    TGI while the treated tumors grow (T_t ≥ T_0), the regression % when they shrink."""
    raw = _efficacy_raw(
        _animal_values(frame, group, day0, day),
        _animal_values(frame, control, day0, day),
        statistic,
    )
    out = {k: float(v) for k, v in raw.items()}
    if out["Tt"] < out["T0"]:
        out["dt_dc"] = out["tgi"] = math.nan
    else:
        out["regression"] = math.nan
    return out


BOOTSTRAP_KEYS = ("tc_volume", "tc_rtv", "dt_dc", "tgi", "tgi_rtv", "regression")


def bootstrap_efficacy(
    frame: pd.DataFrame,
    group: str,
    control: str,
    day0: float,
    day: float,
    statistic: Statistic,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    ci_level: float = 0.95,
) -> dict[str, tuple[float, float, float, int]]:
    """Percentile bootstrap over animals of T/C, ΔT/ΔC, TGI and regression (%).

    Animals are resampled with replacement within the treated and within the control group
    (stratified; each animal keeps all its days), the statistics recomputed, and the interval
    is the (α/2, 1 − α/2) percentiles of the replicates (percentile method, not BCa). ΔT/ΔC,
    TGI and regression are the raw formulas in every replicate (the regression convention is a
    reporting rule, not part of the estimator). Replicates where a ratio is undefined (a
    denominator ≤ 0) are left out.

    Returns
    -------
    dict
        key → (low, high, bootstrap SE, replicates used).
    """
    rng = np.random.default_rng(seed)
    treated = _animal_values(frame, group, day0, day)
    ctrl = _animal_values(frame, control, day0, day)
    ti = rng.integers(0, treated.v0.size, size=(n_boot, treated.v0.size))
    ci = rng.integers(0, ctrl.v0.size, size=(n_boot, ctrl.v0.size))
    reps = _efficacy_raw(treated.take(ti), ctrl.take(ci), statistic)
    alpha = 1.0 - ci_level
    out: dict[str, tuple[float, float, float, int]] = {}
    for key in BOOTSTRAP_KEYS:
        values = reps[key][np.isfinite(reps[key])]
        if values.size < 10:
            continue
        low, high = np.percentile(values, [100 * alpha / 2, 100 * (1 - alpha / 2)])
        out[key] = (float(low), float(high), float(np.std(values, ddof=1)), int(values.size))
    return out


def analyze_tumor_growth(
    table: LabTable,
    *,
    formula: VolumeFormula = "lw2/2",
    control: str | None = None,
    day: float | None = None,
    statistic: Statistic = "mean",
    random_effects: RandomEffects = "auto",
    correction: Correction = "holm",
    ci_level: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
    title: str | None = None,
) -> AnalysisResult:
    """Efficacy of each treated group against the control from long-format caliper data.

    Parameters
    ----------
    table
        Long-format table: animal, group, day (days), length and width (mm) or volume (mm³),
        optional height (mm) and body weight (g).
    formula
        Caliper volume formula: ``"lw2/2"`` (default), ``"pi/6*lw2"``, ``"pi/6*lwh"``.
    control
        Name of the control group; default a group named like control/vehicle/saline/PBS,
        else the first group in the file.
    day
        Evaluation day for T/C, ΔT/ΔC and TGI, days; default the last day the control group was
        measured.
    statistic
        ``"mean"`` (default) or ``"median"`` group statistic for T/C and ΔT/ΔC.
    random_effects
        Mixed-model random effects per animal: ``"slope"`` (intercept and slope),
        ``"intercept"``, or ``"auto"`` (the lower ML AIC of the two, as TumGrowth chooses).
    correction
        Multiplicity correction: ``"holm"`` (default), ``"bh"`` (Benjamini–Hochberg),
        ``"bonferroni"`` or ``"none"``.
    ci_level
        Confidence level of intervals.
    n_boot, seed
        Resamples and random seed of the percentile bootstrap over animals that gives the CIs
        of T/C, ΔT/ΔC, TGI and regression.
    title
        Result title; default the table's source.
    """
    if n_boot < 100:
        raise SpecificationError("n_boot", n_boot, "at least 100 bootstrap resamples")
    data = read_growth(table, formula)
    frame, log_warnings = add_log_volume(_per_animal(data.frame))
    groups = data.groups
    ctrl = choose_control(groups, control)
    treated = [g for g in groups if g != ctrl]
    day0 = float(frame["day"].min())
    control_days = sorted(frame.loc[frame["group"] == ctrl, "day"].unique())
    if day is None:
        eval_day = float(control_days[-1])
    else:
        if not np.any(np.isclose(frame["day"].to_numpy(float), day)):
            raise SpecificationError(
                "day", day, f"a measured day, one of {sorted(set(frame['day']))}"
            )
        eval_day = float(frame["day"].to_numpy(float)[np.isclose(frame["day"], day)][0])
    warns = list(data.warnings) + log_warnings
    formulas = list(data.notes)
    formulas += _efficacy_formulas(statistic, ctrl, day0, eval_day)
    late = frame.groupby("animal")["day"].min()
    if (late > day0).any():
        warns.append(
            f"{int((late > day0).sum())} animal(s) were first measured after day {day0:g}; their "
            "RTV is relative to their own first measurement."
        )
    for group in groups:
        n0 = frame[(frame["group"] == group) & (frame["day"] == day0)]["animal"].nunique()
        nt = frame[(frame["group"] == group) & (frame["day"] == eval_day)]["animal"].nunique()
        if n0 < 3:
            warns.append(f"group {group!r} has {n0} animal(s) at baseline; statistics are fragile.")
        if nt < n0:
            warns.append(
                f"group {group!r}: {n0 - nt} of {n0} animals are missing on day {eval_day:g}; "
                "group statistics there use the survivors only (biased if removal was "
                "size-driven)."
            )
    estimates: list[Estimate] = []
    efficacy_rows: list[dict[str, Any]] = []
    for group in treated:
        eff = _efficacy(frame, group, ctrl, day0, eval_day, statistic)
        boot = bootstrap_efficacy(
            frame,
            group,
            ctrl,
            day0,
            eval_day,
            statistic,
            n_boot=n_boot,
            seed=seed,
            ci_level=ci_level,
        )
        efficacy_rows.append({"group": group, "day": eval_day, **eff})
        regressed = math.isfinite(eff["regression"])
        if regressed:
            warns.append(
                f"The {group!r} tumors regressed ({statistic} T_t = {eff['Tt']:.4g} < T_0 = "
                f"{eff['T0']:.4g} mm³): regression {eff['regression']:.1f} % is reported instead "
                "of ΔT/ΔC and TGI, which would be negative and above 100 % (analysis.md §3.2)."
            )
        elif not math.isfinite(eff["dt_dc"]):
            warns.append(
                f"ΔT/ΔC for {group!r} is undefined: the control did not grow "
                f"(C_t - C_0 = {eff['Ct'] - eff['C0']:.4g} mm³)."
            )

        def est(
            key: str,
            name: str,
            label: str,
            note: str = "",
            eff: dict[str, float] = eff,
            boot: dict[str, tuple[float, float, float, int]] = boot,
        ) -> Estimate:
            low, high, se, used = boot.get(key, (math.nan, math.nan, math.nan, 0))
            text = (
                f"{ci_level:.0%} percentile bootstrap CI over animals ({used} of {n_boot} "
                f"resamples, seed {seed})"
                if used
                else "no bootstrap CI (too few defined resamples)"
            )
            return Estimate(
                name,
                eff[key],
                "%",
                se if used else None,
                (low, high) if used else None,
                ci_level,
                label,
                f"{note}; {text}" if note else text,
            )

        estimates += [
            est(
                "tc_volume",
                f"T/C_volume[{group}]",
                f"T/C on {statistic} volume, {group} vs {ctrl}, day {eval_day:g}",
            ),
            est(
                "tc_rtv",
                f"T/C_RTV[{group}]",
                f"T/C on {statistic} RTV, {group} vs {ctrl}, day {eval_day:g}",
            ),
        ]
        if not regressed:
            estimates += [
                est("dt_dc", f"dT/dC[{group}]", f"ΔT/ΔC, {group} vs {ctrl}, day {eval_day:g}"),
                est(
                    "tgi",
                    f"TGI[{group}]",
                    f"TGI = 100·(1 − ΔT/ΔC), {group}, day {eval_day:g}",
                ),
            ]
        estimates.append(
            est(
                "tgi_rtv",
                f"TGI_RTV[{group}]",
                f"TGI on RTV = 100·(1 − RTV_T/RTV_C), {group}, day {eval_day:g}",
            )
        )
        if regressed:
            estimates.append(
                est(
                    "regression",
                    f"regression[{group}]",
                    f"regression 100·(T_t − T_0)/T_0, {group}, day {eval_day:g}",
                    "reported instead of ΔT/ΔC and TGI because the treated tumors shrank "
                    "(T_t < T_0)",
                )
            )
    model = fit_growth_model(frame, groups, ctrl, day0, random_effects, correction, ci_level)
    formulas += model.formulas
    warns += model.warnings
    estimates += model_estimates(model, groups, ctrl, treated, day0, eval_day)
    bw_rows = frame[np.isfinite(frame["bw_change_pct"])]
    if not bw_rows.empty:
        formulas.append(
            "Body-weight change (%) = 100·(BW_t − BW_0)/BW_0 per animal, BW_0 its first."
        )
        summary = bw_rows.groupby(["group", "day"])["bw_change_pct"].mean()
        for group in groups:
            if group in summary.index.get_level_values(0):
                nadir = float(summary.loc[group].min())
                estimates.append(
                    Estimate(
                        f"bw_nadir[{group}]",
                        nadir,
                        "%",
                        label=f"lowest mean body-weight change, {group}",
                    )
                )
        worst = bw_rows.loc[bw_rows["bw_change_pct"] < -20.0, "animal"].unique()
        if len(worst):
            warns.append(
                f"{len(worst)} animal(s) lost more than 20% body weight (a usual humane "
                f"endpoint): {', '.join(map(str, worst[:10]))}."
            )
    tests = single_day_tests(frame, ctrl, treated, correction)
    formulas += tests.formulas
    tables: dict[str, list[dict[str, Any]]] = {
        "group_day_summary": _summary_table(frame, groups),
        "efficacy": efficacy_rows,
        "growth_rates": model.rate_rows,
        "growth_rate_comparisons": model.comparison_rows,
        "single_day_tests": tests.rows,
    }
    return AnalysisResult(
        kind="tumor_growth",
        title=title or data.source,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warns),
        panels=_panels(frame, groups, model, day0),
        tables=tables,
        provenance={
            "source": data.source,
            "volume_formula": data.formula,
            "control": ctrl,
            "baseline_day": day0,
            "evaluation_day": eval_day,
            "statistic": statistic,
            "random_effects": model.structure,
            "correction": correction,
            "animals": int(frame["animal"].nunique()),
            "bootstrap": {"resamples": n_boot, "seed": seed, "method": "percentile"},
            **({"assumed_units": provenance_entry(data.assumed)} if data.assumed else {}),
        },
    )


def _efficacy_formulas(statistic: str, ctrl: str, day0: float, day: float) -> list[str]:
    s = statistic
    return [
        f"Control group: {ctrl!r}. Baseline day t0 = {day0:g}; evaluation day t = {day:g}.",
        "RTV_t = V_t/V_0 per animal, V_0 the animal's first measured volume.",
        f"T/C_volume (%) = 100·{s}(V_T,t)/{s}(V_C,t); T/C_RTV (%) = 100·{s}(RTV_T,t)/"
        f"{s}(RTV_C,t) (group {s}s over the animals measured on that day).",
        f"ΔT/ΔC (%) = 100·(T_t − T_0)/(C_t − C_0), T and C the group {s} volumes on days t and "
        "t0; undefined when the control did not grow.",
        "TGI (%) = 100·(1 − ΔT/ΔC) (the ΔT/ΔC variant); TGI_RTV (%) = 100·(1 − RTV_T/RTV_C).",
        "Regression (%) = 100·(T_t − T_0)/T_0, reported instead of ΔT/ΔC and TGI when T_t < T_0 "
        "(analysis.md §3.2), since ΔT/ΔC would be negative and TGI above 100 %.",
        "CIs of T/C, ΔT/ΔC, TGI and regression: percentile bootstrap over animals (resampled "
        "with replacement within each group, all days of an animal kept together; seeded), "
        "the raw formulas in every resample.",
        "NCI activity criterion often quoted: T/C ≤ 42% (Plowman et al. 1997).",
    ]


def _panels(
    frame: pd.DataFrame, groups: list[str], model: GrowthModelFit, day0: float
) -> tuple[Any, ...]:
    from nanocloak.plotting.series import Panel, Series

    series: list[Series] = []
    rtv_series: list[Series] = []
    for group in groups:
        stats = frame[frame["group"] == group].groupby("day")
        mean = stats["volume_mm3"].mean()
        sem = stats["volume_mm3"].sem().fillna(0.0)
        x = mean.index.to_numpy(float)
        series.append(
            Series(x, mean.to_numpy(float), f"{group} (mean ± SEM)", "errorbar", sem.to_numpy())
        )
        if group in model.curves:
            grid, fitted = model.curves[group]
            series.append(Series(grid, fitted, f"{group} (mixed model, geometric mean)", "dashed"))
        rtv = stats["rtv"].mean()
        rtv_series.append(Series(rtv.index.to_numpy(float), rtv.to_numpy(float), group, "line"))
    panels = [
        Panel(tuple(series), "day", "tumor volume (mm³)", "Tumor growth"),
        Panel(tuple(rtv_series), "day", "mean relative tumor volume V/V0", "RTV"),
    ]
    bw = frame[np.isfinite(frame["bw_change_pct"])]
    if not bw.empty:
        bw_series = []
        for group in groups:
            mean = bw[bw["group"] == group].groupby("day")["bw_change_pct"].mean()
            bw_series.append(
                Series(mean.index.to_numpy(float), mean.to_numpy(float), group, "line")
            )
        panels.append(Panel(tuple(bw_series), "day", "body-weight change (%)", "Body weight"))
    return tuple(panels)


def derive_endpoints(
    data: GrowthData,
    threshold_mm3: float,
    mode: EndpointMode = "first-reach",
    time_cap_day: float | None = None,
) -> LabTable:
    """Time-to-event endpoints from growth curves, as a table (animal, group, time (day), event).

    Parameters
    ----------
    data
        Growth data from ``read_growth``.
    threshold_mm3
        Volume threshold, mm³.
    mode
        ``"first-reach"`` (default): time = first day with V ≥ threshold (event); animals that
        never reach it are censored at their last measurement. ``"os"`` (TumGrowth's OS): time
        = last day with V ≤ threshold after which every measurement exceeds it; event if the
        animal was measured after that day, else censored. ``"tfs"`` (TumGrowth's TFS, the
        threshold being the detection level): time = last day before V first exceeds the
        threshold (event), or the first day if it exceeds from the start; animals that never
        exceed it are censored at their last day.
    time_cap_day
        End of follow-up, days: later times are censored at the cap.
    """
    if not threshold_mm3 >= 0:
        raise SpecificationError("threshold", threshold_mm3, "a volume ≥ 0 mm³")
    rows: list[list[Any]] = [["animal", "group", "time (day)", "event"]]
    for animal, part in data.frame.groupby("animal", sort=False):
        part = part.sort_values("day")
        days = part["day"].to_numpy(float)
        v = part["volume_mm3"].to_numpy(float)
        group = part["group"].iloc[0]
        if mode == "first-reach":
            hit = np.nonzero(v >= threshold_mm3)[0]
            time, event = (days[hit[0]], 1) if hit.size else (days[-1], 0)
        elif mode == "os":
            below = np.nonzero(v <= threshold_mm3)[0]
            if below.size == 0:
                time, event = days[0], 1
            else:
                last = below[-1]
                time, event = days[last], int(last < len(days) - 1)
        elif mode == "tfs":
            above = np.nonzero(v > threshold_mm3)[0]
            if above.size == 0:
                time, event = days[-1], 0
            else:
                time, event = days[max(above[0] - 1, 0)], 1
        else:
            raise SpecificationError("endpoint", mode, "'first-reach', 'os' or 'tfs'")
        if time_cap_day is not None and time > time_cap_day:
            time, event = time_cap_day, 0
        rows.append([animal, group, float(time), event])
    return table_from_rows(rows, f"{data.source} [endpoint {mode}, V ≥ {threshold_mm3:g} mm³]")


def endpoint_formula(mode: EndpointMode, threshold_mm3: float) -> str:
    """The endpoint rule of ``derive_endpoints`` in words, for reports."""
    rules = {
        "first-reach": "time = first day with V ≥ {t} mm³ (event); never reached: censored at "
        "the last measurement",
        "os": "TumGrowth OS: time = last day with V ≤ {t} mm³ after which all measurements "
        "exceed it (event if measured later, else censored)",
        "tfs": "TumGrowth TFS: time = last day before V first exceeds {t} mm³ (event; first "
        "day if exceeded from the start); never exceeded: censored at the last day",
    }
    return "Endpoint: " + rules[mode].format(t=f"{threshold_mm3:g}") + "."


__all__ = [
    "Correction",
    "EndpointMode",
    "GrowthData",
    "RandomEffects",
    "Statistic",
    "VolumeFormula",
    "analyze_tumor_growth",
    "caliper_volume_mm3",
    "choose_control",
    "derive_endpoints",
    "endpoint_formula",
    "read_growth",
]
