"""Typed loaders of the physics constants: tissue optics and heat, damage, magnetism, MRI.

Reads ``tissue_properties.yaml`` and ``magnetic_constants.yaml``, validates every entry as a
sourced :class:`~nanocloak.knowledge.schema.Value`, checks that each unit has the expected
dimension, and that every source key exists in one of the ``sources*.yaml`` files (through
:mod:`nanocloak.knowledge.records`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import records
from nanocloak.knowledge.records import RecordT, check_values
from nanocloak.knowledge.records import all_sources as all_sources
from nanocloak.knowledge.records import iter_values as iter_values
from nanocloak.knowledge.schema import Record, Value

TISSUE_FILE = "tissue_properties.yaml"
MAGNETIC_FILE = "magnetic_constants.yaml"


class ThermalTissue(Record):
    """Thermal properties of one tissue."""

    density: Value
    heat_capacity: Value
    conductivity: Value
    perfusion: Value | None = None
    metabolic_heat: Value | None = None


class ScatteringLaw(Record):
    """Jacques 2013 Table 2 power law ``μ_s' = a (λ/500 nm)^(−b)``."""

    a: Value
    b: Value


class ArrheniusPair(Record):
    """Frequency factor and activation energy of one damage process."""

    frequency_factor: Value
    activation_energy: Value


class DamageConstants(Record):
    """CEM43 bases, gas constant and Arrhenius pairs."""

    cem43_r_above: Value
    cem43_r_below: Value
    gas_constant: Value
    arrhenius: dict[str, ArrheniusPair]


class TissueProperties(Record):
    """Contents of ``tissue_properties.yaml``."""

    thermal: dict[str, ThermalTissue]
    boundary: dict[str, Value]
    scattering: dict[str, ScatteringLaw]
    anisotropy: Value
    refractive_index: Value
    absorbers: dict[str, dict[int, Value]]
    blood_hemoglobin: Value
    damage: DamageConstants


class MagneticConstants(Record):
    """Contents of ``magnetic_constants.yaml``."""

    magnetite: dict[str, Value]
    water: dict[str, Value]
    field_limits: dict[str, Value]
    constants: dict[str, Value]


#: Expected unit (dimension) of named fields; a value whose unit does not convert is rejected.
EXPECTED_UNITS: dict[str, str] = {
    "density": "kg/m^3",
    "heat_capacity": "J/(kg*K)",
    "conductivity": "W/(m*K)",
    "perfusion": "1/s",
    "metabolic_heat": "W/m^3",
    "a": "1/cm",
    "frequency_factor": "1/s",
    "activation_energy": "J/mol",
    "gas_constant": "J/(mol*K)",
    "domain_magnetization": "A/m",
    "attempt_time": "s",
    "surfactant_shell": "nm",
    "viscosity_20c": "Pa*s",
    "viscosity_37c": "Pa*s",
    "self_diffusion_25c": "m^2/s",
    "self_diffusion_37c": "m^2/s",
    "brezovich": "A/(m*s)",
    "hergt_dutz": "A/(m*s)",
    "skin_heat_transfer": "W/(m^2*K)",
}


def _check(filename: str, record: Record) -> None:
    check_values(filename, iter_values(record), EXPECTED_UNITS)


def load_record(filename: str, model: type[RecordT]) -> RecordT:
    """Load a knowledge-base YAML file as ``model``, every value's unit and source checked."""
    return records.load_record(filename, model, EXPECTED_UNITS)


@cache
def tissue_properties() -> TissueProperties:
    """Tissue optics, heat and damage constants (validated, sources checked)."""
    return load_record(TISSUE_FILE, TissueProperties)


@cache
def magnetic_constants() -> MagneticConstants:
    """Magnetite, water, field-limit and physical constants (validated, sources checked)."""
    return load_record(MAGNETIC_FILE, MagneticConstants)


def _lookup(mapping: dict[str, Any], key: str, what: str) -> Any:
    if key not in mapping:
        raise KnowledgeBaseError(f"unknown {what} {key!r}; known: {', '.join(sorted(mapping))}")
    return mapping[key]


def thermal_si(tissue: str) -> dict[str, float]:
    """Thermal properties of ``tissue`` in SI floats (kg/m³, J/(kg K), W/(m K), 1/s, W/m³).

    Missing perfusion or metabolic heat are returned as 0.
    """
    entry: ThermalTissue = _lookup(tissue_properties().thermal, tissue, "tissue")
    return {
        "density_kg_per_m3": entry.density.to("kg/m^3"),
        "heat_capacity_j_per_kg_k": entry.heat_capacity.to("J/(kg*K)"),
        "conductivity_w_per_m_k": entry.conductivity.to("W/(m*K)"),
        "perfusion_per_s": 0.0 if entry.perfusion is None else entry.perfusion.to("1/s"),
        "metabolic_w_per_m3": 0.0
        if entry.metabolic_heat is None
        else entry.metabolic_heat.to("W/m^3"),
    }


def scattering_law(tissue: str) -> tuple[float, float]:
    """``(a in cm⁻¹, b)`` of Jacques 2013 Table 2 for ``tissue``."""
    law: ScatteringLaw = _lookup(tissue_properties().scattering, tissue, "scattering tissue type")
    return law.a.to("1/cm"), law.b.value


def absorber_value(absorber: str, wavelength_nm: int) -> Value:
    """The tabulated value of ``absorber`` at a laser line (660, 808, 980 or 1064 nm)."""
    spectrum: dict[int, Value] = _lookup(tissue_properties().absorbers, absorber, "absorber")
    if wavelength_nm not in spectrum:
        raise KnowledgeBaseError(
            f"{absorber} has no sourced value at {wavelength_nm} nm; "
            f"tabulated: {sorted(spectrum)} nm"
        )
    return spectrum[wavelength_nm]


def arrhenius_pair(process: str) -> tuple[float, float]:
    """``(A in s⁻¹, E_a in J/mol)`` of a damage process (e.g. ``"liver"``)."""
    pair: ArrheniusPair = _lookup(tissue_properties().damage.arrhenius, process, "damage process")
    return pair.frequency_factor.to("1/s"), pair.activation_energy.to("J/mol")
