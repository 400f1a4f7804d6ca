"""Typed loader of ``treatment.yaml``: baseline, default site and spot, skin thresholds, magnetism.

Every entry is validated as a sourced :class:`~nanocloak.knowledge.schema.Value`, its unit is
checked against the expected dimension and its source key must exist in a ``sources*.yaml``
file. Tissue constants, Arrhenius pairs and the CEM43 bases live in ``tissue_properties.yaml``
(:mod:`nanocloak.knowledge.physics`); this file holds only what the treatment workflows add.
"""

from __future__ import annotations

from functools import cache

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.records import iter_values, load_record
from nanocloak.knowledge.schema import Record, Value

TREATMENT_FILE = "treatment.yaml"


class Baseline(Record):
    """Pre-treatment temperature."""

    tumor_temperature: Value


class Site(Record):
    """Default subcutaneous tumor geometry."""

    tumor_radius: Value
    tumor_top_depth: Value


class Laser(Record):
    """Default laser settings."""

    spot_radius: Value


class SkinThresholds(Record):
    """Thermal-dose, Arrhenius and temperature thresholds for the skin check."""

    cem43_limit: Value
    cem43_necrosis: Value
    omega_first_degree: Value
    omega_second_degree: Value
    injury_onset_temperature: Value


class Magnetic(Record):
    """Magnetic-hyperthermia inputs not held by the material tables."""

    size_dispersion: Value


class TreatmentConstants(Record):
    """Contents of ``treatment.yaml``."""

    baseline: Baseline
    site: Site
    laser: Laser
    skin: SkinThresholds
    magnetic: Magnetic


#: Unit each entry must convert to.
EXPECTED_UNITS: dict[str, str] = {
    "baseline.tumor_temperature": "degC",
    "site.tumor_radius": "mm",
    "site.tumor_top_depth": "mm",
    "laser.spot_radius": "mm",
    "skin.cem43_limit": "min",
    "skin.cem43_necrosis": "min",
    "skin.omega_first_degree": "dimensionless",
    "skin.omega_second_degree": "dimensionless",
    "skin.injury_onset_temperature": "degC",
    "magnetic.size_dispersion": "dimensionless",
}


@cache
def treatment_constants() -> TreatmentConstants:
    """The treatment constants (validated, units and sources checked)."""
    return load_record(
        TREATMENT_FILE, TreatmentConstants, EXPECTED_UNITS, by="path", require_units=True
    )


def values(record: TreatmentConstants | None = None) -> dict[str, Value]:
    """Every value by dotted path (``"skin.cem43_limit"``)."""
    return dict(iter_values(treatment_constants() if record is None else record))


def value(path: str) -> Value:
    """One entry by dotted path; a clear error naming the known paths otherwise."""
    table = values()
    if path not in table:
        raise KnowledgeBaseError(f"no treatment constant {path!r}; known: {', '.join(table)}")
    return table[path]


def baseline_tumor_c() -> float:
    """Pre-treatment tumor temperature of a mouse (°C)."""
    return treatment_constants().baseline.tumor_temperature.to("degC")


def default_tumor_radius_mm() -> float:
    """Default radius of the subcutaneous tumor (mm)."""
    return treatment_constants().site.tumor_radius.to("mm")


def default_tumor_top_mm() -> float:
    """Default depth of the tumor's top below the skin (mm)."""
    return treatment_constants().site.tumor_top_depth.to("mm")


def default_spot_radius_mm() -> float:
    """Default laser spot radius (mm)."""
    return treatment_constants().laser.spot_radius.to("mm")


def skin_thresholds() -> dict[str, float]:
    """Skin-check thresholds as floats: CEM43 limit and necrosis (min), Ω levels, onset (°C)."""
    skin = treatment_constants().skin
    return {
        "cem43_limit_min": skin.cem43_limit.to("min"),
        "cem43_necrosis_min": skin.cem43_necrosis.to("min"),
        "omega_first_degree": skin.omega_first_degree.to("dimensionless"),
        "omega_second_degree": skin.omega_second_degree.to("dimensionless"),
        "injury_onset_c": skin.injury_onset_temperature.to("degC"),
    }


def size_dispersion_sigma_ln() -> float:
    """Standard deviation of ln(core diameter) of magnetic crystals."""
    return treatment_constants().magnetic.size_dispersion.to("dimensionless")
