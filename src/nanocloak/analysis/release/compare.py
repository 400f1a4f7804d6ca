"""Dissolution profile comparison: f1, f2 with the regulatory rules, and bootstrap f2.

f1 and f2 follow Moore & Flanner 1996 and the FDA 1997 immediate-release guidance; the
applicability rules are named presets after the rule table of the bootf2 R package
(Xu Z et al., CRAN 2021) for FDA, EMA (CPMP/EWP/QWP/1401/98 Rev 1), WHO, Health Canada and
ANVISA. The bootstrap resamples units within each product (Shah et al. 1998,
doi:10.1023/A:1011976615750) and gives a BCa interval with ``scipy.stats.bootstrap``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import BoolArray, FloatArray
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

Rule = Literal["EMA", "FDA", "FDA-both85", "WHO", "Canada", "ANVISA"]
F2Type = Literal["estimated", "expected"]


@dataclass(frozen=True, slots=True)
class RulePreset:
    """One regulator's f2 applicability rules.

    Attributes
    ----------
    cut
        Which product's crossing of 85 % ends the points used: ``"either"`` (one point after
        85 % for either product), ``"both"`` (up to where both exceed 85 %) or ``"reference"``.
    early_cv_until_min
        Points at or before this time (min) may have CV ≤ 20 %; None: only the first point.
    """

    name: str
    cut: Literal["either", "both", "reference"]
    early_cv_until_min: float | None
    text: str


RULES: dict[str, RulePreset] = {
    "EMA": RulePreset(
        "EMA",
        "either",
        None,
        "EMA CPMP/EWP/QWP/1401/98 Rev 1: ≥ 3 points "
        "(zero excluded), only one point after 85 % for either product; CV ≤ 20 % "
        "at the first point and ≤ 10 % after; ≥ 12 units",
    ),
    "FDA": RulePreset(
        "FDA",
        "either",
        15.0,
        "FDA 1997 IR guidance: ≥ 3 points, only one point "
        "after 85 % for either product; CV ≤ 20 % at early points (≤ 15 min) and "
        "≤ 10 % after; ≥ 12 units",
    ),
    "FDA-both85": RulePreset(
        "FDA-both85",
        "both",
        15.0,
        "FDA, conventional reading: points up "
        "to the first where both products exceed 85 %; CV as FDA",
    ),
    "WHO": RulePreset(
        "WHO",
        "reference",
        10.0,
        "WHO TRS 1003 Annex 6: points up to the first "
        "where the reference exceeds 85 %; CV ≤ 20 % up to 10 min, ≤ 10 % after",
    ),
    "Canada": RulePreset("Canada", "either", None, "Health Canada: as EMA"),
    "ANVISA": RulePreset("ANVISA", "either", None, "ANVISA: as EMA"),
}


def f1(reference: FloatArray, test: FloatArray) -> float:
    """Difference factor f1 = 100·Σ|Rₜ − Tₜ| / Σ Rₜ on mean profiles (%)."""
    r, t = np.asarray(reference, dtype=float), np.asarray(test, dtype=float)
    return float(100.0 * np.sum(np.abs(r - t)) / np.sum(r))


def f2(reference: FloatArray, test: FloatArray) -> float:
    """Similarity factor f2 = 50·log10{100·[1 + (1/P)·Σ(Rₜ − Tₜ)²]^(−1/2)} on mean profiles."""
    r, t = np.asarray(reference, dtype=float), np.asarray(test, dtype=float)
    return float(50.0 * np.log10(100.0 / np.sqrt(1.0 + np.mean((r - t) ** 2))))


def _f2_units(ref: FloatArray, test: FloatArray, mask: BoolArray, kind: F2Type) -> FloatArray:
    """f2 of unit matrices (..., units, times) over the time points in ``mask`` (..., times)."""
    diff = (ref.mean(axis=-2) - test.mean(axis=-2)) ** 2
    if kind == "expected":
        diff = diff + ref.var(axis=-2, ddof=1) / ref.shape[-2]
        diff = diff + test.var(axis=-2, ddof=1) / test.shape[-2]
    mean_sq = np.sum(diff * mask, axis=-1) / np.sum(mask, axis=-1)
    out: FloatArray = 50.0 * np.log10(100.0 / np.sqrt(1.0 + mean_sq))
    return out


def expected_f2(reference_units: FloatArray, test_units: FloatArray) -> float:
    """Bias-corrected ("expected") f2 of unit matrices (units × times), Shah et al. 1998.

    f2 = 50·log10{100·[1 + (1/P)·Σ((R̄ₜ − T̄ₜ)² + (S²_R,ₜ + S²_T,ₜ)/n)]^(−1/2)}.
    """
    r = np.asarray(reference_units, dtype=float)
    t = np.asarray(test_units, dtype=float)
    return float(_f2_units(r, t, np.ones(r.shape[-1], dtype=bool), "expected"))


def points_used(
    ref_mean: FloatArray, test_mean: FloatArray, rule: RulePreset, min_points: int = 3
) -> BoolArray:
    """Mask of the time points a rule keeps (zero time excluded beforehand), batched.

    The points run from the first to the first point where the rule's product(s) exceed 85 %
    (inclusive), and never fewer than ``min_points`` when there are that many.
    """
    if rule.cut == "either":
        above = (ref_mean > 85.0) | (test_mean > 85.0)
    elif rule.cut == "both":
        above = (ref_mean > 85.0) & (test_mean > 85.0)
    else:
        above = ref_mean > 85.0
    count = ref_mean.shape[-1]
    last = np.where(above.any(axis=-1), np.argmax(above, axis=-1), count - 1)
    last = np.maximum(last, min(min_points, count) - 1)
    mask: BoolArray = np.arange(count) <= last[..., None]
    return mask


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One applicability criterion and whether the data pass it."""

    rule: str
    passed: bool
    detail: str


def check_rules(
    t_min: FloatArray,
    reference_units: FloatArray,
    test_units: FloatArray,
    rule: RulePreset,
    mask: BoolArray,
    min_points: int = 3,
) -> list[RuleCheck]:
    """The applicability checks of ``rule`` on the points in ``mask``, with what failed."""
    checks: list[RuleCheck] = []
    used = int(mask.sum())
    checks.append(
        RuleCheck("time points", used >= min_points, f"{used} points used; ≥ {min_points} needed")
    )
    r_mean = reference_units.mean(axis=0)
    t_mean = test_units.mean(axis=0)
    after = int(np.sum(((r_mean > 85) | (t_mean > 85)) & mask))
    checks.append(
        RuleCheck(
            "85 % rule",
            after <= 1 or rule.cut != "either",
            f"{after} used point(s) with either mean > 85 %; at most 1 allowed"
            if rule.cut == "either"
            else f"{rule.name}: cut where {rule.cut} exceed 85 %",
        )
    )
    early_15 = np.nonzero(t_min <= 15.0)[0]
    if early_15.size and np.all(r_mean[early_15[-1]] > 85) and np.all(t_mean[early_15[-1]] > 85):
        checks.append(
            RuleCheck(
                "rapid dissolution",
                True,
                "both products exceed 85 % by 15 min: similar without f2 (f2 not needed)",
            )
        )
    for name, units in (("reference", reference_units), ("test", test_units)):
        n_units = units.shape[0]
        checks.append(RuleCheck(f"units ({name})", n_units >= 12, f"{n_units} units; ≥ 12 needed"))
        if n_units < 2:
            checks.append(RuleCheck(f"CV ({name})", False, "one unit: the CV cannot be checked"))
            continue
        cv = 100.0 * units.std(axis=0, ddof=1) / units.mean(axis=0)
        idx = np.nonzero(mask)[0]
        if rule.early_cv_until_min is None:
            early = idx == idx[0]
        else:
            early = t_min[idx] <= rule.early_cv_until_min
        limits = np.where(early, 20.0, 10.0)
        bad = [
            f"{cv[i]:.1f} % at {t_min[i]:g} min (limit {lim:g} %)"
            for i, lim in zip(idx, limits, strict=True)
            if cv[i] > lim
        ]
        checks.append(
            RuleCheck(
                f"CV ({name})",
                not bad,
                "; ".join(bad) if bad else f"max CV {np.max(cv[idx]):.1f} % within limits",
            )
        )
    return checks


@dataclass(frozen=True, slots=True)
class BootstrapF2:
    """Bootstrap distribution summary and confidence interval of f2."""

    kind: F2Type
    method: str
    level: float
    ci: tuple[float, float]
    mean: float
    median: float
    n_resamples: int
    seed: int


def bootstrap_f2(
    t_min: FloatArray,
    reference_units: FloatArray,
    test_units: FloatArray,
    rule: RulePreset,
    kind: F2Type = "expected",
    n_resamples: int = 5000,
    level: float = 0.90,
    seed: int = 306,
    method: Literal["BCa", "percentile", "basic"] = "BCa",
    reselect_points: bool = True,
    min_points: int = 3,
) -> BootstrapF2:
    """Bootstrap f2: resample units (rows) within each product with replacement.

    ``scipy.stats.bootstrap`` draws unit indices of both products independently; the
    statistic rebuilds the unit matrices, re-applies the 85 % point rule to each resample
    (``reselect_points``, as bootf2 does) and computes f2. BCa uses scipy's jackknife
    acceleration over each product's units.
    """
    del t_min  # the 85 % rule acts on the order of points, not their times
    ref = np.asarray(reference_units, dtype=float)
    test = np.asarray(test_units, dtype=float)
    fixed = points_used(ref.mean(axis=0), test.mean(axis=0), rule, min_points)

    def statistic(i: FloatArray, j: FloatArray, axis: int = -1) -> FloatArray:
        r = ref[np.asarray(i, dtype=int)]
        t = test[np.asarray(j, dtype=int)]
        mask = (
            points_used(r.mean(axis=-2), t.mean(axis=-2), rule, min_points)
            if reselect_points
            else fixed
        )
        return _f2_units(r, t, mask, kind)

    result = stats.bootstrap(
        (np.arange(ref.shape[0]), np.arange(test.shape[0])),
        statistic,
        n_resamples=n_resamples,
        confidence_level=level,
        method=method,
        vectorized=True,
        rng=np.random.default_rng(seed),
    )
    dist = np.asarray(result.bootstrap_distribution, dtype=float)
    ci = (float(result.confidence_interval.low), float(result.confidence_interval.high))
    if not all(math.isfinite(v) for v in ci):
        raise SpecificationError(
            "bootstrap f2", ci, "a finite interval", "The bootstrap distribution is degenerate."
        )
    return BootstrapF2(
        kind, method, level, ci, float(dist.mean()), float(np.median(dist)), n_resamples, seed
    )


def compare_profiles(
    t_min: FloatArray,
    reference_units: FloatArray,
    test_units: FloatArray,
    rule: Rule = "EMA",
    n_resamples: int = 5000,
    level: float = 0.90,
    seed: int = 306,
    bootstrap_method: Literal["BCa", "percentile", "basic"] = "BCa",
    min_points: int = 3,
    reference_name: str = "reference",
    test_name: str = "test",
    title: str | None = None,
    provenance: dict[str, object] | None = None,
) -> AnalysisResult:
    """Compare a test dissolution profile with a reference: f1, f2, rules, bootstrap f2.

    Parameters
    ----------
    t_min
        Sampling times (min), shared by both products.
    reference_units, test_units
        Dissolved (%) per unit: arrays of shape (units, times).
    rule
        Applicability rule set: ``EMA`` (default), ``FDA``, ``FDA-both85``, ``WHO``,
        ``Canada`` or ``ANVISA``.
    n_resamples
        Bootstrap resamples (0 to skip the bootstrap).
    level
        Confidence level of the bootstrap interval (0.90 by regulatory convention).
    seed
        Seed of the bootstrap generator.
    bootstrap_method
        ``BCa`` (default), ``percentile`` or ``basic``.
    min_points
        Least number of time points for f2.
    """
    if rule not in RULES:
        raise SpecificationError("rule", rule, f"one of {', '.join(RULES)}")
    preset = RULES[rule]
    t = np.asarray(t_min, dtype=float)
    ref = np.atleast_2d(np.asarray(reference_units, dtype=float))
    test = np.atleast_2d(np.asarray(test_units, dtype=float))
    if ref.shape[1] != t.size or test.shape[1] != t.size:
        raise SpecificationError(
            "profiles",
            f"{ref.shape[1]} and {test.shape[1]} times for {t.size} sampling times",
            "the same time points for both products",
        )
    if not (np.all(np.isfinite(ref)) and np.all(np.isfinite(test))):
        raise SpecificationError("profiles", "missing values", "complete unit profiles")
    nonzero = t > 0
    t, ref, test = t[nonzero], ref[:, nonzero], test[:, nonzero]
    r_mean, t_mean = ref.mean(axis=0), test.mean(axis=0)
    mask = points_used(r_mean, t_mean, preset, min_points)
    checks = check_rules(t, ref, test, preset, mask, min_points)
    value_f1 = f1(r_mean[mask], t_mean[mask])
    value_f2 = f2(r_mean[mask], t_mean[mask])
    warnings = [f"{preset.name} rule failed: {c.rule}: {c.detail}" for c in checks if not c.passed]
    warnings += [c.detail for c in checks if c.rule == "rapid dissolution"]
    estimates = [
        Estimate("f1", value_f1, "", label="difference factor f1", note="similar if ≤ 15"),
    ]
    formulas = [
        "f1 = 100·Σ|Rₜ − Tₜ| / Σ Rₜ on mean profiles",
        "f2 = 50·log10{100·[1 + (1/P)·Σ(Rₜ − Tₜ)²]^(−1/2)} on mean profiles (P points)",
        "expected f2 = 50·log10{100·[1 + (1/P)·Σ((Rₜ − Tₜ)² + (S²_R + S²_T)/n)]^(−1/2)} "
        "(Shah et al. 1998)",
        f"rule set {preset.name}: {preset.text}",
        "time zero is excluded; CV = 100·SD/mean with SD on n − 1",
        "similar when f2 ≥ 50 (and f1 ≤ 15); bootstrap: similar when the lower bound ≥ 50",
    ]
    ci_f2: tuple[float, float] | None = None
    boots: dict[str, BootstrapF2] = {}
    if n_resamples > 0 and ref.shape[0] > 1 and test.shape[0] > 1:
        for kind in ("estimated", "expected"):
            boots[kind] = bootstrap_f2(
                t,
                ref,
                test,
                preset,
                kind,
                n_resamples,
                level,
                seed,
                bootstrap_method,
                min_points=min_points,
            )
        ci_f2 = boots["estimated"].ci
        formulas.append(
            f"bootstrap: {n_resamples} resamples of units within each product (seed {seed}), "
            "85 % point rule re-applied to each resample, "
            f"{level:.0%} {bootstrap_method} interval by scipy.stats.bootstrap (BCa: jackknife "
            "acceleration over each product's units)"
        )
    elif n_resamples > 0:
        warnings.append("one unit per product: no bootstrap (unit profiles are needed)")
    estimates.append(
        Estimate(
            "f2",
            value_f2,
            "",
            ci=ci_f2,
            ci_level=level,
            label="similarity factor f2",
            note="similar" if value_f2 >= 50 else "not similar",
        )
    )
    if ref.shape[0] > 1 and test.shape[0] > 1:
        exp_value = float(_f2_units(ref, test, mask, "expected"))
        exp_ci = boots["expected"].ci if "expected" in boots else None
        estimates.append(
            Estimate(
                "f2_expected",
                exp_value,
                "",
                ci=exp_ci,
                ci_level=level,
                label="expected f2 (f2 with the variance term (S²R + S²T)/n added)",
                note=""
                if exp_ci is None
                else ("similar" if exp_ci[0] >= 50 else "not shown similar"),
            )
        )
    estimates.append(Estimate("points", float(mask.sum()), "", label="time points used"))
    rows = [
        {
            "time (min)": float(t[i]),
            f"{reference_name} mean (%)": float(r_mean[i]),
            f"{reference_name} CV (%)": _cv(ref[:, i]),
            f"{test_name} mean (%)": float(t_mean[i]),
            f"{test_name} CV (%)": _cv(test[:, i]),
            "used": bool(mask[i]),
        }
        for i in range(t.size)
    ]
    tables: dict[str, list[dict[str, Any]]] = {
        "profiles": rows,
        "rules": [{"rule": c.rule, "passed": c.passed, "detail": c.detail} for c in checks],
    }
    for kind, boot in boots.items():
        tables.setdefault("bootstrap", []).append(
            {
                "f2": kind,
                "mean": boot.mean,
                "median": boot.median,
                "CI low": boot.ci[0],
                "CI high": boot.ci[1],
                "method": boot.method,
                "resamples": boot.n_resamples,
            }
        )
    panel = Panel(
        (
            Series(t, r_mean, reference_name, "errorbar", yerr=_sd(ref)),
            Series(t, t_mean, test_name, "errorbar", yerr=_sd(test)),
        ),
        "time (min)",
        "dissolved (%)",
        f"f2 = {value_f2:.1f}",
    )
    return AnalysisResult(
        kind="release_compare",
        title=title or f"{test_name} vs {reference_name}",
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warnings),
        panels=(panel,),
        tables=tables,
        provenance={**(provenance or {}), "rule": preset.name, "seed": seed},
    )


def _cv(values: FloatArray) -> float:
    if values.size < 2:
        return math.nan
    return float(100.0 * values.std(ddof=1) / values.mean())


def _sd(units: FloatArray) -> FloatArray:
    if units.shape[0] < 2:
        return np.zeros(units.shape[1])
    out: FloatArray = units.std(axis=0, ddof=1)
    return out
