"""Typed loader of the photochemistry constants: PDT, upconversion, starvation, CRET, shell rupture.

Reads ``photochem.yaml``, validates every entry as a sourced
:class:`~nanocloak.knowledge.schema.Value`, checks that each unit has the expected dimension and
that every source key exists in one of the ``sources*.yaml`` files (the shared checks of
:mod:`nanocloak.knowledge.records`).
"""

from __future__ import annotations

from functools import cache

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.records import check_values, iter_values, load_record
from nanocloak.knowledge.schema import Record, Value

PHOTOCHEM_FILE = "photochem.yaml"


class Photosensitizer(Record):
    """Constants of one photosensitizer in the macroscopic singlet-oxygen model."""

    activation_wavelength: Value
    extinction: Value
    singlet_oxygen_yield: Value
    bleaching_sigma: Value
    beta: Value
    delta: Value
    xi: Value | None = None
    necrosis_threshold: Value | None = None


class SingletOxygen(Record):
    """Reacting share of singlet oxygen and the default necrosis threshold."""

    reacted_fraction_alpha: Value
    necrosis_threshold_default: Value


class Oxygen(Record):
    """Tissue oxygen: baseline, vascular supply, solubility, hypoxia level."""

    tissue_initial: Value
    supply_rate: Value
    solubility_tissue: Value
    hypoxia_po2: Value


class Upconversion(Record):
    """Power-density dependence of upconversion and transfer to the photosensitizer."""

    photon_order: Value
    saturation_quantum_yield: Value
    balancing_power_density: Value
    transfer_efficiency: Value


class GlucoseOxidase(Record):
    """Ping-pong kinetics of glucose oxidase and the acid it makes."""

    kcat: Value
    km_glucose: Value
    km_oxygen: Value
    gluconic_acid_pka: Value


class TumorChemistry(Record):
    """Glucose, H2O2 and acid–base state of the tumour's interstitium."""

    glucose: Value
    glucose_resupply_rate: Value
    h2o2: Value
    h2o2_clearance_rate: Value
    ph: Value
    bicarbonate: Value
    bicarbonate_pka: Value


class Perfluorocarbon(Record):
    """Oxygen solubility and transport in a perfluorocarbon carrier."""

    o2_solubility: Value
    o2_diffusivity: Value
    loading_po2: Value


class Cret(Record):
    """Peroxyoxalate chemiluminescence and energy transfer to the photosensitizer."""

    cppo_h2o2_rate_constant: Value
    chemiexcitation_yield: Value
    energy_transfer_efficiency: Value


class ShellRupture(Record):
    """Weibull dose–response of membrane-shell rupture by reacted singlet oxygen."""

    dose_50: Value
    shape: Value


class TumorTissue(Record):
    """Composition of the tumour for its optical absorption at the PDT wavelengths."""

    blood_fraction: Value
    saturation: Value
    water_fraction: Value
    water_absorption_660nm: Value


class PhotochemConstants(Record):
    """Contents of ``photochem.yaml``."""

    photosensitizers: dict[str, Photosensitizer]
    singlet_oxygen: SingletOxygen
    oxygen: Oxygen
    upconversion: Upconversion
    glucose_oxidase: GlucoseOxidase
    tumor_chemistry: TumorChemistry
    perfluorocarbon: Perfluorocarbon
    cret: Cret
    shell_rupture: ShellRupture
    tumor_tissue: TumorTissue


#: Expected unit (dimension) of named fields; a value whose unit does not convert is rejected.
EXPECTED_UNITS: dict[str, str] = {
    "activation_wavelength": "nm",
    "extinction": "1/(cm*uM)",
    "xi": "cm^2/(mW*s)",
    "bleaching_sigma": "1/uM",
    "beta": "uM",
    "delta": "uM",
    "necrosis_threshold": "mM",
    "necrosis_threshold_default": "mM",
    "tissue_initial": "uM",
    "supply_rate": "uM/s",
    "solubility_tissue": "uM/mmHg",
    "hypoxia_po2": "mmHg",
    "balancing_power_density": "W/cm^2",
    "kcat": "1/s",
    "km_glucose": "mM",
    "km_oxygen": "mM",
    "glucose": "mM",
    "glucose_resupply_rate": "1/s",
    "h2o2": "uM",
    "h2o2_clearance_rate": "1/s",
    "bicarbonate": "mM",
    "o2_solubility": "uM/mmHg",
    "o2_diffusivity": "m^2/s",
    "loading_po2": "mmHg",
    "cppo_h2o2_rate_constant": "1/(M*s)",
    "dose_50": "mM",
    "water_absorption_660nm": "1/cm",
}


def check(filename: str, record: Record) -> None:
    """Raise ``KnowledgeBaseError`` for an unknown source or a unit of the wrong dimension."""
    check_values(filename, iter_values(record), EXPECTED_UNITS)


@cache
def photochem_constants() -> PhotochemConstants:
    """All photochemistry constants (validated, units and sources checked)."""
    return load_record(PHOTOCHEM_FILE, PhotochemConstants, EXPECTED_UNITS)


def photosensitizer(name: str) -> Photosensitizer:
    """Constants of photosensitizer ``name``, a ``photochem.yaml`` key such as ``"chlorin_e6"``."""
    table = photochem_constants().photosensitizers
    if name not in table:
        raise KnowledgeBaseError(
            f"unknown photosensitizer {name!r}; known: {', '.join(sorted(table))}"
        )
    return table[name]


def photosensitizer_names() -> tuple[str, ...]:
    """Keys of the photosensitizer table (cargo ids of ``cargos.yaml`` where they exist)."""
    return tuple(sorted(photochem_constants().photosensitizers))
