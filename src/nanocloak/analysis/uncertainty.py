"""Uncertain numbers (``uncertainties``) and the ``Estimate`` built from one; the shared line fit.

- :func:`uncertain`, :func:`nominal`, :func:`stderr`: make and read ``uncertainties`` numbers
  (plain floats pass through with SE 0).
- :func:`estimate_from_ufloat`: the one constructor of an ``Estimate`` from such a number, with
  its SE and a normal (``dof=None``) or Student-t (``dof`` given) confidence interval.
- :func:`fit_line`: ordinary least-squares line (statsmodels OLS) with its intercept and slope as
  correlated ``uncertainties`` numbers and t confidence intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy import stats
from uncertainties import correlated_values, ufloat

from nanocloak.kernels.arrays import FloatArray
from nanocloak.results.analysis import Estimate


def uncertain(value: float, sd: float) -> Any:
    """An ``uncertainties`` number, or the plain float when ``sd`` is 0 (no spurious warning)."""
    return ufloat(value, sd) if sd > 0 else float(value)


def nominal(value: Any) -> float:
    """Nominal value of an ``uncertainties`` number or a float."""
    return float(getattr(value, "nominal_value", value))


def stderr(value: Any) -> float:
    """Standard deviation of an ``uncertainties`` number (0 for a float)."""
    return float(getattr(value, "std_dev", 0.0))


def estimate_from_ufloat(
    name: str,
    value: Any,
    unit: str,
    level: float = 0.95,
    dof: float | None = None,
    *,
    label: str = "",
    note: str = "",
    scale: float = 1.0,
    with_ci: bool = True,
) -> Estimate:
    """An ``Estimate`` from an ``uncertainties`` number (or a float: no SE, no CI).

    Parameters
    ----------
    name, unit, label, note
        Copied into the estimate (``unit`` is that of ``value × scale``).
    value
        The number; its ``std_dev`` is the standard error (non-finite or 0: none).
    level
        Confidence level of the interval.
    dof
        Degrees of freedom of a Student-t interval ``value ± t(dof)·SE``; a normal interval
        ``value ± z·SE`` if None.
    scale
        Factor applied to value and SE (a unit conversion).
    with_ci
        False to report the SE only.
    """
    mid = scale * nominal(value)
    se = abs(scale) * stderr(value)
    if not (math.isfinite(se) and se > 0):
        return Estimate(name, mid, unit, None, None, level, label, note)
    ci = None
    if with_ci:
        quantile = 0.5 + level / 2.0
        crit = float(stats.norm.ppf(quantile) if dof is None else stats.t.ppf(quantile, dof))
        ci = (mid - crit * se, mid + crit * se)
    return Estimate(name, mid, unit, se, ci, level, label, note)


@dataclass(frozen=True, slots=True)
class LineFit:
    """An OLS line ``y = intercept + slope·x``.

    ``intercept`` and ``slope`` are correlated ``uncertainties`` numbers (plain floats when the
    covariance is not estimable, e.g. two points); ``intercept_ci`` and ``slope_ci`` are t
    intervals (n − 2 degrees of freedom) at the level asked for; ``n`` the points used.
    """

    intercept: Any
    slope: Any
    intercept_ci: tuple[float, float]
    slope_ci: tuple[float, float]
    n: int


def fit_line(x: FloatArray, y: FloatArray, level: float = 0.95) -> LineFit | None:
    """Ordinary least-squares line through the finite ``(x, y)`` pairs (statsmodels OLS).

    Returns None when fewer than two finite points remain or ``x`` does not vary.

    Parameters
    ----------
    x, y
        Abscissa and ordinate (any units; the slope is in y-unit per x-unit).
    level
        Level of the t confidence intervals.
    """
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[ok], ya[ok]
    if xa.size < 2 or np.ptp(xa) == 0:
        return None
    fit = sm.OLS(ya, sm.add_constant(xa, has_constant="add")).fit()
    params = np.asarray(fit.params, dtype=float)
    with np.errstate(all="ignore"):
        cov = np.asarray(fit.cov_params(), dtype=float)
        ci = np.asarray(fit.conf_int(alpha=1 - level), dtype=float)
    if np.all(np.isfinite(cov)) and cov[0, 0] > 0 and cov[1, 1] > 0:
        intercept, slope = correlated_values(params, cov)
    else:
        intercept, slope = float(params[0]), float(params[1])
    return LineFit(
        intercept,
        slope,
        (float(ci[0, 0]), float(ci[0, 1])),
        (float(ci[1, 0]), float(ci[1, 1])),
        int(xa.size),
    )


__all__ = [
    "LineFit",
    "estimate_from_ufloat",
    "fit_line",
    "nominal",
    "stderr",
    "uncertain",
]
