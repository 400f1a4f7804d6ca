"""The membrane as designed: one source cell or a hybrid of several, by protein-mass fraction."""

from __future__ import annotations

import math
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from nanocloak.domain.base import ArealDensity, DomainModel, Fraction
from nanocloak.domain.naming import resolve_name
from nanocloak.errors import SpecificationError
from nanocloak.knowledge import loader

DonorRelation = Literal["autologous", "syngeneic", "allogeneic", "xenogeneic"]
BLOOD_GROUP = re.compile(r"^(A|B|AB|O)[+-]$")
BLOOD_FAMILIES = {"rbc", "platelet", "leukocyte", "neutrophil", "macrophage"}
FRACTION_TOLERANCE = 1e-6


class MarkerOverride(DomainModel):
    """A measured surface-marker density replacing the knowledge-base value for this membrane."""

    name: str = Field(min_length=1)
    density: ArealDensity


class MembraneSource(DomainModel):
    """One source cell of the membrane and its share of the membrane protein.

    ``fraction`` is the protein-mass fraction of this source in a hybrid (1 for a single
    membrane). ``blood_group`` (ABO and RhD, e.g. ``"O-"``) applies to blood-derived cells.
    """

    cell: str
    donor: DonorRelation = "syngeneic"
    donor_species: Literal["mouse", "rat", "human"] = "mouse"
    blood_group: str | None = None
    fraction: Fraction = 1.0
    markers: list[MarkerOverride] = Field(default_factory=list)

    @field_validator("cell")
    @classmethod
    def _known_cell(cls, name: str) -> str:
        return resolve_name(loader.membrane_sources(), name, "membrane.sources.cell", "membranes")

    @field_validator("blood_group")
    @classmethod
    def _valid_group(cls, group: str | None) -> str | None:
        if group is not None and not BLOOD_GROUP.match(group):
            raise SpecificationError(
                "membrane.sources.blood_group",
                group,
                "an ABO group with RhD sign: A+, A-, B+, B-, AB+, AB-, O+ or O-",
            )
        return group

    @model_validator(mode="after")
    def _group_only_for_blood(self) -> MembraneSource:
        family = loader.membrane_sources()[self.cell].family
        if self.blood_group is not None and family not in BLOOD_FAMILIES:
            raise SpecificationError(
                "membrane.sources.blood_group",
                self.blood_group,
                f"no blood group for a {family} membrane",
                "Blood groups apply to blood-derived cells (RBC, platelet, leukocytes).",
            )
        if self.blood_group is not None and self.donor_species != "human":
            raise SpecificationError(
                "membrane.sources.blood_group",
                self.blood_group,
                f"no ABO/RhD group for a {self.donor_species} donor",
                "ABO and RhD groups are human blood groups.",
            )
        return self


class Membrane(DomainModel):
    """The membrane shell: a single source or a hybrid whose fractions sum to 1."""

    sources: list[MembraneSource] = Field(min_length=1, max_length=4)

    @model_validator(mode="after")
    def _fractions_sum_to_one(self) -> Membrane:
        total = math.fsum(s.fraction for s in self.sources)
        if abs(total - 1.0) > FRACTION_TOLERANCE:
            listed = " + ".join(f"{s.cell} {s.fraction:g}" for s in self.sources)
            raise SpecificationError(
                "membrane.sources.fraction",
                f"{listed} = {total:g}",
                "protein-mass fractions that sum to 1",
                "For a single membrane leave fraction out (it is 1).",
            )
        if self.is_hybrid and any(s.fraction <= 0.0 for s in self.sources):
            raise SpecificationError(
                "membrane.sources.fraction",
                [s.fraction for s in self.sources],
                "a fraction above 0 for every source of a hybrid",
                "Leave a source out rather than give it no membrane.",
            )
        cells = [s.cell for s in self.sources]
        if len(set(cells)) != len(cells):
            raise SpecificationError(
                "membrane.sources.cell", cells, "each source cell at most once"
            )
        return self

    @property
    def is_hybrid(self) -> bool:
        """True for a membrane fused from two or more source cells."""
        return len(self.sources) > 1

    @property
    def label(self) -> str:
        """Short name, e.g. ``"rbc"`` or ``"[rbc-b16_f10]"``."""
        cells = [s.cell for s in self.sources]
        return cells[0] if len(cells) == 1 else "[" + "-".join(cells) + "]"
