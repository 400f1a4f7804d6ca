"""Typed entries of the knowledge-base files and the rules that tie them together.

Files (in ``knowledge/data/``):

``sources.yaml``           key → ``nanocloak.knowledge.schema.Source``
``core_materials.yaml``    id → ``CoreMaterialEntry``
``membrane_sources.yaml``  id → ``MembraneSourceEntry`` (``inherits`` another id)
``cargos.yaml``            id → ``CargoEntry``
``species.yaml``           id → ``SpeciesEntry``
``membrane_physics.yaml``  name → ``nanocloak.knowledge.schema.Value``
``methods.yaml``           method → parameter name → Value (the manufacture model's constants)
``review_references.yaml`` reference number → ``ReviewReference``
``studies.csv``            one row per line of the review's Tables 1 and 2
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from nanocloak.knowledge.schema import Record, Value

CoreFamily = Literal[
    "iron_oxide", "gold", "silica", "upconversion", "sulfide", "oxide", "mof", "liquid_metal"
]
GeometryKind = Literal["sphere", "rod", "shell", "hollow_sphere", "cage", "cluster"]
MembraneFamily = Literal[
    "rbc", "platelet", "leukocyte", "macrophage", "neutrophil", "msc", "cancer", "cancer_stem_cell"
]
CargoKind = Literal[
    "small_molecule_drug",
    "photosensitizer",
    "enzyme",
    "nucleic_acid",
    "dye",
    "oxygen_carrier",
    "chemiluminescent",
    "inorganic",
    "adjuvant",
]


class CoreMaterialEntry(Record):
    """An inorganic core material with its sourced properties.

    ``density`` is the bulk (or skeletal, for porous solids) density. ``geometries`` lists the
    geometry kinds a design may give for this material. ``properties`` holds further sourced
    values by name (e.g. ``pce_808nm``, ``saturation_magnetization``, ``r2_relaxivity``).
    """

    name: str
    aliases: list[str] = Field(default_factory=list)
    family: CoreFamily
    formula: str
    geometries: list[GeometryKind] = Field(min_length=1)
    porous: bool = False
    density: Value
    zeta_bare: Value
    properties: dict[str, Value] = Field(default_factory=dict)
    shell_material: str | None = None
    description: str = ""


class MembraneSourceEntry(Record):
    """A source cell whose plasma membrane coats the cores.

    Cell-level values may be inherited from a parent entry (``inherits``), e.g. every cancer
    line inherits the generic cancer-cell values unless it gives its own.
    ``membrane_protein_density`` is plasma-membrane protein per membrane area (protein per cell
    = density × ``membrane_area``); ``membrane_purity`` is the share of BCA-measured protein of
    a membrane preparation that is plasma-membrane protein.
    """

    name: str
    aliases: list[str] = Field(default_factory=list)
    family: MembraneFamily
    inherits: str | None = None
    species_origin: Literal["human", "mouse", "rat", "monkey", "any"] = "any"
    tissue: str = ""
    nucleated: bool | None = None
    harvest: Literal["blood", "culture", "bone_marrow"] | None = None
    cell_diameter: Value | None = None
    membrane_area: Value | None = None
    membrane_protein_density: Value | None = None
    membrane_purity: Value | None = None
    vesicle_zeta: Value | None = None
    markers: dict[str, Value] = Field(default_factory=dict)
    functions: list[str] = Field(default_factory=list)
    description: str = ""


class CargoEntry(Record):
    """A cargo loaded into or onto the cores."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: CargoKind
    modalities: list[str] = Field(min_length=1)
    molar_mass: Value
    properties: dict[str, Value] = Field(default_factory=dict)
    description: str = ""


class SpeciesEntry(Record):
    """Physiology of a species used to size harvests (blood volume, cell counts)."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    body_weight: Value
    blood_volume: Value
    rbc_count: Value
    platelet_count: Value
    wbc_count: Value
    properties: dict[str, Value] = Field(default_factory=dict)


class ReviewReference(Record):
    """One entry of the review's reference list, as the review gives it."""

    citation: str = Field(min_length=10)
    doi: str | None = None
