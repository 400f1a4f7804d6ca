"""Virtual animals: per-animal multiplicative factors drawn from the study's named distributions.

Each group draws from its own generator seeded by ``(study seed, group index)``, so a group's
animals do not change when another group is added, removed or resumed from a checkpoint.
Parameters without a distribution get factor 1 (the nominal animal).
"""

from __future__ import annotations

import numpy as np

from nanocloak.domain.study import VARIABLE_PARAMETERS, StudySpec, Variation
from nanocloak.kernels.arrays import FloatArray

MIN_NORMAL_FACTOR = 0.05


def group_generator(spec: StudySpec, index: int) -> np.random.Generator:
    """The random generator of group ``index`` (independent streams per group)."""
    return np.random.default_rng([spec.seed, index])


def draw_factor(variation: Variation, n: int, rng: np.random.Generator) -> FloatArray:
    """``n`` multiplicative factors from one named distribution (median or mean 1)."""
    if variation.distribution == "lognormal":
        return np.exp(rng.normal(0.0, variation.log_sd, n))
    if variation.distribution == "normal":
        return np.maximum(rng.normal(1.0, variation.cv or 0.0, n), MIN_NORMAL_FACTOR)
    low, high = float(variation.low or 1.0), float(variation.high or 1.0)
    return rng.uniform(low, high, n)


def draw_factors(spec: StudySpec, n: int, rng: np.random.Generator) -> dict[str, FloatArray]:
    """Every variable parameter's factors for ``n`` animals, in a fixed order."""
    out: dict[str, FloatArray] = {}
    for name in sorted(VARIABLE_PARAMETERS):
        variation = spec.variability.get(name)
        out[name] = np.ones(n) if variation is None else draw_factor(variation, n, rng)
    return out
