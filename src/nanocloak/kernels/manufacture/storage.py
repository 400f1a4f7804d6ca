"""Storage at 4 °C: loss of membrane-protein function and colloidal stability over days.

Protein function decays first-order with a half-life ``t½``. Particles pair at a rate
proportional to their uncoated area share, ``k (1 - c_i)``, so fully coated particles stay
single (Hu 2011: coated particles do not aggregate; bare ones do). The mean hydrodynamic size
grows as pairs (volume-equivalent diameter ``2^(1/3)·d``) replace singles. Units: days, nm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.manufacture.sizing import PAIR_DIAMETER_FACTOR


@dataclass(frozen=True, slots=True)
class StorageOutcome:
    """Time courses over ``days``: protein function (0–1), paired share, mean size (nm)."""

    days: FloatArray
    protein_function: FloatArray
    paired_share: FloatArray
    mean_diameter_nm: FloatArray


def store_cold(
    days: FloatArray,
    initial_function: float,
    half_life_days: float,
    coverage: FloatArray,
    diameters_nm: FloatArray,
    pairing_rate_per_day: float,
    already_paired: NDArray[np.bool_],
) -> StorageOutcome:
    """Protein function and aggregation of the coated particles stored at 4 °C.

    Parameters
    ----------
    days
        Times to report (d).
    initial_function
        Protein function at manufacture (share of native).
    half_life_days
        Half-life of protein function at 4 °C (d).
    coverage, diameters_nm
        Coating degree and single-particle hydrodynamic diameter (nm) of each particle.
    pairing_rate_per_day
        Pairing rate of a fully bare particle at the storage concentration (1/d).
    already_paired
        Particles that left assembly in a pair; they stay paired.
    """
    function = initial_function * 0.5 ** (days / half_life_days)
    pair_probability = 1.0 - np.exp(-pairing_rate_per_day * np.outer(days, 1.0 - coverage))
    pair_probability[:, already_paired] = 1.0
    # a pair is one object of volume-equivalent diameter 2^(1/3)·d: count objects, not members
    objects = (1.0 - pair_probability).sum(axis=1) + 0.5 * pair_probability.sum(axis=1)
    total = ((1.0 - pair_probability) * diameters_nm).sum(axis=1) + (
        0.5 * PAIR_DIAMETER_FACTOR * pair_probability * diameters_nm
    ).sum(axis=1)
    return StorageOutcome(days, function, pair_probability.mean(axis=1), total / objects)


def shelf_life_days(outcome: StorageOutcome, function_share: float, size_growth: float) -> float:
    """Days a product stays within specification at 4 °C (d).

    A product whose protein function at manufacture is already below ``function_share`` of the
    native membrane's fails release: 0 d. Otherwise it lasts until its function falls below
    ``function_share`` of its value at manufacture or its mean size grows by more than
    ``size_growth``; a product that never fails gets the last simulated day.
    """
    if outcome.protein_function[0] < function_share:
        return 0.0
    function_ok = outcome.protein_function >= function_share * outcome.protein_function[0]
    size_ok = outcome.mean_diameter_nm <= (1.0 + size_growth) * outcome.mean_diameter_nm[0]
    failing = np.flatnonzero(~(function_ok & size_ok))
    return float(outcome.days[failing[0]] if failing.size else outcome.days[-1])
