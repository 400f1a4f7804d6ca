"""Step 1: yield, protein retention and time of lysing cells and purifying membrane vesicles.

* Lysis releases a share of the membrane (hypotonic), or each freeze–thaw cycle lyses a share
  of the still-intact cells at a small cost in protein function.
* Each centrifugation step sediments membrane fragments by Stokes' law: a fragment of diameter
  d settles at v = d²·Δρ·a/(18·η), so in time t it pellets if it started within v·t of the
  bottom: pelleted share min(1, v·t/h) for a liquid height h, averaged over log-normal
  fragment sizes. Fragments and ghosts are buffer-filled shells of membrane thickness t, so
  their density excess is 6t/d of the membrane's (Δρ_m): v ∝ d, and whole RBC ghosts need
  high g although they are large. A step that keeps the pellet keeps that share; one that keeps the
  supernatant (removing nuclei, mitochondria) keeps the rest — so the relative centrifugal
  force and time of every step matter. Each step also loses a handling share.
* Each wash re-pellets the membrane at the last step's settings.
* Omitting protease inhibitor costs protein function (Song 2022).
Units: nm, min, ×g, g/mL, mPa·s, mm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

STANDARD_GRAVITY_M_PER_S2 = 9.80665
SIZE_QUANTILES = np.linspace(0.0025, 0.9975, 400)


@dataclass(frozen=True, slots=True)
class SeparationParams:
    """Constants of vesicle separation (``methods.yaml: separation``)."""

    hypotonic_lysis_recovery: float
    freeze_thaw_lysis_per_cycle: float
    freeze_thaw_protein_retention_per_cycle: float
    spin_handling_recovery: float
    wash_recovery: float
    vesicle_extrusion_recovery: float
    protein_retention_without_inhibitor: float
    fragment_gsd: float
    membrane_density_excess_g_per_ml: float
    membrane_thickness_nm: float
    buffer_viscosity_mpa_s: float
    tube_liquid_height_mm: float
    hypotonic_lysis_time_min: float
    freeze_thaw_cycle_time_min: float
    spin_handling_time_min: float
    wash_time_min: float
    vesicle_extrusion_time_min: float


@dataclass(frozen=True, slots=True)
class Spin:
    """One centrifugation step: relative centrifugal force (×g), time (min), what is kept."""

    rcf_xg: float
    minutes: float
    keep_pellet: bool


@dataclass(frozen=True, slots=True)
class SeparationOutcome:
    """Membrane recovered (0–1), protein function retained (0–1) and time (min)."""

    membrane_recovery: float
    protein_retention: float
    time_min: float


def pelleted_share(spin: Spin, fragment_median_nm: float, params: SeparationParams) -> float:
    """Share of log-normal membrane fragments that reach the pellet in ``spin``."""
    diameters_m = (
        1e-9 * fragment_median_nm * np.exp(math.log(params.fragment_gsd) * ndtri(SIZE_QUANTILES))
    )
    shell_share = np.minimum(1.0, 6.0 * params.membrane_thickness_nm * 1e-9 / diameters_m)
    density_excess = shell_share * params.membrane_density_excess_g_per_ml * 1e3  # kg/m³
    velocity = (
        diameters_m**2
        * density_excess
        * spin.rcf_xg
        * STANDARD_GRAVITY_M_PER_S2
        / (18.0 * params.buffer_viscosity_mpa_s * 1e-3)
    )
    travelled_mm = velocity * spin.minutes * 60.0 * 1e3
    return float(np.mean(np.minimum(1.0, travelled_mm / params.tube_liquid_height_mm)))


def separate_vesicles(
    freeze_thaw_cycles: int,
    spins: tuple[Spin, ...],
    washes: int,
    protease_inhibitor: bool,
    fragment_median_nm: float,
    params: SeparationParams,
) -> SeparationOutcome:
    """Yield and time of vesicle separation.

    Parameters
    ----------
    freeze_thaw_cycles
        0 for hypotonic lysis, else the number of freeze–thaw cycles.
    spins
        The centrifugation train, in order; the last step keeps the pellet.
    washes
        Number of PBS washes (each re-pellets at the last step's settings).
    protease_inhibitor
        Whether buffers contain protease inhibitor.
    fragment_median_nm
        Median diameter of the membrane fragments or ghosts being spun (nm).
    """
    if freeze_thaw_cycles == 0:
        recovery = params.hypotonic_lysis_recovery
        retention = 1.0
        time = params.hypotonic_lysis_time_min
    else:
        recovery = 1.0 - (1.0 - params.freeze_thaw_lysis_per_cycle) ** freeze_thaw_cycles
        retention = params.freeze_thaw_protein_retention_per_cycle**freeze_thaw_cycles
        time = params.freeze_thaw_cycle_time_min * freeze_thaw_cycles
    for spin in spins:
        pelleted = pelleted_share(spin, fragment_median_nm, params)
        recovery *= params.spin_handling_recovery * (
            pelleted if spin.keep_pellet else 1.0 - pelleted
        )
        time += spin.minutes + params.spin_handling_time_min
    if washes:
        wash_pelleted = pelleted_share(spins[-1], fragment_median_nm, params)
        recovery *= (params.wash_recovery * wash_pelleted) ** washes
        time += washes * (params.wash_time_min + spins[-1].minutes)
    if not protease_inhibitor:
        retention *= params.protein_retention_without_inhibitor
    recovery *= params.vesicle_extrusion_recovery
    time += params.vesicle_extrusion_time_min
    return SeparationOutcome(recovery, retention, time)
