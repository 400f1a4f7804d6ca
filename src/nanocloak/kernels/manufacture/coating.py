"""Step 3 (coating): the distribution of coating degree per particle.

Mechanism
---------
During assembly each particle meets membrane in *productive events* arriving as a Poisson
process; particle *i* sees on average λ_i = λ̄·A_i/Ā events
(encounters scale with particle area). λ̄ is set by the process intensity
(see ``.processes``) times the membrane excess, and is capped so that the membrane put on
particles never exceeds the membrane supplied (area conservation).

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

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import poisson

FloatArray = NDArray[np.float64]
BETA_CONCENTRATION = 4.0
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
    rng: np.random.Generator,
) -> EventDraws:
    """Draw event arrival times, vesicle areas, resealing draws and patch spreads."""
    shape = (n_particles, max_events)
    arrivals = np.cumsum(rng.exponential(1.0, shape), axis=1)
    diameters = vesicle_median_nm * np.exp(np.log(vesicle_gsd) * rng.standard_normal(shape))
    alpha = BETA_CONCENTRATION * spread_mean
    beta = BETA_CONCENTRATION * (1.0 - spread_mean)
    return EventDraws(
        arrivals, np.pi * diameters**2, rng.random(shape), rng.beta(alpha, beta, shape)
    )


def coverage_for_rate(
    mean_events: float, areas_nm2: FloatArray, reseal_probability: float, draws: EventDraws
) -> FloatArray:
    """Coating degree of each particle for a mean event count ``mean_events`` per particle."""
    rates = mean_events * areas_nm2 / areas_nm2.mean()
    happened = draws.arrivals < rates[:, None]
    can_wrap = draws.vesicle_area_nm2 >= areas_nm2[:, None]
    wrapped = np.any(happened & can_wrap & (draws.reseal_draw < reseal_probability), axis=1)
    share = draws.spread * np.minimum(draws.vesicle_area_nm2 / areas_nm2[:, None], 1.0)
    log_uncovered = np.where(happened, np.log1p(-np.minimum(share, 1.0 - 1e-15)), 0.0)
    coverage: FloatArray = 1.0 - np.exp(log_uncovered.sum(axis=1))
    coverage[wrapped] = 1.0
    return coverage


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
        Share of the supplied membrane area that ended up on particles (0–1).
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
    """Coating degrees after assembly, with the membrane-area conservation cap.

    Parameters
    ----------
    intended_events
        Mean productive events per particle the process would give with unlimited membrane.
    areas_nm2
        Mid-plane area of each simulated particle (nm²).
    supplied_area_per_particle_nm2
        Membrane area supplied per particle (nm²); membrane on particles never exceeds it.
    reseal_probability
        Chance that an event with a large-enough vesicle ends in complete envelopment.
    draws
        Common random numbers from ``draw_events``.
    """

    def used(events: float) -> float:
        coverage = coverage_for_rate(events, areas_nm2, reseal_probability, draws)
        return float(np.mean(coverage * areas_nm2))

    supply = supplied_area_per_particle_nm2
    if used(intended_events) <= supply:
        events = intended_events
        limited = False
    else:
        low, high = 0.0, intended_events
        for _ in range(BISECTION_STEPS):
            middle = 0.5 * (low + high)
            low, high = (middle, high) if used(middle) <= supply else (low, middle)
        events = low
        limited = True
    coverage = coverage_for_rate(events, areas_nm2, reseal_probability, draws)
    share = float(np.mean(coverage * areas_nm2)) / supply if supply > 0 else 0.0
    return CoatingOutcome(coverage, events, limited, min(share, 1.0))


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
