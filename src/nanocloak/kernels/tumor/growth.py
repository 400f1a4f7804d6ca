r"""Unperturbed tumor growth laws: growth rate g(V) and their closed-form solutions.

Volumes are in mm³ and times in days; the batch axis is the animal. Three laws are offered
(Benzekry et al., *PLoS Comput Biol* 2014;10:e1003800, doi:10.1371/journal.pcbi.1003800,
compare them on mouse data):

.. math::

    g_\mathrm{exp}(V) = r V, \qquad
    g_\mathrm{log}(V) = r V \left(1 - \frac{V}{K}\right), \qquad
    g_\mathrm{Gomp}(V) = r V \ln\frac{K}{V}

with the rate ``r`` (1/day) and the carrying capacity ``K`` (mm³, unused by the exponential
law). Closed forms for a constant growth multiplier ``m`` (``r → m r``):

.. math::

    V_\mathrm{exp}(t) = V_0 e^{r t}, \quad
    V_\mathrm{log}(t) = \frac{K}{1 + (K/V_0 - 1) e^{-r t}}, \quad
    V_\mathrm{Gomp}(t) = K \exp\!\left[\ln\frac{V_0}{K}\, e^{-r t}\right].

The Gompertz ``r`` is the decay rate of the specific growth rate, not the specific growth
rate itself: at volume V the tumor grows by :math:`r \ln(K/V)` per day, so its local volume
doubling time is :math:`\ln 2 / (r \ln(K/V))` (see :func:`gompertz_rate_from_doubling`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from nanocloak.kernels.arrays import FloatArray

__all__ = [
    "LAWS",
    "GrowthLaw",
    "GrowthParams",
    "analytic_volume",
    "gompertz_rate_from_doubling",
    "growth_rate_mm3_per_day",
    "specific_growth_rate_per_day",
]

GrowthLaw = Literal["gompertz", "logistic", "exponential"]
LAWS: tuple[str, ...] = ("gompertz", "logistic", "exponential")


@dataclass(frozen=True, slots=True)
class GrowthParams:
    """Growth law and its per-animal parameters.

    Attributes
    ----------
    law
        ``"gompertz"``, ``"logistic"`` or ``"exponential"``.
    rate_per_day
        Rate ``r`` (1/day), shape (n,).
    capacity_mm3
        Carrying capacity ``K`` (mm³), shape (n,); ignored by the exponential law.
    """

    law: str
    rate_per_day: FloatArray
    capacity_mm3: FloatArray

    def __post_init__(self) -> None:
        if self.law not in LAWS:
            raise ValueError(f"growth law must be one of {LAWS}; got {self.law!r}")
        rate = np.atleast_1d(np.asarray(self.rate_per_day, dtype=float))
        capacity = np.broadcast_to(
            np.atleast_1d(np.asarray(self.capacity_mm3, dtype=float)), rate.shape
        ).copy()
        if np.any(rate < 0.0) or not np.all(np.isfinite(rate)):
            raise ValueError("rate_per_day must be finite and non-negative")
        if self.law != "exponential" and np.any(capacity <= 0.0):
            raise ValueError("capacity_mm3 must be positive for the gompertz and logistic laws")
        object.__setattr__(self, "rate_per_day", rate)
        object.__setattr__(self, "capacity_mm3", capacity)

    @property
    def n(self) -> int:
        """Number of animals."""
        return int(self.rate_per_day.size)


def specific_growth_rate_per_day(volume_mm3: FloatArray, params: GrowthParams) -> FloatArray:
    """Specific growth rate ``g(V)/V`` (1/day) at ``volume_mm3`` (mm³), shape (n,) or (n, ...).

    Zero at and above the capacity for the logistic law; the Gompertz rate turns negative
    above ``K`` (the tumor shrinks back towards ``K``).
    """
    v = np.maximum(np.asarray(volume_mm3, dtype=float), 1e-300)
    extra = (1,) * (v.ndim - 1)
    r = params.rate_per_day.reshape((-1, *extra))
    k = params.capacity_mm3.reshape((-1, *extra))
    if params.law == "exponential":
        return np.asarray(r * np.ones_like(v), dtype=float)
    if params.law == "logistic":
        return np.asarray(r * (1.0 - v / k), dtype=float)
    return np.asarray(r * np.log(k / v), dtype=float)


def growth_rate_mm3_per_day(volume_mm3: FloatArray, params: GrowthParams) -> FloatArray:
    """Growth rate ``g(V)`` (mm³/day) of viable volume ``volume_mm3`` (mm³); ``g(0) = 0``."""
    v = np.maximum(np.asarray(volume_mm3, dtype=float), 0.0)
    return np.asarray(v * specific_growth_rate_per_day(v, params), dtype=float)


def analytic_volume(
    t_day: FloatArray, volume0_mm3: FloatArray, params: GrowthParams, multiplier: float = 1.0
) -> FloatArray:
    """Closed-form volume (mm³), shape (n, nt), for a constant growth multiplier.

    Parameters
    ----------
    t_day
        Times since the start (day), shape (nt,).
    volume0_mm3
        Volume at ``t = 0`` (mm³), shape (n,).
    params
        Growth law and parameters.
    multiplier
        Constant growth multiplier ``m`` (the rate becomes ``m r``).
    """
    t = np.asarray(t_day, dtype=float)[None, :]
    v0 = np.asarray(volume0_mm3, dtype=float)[:, None]
    r = multiplier * params.rate_per_day[:, None]
    k = params.capacity_mm3[:, None]
    if params.law == "exponential":
        return np.asarray(v0 * np.exp(r * t), dtype=float)
    if params.law == "logistic":
        return np.asarray(k / (1.0 + (k / v0 - 1.0) * np.exp(-r * t)), dtype=float)
    return np.asarray(k * np.exp(np.log(v0 / k) * np.exp(-r * t)), dtype=float)


def gompertz_rate_from_doubling(
    doubling_time_day: FloatArray | float,
    capacity_mm3: FloatArray | float,
    reference_volume_mm3: FloatArray | float,
) -> FloatArray:
    r"""Gompertz rate (1/day) that gives a volume doubling time at a reference volume.

    .. math:: r = \frac{\ln 2}{T_d \ln(K / V_\mathrm{ref})}

    Parameters
    ----------
    doubling_time_day
        Local volume doubling time (day) at ``reference_volume_mm3``.
    capacity_mm3
        Carrying capacity K (mm³), above the reference volume.
    reference_volume_mm3
        Volume (mm³) at which the doubling time was measured.
    """
    td = np.asarray(doubling_time_day, dtype=float)
    k = np.asarray(capacity_mm3, dtype=float)
    v = np.asarray(reference_volume_mm3, dtype=float)
    if np.any(k <= v):
        raise ValueError("capacity_mm3 must exceed reference_volume_mm3")
    return np.asarray(np.log(2.0) / (td * np.log(k / v)), dtype=float)
