"""Microfluidic electroporation: vesicles and cores mixed on a chip and pulsed in flow.

* Field E = V/gap. A vesicle of radius r charges to ΔV = 1.5·E·r·(1 − exp(−t/τ)) at its poles
  (Schwan's equation), τ = r·C_m·(ρ_i + ρ_e/2) (Kotnik 2019), and porates when ΔV exceeds the
  critical voltage; ρ_e is the electroporation buffer's resistivity, ρ_i the vesicle lumen's.
* A particle spends zone volume / flow in the pulsed zone and receives pulse rate × residence
  pulses; each pulse porates a share of vesicles, of which a share takes up a particle, so a
  vesicle's intensity is κ = pulses·porated share·entry probability; the
  porated vesicle then reseals around it — the complete coating electroporation is known for
  (Rao 2017).
* Each pulse heats the buffer adiabatically (the pulse is far shorter than heat conduction out
  of a microchannel): ΔT = σ·E²·t/(ρc). A conductive buffer (PBS) boils at vesicle-porating
  fields; low-conductivity buffers are used.
* Continuous flow runs unattended after set-up: hands-on time hardly grows with batch size —
  the method's throughput advantage — while chips and pumps make it costlier (Song 2022).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from nanocloak.kernels.manufacture.assembly.common import (
    WATER_BOILING_POINT_C,
    WATER_HEAT_CAPACITY_J_PER_ML_K,
    CostRates,
    ProcessOutcome,
    ProteinStability,
)

POORLY_PORATED_SHARE = 0.05
RADIUS_QUANTILES = np.linspace(0.0025, 0.9975, 400)


@dataclass(frozen=True, slots=True)
class ElectroporationParams:
    """Constants of microfluidic electroporation (``methods.yaml``)."""

    critical_voltage_v: float
    membrane_capacitance_f_per_m2: float
    lumen_resistivity_ohm_m: float
    entry_probability_per_pulse: float
    reseal_probability: float
    pulse_protein_loss: float
    dead_volume_ml: float
    chip_cost_per_batch: float
    setup_time_min: float
    hands_on_share: float
    vesicle_gsd: float


def poration_share(
    field_v_per_m: float,
    pulse_width_s: float,
    buffer_resistivity_ohm_m: float,
    vesicle_median_nm: float,
    vesicle_gsd: float,
    params: ElectroporationParams,
) -> float:
    """Share of log-normal vesicles whose induced transmembrane voltage reaches the critical one.

    Parameters
    ----------
    field_v_per_m
        Applied field (V/m).
    pulse_width_s
        Pulse duration (s).
    buffer_resistivity_ohm_m
        Resistivity of the electroporation buffer outside the vesicles (Ω·m).
    vesicle_median_nm, vesicle_gsd
        Median diameter (nm) and geometric SD of the vesicles.
    """
    radii_m = 0.5e-9 * vesicle_median_nm * np.exp(math.log(vesicle_gsd) * ndtri(RADIUS_QUANTILES))
    tau_s = (
        radii_m
        * params.membrane_capacitance_f_per_m2
        * (params.lumen_resistivity_ohm_m + buffer_resistivity_ohm_m / 2.0)
    )
    induced = 1.5 * field_v_per_m * radii_m * (1.0 - np.exp(-pulse_width_s / tau_s))
    return float(np.mean(induced >= params.critical_voltage_v))


def electroporation(
    voltage_v: float,
    gap_nm: float,
    pulse_width_us: float,
    pulse_rate_hz: float,
    flow_ul_per_min: float,
    zone_volume_ul: float,
    buffer_conductivity_s_per_m: float,
    vesicle_median_nm: float,
    temperature_c: float,
    batch_volume_ml: float,
    params: ElectroporationParams,
    stability: ProteinStability,
    rates: CostRates,
) -> ProcessOutcome:
    """Microfluidic electroporation in continuous flow.

    Parameters
    ----------
    voltage_v, gap_nm
        Pulse amplitude (V) and electrode gap (nm).
    pulse_width_us, pulse_rate_hz
        Pulse duration (µs) and repetition rate (Hz).
    flow_ul_per_min, zone_volume_ul
        Flow rate (µL/min) and volume of the pulsed zone (µL).
    buffer_conductivity_s_per_m
        Conductivity of the electroporation buffer (S/m).
    vesicle_median_nm
        Median diameter of the vesicles fed to the chip (nm).
    temperature_c
        Chip and syringe temperature (°C).
    batch_volume_ml
        Volume of the mixture (mL).
    """
    field_v_per_m = voltage_v / (gap_nm * 1e-9)
    width_s = pulse_width_us * 1e-6
    porated = poration_share(
        field_v_per_m,
        width_s,
        1.0 / buffer_conductivity_s_per_m,
        vesicle_median_nm,
        params.vesicle_gsd,
        params,
    )
    residence_s = zone_volume_ul / flow_ul_per_min * 60.0
    pulses = pulse_rate_hz * residence_s
    heating_k = (
        buffer_conductivity_s_per_m
        * field_v_per_m**2
        * width_s
        / (WATER_HEAT_CAPACITY_J_PER_ML_K * 1e6)
    )
    peak = min(temperature_c + heating_k, WATER_BOILING_POINT_C)
    run_min = batch_volume_ml * 1000.0 / flow_ul_per_min
    wall = params.setup_time_min + run_min
    hands_on = params.setup_time_min + params.hands_on_share * run_min
    pulse_damage = (1.0 - params.pulse_protein_loss * stability.damage_factor) ** pulses
    heat_damage = stability.retention(peak, pulses * width_s / 60.0)
    retention = pulse_damage * heat_damage * stability.retention(temperature_c, wall)
    warnings = list(stability.heat_warnings(peak, "each pulse (Joule heating)"))
    if porated < POORLY_PORATED_SHARE:
        warnings.append(
            f"only {porated:.0%} of vesicles porate at {field_v_per_m / 1e5:.1f} "
            "kV/cm: raise the voltage, narrow the gap or lengthen the pulse"
        )
    return ProcessOutcome(
        capture_intensity=pulses * porated * params.entry_probability_per_pulse,
        vesicle_median_nm=vesicle_median_nm,
        vesicle_gsd=params.vesicle_gsd,
        reseal_probability=params.reseal_probability,
        core_recovery=max(0.0, 1.0 - params.dead_volume_ml / batch_volume_ml),
        protein_retention=retention,
        wall_time_min=wall,
        hands_on_min=hands_on,
        cost_rcu=rates.cost(params.chip_cost_per_batch, wall, hands_on),
        peak_temperature_c=peak,
        details={
            "field_kv_per_cm": field_v_per_m / 1e5,
            "porated_share": porated,
            "pulses_per_particle": pulses,
            "residence_s": residence_s,
            "joule_heating_k_per_pulse": heating_k,
        },
        warnings=tuple(warnings),
    )
