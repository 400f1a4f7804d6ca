"""Knowledge-base values → kernel parameter bundles, at their used value or drawn from ranges.

A ``ParameterDraw`` reads every value through one function, so the same code builds the
nominal parameter set and each member of the uncertainty ensemble (uniform within each
literature range). It records which knowledge-base paths and sources were used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nanocloak.kernels.manufacture.processes import (
    CoIncubationParams,
    CostRates,
    ElectroporationParams,
    ExtrusionParams,
    ProteinStability,
    SonicationParams,
)
from nanocloak.kernels.manufacture.separation import SeparationParams
from nanocloak.knowledge import loader
from nanocloak.knowledge.schema import Value


@dataclass
class ParameterDraw:
    """Reads knowledge-base values: the used value, or a uniform draw within the range."""

    rng: np.random.Generator | None = None
    used: dict[str, Value] = field(default_factory=dict)

    def value(self, path: str, value: Value, unit: str) -> float:
        """``value`` in ``unit``; drawn within its range when this draw has a generator."""
        self.used[path] = value
        if self.rng is None or not value.is_range:
            return value.to(unit)
        low, high = value.bounds(unit)
        return float(self.rng.uniform(low, high))

    def method(self, step: str, name: str, unit: str = "dimensionless") -> float:
        """A constant of the manufacture model from ``methods.yaml``."""
        return self.value(f"methods.{step}.{name}", loader.method_parameters()[step][name], unit)

    def physics(self, name: str, unit: str) -> float:
        """A constant from ``membrane_physics.yaml``."""
        return self.value(f"membrane_physics.{name}", loader.membrane_physics()[name], unit)


def separation_params(draw: ParameterDraw) -> SeparationParams:
    """Constants of vesicle separation."""
    m = draw.method
    return SeparationParams(
        m("separation", "hypotonic_lysis_recovery"),
        m("separation", "freeze_thaw_lysis_per_cycle"),
        m("separation", "freeze_thaw_protein_retention_per_cycle"),
        m("separation", "spin_recovery"),
        m("separation", "wash_recovery"),
        m("separation", "vesicle_extrusion_recovery"),
        m("separation", "protein_retention_without_inhibitor"),
        m("separation", "hypotonic_lysis_time", "min"),
        m("separation", "freeze_thaw_cycle_time", "min"),
        m("separation", "spin_handling_time", "min"),
        m("separation", "wash_time", "min"),
        m("separation", "vesicle_extrusion_time", "min"),
    )


def protein_stability(
    draw: ParameterDraw, stabilizers: bool, protease_inhibitor: bool
) -> ProteinStability:
    """Arrhenius protein-function loss, slowed by cholesterol/divalent-ion stabilizers."""
    m = draw.method
    factor = m("separation", "stabilizer_damage_factor") if stabilizers else 1.0
    return ProteinStability(
        m("protein_stability", "denaturation_rate_at_reference", "1/min"),
        m("protein_stability", "reference_temperature", "degC"),
        m("protein_stability", "denaturation_activation_energy", "J/mol"),
        m("protein_stability", "proteolysis_rate_without_inhibitor", "1/min"),
        m("protein_stability", "proteolysis_activation_energy", "J/mol"),
        factor,
        protease_inhibitor,
    )


def cost_rates(draw: ParameterDraw, step: str) -> CostRates:
    """Labor and the method's equipment cost rates (RCU per hour)."""
    return CostRates(
        draw.method("costs", "labor_cost_per_hour", "1/hour"),
        draw.method(step, "equipment_cost_per_hour", "1/hour"),
    )


def extrusion_params(draw: ParameterDraw) -> ExtrusionParams:
    """Constants of co-extrusion."""
    m = draw.method
    return ExtrusionParams(
        m("extrusion", "fusion_probability_per_pass"),
        m("extrusion", "reseal_probability"),
        m("extrusion", "adsorption_loss_per_pass"),
        m("extrusion", "dead_volume_per_run", "mL"),
        m("extrusion", "run_volume", "mL"),
        m("extrusion", "time_per_pass", "min"),
        m("extrusion", "setup_time_per_run", "min"),
        m("extrusion", "shear_protein_loss_per_pass"),
        m("extrusion", "consumables_cost_per_run"),
        m("coating", "reference_vesicle_gsd"),
    )


def sonication_params(draw: ParameterDraw, mode: str) -> SonicationParams:
    """Constants of bath or probe sonication."""
    m = draw.method
    return SonicationParams(
        m("sonication", f"coupling_efficiency_{mode}"),
        m("sonication", "reference_energy_density", "J/mL"),
        m("sonication", "fragment_diameter", "nm"),
        m("sonication", "fragment_gsd"),
        m("sonication", "reseal_probability"),
        m("sonication", "cavitation_protein_loss_per_kj_per_ml", "mL/kJ"),
        m("sonication", "tube_heat_transfer", "W/K"),
        m("sonication", "consumables_cost_per_batch"),
        m("sonication", "setup_time", "min"),
        m("sonication", "max_sample_volume", "mL"),
        m("sonication", "hands_on_share"),
    )


def electroporation_params(draw: ParameterDraw) -> ElectroporationParams:
    """Constants of microfluidic electroporation."""
    step = "microfluidic_electroporation"
    m = draw.method
    return ElectroporationParams(
        m(step, "critical_transmembrane_voltage", "V"),
        m(step, "membrane_capacitance", "F/m^2"),
        m(step, "buffer_resistivity", "ohm*m"),
        m(step, "entry_probability_per_pulse"),
        m(step, "reseal_probability"),
        m(step, "pulse_protein_loss"),
        m(step, "dead_volume", "mL"),
        m(step, "chip_cost_per_batch"),
        m(step, "setup_time", "min"),
        m(step, "hands_on_share"),
        m("coating", "reference_vesicle_gsd"),
    )


def co_incubation_params(draw: ParameterDraw) -> CoIncubationParams:
    """Constants of co-incubation."""
    m = draw.method
    return CoIncubationParams(
        m("co_incubation", "encounter_rate_per_hour", "1/hour"),
        m("co_incubation", "fusion_activation_energy", "J/mol"),
        m("co_incubation", "unstirred_factor"),
        m("co_incubation", "reseal_probability"),
        m("co_incubation", "consumables_cost_per_batch"),
        m("co_incubation", "setup_time", "min"),
        m("co_incubation", "hands_on_share"),
        m("coating", "reference_vesicle_gsd"),
    )
