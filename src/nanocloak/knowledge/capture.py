"""Typed loader of ``capture.yaml``: CTC capture by immuno-magnetosomes and gallium nanoswimmers.

Every entry is a sourced :class:`~nanocloak.knowledge.schema.Value`; the loader checks that each
unit has the dimension the models expect and that every source key resolves in one of the
``sources*.yaml`` files. The workflows :mod:`nanocloak.workflows.ctc_capture` and
:mod:`nanocloak.workflows.swim` read the values in SI through :func:`si`.
"""

from __future__ import annotations

from functools import cache

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.records import check_values, iter_values, load_record
from nanocloak.knowledge.schema import Record, Value

CAPTURE_FILE = "capture.yaml"


class CaptureConstants(Record):
    """Contents of ``capture.yaml``, one mapping of name → value per group."""

    immunomagnetosome: dict[str, Value]
    ctc: dict[str, Value]
    leukocyte: dict[str, Value]
    binding: dict[str, Value]
    blood: dict[str, Value]
    separator: dict[str, Value]
    swimmer: dict[str, Value]
    acoustics: dict[str, Value]
    fouling: dict[str, Value]


#: SI unit of every entry (``group.name``); a value whose unit does not convert is rejected,
#: and an entry missing here is rejected too, so a new constant must declare its dimension.
SI_UNITS: dict[str, str] = {
    "immunomagnetosome.diameter": "m",
    "immunomagnetosome.magnetite_magnetization": "A/m",
    "immunomagnetosome.magnetite_fraction": "dimensionless",
    "immunomagnetosome.initial_susceptibility": "dimensionless",
    "immunomagnetosome.density": "kg/m^3",
    "immunomagnetosome.dose": "kg/m^3",
    "immunomagnetosome.antibodies_per_particle": "dimensionless",
    "ctc.diameter": "m",
    "ctc.epcam_per_cell": "dimensionless",
    "ctc.label_spread": "dimensionless",
    "leukocyte.diameter": "m",
    "leukocyte.count": "1/m^3",
    "leukocyte.label_spread": "dimensionless",
    "binding.site_radius": "m",
    "binding.dissociation_rate": "1/s",
    "binding.bonds_per_particle": "dimensionless",
    "binding.jamming_coverage": "dimensionless",
    "binding.nonspecific_sticking": "dimensionless",
    "binding.leukocyte_membrane_factor": "dimensionless",
    "binding.shear_rate": "1/s",
    "binding.temperature": "K",
    "blood.plasma_viscosity": "Pa*s",
    "blood.serum_viscosity": "Pa*s",
    "blood.whole_blood_viscosity": "Pa*s",
    "blood.water_viscosity_25c": "Pa*s",
    "separator.channel_length": "m",
    "separator.channel_width": "m",
    "separator.channel_height": "m",
    "separator.field": "T",
    "separator.field_gradient": "T/m",
    "separator.reported_capture": "dimensionless",
    "swimmer.length": "m",
    "swimmer.diameter": "m",
    "swimmer.membrane_thickness": "m",
    "swimmer.reported_max_speed": "m/s",
    "acoustics.reference_speed": "m/s",
    "acoustics.reference_energy_density": "J/m^3",
    "acoustics.reference_frequency": "Hz",
    "acoustics.reference_viscosity": "Pa*s",
    "acoustics.water_density": "kg/m^3",
    "acoustics.water_sound_speed": "m/s",
    "fouling.corona_thickness_serum": "m",
    "fouling.corona_thickness_blood": "m",
    "fouling.membrane_fouling_factor": "dimensionless",
}


def check(record: CaptureConstants) -> None:
    """Raise ``KnowledgeBaseError`` unless every value's source resolves and its unit fits."""
    check_values(CAPTURE_FILE, items(record), SI_UNITS, by="path", require_units=True)


def items(record: CaptureConstants) -> list[tuple[str, Value]]:
    """Every value with its dotted path ``group.name``."""
    return list(iter_values(record))


@cache
def capture_constants() -> CaptureConstants:
    """The validated contents of ``capture.yaml`` (sources and units checked)."""
    return load_record(CAPTURE_FILE, CaptureConstants, SI_UNITS, by="path", require_units=True)


def value(path: str) -> Value:
    """The record at ``group.name``; ``KnowledgeBaseError`` names the known ones otherwise."""
    table = dict(items(capture_constants()))
    if path not in table:
        raise KnowledgeBaseError(
            f"unknown capture constant {path!r}; known: {', '.join(sorted(table))}"
        )
    return table[path]


def si(path: str) -> float:
    """The used value of ``group.name`` in its SI unit (see :data:`SI_UNITS`)."""
    return value(path).to(SI_UNITS[path])


def si_bounds(path: str) -> tuple[float, float]:
    """The literature range of ``group.name`` in SI (the value twice if no range is given)."""
    return value(path).bounds(SI_UNITS[path])


def sources_of(paths: list[str]) -> dict[str, str]:
    """``path → source key`` for the constants a result used (for provenance)."""
    return {p: value(p).source for p in paths}
