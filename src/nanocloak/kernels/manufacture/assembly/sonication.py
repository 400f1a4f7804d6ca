"""Bath or probe sonication of the vesicle–core mixture.

* Absorbed power: a probe puts a share η of its electrical power into the sample; a bath
  spreads η of its power through its water, of which a tube takes its volume share
  (V_sample/V_bath). Absorbed energy density E = P_a·t/V (J/mL) over a reference gives a
  fragment's intensity κ = E/E_ref: cavitation breaks membranes into fragments that re-form
  around cores.
* The sample heats as T(t) = T₀ + (P_a/hA)(1 − exp(−t/τ)), τ = m·c/hA, until it boils.
* Protein function decays by cavitation (∝ E) and by Arrhenius denaturation along T(t).
* Fragments are smaller and more varied than extruded vesicles, so coating is patchier and
  sizes broader; one short step per sample makes the method fast (Song 2022).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.manufacture.assembly.common import (
    WATER_BOILING_POINT_C,
    WATER_HEAT_CAPACITY_J_PER_ML_K,
    CostRates,
    ProcessOutcome,
    ProteinStability,
)


@dataclass(frozen=True, slots=True)
class SonicationParams:
    """Constants of sonication (``methods.yaml: sonication``).

    ``bath_volume_ml`` is None for a probe (all coupled power goes into the sample).
    """

    coupling_efficiency: float
    bath_volume_ml: float | None
    reference_energy_j_per_ml: float
    fragment_median_nm: float
    fragment_gsd: float
    reseal_probability: float
    cavitation_loss_per_kj_per_ml: float
    tube_heat_transfer_w_per_k: float
    consumables_cost_per_batch: float
    setup_time_min: float
    max_sample_volume_ml: float
    hands_on_share: float


def sonication(
    power_w: float,
    duty_cycle: float,
    time_min: float,
    start_temperature_c: float,
    batch_volume_ml: float,
    params: SonicationParams,
    stability: ProteinStability,
    rates: CostRates,
) -> ProcessOutcome:
    """Sonication.

    Parameters
    ----------
    power_w
        Electrical power of the bath or probe (W).
    duty_cycle
        On-fraction of pulsed operation (0–1).
    time_min
        Sonication time per sample (min).
    start_temperature_c
        Temperature of the bath or ice bath the sample starts from (°C).
    batch_volume_ml
        Volume of the mixture (mL); split into samples of at most ``max_sample_volume_ml``.
    """
    sample_ml = min(batch_volume_ml, params.max_sample_volume_ml)
    samples = max(1, math.ceil(batch_volume_ml / params.max_sample_volume_ml - 1e-9))
    share = params.coupling_efficiency
    if params.bath_volume_ml is not None:
        share *= sample_ml / params.bath_volume_ml
    absorbed_w = power_w * share * duty_cycle
    seconds = time_min * 60.0
    energy = absorbed_w * seconds / sample_ml
    tau_s = sample_ml * WATER_HEAT_CAPACITY_J_PER_ML_K / params.tube_heat_transfer_w_per_k
    times = np.linspace(0.0, seconds, 201)
    rise = absorbed_w / params.tube_heat_transfer_w_per_k * (1.0 - np.exp(-times / tau_s))
    temperature = np.minimum(start_temperature_c + rise, WATER_BOILING_POINT_C)
    thermal = float(np.trapezoid(stability.rate_per_min(temperature), times / 60.0))
    cavitation = params.cavitation_loss_per_kj_per_ml * energy / 1000.0 * stability.damage_factor
    wall = params.setup_time_min + samples * time_min
    hands_on = params.hands_on_share * wall
    peak = float(temperature[-1])
    return ProcessOutcome(
        capture_intensity=energy / params.reference_energy_j_per_ml,
        vesicle_median_nm=params.fragment_median_nm,
        vesicle_gsd=params.fragment_gsd,
        reseal_probability=params.reseal_probability,
        core_recovery=1.0,
        protein_retention=math.exp(-thermal - cavitation),
        wall_time_min=wall,
        hands_on_min=hands_on,
        cost_rcu=rates.cost(samples * params.consumables_cost_per_batch, wall, hands_on),
        peak_temperature_c=peak,
        details={
            "energy_density_j_per_ml": energy,
            "absorbed_power_w": absorbed_w,
            "samples": samples,
        },
        warnings=stability.heat_warnings(peak, "sonication"),
    )
