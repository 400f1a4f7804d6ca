"""Step 1: yield, protein retention and time of lysing cells and purifying membrane vesicles.

Recovery is a product of step recoveries: lysis (hypotonic, or freeze–thaw cycles each lysing a
share of the still-intact cells), each centrifugation step, each wash, and the vesicle-sizing
extrusion. Protein retention is lowered by freeze–thaw cycles and by omitting protease
inhibitor (Song 2022: inhibitor, ice-cold buffers and gentle lysis protect membrane proteins).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SeparationParams:
    """Constants of the separation step (see ``methods.yaml: separation``)."""

    hypotonic_lysis_recovery: float
    freeze_thaw_lysis_per_cycle: float
    freeze_thaw_protein_retention_per_cycle: float
    spin_recovery: float
    wash_recovery: float
    vesicle_extrusion_recovery: float
    protein_retention_without_inhibitor: float
    hypotonic_lysis_time_min: float
    freeze_thaw_cycle_time_min: float
    spin_handling_time_min: float
    wash_time_min: float
    vesicle_extrusion_time_min: float


@dataclass(frozen=True, slots=True)
class SeparationOutcome:
    """Membrane recovered (0–1), protein function retained (0–1) and time (min)."""

    membrane_recovery: float
    protein_retention: float
    time_min: float


def separate_vesicles(
    freeze_thaw_cycles: int,
    spin_times_min: tuple[float, ...],
    washes: int,
    protease_inhibitor: bool,
    params: SeparationParams,
) -> SeparationOutcome:
    """Yield and time of vesicle separation.

    Parameters
    ----------
    freeze_thaw_cycles
        0 for hypotonic lysis, else the number of freeze–thaw cycles.
    spin_times_min
        Duration of each centrifugation step (min).
    washes
        Number of PBS washes.
    protease_inhibitor
        Whether buffers contain protease inhibitor.
    """
    if freeze_thaw_cycles == 0:
        lysis = params.hypotonic_lysis_recovery
        retention = 1.0
        lysis_time = params.hypotonic_lysis_time_min
    else:
        lysis = 1.0 - (1.0 - params.freeze_thaw_lysis_per_cycle) ** freeze_thaw_cycles
        retention = params.freeze_thaw_protein_retention_per_cycle**freeze_thaw_cycles
        lysis_time = params.freeze_thaw_cycle_time_min * freeze_thaw_cycles
    recovery = (
        lysis
        * params.spin_recovery ** len(spin_times_min)
        * params.wash_recovery**washes
        * params.vesicle_extrusion_recovery
    )
    if not protease_inhibitor:
        retention *= params.protein_retention_without_inhibitor
    time = (
        lysis_time
        + sum(t + params.spin_handling_time_min for t in spin_times_min)
        + washes * params.wash_time_min
        + params.vesicle_extrusion_time_min
    )
    return SeparationOutcome(recovery, retention, time)
