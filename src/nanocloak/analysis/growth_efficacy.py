"""Efficacy of a treated group against the control on one day: T/C, ΔT/ΔC, TGI, regression.

The numbers of analysis.md §3.2 from the group statistic (mean or median) of per-animal
volumes and RTVs on the baseline and evaluation days, with the reporting convention that
ΔT/ΔC and TGI are given while the treated tumors grow (T_t ≥ T_0) and the regression % when
they shrink; their CIs come from a percentile bootstrap over animals
(:func:`bootstrap_efficacy`). :func:`group_efficacy` turns them into labelled estimates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from nanocloak.errors import SpecificationError
from nanocloak.results.analysis import Estimate

#: Group statistic of the ratios.
Statistic = Literal["mean", "median"]

#: Words that mark a group as the control when none is named.
CONTROL_WORDS = ("control", "vehicle", "saline", "pbs", "untreated", "ctrl", "placebo")


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


def efficacy(
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


def group_efficacy(
    frame: pd.DataFrame,
    group: str,
    control: str,
    day0: float,
    day: float,
    statistic: Statistic,
    *,
    n_boot: int,
    seed: int,
    ci_level: float,
) -> tuple[dict[str, Any], list[Estimate], list[str]]:
    """Efficacy of ``group`` against ``control`` on ``day`` with bootstrap CIs.

    Returns
    -------
    tuple
        The efficacy row (group, day and every number of :func:`efficacy`), the labelled
        estimates (T/C on volume and RTV, ΔT/ΔC and TGI or the regression %, TGI on RTV) and
        the warnings (regression, a control that did not grow).
    """
    warns: list[str] = []
    eff = efficacy(frame, group, control, day0, day, statistic)
    boot = bootstrap_efficacy(
        frame,
        group,
        control,
        day0,
        day,
        statistic,
        n_boot=n_boot,
        seed=seed,
        ci_level=ci_level,
    )
    row: dict[str, Any] = {"group": group, "day": day, **eff}
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

    estimates: list[Estimate] = [
        est(
            "tc_volume",
            f"T/C_volume[{group}]",
            f"T/C on {statistic} volume, {group} vs {control}, day {day:g}",
        ),
        est(
            "tc_rtv",
            f"T/C_RTV[{group}]",
            f"T/C on {statistic} RTV, {group} vs {control}, day {day:g}",
        ),
    ]
    if not regressed:
        estimates += [
            est("dt_dc", f"dT/dC[{group}]", f"ΔT/ΔC, {group} vs {control}, day {day:g}"),
            est(
                "tgi",
                f"TGI[{group}]",
                f"TGI = 100·(1 − ΔT/ΔC), {group}, day {day:g}",
            ),
        ]
    estimates.append(
        est(
            "tgi_rtv",
            f"TGI_RTV[{group}]",
            f"TGI on RTV = 100·(1 − RTV_T/RTV_C), {group}, day {day:g}",
        )
    )
    if regressed:
        estimates.append(
            est(
                "regression",
                f"regression[{group}]",
                f"regression 100·(T_t − T_0)/T_0, {group}, day {day:g}",
                "reported instead of ΔT/ΔC and TGI because the treated tumors shrank (T_t < T_0)",
            )
        )
    return row, estimates, warns


def efficacy_formulas(statistic: str, ctrl: str, day0: float, day: float) -> list[str]:
    """The efficacy formulas in words, with the control group and the days, for reports."""
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
