"""Step 3 (coating): the distribution of coating degree per particle.

Mechanism
---------
During assembly each particle meets membrane in *productive events* arriving as a Poisson
process; particle *i* sees on average λ_i = λ̄·A_i/Ā events
(encounters scale with particle area). λ̄ is the process intensity (see
``nanocloak.kernels.manufacture.assembly``) times the chance that a vesicle is at hand
(``vesicle_availability``), capped so that the membrane consumed on particles never exceeds
the membrane supplied (conservation).

In an event a vesicle of diameter ``d_v`` (log-normal) meets the particle:

* **complete envelopment** — possible only if the vesicle's area covers the particle's mid-plane
  area (π·d_v² ≥ A_i); it then happens with the method's resealing probability;
  the particle is fully coated (coating degree *c* = 1);
* otherwise the vesicle ruptures into a **partial patch** covering
  s = u·min(1, π·d_v²/A_i) of the particle, where u ~ Beta is
  the share of the particle the patch spreads over before its edges stall (a vesicle smaller
  than the particle covers proportionally less); patches land at random, so after patches
  ``s_1..s_k`` the coating degree is 1 − Π(1 − s_j).

So completeness depends on how often the process drives envelopment (electroporation reseals
porated vesicles around entered particles; extrusion and sonication mostly tear and spread),
on vesicle size against particle size, and on how much membrane is supplied — the reason up to
90 % of extruded or sonicated particles are only partially coated (Liu 2021).

Random numbers are drawn once (common random numbers), so coverage is monotone in
λ̄ and the conservation cap is found by bisection. Units: nm, nm².
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

from nanocloak.kernels.arrays import FloatArray

BISECTION_STEPS = 40


@dataclass(frozen=True, slots=True)
class EventDraws:
    """Pre-drawn randomness for ``n`` particles × ``k`` events (common random numbers)."""

    arrivals: FloatArray
    vesicle_area_nm2: FloatArray
    reseal_draw: FloatArray
    spread: FloatArray


def draw_events(
    n_particles: int,
    max_events: int,
    vesicle_median_nm: float,
    vesicle_gsd: float,
    spread_mean: float,
    spread_concentration: float,
    rng: np.random.Generator,
) -> EventDraws:
    """Draw event arrival times, vesicle areas (nm²), resealing draws and patch spreads.

    Patch spreads are Beta-distributed with mean ``spread_mean`` and concentration
    (α + β) ``spread_concentration``; vesicle diameters are log-normal (nm).
    """
    shape = (n_particles, max_events)
    arrivals = np.cumsum(rng.exponential(1.0, shape), axis=1)
    diameters = vesicle_median_nm * np.exp(np.log(vesicle_gsd) * rng.standard_normal(shape))
    alpha = spread_concentration * spread_mean
    beta = spread_concentration * (1.0 - spread_mean)
    return EventDraws(
        arrivals, np.pi * diameters**2, rng.random(shape), rng.beta(alpha, beta, shape)
    )


@dataclass(frozen=True, slots=True)
class Coverage:
    """Coating degree (0–1) and membrane area consumed (nm²) of each particle."""

    degree: FloatArray
    consumed_nm2: FloatArray


def coverage_for_rate(
    mean_events: float, areas_nm2: FloatArray, reseal_probability: float, draws: EventDraws
) -> Coverage:
    """Coating degree and membrane consumed per particle for ``mean_events`` per particle.

    Events before a particle's first envelopment add patches (each consumes the membrane it
    spreads, overlapping or not); the enveloping vesicle is consumed whole; later events find
    a coated particle and are not counted.
    """
    rates = mean_events * areas_nm2 / areas_nm2.mean()
    happened = draws.arrivals < rates[:, None]
    wraps = (
        happened
        & (draws.vesicle_area_nm2 >= areas_nm2[:, None])
        & (draws.reseal_draw < reseal_probability)
    )
    wrapped = wraps.any(axis=1)
    first_wrap = np.where(wrapped, wraps.argmax(axis=1), wraps.shape[1])
    before_wrap = np.arange(wraps.shape[1])[None, :] < first_wrap[:, None]
    patches = happened & before_wrap
    share = draws.spread * np.minimum(draws.vesicle_area_nm2 / areas_nm2[:, None], 1.0)
    log_uncovered = np.where(patches, np.log1p(-np.minimum(share, 1.0 - 1e-15)), 0.0)
    degree: FloatArray = 1.0 - np.exp(log_uncovered.sum(axis=1))
    degree[wrapped] = 1.0
    consumed: FloatArray = np.where(patches, share, 0.0).sum(axis=1) * areas_nm2
    rows = np.flatnonzero(wrapped)
    consumed[rows] += draws.vesicle_area_nm2[rows, first_wrap[rows]]
    return Coverage(degree, consumed)


@dataclass(frozen=True, slots=True)
class CoatingOutcome:
    """Per-particle coating degrees and whether the membrane supply capped them.

    Attributes
    ----------
    coverage
        Coating degree of each simulated particle (0–1).
    mean_events
        Mean productive events per particle actually reached.
    supply_limited
        True when the membrane supplied, not the process, limited coating.
    membrane_used_share
        Share of the supplied membrane area consumed on particles (0–1).
    """

    coverage: FloatArray
    mean_events: float
    supply_limited: bool
    membrane_used_share: float


def coat(
    intended_events: float,
    areas_nm2: FloatArray,
    supplied_area_per_particle_nm2: float,
    reseal_probability: float,
    draws: EventDraws,
) -> CoatingOutcome:
    """Coating degrees after assembly, with the membrane conservation cap.

    Parameters
    ----------
    intended_events
        Mean productive events per particle the process would give with unlimited membrane.
    areas_nm2
        Mid-plane area of each simulated particle (nm²).
    supplied_area_per_particle_nm2
        Membrane area supplied per particle (nm²); membrane consumed never exceeds it.
    reseal_probability
        Chance that an event with a large-enough vesicle ends in complete envelopment.
    draws
        Common random numbers from ``draw_events``.
    """

    def consumed(events: float) -> float:
        return float(
            coverage_for_rate(events, areas_nm2, reseal_probability, draws).consumed_nm2.mean()
        )

    supply = supplied_area_per_particle_nm2
    if consumed(intended_events) <= supply:
        events = intended_events
        limited = False
    else:
        low, high = 0.0, intended_events
        for _ in range(BISECTION_STEPS):
            middle = 0.5 * (low + high)
            low, high = (middle, high) if consumed(middle) <= supply else (low, middle)
        events = low
        limited = True
    result = coverage_for_rate(events, areas_nm2, reseal_probability, draws)
    share = float(result.consumed_nm2.mean()) / supply if supply > 0 else 0.0
    return CoatingOutcome(result.degree, events, limited, min(share, 1.0))


def analytic_coverage_pmf(
    mean_events: float, wrap_probability: float, patch_share: float, max_patches: int
) -> tuple[FloatArray, FloatArray]:
    """Exact coverage distribution for equal particles, constant patch share and wrap chance.

    Events are Poisson(λ); each wraps with probability *w*, else adds a patch of share *s*.
    P(c = 1 by wrapping) = 1 − e^{−λw}; otherwise k ~ Poisson(λ(1−w)) patches give
    c = 1 − (1−s)^k. Returns (coverage levels, probabilities), last level the wrapped one.
    """
    patches = np.arange(max_patches + 1)
    unwrapped = np.exp(-mean_events * wrap_probability)
    pmf = unwrapped * poisson.pmf(patches, mean_events * (1.0 - wrap_probability))
    levels = 1.0 - (1.0 - patch_share) ** patches
    return (np.append(levels, 1.0), np.append(pmf, 1.0 - unwrapped))


def vesicle_availability(excess_ratio: float) -> float:
    """Chance that a vesicle is at hand when a particle could fuse: 1 − e^(−R).

    Vesicles meet particles as a Poisson process whose mean scales with the membrane supplied
    per particle area (the excess R), so scarce membrane starves coating and excess saturates
    it — the kinetic side; membrane conservation (``coat``) is the hard limit.
    """
    return 1.0 - math.exp(-excess_ratio)
