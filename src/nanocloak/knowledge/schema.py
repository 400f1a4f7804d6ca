"""Typed records of the knowledge base: every number carries its unit and its source.

A ``Value`` is either a point value or a literature range with the value used inside it.
Its ``source`` names an entry of ``sources.yaml`` that holds the DOI or the book.
``status`` keeps the provenance tag of the research notes: ``verified`` (read in the source),
``derived`` (computed here from other sourced values; the formula is in ``note``),
``unverified`` (recalled from the literature; a prior, not a validation target), or
``assumed`` (a modelling choice stated as such, with the reasoning in ``note``).
"""

from __future__ import annotations

from typing import Any, Literal

import pint
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from nanocloak.units import Quantity

Status = Literal["verified", "derived", "unverified", "assumed"]


class Record(BaseModel):
    """Base of knowledge-base records: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Record):
    """A bibliographic source: a DOI, a book (ISBN) or a database record."""

    citation: str = Field(min_length=10)
    doi: str | None = None
    isbn: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _has_identifier(self) -> Source:
        if not (self.doi or self.isbn or self.url):
            raise ValueError("a source needs a doi, an isbn or a url")
        return self


class Value(Record):
    """One sourced number (or range) with its unit.

    ``value`` is the number the models use. Where the literature gives a range, ``low`` and
    ``high`` keep it and ``value`` (which must lie inside) says which one is used.
    """

    value: float
    low: float | None = None
    high: float | None = None
    unit: str = Field(min_length=1)
    source: str = Field(min_length=1)
    status: Status
    note: str = ""

    @field_validator("unit")
    @classmethod
    def _unit_parses(cls, unit: str) -> str:
        try:
            Quantity(1.0, unit.replace("µ", "u"))
        except (pint.errors.PintError, AttributeError, TypeError, ValueError) as exc:
            raise ValueError(f"unit {unit!r} is not understood by pint") from exc
        return unit

    @model_validator(mode="after")
    def _range_is_consistent(self) -> Value:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high for a range, or neither")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise ValueError(f"low {self.low} exceeds high {self.high}")
            if not self.low <= self.value <= self.high:
                raise ValueError(f"value {self.value} lies outside [{self.low}, {self.high}]")
        return self

    @property
    def is_range(self) -> bool:
        """True when the literature gives a range rather than one number."""
        return self.low is not None

    def quantity(self) -> pint.Quantity[Any]:
        """The used value as a pint Quantity."""
        return Quantity(self.value, self.unit.replace("µ", "u"))

    def to(self, unit: str) -> float:
        """The used value converted to ``unit``."""
        return float(self.quantity().to(unit.replace("µ", "u")).magnitude)

    def bounds(self, unit: str) -> tuple[float, float]:
        """The literature range (or the point value twice) converted to ``unit``."""
        low = self.value if self.low is None else self.low
        high = self.value if self.high is None else self.high
        factor = float(Quantity(1.0, self.unit.replace("µ", "u")).to(unit.replace("µ", "u")).m)
        return low * factor, high * factor
