r"""Lung metastasis: expected nodules seeded by the viable primary tumor, and a Poisson count.

Iwata et al. (J Theor Biol 2000;203:177, doi:10.1006/jtbi.2000.1075) let a primary tumor of
x cells seed metastatic colonies at the rate :math:`\beta(x) = m x^\alpha`, with the
fractal exponent α (2/3 for seeding from the surface of a sphere). On volumes (mm³) the
expected number of colonies founded by time t is

.. math:: \Lambda(t) = \int_0^t m\, V(s)^\alpha\, ds

with the *viable* primary volume V (dead tissue does not seed). A colony founded at s is
counted as a visible lung nodule at t when it has had the detection delay
:math:`t_\mathrm{det}` to grow, so the expected visible count is
:math:`N(t) = \Lambda(t - t_\mathrm{det})`, and the observed count is Poisson with that mean.
Treatment lowers the count by shrinking the viable primary early, which is the mechanism
behind "no lung nodules" after laser-triggered RMSN-Dox/Ce6 in the review.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray

__all__ = ["expected_lung_nodules", "poisson_nodule_count", "seeding_rate_per_day"]


def seeding_rate_per_day(
    viable_mm3: FloatArray, seeding_coefficient: float, alpha: float
) -> FloatArray:
    r"""Seeding rate :math:`m V^\alpha` (colonies/day).

    Parameters
    ----------
    viable_mm3
        Viable primary volume (mm³), any shape.
    seeding_coefficient
        m (colonies per day per mm³^α).
    alpha
        Exponent α (dimensionless).
    """
    v = np.maximum(np.asarray(viable_mm3, dtype=float), 0.0)
    if seeding_coefficient < 0.0 or alpha < 0.0:
        raise ValueError("seeding_coefficient and alpha must be non-negative")
    return np.asarray(seeding_coefficient * v**alpha, dtype=float)


def expected_lung_nodules(
    t_day: FloatArray,
    viable_mm3: FloatArray,
    seeding_coefficient: float,
    alpha: float,
    *,
    detection_delay_day: float = 0.0,
) -> FloatArray:
    """Expected visible lung nodules over time, shape (n, nt).

    The seeding rate is integrated by the trapezoid rule on the grid, then shifted by the
    detection delay (linear interpolation).

    Parameters
    ----------
    t_day
        Times (day), shape (nt,), increasing.
    viable_mm3
        Viable primary volume (mm³), shape (n, nt).
    seeding_coefficient
        m (colonies per day per mm³^α).
    alpha
        Exponent α.
    detection_delay_day
        Time a colony needs to become a visible nodule (day).
    """
    t = np.asarray(t_day, dtype=float)
    v = np.atleast_2d(np.asarray(viable_mm3, dtype=float))
    if v.shape[1] != t.size:
        raise ValueError("viable_mm3 must have shape (n, nt) matching t_day")
    if detection_delay_day < 0.0:
        raise ValueError("detection_delay_day must be non-negative")
    rate = seeding_rate_per_day(v, seeding_coefficient, alpha)
    steps = 0.5 * (rate[:, 1:] + rate[:, :-1]) * np.diff(t)[None, :]
    seeded = np.concatenate([np.zeros((v.shape[0], 1)), np.cumsum(steps, axis=1)], axis=1)
    shifted = t - detection_delay_day
    return np.stack([np.interp(shifted, t, row, left=0.0) for row in seeded])


def poisson_nodule_count(expected: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Observed nodule counts, Poisson with the expected counts (same shape, as floats).

    Parameters
    ----------
    expected
        Expected counts (>= 0).
    rng
        Seeded numpy Generator (the study's random stream).
    """
    lam = np.asarray(expected, dtype=float)
    if np.any(lam < 0.0):
        raise ValueError("expected counts must be non-negative")
    return np.asarray(rng.poisson(lam), dtype=float)
