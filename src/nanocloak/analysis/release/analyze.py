"""Fit the release model library to one profile, rank the models, and report the metrics."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from scipy.optimize import brentq

from nanocloak.analysis.release import goodness, metrics
from nanocloak.analysis.release.fit import (
    DDSOLVER_LIBRARY,
    CIMethod,
    ModelFit,
    ModelSpec,
    Weighting,
    fit_model,
    parse_model,
)
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import BoolArray, FloatArray
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

RankBy = Literal["AICc", "AIC", "BIC", "MSC", "R2_adj"]
HIGHER_IS_BETTER = {"MSC", "R2_adj"}


def _rank_key(fit: ModelFit, rank_by: RankBy) -> float:
    value = float(fit.goodness.as_row()[rank_by])
    if not math.isfinite(value):
        return math.inf
    return -value if rank_by in HIGHER_IS_BETTER else value


def _model_time(fit: ModelFit, level: float, t_max: float) -> float:
    """Time (h) the fitted curve reaches ``level`` %, searched up to 10 × the last time."""
    grid = np.linspace(0.0, 10.0 * t_max, 2001)
    values = fit.predict(grid) - level
    above = np.nonzero(values >= 0)[0]
    if above.size == 0:
        return math.nan
    j = int(above[0])
    if j == 0:
        return 0.0
    return float(
        brentq(lambda x: float(fit.predict(np.array([x]))[0]) - level, grid[j - 1], grid[j])
    )


def analyze_release(
    t_h: Sequence[float] | FloatArray,
    f_pct: Sequence[float] | FloatArray,
    models: Sequence[ModelSpec | str] = DDSOLVER_LIBRARY,
    weighting: Weighting = "none",
    rank_by: RankBy = "AICc",
    geometry: metrics.Geometry = "sphere",
    kp_max_pct: float = 60.0,
    ci_level: float = 0.95,
    ci_method: CIMethod = "wald",
    title: str = "Drug release",
    provenance: dict[str, Any] | None = None,
) -> AnalysisResult:
    """Fit release laws to a cumulative release profile and report ranking and metrics.

    Parameters
    ----------
    t_h
        Sampling times (h); replicate measurements may repeat a time.
    f_pct
        Cumulative release (% of the loaded dose), already corrected for sampling.
    models
        Models to fit (``ModelSpec`` or names such as ``"weibull+Tlag"``); the 36-model
        DDSolver-style library by default.
    weighting
        ``"none"``, ``"1/y"`` or ``"1/y2"``.
    rank_by
        Criterion for the ranking: ``"AICc"`` (default), ``"AIC"``, ``"BIC"`` (lower is
        better), ``"MSC"`` or ``"R2_adj"`` (higher is better).
    geometry
        Device geometry for the release-exponent classes: slab, cylinder or sphere.
    kp_max_pct
        Korsmeyer–Peppas is fitted to points with F ≤ this (%), 60 by convention.
    ci_level
        Confidence level of the parameter intervals.
    ci_method
        ``"wald"`` (t-based, from the covariance) or ``"profile"`` (lmfit profile likelihood).
    title
        Result title.
    provenance
        Input description.
    """
    t = np.asarray(t_h, dtype=float)
    f = np.asarray(f_pct, dtype=float)
    if t.shape != f.shape or t.ndim != 1 or not (np.all(np.isfinite(t)) and np.all(np.isfinite(f))):
        bad_t = int(np.sum(~np.isfinite(t))) if t.ndim == 1 else 0
        bad_f = int(np.sum(~np.isfinite(f))) if f.ndim == 1 else 0
        raise SpecificationError(
            "release data",
            f"{t.size} times ({bad_t} missing or not finite) and {f.size} release values "
            f"({bad_f} missing or not finite)",
            "finite 1-D arrays of one length",
        )
    if np.any(t < 0):
        raise SpecificationError("time", float(t.min()), "times ≥ 0 h")
    if np.unique(t).size < 3:
        raise SpecificationError("release data", f"{np.unique(t).size} times", "at least 3 times")
    if rank_by not in ("AICc", "AIC", "BIC", "MSC", "R2_adj"):
        raise SpecificationError("rank_by", rank_by, "AICc, AIC, BIC, MSC or R2_adj")
    specs = [parse_model(m) if isinstance(m, str) else m for m in models]
    warnings: list[str] = []
    times, means, sds, counts = metrics.mean_profile(t, f)
    if np.max(f) <= 1.5:
        warnings.append("all values ≤ 1.5 %: were fractions given instead of percent?")
    if np.max(means) > 105.0:
        warnings.append(
            f"mean release reaches {np.max(means):.1f} % (> 105 %): check the loaded dose and "
            "the sampling-volume correction"
        )
    if np.any(np.diff(means) < -2.0):
        warnings.append(
            "the mean profile decreases somewhere by > 2 %: cumulative release should not fall; "
            "was the sampling-volume correction applied, or is the drug degrading?"
        )
    keep = np.ones_like(f, dtype=bool)
    if weighting != "none":
        keep = f > 0
        if not keep.all():
            warnings.append(f"{int((~keep).sum())} points with F ≤ 0 left out of the weighted fits")
    fits: list[ModelFit] = []
    kp_fits: list[ModelFit] = []
    failed: list[dict[str, Any]] = []
    kp_mask = keep & (t > 0) & (f <= kp_max_pct)
    for spec in specs:
        is_kp = spec.law == "korsmeyer_peppas"
        mask = kp_mask if is_kp else keep
        try:
            fitted = fit_model(t[mask], f[mask], spec, weighting, ci_level, ci_method)
        except SpecificationError as exc:
            failed.append({"model": spec.name, "reason": str(exc)})
            continue
        (kp_fits if is_kp else fits).append(fitted)
    for row in failed:
        warnings.append(f"{row['model']} not fitted: {row['reason']}")
    ranked = sorted(fits, key=lambda x: _rank_key(x, rank_by))
    estimates: list[Estimate] = []
    tables: dict[str, list[dict[str, Any]]] = {}
    formulas: list[str] = [
        "t in h, F in % of the loaded dose; replicate points are fitted individually",
        f"weights on squared residuals: {weighting if weighting != 'none' else '1 (unweighted)'}",
        "fit: weighted least squares, lmfit (trust-region reflective, bounded), best of several "
        "linearisation-based starts",
        f"parameter CI: {_ci_words(ci_method, ci_level)}",
        *goodness.FORMULAS.values(),
        f"ranking by {rank_by} ({'higher' if rank_by in HIGHER_IS_BETTER else 'lower'} is "
        "better); Korsmeyer–Peppas models are fitted to a subset and are not ranked",
        f"Korsmeyer–Peppas fitted to 0 < t and F ≤ {kp_max_pct:g} %, both nonlinear (lmfit) and "
        "log-linear (OLS of log10 F on log10 t) estimators",
        f"release exponent classes ({geometry}): n ≤ {metrics.KP_THRESHOLDS[geometry][0]} Fickian, "
        f"up to {metrics.KP_THRESHOLDS[geometry][1]} anomalous, at it case II, above super "
        "case II (Ritger & Peppas 1987)",
        *metrics.FORMULAS.values(),
        "Tx (model): root of the best-ranked model's curve, searched to 10 × the last time",
        "Baker–Lonsdale is implicit in F; F is its closed-form cubic root",
        "logistic, Gompertz and probit use log10 t (DDSolver/Excel LOG)",
    ]
    for spec in dict.fromkeys(fit.spec for fit in [*ranked, *kp_fits]):
        formulas.append(f"{spec.label}: {spec.equation}")
    if ranked:
        best = ranked[0]
        for p in best.params:
            estimates.append(
                Estimate(
                    f"{best.spec.name}.{p.name}",
                    p.value,
                    p.unit,
                    p.stderr,
                    p.ci,
                    ci_level,
                    f"{best.spec.label}: {p.name} (best by {rank_by})",
                )
            )
            if p.at_bound:
                warnings.append(f"{best.spec.name}: {p.name} at its bound; its SE is unreliable")
        if best.goodness.r2 < 0.9:
            warnings.append(f"the best model ({best.spec.label}) has R² = {best.goodness.r2:.3f}")
    for rank, fitted in enumerate(ranked, start=1):
        tables.setdefault("ranking", []).append(
            {"rank": rank, "model": fitted.spec.name, **fitted.goodness.as_row()}
        )
    for fitted in [*ranked, *kp_fits]:
        for p in fitted.params:
            tables.setdefault("parameters", []).append(
                {
                    "model": fitted.spec.name,
                    "parameter": p.name,
                    "value": p.value,
                    "unit": p.unit,
                    "SE": p.stderr,
                    "CI low": p.ci[0],
                    "CI high": p.ci[1],
                }
            )
    estimates += _kp_estimates(t, f, kp_mask, kp_fits, geometry, ci_level, tables, warnings)
    t_last = float(times[-1])
    for level in (50.0, 80.0):
        value = metrics.time_to_release(times, means, level)
        estimates.append(
            Estimate(f"T{level:.0f}", value, "h", label=f"T{level:.0f} (data, interpolated)")
        )
        if math.isnan(value):
            warnings.append(f"the profile does not reach {level:.0f} %: T{level:.0f} (data) is NaN")
        if ranked:
            model_value = _model_time(ranked[0], level, t_last)
            note = "extrapolated beyond the last time" if model_value > t_last else ""
            estimates.append(
                Estimate(
                    f"T{level:.0f}_model",
                    model_value,
                    "h",
                    label=f"T{level:.0f} ({ranked[0].spec.label})",
                    note=note,
                )
            )
    estimates.append(
        Estimate(
            "MDT", metrics.mean_dissolution_time(times, means), "h", label="mean dissolution time"
        )
    )
    estimates.append(
        Estimate(
            "DE",
            metrics.dissolution_efficiency(times, means),
            "%",
            label=f"dissolution efficiency (0–{t_last:g} h)",
        )
    )
    return AnalysisResult(
        kind="release_fit",
        title=title,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warnings),
        panels=_panels(times, means, sds, counts, t, f, ranked[:3], kp_fits),
        tables=tables,
        provenance={
            **(provenance or {}),
            "models": [s.name for s in specs],
            "weighting": weighting,
            "rank_by": rank_by,
            "geometry": geometry,
            "kp_max_pct": kp_max_pct,
            "ci_method": ci_method,
        },
    )


def _ci_words(method: CIMethod, level: float) -> str:
    if method == "profile":
        return f"{level:.0%} profile-likelihood interval (lmfit conf_interval, F-test)"
    return f"{level:.0%} Wald interval: value ± t(1 − α/2, n − p)·SE, SE scaled by reduced χ²"


def _kp_estimates(
    t: FloatArray,
    f: FloatArray,
    mask: BoolArray,
    kp_fits: list[ModelFit],
    geometry: metrics.Geometry,
    ci_level: float,
    tables: dict[str, list[dict[str, Any]]],
    warnings: list[str],
) -> list[Estimate]:
    out: list[Estimate] = []
    rows = tables.setdefault("korsmeyer_peppas", [])
    fick, case2 = metrics.KP_THRESHOLDS[geometry]
    plain = [k for k in kp_fits if not (k.spec.lag or k.spec.burst)]
    if plain:
        nl = plain[0]
        n = nl["n"]
        mechanism = metrics.release_mechanism(n.value, geometry)
        out.append(
            Estimate(
                "kp.n_nonlinear",
                n.value,
                "",
                n.stderr,
                n.ci,
                ci_level,
                "KP release exponent n (nonlinear)",
                mechanism,
            )
        )
        rows.append(
            {
                "estimator": "nonlinear (lmfit)",
                "kKP": nl.values["kkp"],
                "n": n.value,
                "SE n": n.stderr,
                "points": nl.goodness.n,
                "R2": nl.goodness.r2,
                "mechanism": mechanism,
            }
        )
        if n.ci[0] < fick < n.ci[1] or n.ci[0] < case2 < n.ci[1]:
            warnings.append(
                f"the {ci_level:.0%} CI of n ({n.ci[0]:.3f}–{n.ci[1]:.3f}) spans a class "
                f"boundary ({fick} / {case2}, {geometry}): the mechanism is not determined"
            )
    try:
        ll = metrics.korsmeyer_peppas_loglinear(t[mask], f[mask], ci_level)
    except SpecificationError as exc:
        warnings.append(f"log-linear Korsmeyer–Peppas not fitted: {exc}")
        return out
    mechanism = metrics.release_mechanism(ll.n, geometry)
    out.append(
        Estimate(
            "kp.n_loglinear",
            ll.n,
            "",
            ll.n_stderr,
            ll.n_ci,
            ci_level,
            "KP release exponent n (log-linear)",
            mechanism,
        )
    )
    rows.append(
        {
            "estimator": "log-linear (OLS on log10)",
            "kKP": ll.kkp,
            "n": ll.n,
            "SE n": ll.n_stderr,
            "points": ll.points,
            "R2": ll.r2,
            "mechanism": mechanism,
        }
    )
    if ll.points < 4:
        warnings.append(f"only {ll.points} points with F ≤ 60 % for Korsmeyer–Peppas")
    return out


def _panels(
    times: FloatArray,
    means: FloatArray,
    sds: FloatArray,
    counts: FloatArray,
    t: FloatArray,
    f: FloatArray,
    best: list[ModelFit],
    kp_fits: list[ModelFit],
) -> tuple[Panel, ...]:
    grid = np.linspace(0.0, float(times[-1]), 200)
    data = (
        Series(times, means, "mean ± SD", "errorbar", yerr=sds)
        if np.any(counts > 1)
        else Series(t, f, "data", "points")
    )
    curves = tuple(Series(grid, fit.predict(grid), fit.spec.label, "line") for fit in best)
    panels = [Panel((data, *curves), "time (h)", "cumulative release (%)", "Release models")]
    plain = [k for k in kp_fits if not (k.spec.lag or k.spec.burst)]
    if plain:
        kp = plain[0]
        pos = kp.t_h > 0
        fine = np.geomspace(float(kp.t_h[pos].min()), float(kp.t_h.max()), 100)
        panels.append(
            Panel(
                (
                    Series(kp.t_h[pos], kp.f_pct[pos], "F ≤ 60 %", "points"),
                    Series(fine, kp.predict(fine), f"n = {kp.values['n']:.3f}", "line"),
                ),
                "time (h)",
                "cumulative release (%)",
                "Korsmeyer–Peppas",
                xscale="log",
                yscale="log",
            )
        )
    return tuple(panels)


__all__ = ["analyze_release"]
