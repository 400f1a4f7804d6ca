"""Cargo loaded into or onto the core, and ligands added to the membrane surface."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from nanocloak.domain.base import ArealDensity, DomainModel, Fraction, MassRatio
from nanocloak.domain.naming import resolve_name
from nanocloak.errors import SpecificationError
from nanocloak.knowledge import loader

MAX_WEIGHT_FRACTION = 0.99


class MassLoading(DomainModel):
    """Cargo mass per core mass, e.g. ``"0.2 mg/mg"``."""

    basis: Literal["mass"] = "mass"
    per_core_mass: MassRatio


class WeightFractionLoading(DomainModel):
    """Drug loading content: cargo mass / (core + cargo) mass, membrane excluded."""

    basis: Literal["weight_fraction"] = "weight_fraction"
    fraction: Fraction

    @model_validator(mode="after")
    def _below_one(self) -> WeightFractionLoading:
        if not self.fraction < MAX_WEIGHT_FRACTION:
            raise SpecificationError(
                "cargos.loading.fraction",
                self.fraction,
                f"a loading content below {MAX_WEIGHT_FRACTION:g} (cargo / (core + cargo))",
                "A particle cannot be all cargo.",
            )
        return self


class EncapsulationLoading(DomainModel):
    """Encapsulation efficiency: the share of the cargo fed per core mass that ends up loaded."""

    basis: Literal["encapsulation"] = "encapsulation"
    efficiency: Fraction
    fed_per_core_mass: MassRatio


Loading = Annotated[
    MassLoading | WeightFractionLoading | EncapsulationLoading, Field(discriminator="basis")
]


class Cargo(DomainModel):
    """A cargo from the knowledge base, where it sits, and how much is loaded."""

    name: str
    loading: Loading
    location: Literal["pores", "cavity", "surface", "membrane"] = "pores"

    @field_validator("name")
    @classmethod
    def _known_cargo(cls, name: str) -> str:
        return resolve_name(loader.cargos(), name, "cargos.name", "cargos")

    @property
    def per_core_mass(self) -> float:
        """Loaded cargo per core mass (mg/mg), whichever basis the loading was given in."""
        loading = self.loading
        if isinstance(loading, MassLoading):
            return float(loading.per_core_mass.to("mg/mg").magnitude)
        if isinstance(loading, EncapsulationLoading):
            return loading.efficiency * float(loading.fed_per_core_mass.to("mg/mg").magnitude)
        return loading.fraction / (1.0 - loading.fraction)

    @property
    def fed_per_core_mass(self) -> float | None:
        """Cargo fed per core mass (mg/mg) when the loading was given as an efficiency."""
        if isinstance(self.loading, EncapsulationLoading):
            return float(self.loading.fed_per_core_mass.to("mg/mg").magnitude)
        return None


class SurfaceModification(DomainModel):
    """A targeting ligand added to the membrane.

    ``folate_lipid_insertion``: a folate–PEG–lipid conjugate inserted into the membrane
    (Fang 2013). ``antibody_azide_click``: the membrane is azide-modified and an antibody is
    clicked on (Xiong 2016). ``target`` names the antigen or receptor bound.
    """

    kind: Literal["folate_lipid_insertion", "antibody_azide_click"]
    target: str = Field(min_length=1)
    density: ArealDensity | None = None
