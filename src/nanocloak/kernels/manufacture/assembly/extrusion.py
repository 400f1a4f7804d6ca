"""Co-extrusion of vesicles and cores through a polycarbonate track-etched membrane.

* Every pass forces each vesicle through a pore; with probability p·confinement it fuses with
  a core crossing the same pore, so a vesicle's intensity is κ = p·passes·confinement.
  Confinement ``min(1, (d_coated/pore)²)`` — how hard a pass presses vesicles onto a
  particle — scales it; extruded vesicles leave near the pore size.
* Cores whose smallest caliper exceeds the pore are sieved out on the first pass; a share of
  the rest adsorbs on the membrane at every pass; each run loses the extruder's dead volume.
* A pass pushes the run volume through the membrane by hand. Flow through a track-etched
  membrane at fixed porosity scales with pore radius² (Hagen–Poiseuille per pore), so the time
  per pass scales as volume × (pore_ref/pore)². Runs are sequential and manual: hands-on time
  grows linearly with the batch — why extrusion is slow and hard to scale (Song 2022).
* Shear costs a small share of membrane protein per pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import ndtr

from nanocloak.kernels.manufacture.assembly.common import (
    CostRates,
    ProcessOutcome,
    ProteinStability,
)

SIEVING_WARNING_SHARE = 0.05
SPARSE_CONFINEMENT = 0.3


@dataclass(frozen=True, slots=True)
class ExtrusionParams:
    """Constants of co-extrusion (``methods.yaml: extrusion``); times in min, volumes in mL."""

    fusion_probability_per_pass: float
    reseal_probability: float
    adsorption_loss_per_pass: float
    dead_volume_per_run_ml: float
    run_volume_ml: float
    time_per_pass_min: float
    reference_pore_nm: float
    setup_time_per_run_min: float
    shear_protein_loss_per_pass: float
    consumables_cost_per_run: float
    hands_on_share: float
    vesicle_gsd: float


def extrusion(
    pore_nm: float,
    passes: int,
    temperature_c: float,
    coated_diameter_nm: float,
    caliper_median_nm: float,
    core_gsd: float,
    batch_volume_ml: float,
    params: ExtrusionParams,
    stability: ProteinStability,
    rates: CostRates,
) -> ProcessOutcome:
    """Co-extrusion.

    Parameters
    ----------
    pore_nm
        Pore diameter of the polycarbonate membrane (nm).
    passes
        Number of passes through the membrane.
    temperature_c
        Extrusion temperature (°C).
    coated_diameter_nm
        Equivalent diameter of a coated particle (nm), for confinement.
    caliper_median_nm, core_gsd
        Median smallest caliper of the cores (nm) and the geometric SD of core sizes.
    batch_volume_ml
        Volume of the core–vesicle mixture (mL).
    """
    confinement = min(1.0, (coated_diameter_nm / pore_nm) ** 2)
    intensity = params.fusion_probability_per_pass * passes * confinement
    sieved = 1.0 - float(ndtr(math.log(pore_nm / caliper_median_nm) / math.log(core_gsd)))
    runs = max(1, math.ceil(batch_volume_ml / params.run_volume_ml - 1e-9))
    run_volume = batch_volume_ml / runs
    dead = min(1.0, runs * params.dead_volume_per_run_ml / batch_volume_ml)
    recovery = (1.0 - sieved) * (1.0 - params.adsorption_loss_per_pass) ** passes * (1.0 - dead)
    per_pass = params.time_per_pass_min * run_volume * (params.reference_pore_nm / pore_nm) ** 2
    wall = runs * (params.setup_time_per_run_min + passes * per_pass)
    hands_on = params.hands_on_share * wall
    shear = (1.0 - params.shear_protein_loss_per_pass * stability.damage_factor) ** passes
    warnings = []
    if sieved > SIEVING_WARNING_SHARE:
        warnings.append(
            f"{sieved:.0%} of cores do not fit the {pore_nm:.0f} nm pore and stay "
            "on the filter; choose a larger pore"
        )
    if confinement < SPARSE_CONFINEMENT:
        warnings.append(
            f"the {pore_nm:.0f} nm pore is much larger than the particles; coating "
            f"will be sparse (confinement {confinement:.2f})"
        )
    return ProcessOutcome(
        capture_intensity=intensity,
        vesicle_median_nm=pore_nm,
        vesicle_gsd=params.vesicle_gsd,
        reseal_probability=params.reseal_probability,
        core_recovery=recovery,
        protein_retention=shear * stability.retention(temperature_c, wall),
        wall_time_min=wall,
        hands_on_min=hands_on,
        cost_rcu=rates.cost(runs * params.consumables_cost_per_run, wall, hands_on),
        peak_temperature_c=temperature_c,
        details={
            "confinement": confinement,
            "sieved_share": sieved,
            "runs": runs,
            "minutes_per_pass": per_pass,
            "dead_volume_share": dead,
        },
        warnings=tuple(warnings),
    )
