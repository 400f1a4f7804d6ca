"""Virtual animals: per-animal multiplicative factors drawn from the study's named distributions.

Common random numbers: virtual animal *i* is the same animal in every group — each variable
parameter draws its factors from its own stream seeded by the study seed and the parameter's
name, and a group of *n* animals takes the first *n* of them. Differences between groups then
come from what the groups receive, not from which animals they happened to get (a paired
virtual design); adding, removing or reordering groups, or giving another parameter a
distribution, changes no animal. Parameters without a distribution get factor 1. Each group
also has its own generator (seeded by the study seed and its name) for its remaining randomness
(e.g. nodule counts).
"""

from __future__ import annotations

import zlib

import numpy as np

from nanocloak.domain.study import VARIABLE_PARAMETERS, StudySpec, Variation
from nanocloak.kernels.arrays import FloatArray

MIN_NORMAL_FACTOR = 0.05


def _name_key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def group_generator(spec: StudySpec, index: int) -> np.random.Generator:
    """The random generator of group ``index``, seeded by the study seed and the group's name."""
    return np.random.default_rng([spec.seed, _name_key(spec.groups[index].name)])


def draw_factor(variation: Variation, n: int, rng: np.random.Generator) -> FloatArray:
    """``n`` multiplicative factors from one named distribution (median or mean 1)."""
    if variation.distribution == "lognormal":
        return np.exp(rng.normal(0.0, variation.log_sd, n))
    if variation.distribution == "normal":
        return np.maximum(rng.normal(1.0, variation.cv or 0.0, n), MIN_NORMAL_FACTOR)
    low, high = float(variation.low or 1.0), float(variation.high or 1.0)
    return rng.uniform(low, high, n)


def draw_factors(spec: StudySpec, n: int) -> dict[str, FloatArray]:
    """Every variable parameter's factors for animals 0…n−1 (the same animals in every group)."""
    out: dict[str, FloatArray] = {}
    for name in sorted(VARIABLE_PARAMETERS):
        variation = spec.variability.get(name)
        stream = np.random.default_rng([spec.seed, _name_key(name)])
        out[name] = np.ones(n) if variation is None else draw_factor(variation, n, stream)
    return out
