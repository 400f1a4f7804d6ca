"""Typed loaders of optical constants: n,k tables of gold and magnetite, Drude constants.

Tables are CSV files under ``knowledge/data`` whose ``#`` header lines name the source and the
licence (``optical_constants_gold_johnson_christy.csv``, Johnson & Christy 1972;
``optical_constants_magnetite_querry.csv``, Querry 1985). Drude constants (gold's free-electron
part for the size correction, liquid gallium) and the indices of media are sourced values in
``optical_constants.yaml``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.data_files import read_text
from nanocloak.knowledge.records import load_record
from nanocloak.knowledge.schema import Record, Value

CONSTANTS_FILE = "optical_constants.yaml"
TABLE_FILES = {
    "gold": "optical_constants_gold_johnson_christy.csv",
    "magnetite": "optical_constants_magnetite_querry.csv",
}
DRUDE_UNITS = {
    "plasma_energy": "eV",
    "damping_energy": "eV",
    "fermi_velocity": "m/s",
}


@dataclass(frozen=True, slots=True)
class IndexTable:
    """A tabulated complex refractive index ``n + ik`` against vacuum wavelength.

    Attributes
    ----------
    material
        Table key (``"gold"``, ``"magnetite"``).
    wavelength_nm, n, k
        Strictly increasing vacuum wavelengths (nm) and the real and imaginary index.
    header
        The file's comment lines (source, transcription, licence).
    """

    material: str
    wavelength_nm: NDArray[np.float64]
    n: NDArray[np.float64]
    k: NDArray[np.float64]
    header: tuple[str, ...]

    @property
    def range_nm(self) -> tuple[float, float]:
        """First and last tabulated wavelength (nm)."""
        return float(self.wavelength_nm[0]), float(self.wavelength_nm[-1])


class DrudeMetal(Record):
    """Free-electron constants of a metal."""

    plasma_energy: Value
    damping_energy: Value
    fermi_velocity: Value | None = None
    surface_scattering_a: Value | None = None
    epsilon_inf: Value | None = None


class OpticalConstants(Record):
    """Contents of ``optical_constants.yaml``."""

    gold_drude: DrudeMetal
    gallium_drude: DrudeMetal
    media: dict[str, Value]
    tabulated_mass_extinction: dict[str, dict[int, Value]]


@cache
def index_table(material: str) -> IndexTable:
    """The n,k table of ``material`` (``"gold"`` or ``"magnetite"``), validated.

    Raises
    ------
    KnowledgeBaseError
        Unknown material, a malformed row, a non-increasing wavelength or a negative k.
    """
    if material not in TABLE_FILES:
        raise KnowledgeBaseError(
            f"no optical-constant table for {material!r}; tables: {', '.join(sorted(TABLE_FILES))}"
        )
    filename = TABLE_FILES[material]
    lines = read_text(filename).splitlines()
    header = tuple(line.lstrip("# ").rstrip() for line in lines if line.startswith("#"))
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(body))
    try:
        data = np.array([[float(r["wavelength_nm"]), float(r["n"]), float(r["k"])] for r in rows])
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeBaseError(f"{filename}: malformed row ({exc})") from None
    if data.ndim != 2 or data.shape[0] < 2:
        raise KnowledgeBaseError(f"{filename}: needs at least two rows")
    if np.any(np.diff(data[:, 0]) <= 0.0):
        raise KnowledgeBaseError(f"{filename}: wavelengths must increase strictly")
    if np.any(data[:, 2] < 0.0) or np.any(data[:, 1] <= 0.0):
        raise KnowledgeBaseError(f"{filename}: need n > 0 and k >= 0")
    if not any("source" in h.lower() for h in header) or not any(
        "licen" in h.lower() for h in header
    ):
        raise KnowledgeBaseError(f"{filename}: the header must name the source and the licence")
    return IndexTable(material, data[:, 0].copy(), data[:, 1].copy(), data[:, 2].copy(), header)


@cache
def optical_constants() -> OpticalConstants:
    """Drude constants and media indices (validated, sources checked)."""
    return load_record(CONSTANTS_FILE, OpticalConstants, DRUDE_UNITS)


def drude(metal: str) -> dict[str, float]:
    """Drude constants of ``"gold"`` or ``"gallium"`` as floats.

    Returns ``plasma_ev``, ``damping_ev`` and, where tabulated, ``fermi_velocity_m_per_s``,
    ``surface_scattering_a`` and ``epsilon_inf``.
    """
    constants = optical_constants()
    entries = {"gold": constants.gold_drude, "gallium": constants.gallium_drude}
    if metal not in entries:
        raise KnowledgeBaseError(f"no Drude constants for {metal!r}; known: gold, gallium")
    entry = entries[metal]
    out = {
        "plasma_ev": entry.plasma_energy.to("eV"),
        "damping_ev": entry.damping_energy.to("eV"),
    }
    if entry.fermi_velocity is not None:
        out["fermi_velocity_m_per_s"] = entry.fermi_velocity.to("m/s")
    if entry.surface_scattering_a is not None:
        out["surface_scattering_a"] = entry.surface_scattering_a.value
    if entry.epsilon_inf is not None:
        out["epsilon_inf"] = entry.epsilon_inf.value
    return out


def tabulated_mass_extinction(material: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(wavelength_nm, L g⁻¹ cm⁻¹)`` of a core with a tabulated spectrum (e.g. ``cus_hollow``)."""
    tables = optical_constants().tabulated_mass_extinction
    if material not in tables:
        raise KnowledgeBaseError(
            f"no tabulated spectrum for {material!r}; tabulated: {', '.join(sorted(tables))}"
        )
    points = sorted(tables[material].items())
    wavelengths = np.array([float(w) for w, _ in points])
    values = np.array([v.to("L/g/cm") for _, v in points])
    return wavelengths, values


def medium_index(medium: str) -> float:
    """Real refractive index of a medium (``"water"``, ``"silica"``)."""
    media = optical_constants().media
    if medium not in media:
        raise KnowledgeBaseError(f"unknown medium {medium!r}; known: {', '.join(sorted(media))}")
    return media[medium].value
