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

from nanocloak.kernels.manufacture.sizing import PAIR_DIAMETER_FACTOR

FloatArray = NDArray[np.float64]


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

    ``diameters_nm`` are single-particle sizes (nm); ``already_paired`` marks particles that
    left assembly in a pair: they stay paired.
    """
    function = initial_function * 0.5 ** (days / half_life_days)
    pair_probability = 1.0 - np.exp(-pairing_rate_per_day * np.outer(days, 1.0 - coverage))
    pair_probability[:, already_paired] = 1.0
    paired = pair_probability.mean(axis=1)
    growth = 1.0 + (PAIR_DIAMETER_FACTOR - 1.0) * pair_probability
    mean_diameter = (growth * diameters_nm[None, :]).mean(axis=1)
    return StorageOutcome(days, function, paired, mean_diameter)


def shelf_life_days(outcome: StorageOutcome, function_share: float, size_growth: float) -> float:
    """First day on which protein function falls below ``function_share`` of its initial value
    or the mean size has grown by more than ``size_growth`` (relative); the last day if never.
    """
    function_ok = outcome.protein_function >= function_share * outcome.protein_function[0]
    size_ok = outcome.mean_diameter_nm <= (1.0 + size_growth) * outcome.mean_diameter_nm[0]
    failing = np.flatnonzero(~(function_ok & size_ok))
    return float(outcome.days[failing[0]] if failing.size else outcome.days[-1])
