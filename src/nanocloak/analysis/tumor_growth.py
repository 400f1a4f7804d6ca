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

Reading the table is :mod:`nanocloak.analysis.growth_data`, the efficacy ratios and their
bootstrap :mod:`nanocloak.analysis.growth_efficacy` and the endpoints
:mod:`nanocloak.analysis.growth_endpoints`; their public names are re-exported here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from nanocloak.analysis.assumed_units import provenance_entry
from nanocloak.analysis.group_tests import Correction, single_day_tests
from nanocloak.analysis.growth_data import (
    GrowthData,
    VolumeFormula,
    caliper_volume_mm3,
    per_animal_changes,
    read_growth,
)
from nanocloak.analysis.growth_efficacy import (
    Statistic,
    bootstrap_efficacy,
    choose_control,
    efficacy_formulas,
    group_efficacy,
)
from nanocloak.analysis.growth_endpoints import EndpointMode, derive_endpoints, endpoint_formula
from nanocloak.analysis.growth_models import (
    GrowthModelFit,
    RandomEffects,
    add_log_volume,
    fit_growth_model,
    model_estimates,
)
from nanocloak.errors import SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.results.analysis import AnalysisResult, Estimate

__all__ = [
    "Correction",
    "EndpointMode",
    "GrowthData",
    "RandomEffects",
    "Statistic",
    "VolumeFormula",
    "analyze_tumor_growth",
    "bootstrap_efficacy",
    "caliper_volume_mm3",
    "choose_control",
    "derive_endpoints",
    "endpoint_formula",
    "read_growth",
]


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
    frame, log_warnings = add_log_volume(per_animal_changes(data.frame))
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
    formulas += efficacy_formulas(statistic, ctrl, day0, eval_day)
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
        row, group_estimates, group_warnings = group_efficacy(
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
        efficacy_rows.append(row)
        estimates += group_estimates
        warns += group_warnings
    model = fit_growth_model(frame, groups, ctrl, day0, random_effects, correction, ci_level)
    formulas += model.formulas
    warns += model.warnings
    estimates += model_estimates(model, groups, ctrl, treated, day0, eval_day)
    bw_formulas, bw_estimates, bw_warnings = _body_weight(frame, groups)
    formulas += bw_formulas
    estimates += bw_estimates
    warns += bw_warnings
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


def _body_weight(
    frame: pd.DataFrame, groups: list[str]
) -> tuple[list[str], list[Estimate], list[str]]:
    """Formula, nadir of the mean body-weight change per group, and animals losing > 20 %."""
    formulas: list[str] = []
    estimates: list[Estimate] = []
    warns: list[str] = []
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
    return formulas, estimates, warns


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
