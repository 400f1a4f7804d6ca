"""Co-incubation (stirring) of vesicles and cores: spontaneous adsorption and fusion.

Vesicles meet cores by diffusion (faster with stirring) and fuse at a rate that is Arrhenius
in temperature, so a vesicle's intensity is κ = rate·time; nothing drives them to close
around a core, so complete envelopment is rare
and coating is the least complete of the methods. Long incubations at 37 °C
cost protein function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nanocloak.kernels.manufacture.assembly.common import (
    GAS_CONSTANT_J_PER_MOL_K,
    KELVIN,
    CostRates,
    ProcessOutcome,
    ProteinStability,
)


@dataclass(frozen=True, slots=True)
class CoIncubationParams:
    """Constants of co-incubation (``methods.yaml: co_incubation``)."""

    encounter_rate_per_h: float
    reference_temperature_c: float
    activation_energy_j_per_mol: float
    unstirred_factor: float
    reseal_probability: float
    consumables_cost_per_batch: float
    setup_time_min: float
    hands_on_share: float
    vesicle_gsd: float


def co_incubation(
    time_min: float,
    temperature_c: float,
    stirring: bool,
    vesicle_median_nm: float,
    params: CoIncubationParams,
    stability: ProteinStability,
    rates: CostRates,
) -> ProcessOutcome:
    """Co-incubation for ``time_min`` (min) at ``temperature_c`` (°C), vesicles of median
    diameter ``vesicle_median_nm`` (nm)."""
    arrhenius = math.exp(
        -params.activation_energy_j_per_mol
        / GAS_CONSTANT_J_PER_MOL_K
        * (1.0 / (temperature_c + KELVIN) - 1.0 / (params.reference_temperature_c + KELVIN))
    )
    stir = 1.0 if stirring else params.unstirred_factor
    wall = params.setup_time_min + time_min
    hands_on = params.setup_time_min + params.hands_on_share * time_min
    return ProcessOutcome(
        capture_intensity=params.encounter_rate_per_h * arrhenius * stir * time_min / 60.0,
        vesicle_median_nm=vesicle_median_nm,
        vesicle_gsd=params.vesicle_gsd,
        reseal_probability=params.reseal_probability,
        core_recovery=1.0,
        protein_retention=stability.retention(temperature_c, time_min),
        wall_time_min=wall,
        hands_on_min=hands_on,
        cost_rcu=rates.cost(params.consumables_cost_per_batch, wall, hands_on),
        peak_temperature_c=temperature_c,
        details={"arrhenius_factor": arrhenius},
        warnings=stability.heat_warnings(temperature_c, "incubation"),
    )
