"""Typed loaders of the imaging constants (``imaging.yaml``).

Fluorophores (NIR dyes and upconverting nanoparticles) with their excitation and emission
wavelengths, extinction and quantum yield; tissue autofluorescence and filter leakage; the
IR-camera constants; MRI tissue relaxation times at 1.5, 3 and 7 T and the field dependence of
iron-oxide r2. Every value is a sourced :class:`~nanocloak.knowledge.schema.Value`; units are
checked against the expected dimension and every source key must resolve.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.records import check_values, iter_values, load_record
from nanocloak.knowledge.schema import Record, Value

IMAGING_FILE = "imaging.yaml"
FIELDS_T = ("1.5", "3", "7")

EXPECTED_UNITS: dict[str, str] = {
    "molar_mass": "g/mol",
    "excitation_peak": "nm",
    "emission_peak": "nm",
    "molar_extinction": "1/(M*cm)",
    "yb_absorption_cross_section": "cm^2",
    "rare_earth_sites_per_nm3": "1/nm^3",
    "critical_power_density": "W/cm^2",
    "netd": "K",
    "pixel_size": "mm",
    "iron_molar_mass": "g/mol",
    "tissue_density": "g/mL",
    "t1": "ms",
    "t2": "ms",
}


class Fluorophore(Record):
    """One NIR dye or upconverter."""

    name: str
    kind: Literal["dye", "ucnp"]
    excitation_peak: Value
    emission_peak: Value
    quantum_yield: Value
    molar_mass: Value | None = None
    molar_extinction: Value | None = None
    extinction_spectrum: dict[int, Value] | None = None
    yb_absorption_cross_section: Value | None = None
    yb_fraction: Value | None = None
    rare_earth_sites_per_nm3: Value | None = None
    critical_power_density: Value | None = None


class Relaxation(Record):
    """Intrinsic T1 and T2 of one tissue at one field."""

    t1: Value
    t2: Value


class MriConstants(Record):
    """Iron conversion, tissue relaxation times and r2 field dependence."""

    iron_molar_mass: Value
    iron_mass_fraction_fe3o4: Value
    tissue_density: Value
    relaxation: dict[str, dict[str, Relaxation]]
    r2_field_ratio: dict[str, Value]


class ImagingConstants(Record):
    """Contents of ``imaging.yaml``."""

    fluorophores: dict[str, Fluorophore]
    autofluorescence: dict[str, Value]
    thermal_camera: dict[str, Value]
    optics_composition: dict[str, Value]
    mri: MriConstants


@cache
def imaging_constants() -> ImagingConstants:
    """All imaging constants (validated; units and source keys checked)."""
    return load_record(IMAGING_FILE, ImagingConstants, EXPECTED_UNITS)


def check(filename: str, record: Record) -> None:
    """Raise if a value cites an unknown source or has a unit of the wrong dimension."""
    check_values(filename, iter_values(record), EXPECTED_UNITS)


def fluorophore(label: str) -> Fluorophore:
    """The fluorophore ``label`` (``icg``, ``ir780``, ``dir``, ``cy55``, ``ucnp_er``)."""
    table = imaging_constants().fluorophores
    key = label.strip().lower().replace(".", "").replace("-", "")
    if key not in table:
        raise KnowledgeBaseError(
            f"unknown fluorescent label {label!r}; known: {', '.join(sorted(table))}"
        )
    return table[key]


def extinction_spectrum(label: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(wavelength_nm, ε in M⁻¹ cm⁻¹)`` of a dye: relative spectrum × peak extinction."""
    dye = fluorophore(label)
    if dye.extinction_spectrum is None or dye.molar_extinction is None:
        raise KnowledgeBaseError(f"{label!r} has no tabulated extinction spectrum")
    points = sorted(dye.extinction_spectrum.items())
    peak = dye.molar_extinction.to("1/(M*cm)")
    return (
        np.array([float(w) for w, _ in points]),
        np.array([v.value * peak for _, v in points]),
    )


def tissue_relaxation_ms(field_t: float, tissue: str) -> tuple[float, float]:
    """``(T1, T2)`` in ms of ``tissue`` (liver, spleen, muscle, tumor) at 1.5, 3 or 7 T."""
    key = _field_key(field_t)
    table = imaging_constants().mri.relaxation[key]
    if tissue not in table:
        raise KnowledgeBaseError(
            f"no relaxation times for tissue {tissue!r}; known: {', '.join(sorted(table))}"
        )
    entry = table[tissue]
    return entry.t1.to("ms"), entry.t2.to("ms")


def r2_field_ratio(field_t: float) -> float:
    """``r2(B0)/r2(1.5 T)`` of superparamagnetic iron oxide at 1.5, 3 or 7 T."""
    return imaging_constants().mri.r2_field_ratio[_field_key(field_t)].value


def _field_key(field_t: float) -> str:
    for key in FIELDS_T:
        if abs(float(key) - field_t) < 1e-9:
            return key
    raise KnowledgeBaseError(
        f"no tabulated MRI constants at {field_t:g} T; fields: {', '.join(FIELDS_T)} T"
    )
