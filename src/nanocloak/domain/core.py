"""The inorganic core as designed: material, geometry and porosity."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pint
from pydantic import Field, field_validator, model_validator

from nanocloak.domain.base import (
    DomainModel,
    Length,
    MesoporeSize,
    PoreVolume,
    SmallLength,
    SpecificArea,
)
from nanocloak.domain.naming import resolve_name
from nanocloak.errors import SpecificationError
from nanocloak.knowledge import loader
from nanocloak.units import format_quantity


class Sphere(DomainModel):
    """A solid sphere of outer ``diameter``."""

    kind: Literal["sphere"] = "sphere"
    diameter: Length


class Cluster(DomainModel):
    """A spherical cluster of ``diameter`` packed with primary crystals of ``crystal_diameter``."""

    kind: Literal["cluster"] = "cluster"
    diameter: Length
    crystal_diameter: Length

    @model_validator(mode="after")
    def _crystals_fit(self) -> Cluster:
        if self.crystal_diameter >= self.diameter:
            raise SpecificationError(
                "core.geometry.crystal_diameter",
                format_quantity(self.crystal_diameter),
                f"less than the cluster diameter {self.diameter}",
            )
        return self


class Rod(DomainModel):
    """A rod (spherocylinder) of end-to-end ``length`` and ``width``."""

    kind: Literal["rod"] = "rod"
    length: Length
    width: Length

    @model_validator(mode="after")
    def _longer_than_wide(self) -> Rod:
        if self.length < self.width:
            raise SpecificationError(
                "core.geometry.length",
                format_quantity(self.length),
                f"at least the width {self.width}",
                "A rod's length is its long axis.",
            )
        return self


class Shell(DomainModel):
    """A core–shell sphere: a shell of outer radius on a solid inner core (e.g. Au on silica)."""

    kind: Literal["shell"] = "shell"
    inner_radius: Length
    outer_radius: Length

    @model_validator(mode="after")
    def _outer_exceeds_inner(self) -> Shell:
        _check_radii(self.inner_radius, self.outer_radius)
        return self


class HollowSphere(DomainModel):
    """A hollow sphere: a shell between ``inner_radius`` and ``outer_radius`` around a cavity."""

    kind: Literal["hollow_sphere"] = "hollow_sphere"
    inner_radius: Length
    outer_radius: Length

    @model_validator(mode="after")
    def _outer_exceeds_inner(self) -> HollowSphere:
        _check_radii(self.inner_radius, self.outer_radius)
        return self


class Cage(DomainModel):
    """A hollow cubic nanocage of outer ``edge_length`` and ``wall_thickness``."""

    kind: Literal["cage"] = "cage"
    edge_length: Length
    wall_thickness: Length

    @model_validator(mode="after")
    def _walls_fit(self) -> Cage:
        if 2 * self.wall_thickness >= self.edge_length:
            raise SpecificationError(
                "core.geometry.wall_thickness",
                format_quantity(self.wall_thickness),
                f"less than half the edge length {self.edge_length}",
            )
        return self


def _check_radii(inner: pint.Quantity[Any], outer: pint.Quantity[Any]) -> None:
    if not outer > inner:
        raise SpecificationError(
            "core.geometry.outer_radius",
            format_quantity(outer),
            f"larger than inner_radius {format_quantity(inner)}",
        )


Geometry = Annotated[
    Sphere | Cluster | Rod | Shell | HollowSphere | Cage, Field(discriminator="kind")
]


class Porosity(DomainModel):
    """Porosity of a porous core (nitrogen sorption: BJH pore size, pore volume, BET area)."""

    pore_diameter: MesoporeSize | None = None
    pore_volume: PoreVolume | None = None
    surface_area: SpecificArea | None = None


class Core(DomainModel):
    """An inorganic core: a knowledge-base material, its geometry and (if porous) its porosity.

    ``silica_shell`` is an optional mesoporous silica layer grown on the core (e.g. UCNP@mSiO2);
    its thickness adds to the outer size and its pores can hold cargo.
    """

    material: str
    geometry: Geometry
    porosity: Porosity | None = None
    silica_shell: SmallLength | None = None

    @field_validator("material")
    @classmethod
    def _known_material(cls, name: str) -> str:
        return resolve_name(loader.core_materials(), name, "core.material", "materials")

    @model_validator(mode="after")
    def _geometry_allowed(self) -> Core:
        entry = loader.core_materials()[self.material]
        if self.geometry.kind not in entry.geometries:
            raise SpecificationError(
                "core.geometry.kind",
                self.geometry.kind,
                f"one of {entry.geometries} for {entry.name}",
            )
        if self.geometry.kind == "shell" and "core_density" not in entry.properties:
            raise SpecificationError(
                "core.geometry.kind",
                "shell",
                f"a material with a known inner-core density for a core-shell geometry; "
                f"{entry.name} has none",
                "For an upconversion core with mesoporous silica use silica_shell = '10 nm'.",
            )
        if self.silica_shell is not None and self.geometry.kind not in ("sphere", "cluster"):
            raise SpecificationError(
                "core.silica_shell",
                format_quantity(self.silica_shell),
                "a silica shell only on a sphere or cluster core (e.g. UCNP@mSiO2)",
            )
        if self.porosity is not None and not (entry.porous or self.silica_shell is not None):
            raise SpecificationError(
                "core.porosity",
                self.porosity.model_dump(mode="json", exclude_none=True),
                f"no porosity for non-porous {entry.name}",
                "Porosity applies to mesoporous silica, ZIF-8 or a mesoporous silica shell.",
            )
        return self
