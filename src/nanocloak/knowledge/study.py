"""Typed loader of the virtual-study constants (``study.yaml``): cargo release from particles."""

from __future__ import annotations

from functools import cache

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.records import load_record
from nanocloak.knowledge.schema import Record, Value

STUDY_FILE = "study.yaml"


class CargoRelease(Record):
    """First-order release of one cargo from membrane-coated particles."""

    rate_ph74: Value
    releasable_fraction: Value


class SirnaDelivery(Record):
    """How delivered siRNA sets the depth of knockdown."""

    half_effect_tumor: Value


class MagnetTargeting(Record):
    """A static magnet over the tumor and the tumor's microvessels (magnetic targeting)."""

    flux_density: Value
    gradient: Value
    vessel_radius: Value
    transit_time: Value
    retention: Value


class StudyConstants(Record):
    """Everything in ``study.yaml``."""

    release: dict[str, CargoRelease]
    sirna: SirnaDelivery
    magnet: MagnetTargeting


@cache
def study_constants() -> StudyConstants:
    """The study constants (validated, sources checked)."""
    return load_record(STUDY_FILE, StudyConstants)


def cargo_release(cargo: str) -> CargoRelease | None:
    """Release constants of ``cargo`` (a ``cargos.yaml`` id), or None when none are known."""
    return study_constants().release.get(cargo)


def require_release(cargo: str) -> CargoRelease:
    """Release constants of ``cargo``, or a clear error naming the known cargos."""
    found = cargo_release(cargo)
    if found is None:
        known = ", ".join(sorted(study_constants().release))
        raise KnowledgeBaseError(f"no release constants for cargo {cargo!r} (known: {known})")
    return found
