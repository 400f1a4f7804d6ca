"""A formulation (the particle as designed) and a design (a formulation plus a batch to make)."""

from __future__ import annotations

from pydantic import Field, model_validator

from nanocloak.domain.base import DomainModel, Mass, MassConcentration
from nanocloak.domain.cargo import Cargo, SurfaceModification
from nanocloak.domain.core import Core
from nanocloak.domain.membrane import Membrane
from nanocloak.domain.preparation import Preparation
from nanocloak.errors import SpecificationError
from nanocloak.knowledge import loader


class Formulation(DomainModel):
    """What the researcher designs: core, membrane, cargos, ligands and how it is made.

    These are nominal (designed) values; measured ones belong to a characterization record.
    """

    name: str = Field(min_length=1, max_length=120)
    description: str = ""
    reference: str = ""
    core: Core
    membrane: Membrane
    cargos: list[Cargo] = Field(default_factory=list)
    surface_modifications: list[SurfaceModification] = Field(default_factory=list)
    preparation: Preparation

    @model_validator(mode="after")
    def _loading_within_capacity(self) -> Formulation:
        entry = loader.core_materials()[self.core.material]
        capacity = entry.properties.get("loading_capacity_max")
        if capacity is None:
            return self
        total = sum(cargo.per_core_mass for cargo in self.cargos)
        weight_fraction = total / (1.0 + total)
        limit = capacity.value
        if weight_fraction > limit:
            raise SpecificationError(
                "cargos.loading",
                f"{weight_fraction:.0%} of particle mass",
                f"at most {limit:.0%} for {entry.name} (loading capacity, "
                f"source: {capacity.source})",
            )
        return self


class Batch(DomainModel):
    """The batch to make: mass of cores and their concentration during assembly."""

    core_mass: Mass = "10 mg"
    core_concentration: MassConcentration = "1 mg/mL"


class Design(Formulation):
    """A design file: a formulation plus the batch to make of it."""

    batch: Batch = Field(default_factory=Batch)
