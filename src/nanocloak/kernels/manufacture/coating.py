"""Step 3 (coating): the distribution of coating degree per particle.

Mechanism
---------
During assembly each particle meets membrane in *productive events* arriving as a Poisson
process; particle *i* sees on average λ_i = λ̄·A_i/Ā events
(encounters scale with particle area). λ̄ follows mass action with depletion
(``productive_events``): the membrane supplied per particle comes as n membrane pieces
(``membrane_pieces_per_particle``: vesicles, or particle-sized shares of vesicles larger than
the particle), and the process brings each piece into a productive event with a particle with
probability 1 − e^(−κ) (``vesicle_capture``), κ being the method's intensity per piece (see
``nanocloak.kernels.manufacture.assembly``). So λ̄ = n·(1 − e^(−κ)): with membrane in excess
every particle meets many pieces and a bare core is rare (e^(−λ̄)); with scarce membrane λ̄
is small. The membrane consumed on particles is capped at the membrane supplied
(conservation).

In an event a vesicle of diameter ``d_v`` (log-normal) meets the particle:

* **complete envelopment** — possible only if the vesicle's area covers the particle's mid-plane
  area (π·d_v² ≥ A_i); it then happens with the method's resealing probability;
  the particle is fully coated (coating degree *c* = 1);
* otherwise the vesicle ruptures into a **partial patch** covering
  s = u·min(1, π·d_v²/A_i) of the particle, where u ~ Beta is
  the share of the particle the patch spreads over before its edges stall (a vesicle smaller
  than the particle covers proportionally less). Patches land at random on the coverable
  surface, and ruptured patches do not fuse into a closed coat: they jam at the patch limit
  θ_J < 1, below which the gaps left are narrower than another vesicle can adsorb and spread
  into (random sequential adsorption; partial coats are a stable intermediate that limited
  membrane fluidity does not repair, Liu 2022). After patches ``s_1..s_k`` the coating degree
  is θ_J·(1 − Π(1 − s_j)); each patch consumes the membrane it adds to the coat, an
  envelopment the particle's whole mid-plane area.

So completeness depends on how often the process drives envelopment (electroporation reseals
porated vesicles around entered particles; extrusion and sonication mostly tear and spread),
on vesicle size against particle size, and on how much membrane is supplied — the reason up to
90 % of extruded or sonicated particles are only partially coated (Liu 2021) while few are
bare.

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
    mean_events: float,
    areas_nm2: FloatArray,
    reseal_probability: float,
    patch_limit: float,
    draws: EventDraws,
) -> Coverage:
    """Coating degree and membrane consumed per particle for ``mean_events`` per particle.

    Events before a particle's first envelopment add patches (each consumes the membrane it
    adds to the coat, θ_J·s·Π(1 − s_prev)·A); the enveloping vesicle gives the particle its
    closed coat, consuming the particle's mid-plane area A (a larger vesicle's remainder
    re-forms, as ``membrane_pieces_per_particle`` counts it); later events find a coated
    particle and are not counted. ``patch_limit`` is the jamming
    coverage θ_J (0–1) that patches alone cannot exceed.
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
    degree: FloatArray = patch_limit * (1.0 - np.exp(log_uncovered.sum(axis=1)))
    consumed: FloatArray = degree * areas_nm2
    degree[wrapped] = 1.0
    consumed[wrapped] += areas_nm2[wrapped]
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
    patch_limit: float,
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
    patch_limit
        Jamming coverage θ_J that rupture patches alone cannot exceed (0–1).
    draws
        Common random numbers from ``draw_events``.
    """

    def run(events: float) -> Coverage:
        return coverage_for_rate(events, areas_nm2, reseal_probability, patch_limit, draws)

    def consumed(events: float) -> float:
        return float(run(events).consumed_nm2.mean())

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
    result = run(events)
    share = float(result.consumed_nm2.mean()) / supply if supply > 0 else 0.0
    return CoatingOutcome(result.degree, events, limited, min(share, 1.0))


def analytic_coverage_pmf(
    mean_events: float,
    wrap_probability: float,
    patch_share: float,
    patch_limit: float,
    max_patches: int,
) -> tuple[FloatArray, FloatArray]:
    """Exact coverage distribution for equal particles, constant patch share and wrap chance.

    Events are Poisson(λ); each wraps with probability *w*, else adds a patch of share *s*.
    P(c = 1 by wrapping) = 1 − e^{−λw}; otherwise k ~ Poisson(λ(1−w)) patches give
    c = θ_J·(1 − (1−s)^k). Returns (coverage levels, probabilities), last level the wrapped
    one; the first level (k = 0) is the bare share e^{−λ}.
    """
    patches = np.arange(max_patches + 1)
    unwrapped = np.exp(-mean_events * wrap_probability)
    pmf = unwrapped * poisson.pmf(patches, mean_events * (1.0 - wrap_probability))
    levels = patch_limit * (1.0 - (1.0 - patch_share) ** patches)
    return (np.append(levels, 1.0), np.append(pmf, 1.0 - unwrapped))


def membrane_pieces_per_particle(
    excess_ratio: float,
    mean_midplane_area_nm2: float,
    vesicle_median_nm: float,
    vesicle_gsd: float,
) -> float:
    """Membrane pieces a particle can meet: n = R·Ā_mid / min(Ā_v, Ā_mid).

    The membrane supplied per particle is R·Ā_mid (R the excess over the area-matched
    minimum). It comes as vesicles of mean area Ā_v = π·d_med²·exp(2 ln²σ_g) (log-normal
    diameters). A vesicle smaller than the particle is one piece; a larger one serves several
    particles, because what one particle does not take re-forms as a vesicle (extrusion
    re-sizes vesicles at every pass, electroporated and sonicated membranes reseal), so it
    counts as Ā_v/Ā_mid particle-sized pieces.

    Parameters
    ----------
    excess_ratio
        Membrane supplied over the area-matched minimum (dimensionless).
    mean_midplane_area_nm2
        Mean mid-plane area of the particles (nm²).
    vesicle_median_nm, vesicle_gsd
        Median diameter (nm) and geometric SD of the vesicles the particles meet.
    """
    vesicle_area = math.pi * vesicle_median_nm**2 * math.exp(2.0 * math.log(vesicle_gsd) ** 2)
    return excess_ratio * mean_midplane_area_nm2 / min(vesicle_area, mean_midplane_area_nm2)


def vesicle_capture(intensity: float) -> float:
    """Share of membrane pieces that end in a productive event: 1 − e^(−κ).

    κ is the process intensity per piece (expected productive encounters of one piece with
    the cores, ``ProcessOutcome.capture_intensity``); pieces are used up as they coat
    (mass action with depletion of the membrane), so the share saturates at 1.
    """
    return 1.0 - math.exp(-intensity)


def productive_events(pieces_per_particle: float, intensity: float) -> float:
    """Mean productive events per particle, λ̄ = n·(1 − e^(−κ)) (mass action).

    Every captured piece makes one event on some particle, so events per particle are the
    pieces per particle times the captured share: λ̄ grows with the membrane excess instead of
    saturating at one vesicle at hand, and the bare share e^(−λ̄) falls as membrane is added.
    """
    return pieces_per_particle * vesicle_capture(intensity)
