"""Phagocytic uptake-rate laws of the nanoparticle PBPK model (research note pbpk.md §2.4).

All rates are in 1/h. ``tau_h`` is the time on the uptake clock: time since the latest dose
(per-dose clock) or since the first dose (the published code's absolute clock).
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray

NONE, HILL, CAPACITY, CONSTANT = 0, 1, 2, 3
LAW_CODES = {"none": NONE, "hill": HILL, "capacity": CAPACITY, "constant": CONSTANT}


def hill_in_time(
    tau_h: float, k_max_per_h: FloatArray, k50_h: FloatArray, hill_n: FloatArray
) -> FloatArray:
    r"""Hill-in-time uptake rate (Lin 2016; Cheng 2020).

    .. math:: K_{up}(\tau) = K_{max}\,\tau^n / (K_{50}^n + \tau^n)

    Parameters
    ----------
    tau_h
        Time on the uptake clock, h (>= 0).
    k_max_per_h
        Maximum uptake rate constant, 1/h.
    k50_h
        Time to half-maximal uptake rate, h.
    hill_n
        Hill coefficient (dimensionless).
    """
    if tau_h <= 0.0:
        return np.zeros_like(k_max_per_h)
    # tau^n / (K50^n + tau^n) = 1 / (1 + (K50/tau)^n); an overflow to inf correctly gives 0
    with np.errstate(over="ignore"):
        return np.asarray(k_max_per_h / (1.0 + (k50_h / tau_h) ** hill_n), dtype=float)


def capacity_limited(
    k_max_per_h: FloatArray, res_mg: FloatArray, capacity_mg: FloatArray
) -> FloatArray:
    r"""Capacity-limited uptake rate (Chou 2022), clipped at zero when full.

    .. math:: K_{up} = K_{max}\,\max(0, 1 - A_{RES}/A_{cap})

    Parameters
    ----------
    k_max_per_h
        Maximum uptake rate constant, 1/h.
    res_mg
        Amount in the phagocytic cells, mg.
    capacity_mg
        Uptake capacity, mg (capacity in µg/g times tissue mass in kg).
    """
    return k_max_per_h * np.maximum(0.0, 1.0 - res_mg / capacity_mg)


def capacity_slope(
    k_max_per_h: FloatArray, res_mg: FloatArray, capacity_mg: FloatArray
) -> FloatArray:
    """d K_up / d A_RES of the capacity-limited law, 1/(h·mg); zero once the cells are full."""
    return np.where(res_mg < capacity_mg, -k_max_per_h / capacity_mg, 0.0)
