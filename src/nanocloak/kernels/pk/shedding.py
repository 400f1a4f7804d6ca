r"""Coating shedding: the membrane's benefit decays while particles circulate.

The coating degree of a sub-population falls first-order in blood (membrane lipids and proteins
exchange with plasma and are stripped by shear; the protein corona replaces them):

.. math:: c(t) = c_0\,e^{-k_{shed} t}

so its phagocytic uptake rate, with the membrane layer's factors :math:`F(c)` on K_max and
:math:`L(c)` on K_50, is time-varying:

.. math:: r(t) = K_{max} F(c(t))\,\frac{t^n}{(K_{50} L(c(t)))^n + t^n}

The PBPK kernel's uptake law is Hill-in-time with constant parameters, and a particle cannot
move between sub-populations inside one batch solve; so the rate is *projected* onto the Hill
family (same n): :func:`effective_hill` finds multipliers (a, b) minimising
:math:`\int_0^T (r(t) - a K_{max} H(t; b K_{50}, n))^2 dt` and reports the relative L2 error of
the projection. Without shedding (:math:`k_{shed} = 0`) it returns :math:`(F(c_0), L(c_0))`
exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

RateFactors = Callable[[float], tuple[float, float]]


@dataclass(frozen=True, slots=True)
class HillProjection:
    """Multipliers of K_max and K_50 that best represent a shedding sub-population.

    ``k_max_factor`` and ``k_50_factor`` multiply the base-model values; ``relative_error`` is
    the relative L2 error of the projected rate over the window.
    """

    k_max_factor: float
    k_50_factor: float
    relative_error: float


def coverage_at(t_h: float, coverage: float, shedding_rate_per_h: float) -> float:
    """Coating degree after ``t_h`` hours in blood, :math:`c_0 e^{-k t}`.

    Parameters
    ----------
    t_h
        Time in blood, h (>= 0).
    coverage
        c_0, coating degree at injection (0–1).
    shedding_rate_per_h
        k_shed, 1/h (>= 0).
    """
    if t_h < 0.0 or shedding_rate_per_h < 0.0 or not 0.0 <= coverage <= 1.0:
        raise ValueError("need t_h >= 0, shedding_rate_per_h >= 0 and coverage in [0, 1]")
    return coverage * math.exp(-shedding_rate_per_h * t_h)


def _hill(t: np.ndarray, k_max: float, k_50: float, n: float) -> np.ndarray:
    tn = t**n
    return np.asarray(k_max * tn / (k_50**n + tn), dtype=float)


def effective_hill(
    factors: RateFactors,
    coverage: float,
    shedding_rate_per_h: float,
    k_max_per_h: float,
    k_50_h: float,
    hill_n: float,
    window_h: float,
    n_points: int = 400,
) -> HillProjection:
    r"""Project the shedding sub-population's uptake rate onto the Hill-in-time law.

    Parameters
    ----------
    factors
        c ↦ (F(c), L(c)), the membrane layer's multipliers of K_max and K_50 at coating c.
    coverage
        c_0 at injection (0–1).
    shedding_rate_per_h
        k_shed, 1/h (>= 0); 0 returns the static factors exactly.
    k_max_per_h, k_50_h, hill_n
        The organ's base-model Hill law: K_max (1/h), K_50 (h), n.
    window_h
        T, the simulated window, h (> 0).
    n_points
        Points of the uniform time grid of the projection.
    """
    static = factors(coverage)
    if shedding_rate_per_h == 0.0 or coverage == 0.0:
        return HillProjection(static[0], static[1], 0.0)
    if window_h <= 0.0 or k_max_per_h <= 0.0 or k_50_h <= 0.0:
        raise ValueError("need window_h, k_max_per_h and k_50_h > 0")
    t = np.linspace(window_h / n_points, window_h, n_points)
    target = np.empty_like(t)
    for i, ti in enumerate(t):
        f, lag = factors(coverage_at(float(ti), coverage, shedding_rate_per_h))
        target[i] = _hill(ti, k_max_per_h * f, k_50_h * lag, hill_n)
    scale = float(np.sqrt(np.mean(target**2))) or 1.0

    def residual(x: np.ndarray) -> np.ndarray:
        return (
            _hill(t, k_max_per_h * math.exp(x[0]), k_50_h * math.exp(x[1]), hill_n) - target
        ) / scale

    start = np.log(np.maximum(static, 1e-6))
    fit = least_squares(residual, start, method="lm", xtol=1e-12, ftol=1e-12)
    a, b = (float(math.exp(v)) for v in fit.x)
    error = float(np.sqrt(np.mean(fit.fun**2)))
    return HillProjection(a, b, error)
