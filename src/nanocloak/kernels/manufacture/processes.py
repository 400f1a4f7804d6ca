"""Step 3 (assembly): what each method does, from its settings, in the coating model's terms.

Every method is reduced to the same named quantities, so differences between methods come
from their physics and settings, not from labels:

* ``events_when_plentiful`` — productive membrane–particle events per particle when membrane
  area equals the area-matched need (the coating model scales it by the membrane excess);
* the vesicle size distribution met by particles (median, geometric SD, nm);
* ``reseal_probability`` — chance that an event with a large-enough vesicle envelops fully;
* core recovery (losses on filters, dead volumes), membrane-protein retention
  (shear, cavitation, heat, pulses, time at temperature), wall and hands-on time, cost.

Units: nm, min, °C, mL, W, J, V, s where stated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr, ndtri

WATER_HEAT_CAPACITY_J_PER_ML_K = 4.18
GAS_CONSTANT_J_PER_MOL_K = 8.314462618
KELVIN = 273.15


@dataclass(frozen=True, slots=True)
class ProteinStability:
    """Arrhenius loss of membrane-protein function (rate at a reference temperature)."""

    rate_at_reference_per_min: float
    reference_temperature_c: float
    activation_energy_j_per_mol: float
    proteolysis_per_min: float
    proteolysis_activation_energy_j_per_mol: float
    damage_factor: float
    protease_inhibitor: bool

    def rate_per_min(self, temperature_c: float | np.ndarray) -> float | np.ndarray:
        """First-order loss rate (1/min) at ``temperature_c``, incl. proteolysis if unprotected."""
        inverse = 1.0 / (np.asarray(temperature_c) + KELVIN)
        reference = 1.0 / (self.reference_temperature_c + KELVIN)
        thermal = self.rate_at_reference_per_min * np.exp(
            -self.activation_energy_j_per_mol / GAS_CONSTANT_J_PER_MOL_K * (inverse - reference)
        )
        proteolysis = (
            0.0
            if self.protease_inhibitor
            else self.proteolysis_per_min
            * np.exp(
                -self.proteolysis_activation_energy_j_per_mol
                / GAS_CONSTANT_J_PER_MOL_K
                * (inverse - reference)
            )
        )
        return self.damage_factor * (thermal + proteolysis)

    def retention(self, temperature_c: float, minutes: float) -> float:
        """Share of protein function left after ``minutes`` at constant ``temperature_c``."""
        return math.exp(-float(self.rate_per_min(temperature_c)) * minutes)


@dataclass(frozen=True, slots=True)
class CostRates:
    """Relative cost units (RCU) per hour of labor and of equipment use."""

    labor_per_hour: float
    equipment_per_hour: float


@dataclass(frozen=True, slots=True)
class ProcessOutcome:
    """A method's settings translated into the coating model and its process figures."""

    events_when_plentiful: float
    vesicle_median_nm: float
    vesicle_gsd: float
    reseal_probability: float
    core_recovery: float
    protein_retention: float
    wall_time_min: float
    hands_on_min: float
    cost_rcu: float
    throughput_ml_per_h: float
    peak_temperature_c: float
    details: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _cost(consumables: float, wall_min: float, hands_on_min: float, rates: CostRates) -> float:
    return (
        consumables
        + rates.equipment_per_hour * wall_min / 60
        + (rates.labor_per_hour * hands_on_min / 60)
    )


def lognormal_cdf(x: float | np.ndarray, median: float, gsd: float) -> float | np.ndarray:
    """P(X ≤ x) for a log-normal with ``median`` and geometric SD ``gsd``."""
    return ndtr(np.log(np.asarray(x) / median) / math.log(gsd))  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class ExtrusionParams:
    """Constants of co-extrusion (``methods.yaml: extrusion``)."""

    fusion_probability_per_pass: float
    reseal_probability: float
    adsorption_loss_per_pass: float
    dead_volume_per_run_ml: float
    run_volume_ml: float
    time_per_pass_min: float
    setup_time_per_run_min: float
    shear_protein_loss_per_pass: float
    consumables_cost_per_run: float
    vesicle_gsd: float


def extrusion(
    pore_nm: float,
    passes: int,
    temperature_c: float,
    coated_diameter_nm: float,
    core_median_nm: float,
    core_gsd: float,
    batch_volume_ml: float,
    params: ExtrusionParams,
    stability: ProteinStability,
    rates: CostRates,
) -> ProcessOutcome:
    """Co-extrusion through a polycarbonate membrane.

    Confinement ``min(1, (d_coated / pore)²)`` sets how hard a pass presses vesicles onto a
    particle; vesicles leave near the pore size. Cores larger than the pore are sieved out and
    a share adsorbs on the membrane per pass; each run loses its dead volume.
    """
    confinement = min(1.0, (coated_diameter_nm / pore_nm) ** 2)
    events = params.fusion_probability_per_pass * passes * confinement
    sieved = 1.0 - float(lognormal_cdf(pore_nm, core_median_nm, core_gsd))
    runs = max(1, math.ceil(batch_volume_ml / params.run_volume_ml - 1e-9))
    dead = min(1.0, runs * params.dead_volume_per_run_ml / batch_volume_ml)
    recovery = (1.0 - sieved) * (1.0 - params.adsorption_loss_per_pass) ** passes * (1.0 - dead)
    wall = runs * (params.setup_time_per_run_min + passes * params.time_per_pass_min)
    shear = (1.0 - params.shear_protein_loss_per_pass * stability.damage_factor) ** passes
    retention = shear * stability.retention(temperature_c, wall)
    warnings = []
    if sieved > 0.05:
        warnings.append(
            f"{sieved:.0%} of cores are larger than the {pore_nm:.0f} nm pore and "
            "stay on the filter; choose a larger pore"
        )
    if confinement < 0.3:
        warnings.append(
            f"the {pore_nm:.0f} nm pore is much larger than the particles; "
            f"coating will be sparse (confinement {confinement:.2f})"
        )
    return ProcessOutcome(
        events_when_plentiful=events,
        vesicle_median_nm=pore_nm,
        vesicle_gsd=params.vesicle_gsd,
        reseal_probability=params.reseal_probability * confinement,
        core_recovery=recovery,
        protein_retention=retention,
        wall_time_min=wall,
        hands_on_min=wall,
        cost_rcu=_cost(runs * params.consumables_cost_per_run, wall, wall, rates),
        throughput_ml_per_h=batch_volume_ml / (wall / 60),
        peak_temperature_c=temperature_c,
        details={
            "confinement": confinement,
            "sieved_share": sieved,
            "runs": runs,
            "dead_volume_share": dead,
        },
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class SonicationParams:
    """Constants of sonication (``methods.yaml: sonication``)."""

    coupling_efficiency: float
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


HEAT_RISK_TEMPERATURE_C = 42.0
WATER_BOILING_POINT_C = 100.0


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
    """Bath or probe sonication.

    Absorbed power P_a = η·P·duty gives an energy density
    ``E = P_a t / V`` (J/mL) whose ratio to the reference sets the event count. The sample
    heats as T(t) = T₀ + (P_a/hA)(1 − exp(−t/τ)), τ = m·c/hA, until it boils (the
    excess power then goes into evaporation and T stays at 100 °C); protein
    function decays by cavitation (∝ E) and by Arrhenius denaturation along T(t).
    """
    sample_ml = min(batch_volume_ml, params.max_sample_volume_ml)
    batches = max(1, math.ceil(batch_volume_ml / params.max_sample_volume_ml - 1e-9))
    absorbed_w = power_w * params.coupling_efficiency * duty_cycle
    seconds = time_min * 60.0
    energy = absorbed_w * seconds / sample_ml
    events = energy / params.reference_energy_j_per_ml
    tau_s = sample_ml * WATER_HEAT_CAPACITY_J_PER_ML_K / params.tube_heat_transfer_w_per_k
    plateau = absorbed_w / params.tube_heat_transfer_w_per_k
    times = np.linspace(0.0, seconds, 201)
    temperature = np.minimum(
        start_temperature_c + plateau * (1.0 - np.exp(-times / tau_s)), WATER_BOILING_POINT_C
    )
    thermal = float(np.trapezoid(stability.rate_per_min(temperature), times / 60.0))
    cavitation = params.cavitation_loss_per_kj_per_ml * energy / 1000.0 * stability.damage_factor
    retention = math.exp(-thermal - cavitation)
    wall = params.setup_time_min + batches * time_min
    hands_on = params.hands_on_share * wall
    peak = float(temperature[-1])
    warnings = []
    if peak >= WATER_BOILING_POINT_C:
        warnings.append("the sample would boil: far too much power for its volume")
    elif peak > HEAT_RISK_TEMPERATURE_C:
        warnings.append(
            f"sample reaches {peak:.0f} °C: heat risk to membrane proteins; "
            "use an ice bath, pulses or less power"
        )
    return ProcessOutcome(
        events_when_plentiful=events,
        vesicle_median_nm=params.fragment_median_nm,
        vesicle_gsd=params.fragment_gsd,
        reseal_probability=params.reseal_probability,
        core_recovery=1.0,
        protein_retention=retention,
        wall_time_min=wall,
        hands_on_min=hands_on,
        cost_rcu=_cost(batches * params.consumables_cost_per_batch, wall, hands_on, rates),
        throughput_ml_per_h=batch_volume_ml / (wall / 60),
        peak_temperature_c=peak,
        details={
            "energy_density_j_per_ml": energy,
            "absorbed_power_w": absorbed_w,
            "batches": batches,
        },
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class ElectroporationParams:
    """Constants of microfluidic electroporation (``methods.yaml``)."""

    critical_voltage_v: float
    membrane_capacitance_f_per_m2: float
    buffer_resistivity_ohm_m: float
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
    vesicle_median_nm: float,
    vesicle_gsd: float,
    params: ElectroporationParams,
) -> float:
    """Share of vesicles whose induced transmembrane voltage exceeds the critical voltage.

    Schwan's equation with charging: ΔV = 1.5·E·r·(1 − exp(−t/τ)),
    τ = r·C_m·(ρ_i + ρ_e/2) (Kotnik 2019), evaluated over log-normal radii.
    """
    quantiles = np.linspace(0.0025, 0.9975, 400)
    radii_m = 0.5e-9 * vesicle_median_nm * np.exp(math.log(vesicle_gsd) * ndtri(quantiles))
    tau_s = radii_m * params.membrane_capacitance_f_per_m2 * 1.5 * params.buffer_resistivity_ohm_m
    induced = 1.5 * field_v_per_m * radii_m * (1.0 - np.exp(-pulse_width_s / tau_s))
    return float(np.mean(induced >= params.critical_voltage_v))


def electroporation(
    voltage_v: float,
    gap_nm: float,
    pulse_width_us: float,
    pulse_rate_hz: float,
    flow_ul_per_min: float,
    zone_volume_ul: float,
    vesicle_median_nm: float,
    temperature_c: float,
    batch_volume_ml: float,
    params: ElectroporationParams,
    stability: ProteinStability,
    rates: CostRates,
) -> ProcessOutcome:
    """Microfluidic electroporation in continuous flow.

    A particle stays ``zone_volume / flow`` in the pulsed zone and receives
    ``pulse_rate × residence`` pulses; each pulse porates the share of vesicles given by
    ``poration_share``, and a porated vesicle takes up a particle with the entry probability.
    """
    field_v_per_m = voltage_v / (gap_nm * 1e-9)
    porated = poration_share(
        field_v_per_m, pulse_width_us * 1e-6, vesicle_median_nm, params.vesicle_gsd, params
    )
    residence_s = zone_volume_ul / flow_ul_per_min * 60.0
    pulses = pulse_rate_hz * residence_s
    events = pulses * porated * params.entry_probability_per_pulse
    run_min = batch_volume_ml * 1000.0 / flow_ul_per_min
    wall = params.setup_time_min + run_min
    hands_on = params.setup_time_min + params.hands_on_share * run_min
    pulse_damage = (1.0 - params.pulse_protein_loss * stability.damage_factor) ** pulses
    retention = pulse_damage * stability.retention(temperature_c, wall)
    recovery = max(0.0, 1.0 - params.dead_volume_ml / batch_volume_ml)
    warnings = []
    if porated < 0.05:
        warnings.append(
            f"only {porated:.0%} of vesicles porate at "
            f"{field_v_per_m / 1e5:.1f} kV/cm: raise the voltage or narrow the gap"
        )
    return ProcessOutcome(
        events_when_plentiful=events,
        vesicle_median_nm=vesicle_median_nm,
        vesicle_gsd=params.vesicle_gsd,
        reseal_probability=params.reseal_probability,
        core_recovery=recovery,
        protein_retention=retention,
        wall_time_min=wall,
        hands_on_min=hands_on,
        cost_rcu=_cost(params.chip_cost_per_batch, wall, hands_on, rates),
        throughput_ml_per_h=flow_ul_per_min * 60.0 / 1000.0,
        peak_temperature_c=temperature_c,
        details={
            "field_kv_per_cm": field_v_per_m / 1e5,
            "porated_share": porated,
            "pulses_per_particle": pulses,
            "residence_s": residence_s,
        },
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class CoIncubationParams:
    """Constants of co-incubation (``methods.yaml: co_incubation``)."""

    encounter_rate_per_h: float
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
    batch_volume_ml: float,
    params: CoIncubationParams,
    stability: ProteinStability,
    rates: CostRates,
) -> ProcessOutcome:
    """Co-incubation: spontaneous adsorption and fusion, Arrhenius in temperature (ref. 37 °C)."""
    arrhenius = math.exp(
        -params.activation_energy_j_per_mol
        / GAS_CONSTANT_J_PER_MOL_K
        * (1.0 / (temperature_c + KELVIN) - 1.0 / (37.0 + KELVIN))
    )
    stir = 1.0 if stirring else params.unstirred_factor
    events = params.encounter_rate_per_h * arrhenius * stir * time_min / 60.0
    wall = params.setup_time_min + time_min
    hands_on = params.setup_time_min + params.hands_on_share * time_min
    return ProcessOutcome(
        events_when_plentiful=events,
        vesicle_median_nm=vesicle_median_nm,
        vesicle_gsd=params.vesicle_gsd,
        reseal_probability=params.reseal_probability,
        core_recovery=1.0,
        protein_retention=stability.retention(temperature_c, time_min),
        wall_time_min=wall,
        hands_on_min=hands_on,
        cost_rcu=_cost(params.consumables_cost_per_batch, wall, hands_on, rates),
        throughput_ml_per_h=batch_volume_ml / (wall / 60),
        peak_temperature_c=temperature_c,
        details={"arrhenius_factor": arrhenius},
    )
