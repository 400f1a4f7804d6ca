"""Knowledge-base values → kernel parameter bundles, at their used value or drawn from ranges.

A ``ParameterDraw`` reads every value through one function, so the same code builds the
nominal parameter set and each member of the uncertainty ensemble. Ensemble member *k* draws
each ranged value uniformly within its range from a generator seeded by (seed, k, the value's
path), so a value gets the same draw in every design: ensembles of two designs are paired and
their difference is not blurred by independent draws. The draw records which values it used.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from nanocloak.kernels.manufacture.assembly.co_incubation import CoIncubationParams
from nanocloak.kernels.manufacture.assembly.common import CostRates, ProteinStability
from nanocloak.kernels.manufacture.assembly.electroporation import ElectroporationParams
from nanocloak.kernels.manufacture.assembly.extrusion import ExtrusionParams
from nanocloak.kernels.manufacture.assembly.sonication import SonicationParams
from nanocloak.kernels.manufacture.separation import SeparationParams
from nanocloak.knowledge import loader
from nanocloak.knowledge.schema import Value


@dataclass
class ParameterDraw:
    """Reads knowledge-base values: the used value, or member ``member``'s draw in its range."""

    seed: int = 0
    member: int | None = None
    used: dict[str, Value] = field(default_factory=dict)

    def value(self, path: str, value: Value, unit: str) -> float:
        """``value`` in ``unit``; drawn within its range for an ensemble member."""
        self.used[path] = value
        if self.member is None or not value.is_range:
            return value.to(unit)
        low, high = value.bounds(unit)
        rng = np.random.default_rng([self.seed, self.member, zlib.crc32(path.encode())])
        return float(rng.uniform(low, high))

    def method(self, step: str, name: str, unit: str = "dimensionless") -> float:
        """A constant of the manufacture model from ``methods.yaml``."""
        return self.value(f"methods.{step}.{name}", loader.method_parameters()[step][name], unit)

    def physics(self, name: str, unit: str) -> float:
        """A constant from ``membrane_physics.yaml``."""
        return self.value(f"membrane_physics.{name}", loader.membrane_physics()[name], unit)


def separation_params(draw: ParameterDraw) -> SeparationParams:
    """Constants of vesicle separation."""

    def m(name: str, unit: str = "dimensionless") -> float:
        return draw.method("separation", name, unit)

    return SeparationParams(
        m("hypotonic_lysis_recovery"),
        m("freeze_thaw_lysis_per_cycle"),
        m("freeze_thaw_protein_retention_per_cycle"),
        m("spin_handling_recovery"),
        m("wash_recovery"),
        m("vesicle_extrusion_recovery"),
        m("protein_retention_without_inhibitor"),
        m("fragment_gsd"),
        m("membrane_density_excess", "g/mL"),
        draw.physics("bilayer_thickness", "nm"),
        m("buffer_viscosity", "mPa*s"),
        m("tube_liquid_height", "mm"),
        m("hypotonic_lysis_time", "min"),
        m("freeze_thaw_cycle_time", "min"),
        m("spin_handling_time", "min"),
        m("wash_time", "min"),
        m("vesicle_extrusion_time", "min"),
    )


def protein_stability(
    draw: ParameterDraw, stabilizers: bool, protease_inhibitor: bool
) -> ProteinStability:
    """Arrhenius protein-function loss, slowed by cholesterol/divalent-ion stabilizers."""

    def m(name: str, unit: str = "dimensionless") -> float:
        return draw.method("protein_stability", name, unit)

    factor = draw.method("separation", "stabilizer_damage_factor") if stabilizers else 1.0
    return ProteinStability(
        m("denaturation_rate_at_reference", "1/min"),
        m("reference_temperature", "degC"),
        m("denaturation_activation_energy", "J/mol"),
        m("proteolysis_rate_without_inhibitor", "1/min"),
        m("proteolysis_activation_energy", "J/mol"),
        factor,
        protease_inhibitor,
        m("heat_risk_temperature", "degC"),
    )


def cost_rates(draw: ParameterDraw, step: str) -> CostRates:
    """Labor and the method's equipment cost rates (RCU per hour)."""
    return CostRates(
        draw.method("costs", "labor_cost_per_hour", "1/hour"),
        draw.method(step, "equipment_cost_per_hour", "1/hour"),
    )


def extrusion_params(draw: ParameterDraw) -> ExtrusionParams:
    """Constants of co-extrusion."""

    def m(name: str, unit: str = "dimensionless") -> float:
        return draw.method("extrusion", name, unit)

    return ExtrusionParams(
        m("fusion_probability_per_pass"),
        m("reseal_probability"),
        m("adsorption_loss_per_pass"),
        m("dead_volume_per_run", "mL"),
        m("run_volume", "mL"),
        m("time_per_pass", "min"),
        m("reference_pore", "nm"),
        m("setup_time_per_run", "min"),
        m("shear_protein_loss_per_pass"),
        m("consumables_cost_per_run"),
        m("hands_on_share"),
        draw.method("coating", "reference_vesicle_gsd"),
    )


def sonication_params(draw: ParameterDraw, mode: str) -> SonicationParams:
    """Constants of bath or probe sonication."""

    def m(name: str, unit: str = "dimensionless") -> float:
        return draw.method("sonication", name, unit)

    return SonicationParams(
        m(f"coupling_efficiency_{mode}"),
        m("bath_volume", "mL") if mode == "bath" else None,
        m("reference_energy_density", "J/mL"),
        m("fragment_diameter", "nm"),
        m("fragment_gsd"),
        m("reseal_probability"),
        m("cavitation_protein_loss_per_kj_per_ml", "mL/kJ"),
        m("tube_heat_transfer", "W/K"),
        m("consumables_cost_per_batch"),
        m("setup_time", "min"),
        m("max_sample_volume", "mL"),
        m("hands_on_share"),
    )


def electroporation_params(draw: ParameterDraw) -> ElectroporationParams:
    """Constants of microfluidic electroporation."""

    def m(name: str, unit: str = "dimensionless") -> float:
        return draw.method("microfluidic_electroporation", name, unit)

    return ElectroporationParams(
        m("critical_transmembrane_voltage", "V"),
        m("membrane_capacitance", "F/m^2"),
        m("lumen_resistivity", "ohm*m"),
        m("entry_probability_per_pulse"),
        m("reseal_probability"),
        m("pulse_protein_loss"),
        m("dead_volume", "mL"),
        m("chip_cost_per_batch"),
        m("setup_time", "min"),
        m("hands_on_share"),
        draw.method("coating", "reference_vesicle_gsd"),
    )


def co_incubation_params(draw: ParameterDraw) -> CoIncubationParams:
    """Constants of co-incubation."""

    def m(name: str, unit: str = "dimensionless") -> float:
        return draw.method("co_incubation", name, unit)

    return CoIncubationParams(
        m("encounter_rate_per_hour", "1/hour"),
        m("reference_temperature", "degC"),
        m("fusion_activation_energy", "J/mol"),
        m("unstirred_factor"),
        m("reseal_probability"),
        m("consumables_cost_per_batch"),
        m("setup_time", "min"),
        m("hands_on_share"),
        draw.method("coating", "reference_vesicle_gsd"),
    )
