"""Model-independent release metrics and the interpretation of release exponents.

T_x by linear interpolation, mean dissolution time (Costa & Lobo 2001, doi:10.1016/S0928-0987
(01)00095-1), dissolution efficiency (Khan 1975, J Pharm Pharmacol 27:48, trapezoid rule), the
log-linear Korsmeyer–Peppas estimator and the Ritger–Peppas exponent classes (Ritger & Peppas
1987, doi:10.1016/0168-3659(87)90034-4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import statsmodels.api as sm

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray

Geometry = Literal["slab", "cylinder", "sphere"]

KP_THRESHOLDS: dict[str, tuple[float, float]] = {
    "slab": (0.50, 1.00),
    "cylinder": (0.45, 0.89),
    "sphere": (0.43, 0.85),
}
"""Release exponent n at the Fickian and case-II limits by geometry (Ritger & Peppas 1987)."""

FORMULAS = {
    "tx": "Tx (data): first time the mean profile reaches x %, by linear interpolation "
    "between the bracketing sampling times",
    "mdt": "MDT = Σ t̂ⱼ·ΔFⱼ / Σ ΔFⱼ, t̂ⱼ = midpoint of interval j, ΔFⱼ = increase of the mean "
    "profile over it; (0 h, 0 %) prepended when absent (Costa & Lobo 2001)",
    "de": "DE = ∫₀ᵀ F dt / (100 %·T) × 100 %, trapezoid rule on the mean profile from "
    "(0 h, 0 %) to the last time T (Khan 1975)",
}


def mean_profile(
    t_h: FloatArray, f_pct: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Distinct times (h, sorted) with the mean, SD (ddof 1, 0 if single) and count of F (%)."""
    t = np.asarray(t_h, dtype=float)
    f = np.asarray(f_pct, dtype=float)
    times = np.unique(t)
    means = np.array([f[t == x].mean() for x in times])
    sds = np.array([f[t == x].std(ddof=1) if np.sum(t == x) > 1 else 0.0 for x in times])
    counts = np.array([float(np.sum(t == x)) for x in times])
    return times, means, sds, counts


def _from_zero(t: FloatArray, f: FloatArray) -> tuple[FloatArray, FloatArray]:
    if t.size and t[0] == 0.0:
        return t, f
    return np.concatenate([[0.0], t]), np.concatenate([[0.0], f])


def time_to_release(t_h: FloatArray, f_pct: FloatArray, level_pct: float) -> float:
    """First time (h) the profile reaches ``level_pct`` (%), by linear interpolation.

    Parameters
    ----------
    t_h
        Sorted distinct times (h).
    f_pct
        Mean cumulative release (%) at those times.
    level_pct
        The level, e.g. 50 for T50.

    Returns
    -------
    float
        The time in h, or NaN when the profile never reaches the level.
    """
    t, f = _from_zero(np.asarray(t_h, dtype=float), np.asarray(f_pct, dtype=float))
    reached = np.nonzero(f >= level_pct)[0]
    if reached.size == 0:
        return math.nan
    j = int(reached[0])
    if j == 0:
        return float(t[0])
    return float(np.interp(level_pct, [f[j - 1], f[j]], [t[j - 1], t[j]]))


def mean_dissolution_time(t_h: FloatArray, f_pct: FloatArray) -> float:
    """Mean dissolution time (h) of a mean profile: Σ t̂ⱼ·ΔFⱼ / Σ ΔFⱼ (interval midpoints).

    Parameters
    ----------
    t_h
        Sorted distinct times (h).
    f_pct
        Mean cumulative release (%).
    """
    t, f = _from_zero(np.asarray(t_h, dtype=float), np.asarray(f_pct, dtype=float))
    mid = 0.5 * (t[1:] + t[:-1])
    delta = np.diff(f)
    total = float(np.sum(delta))
    return float(np.sum(mid * delta) / total) if total != 0 else math.nan


def dissolution_efficiency(t_h: FloatArray, f_pct: FloatArray) -> float:
    """Dissolution efficiency (%) up to the last time: trapezoid area over 100 %·T.

    Parameters
    ----------
    t_h
        Sorted distinct times (h).
    f_pct
        Mean cumulative release (%).
    """
    t, f = _from_zero(np.asarray(t_h, dtype=float), np.asarray(f_pct, dtype=float))
    if t[-1] <= 0:
        return math.nan
    return float(np.trapezoid(f, t) / (100.0 * t[-1]) * 100.0)


def release_mechanism(n: float, geometry: Geometry = "sphere") -> str:
    """Ritger–Peppas class of a Korsmeyer–Peppas release exponent ``n``.

    n ≤ n_F: Fickian diffusion; n_F < n < n_II: anomalous (non-Fickian) transport;
    n = n_II: case-II (zero-order, relaxation) transport; n > n_II: super case II.
    """
    if geometry not in KP_THRESHOLDS:
        raise SpecificationError("geometry", geometry, "'slab', 'cylinder' or 'sphere'")
    fick, case2 = KP_THRESHOLDS[geometry]
    if not math.isfinite(n):
        return "undetermined"
    if n <= fick:
        return "Fickian diffusion" + (" (n below the Fickian limit)" if n < fick - 0.02 else "")
    if n < case2:
        return "anomalous (non-Fickian) transport"
    if n <= case2 + 0.02:
        return "case-II transport"
    return "super case-II transport"


def weibull_mechanism(beta: float) -> str:
    """Papadopoulou et al. 2006 (doi:10.1016/j.ijpharm.2005.11.009) reading of Weibull β.

    β ≤ 0.75 Fickian diffusion; 0.75 < β < 1 Fickian diffusion with case-II transport; β = 1
    exactly first-order kinetics (the Weibull function reduces to 1 − e^(−t/α)); β > 1 a complex
    mechanism.
    """
    if not math.isfinite(beta):
        return "undetermined"
    if beta <= 0.75:
        return "Fickian diffusion (β ≤ 0.75)"
    if beta < 1.0:
        return "Fickian diffusion with case-II transport (0.75 < β < 1)"
    if beta == 1.0:
        # β = 1 exactly: F = Fmax(1 − e^(−t/α)), the first-order (exponential) law
        return "first-order kinetics (β = 1: the Weibull function is first order)"
    return "complex mechanism (β > 1)"


@dataclass(frozen=True, slots=True)
class LogLinearKP:
    """Korsmeyer–Peppas by OLS of log10 F on log10 t: log10 F = log10 kKP + n·log10 t."""

    kkp: float
    n: float
    n_stderr: float
    n_ci: tuple[float, float]
    kkp_ci: tuple[float, float]
    r2: float
    points: int


def korsmeyer_peppas_loglinear(
    t_h: FloatArray, f_pct: FloatArray, ci_level: float = 0.95
) -> LogLinearKP:
    """Log-linear Korsmeyer–Peppas estimator (ordinary least squares, statsmodels).

    Parameters
    ----------
    t_h
        Times (h), positive.
    f_pct
        Cumulative release (%), positive and (by the caller's choice) at most 60 %.
    ci_level
        Confidence level.
    """
    t = np.asarray(t_h, dtype=float)
    f = np.asarray(f_pct, dtype=float)
    ok = (t > 0) & (f > 0)
    if np.unique(t[ok]).size < 3:
        raise SpecificationError(
            "data",
            f"{np.unique(t[ok]).size} distinct times with 0 < F",
            "at least 3 for the log-linear Korsmeyer–Peppas estimator",
        )
    x = sm.add_constant(np.log10(t[ok]))
    fit = sm.OLS(np.log10(f[ok]), x).fit()
    ci = np.asarray(fit.conf_int(alpha=1.0 - ci_level))
    return LogLinearKP(
        kkp=float(10 ** fit.params[0]),
        n=float(fit.params[1]),
        n_stderr=float(fit.bse[1]),
        n_ci=(float(ci[1, 0]), float(ci[1, 1])),
        kkp_ci=(float(10 ** ci[0, 0]), float(10 ** ci[0, 1])),
        r2=float(fit.rsquared),
        points=int(ok.sum()),
    )
