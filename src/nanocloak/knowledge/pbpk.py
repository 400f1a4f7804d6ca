"""Typed, cached loader of the nanoparticle PBPK knowledge base.

Reads ``pbpk_physiology.yaml`` (species physiology) and ``pbpk_nanoparticle.yaml``
(nanoparticle-generic distribution, uptake, excretion and tumor defaults) with
``importlib.resources``, validates every number as a :class:`~nanocloak.knowledge.schema.Value`,
checks that each value converts to the unit the model expects, and that every source key exists
in the project's bibliography (every ``sources*.yaml``).

Two parameter sets
------------------
``pbpk_nanoparticle.yaml`` holds the **calibrated** base model (the default): the values fitted by
``examples/calibration/pbpk/fit_base_model.py`` replace the published code defaults they were
started from. Its ``published`` block keeps those published values;
``nanoparticle_defaults("published")`` overlays them, so the ``reference`` mode can reproduce the
published code's curves.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, Literal

import pint
import yaml
from pydantic import ValidationError

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import loader
from nanocloak.knowledge.schema import Record, Source, Value

DATA_PACKAGE = "nanocloak.knowledge.data"

UptakeLaw = Literal["hill", "capacity", "constant", "none"]
ParameterSet = Literal["calibrated", "published"]
UptakeSite = Literal["tissue", "blood"]

#: The unit each field must convert to (the kernel's canonical units: h, mg, L, kg).
FIELD_UNITS: dict[str, str] = {
    "body_weight": "kg",
    "cardiac_output": "L/h/kg^0.75",
    "central_volume": "L/kg",
    "total_blood_volume": "L/kg",
    "arterial_share": "dimensionless",
    "volume_fraction": "dimensionless",
    "flow_fraction": "dimensionless",
    "blood_fraction": "dimensionless",
    "partition": "dimensionless",
    "permeability": "dimensionless",
    "k_max": "1/h",
    "k_50": "h",
    "hill_n": "dimensionless",
    "k_release": "1/h",
    "capacity": "ug/g",
    "bile_clearance": "L/h/kg^0.75",
    "urine_clearance": "L/h/kg^0.75",
}


class OrganPhysiology(Record):
    """Volume, blood-flow and capillary-blood fractions of one organ.

    ``volume_fraction`` and ``flow_fraction`` are omitted for the rest of the body, which takes
    the complement of the others.
    """

    volume_fraction: Value | None = None
    flow_fraction: Value | None = None
    blood_fraction: Value


class SpeciesPhysiology(Record):
    """Physiology of one species: body weight, cardiac output (× BW^0.75), blood pools, organs."""

    name: str
    body_weight: Value
    cardiac_output: Value
    central_volume: Value
    total_blood_volume: Value
    arterial_share: Value
    reference_omit: tuple[str, ...] = ()
    organs: dict[str, OrganPhysiology]


class OrganNanoparticle(Record):
    """Distribution and phagocytic-uptake parameters of one organ."""

    partition: Value
    permeability: Value
    uptake_law: UptakeLaw
    uptake_site: UptakeSite = "tissue"
    k_max: Value | None = None
    k_50: Value | None = None
    hill_n: Value | None = None
    k_release: Value | None = None
    capacity: Value | None = None


class TumorDefaults(OrganNanoparticle):
    """The tumor: its physiology (fractions of BW and QC) plus its nanoparticle parameters."""

    volume_fraction: Value
    flow_fraction: Value
    blood_fraction: Value


class Excretion(Record):
    """Biliary and urinary clearance constants, scaled by BW^0.75."""

    bile_clearance: Value
    urine_clearance: Value


class NanoparticleDefaults(Record):
    """Nanoparticle-generic parameters: organs, tumor, excretion."""

    organs: dict[str, OrganNanoparticle]
    tumor: TumorDefaults
    excretion: Excretion


def _read_yaml(filename: str) -> dict[Any, Any]:
    try:
        text = resources.files(DATA_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"knowledge-base file {filename!r} is missing") from exc
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{filename} must hold a mapping")
    return data


def all_sources() -> dict[str, Source]:
    """The project's bibliography (every ``sources*.yaml`` the loader merges)."""
    return loader.sources()


@cache
def physiology() -> dict[str, SpeciesPhysiology]:
    """Species physiology by id (``mouse``, ``rat``, ``human``), validated and source-checked."""
    out: dict[str, SpeciesPhysiology] = {}
    for key, raw in _read_yaml("pbpk_physiology.yaml").items():
        try:
            entry = SpeciesPhysiology.model_validate(raw)
        except ValidationError as exc:
            raise KnowledgeBaseError(
                f"pbpk_physiology.yaml: species {key!r} is invalid:\n{exc}"
            ) from None
        if "rest" not in entry.organs or "lung" not in entry.organs:
            raise KnowledgeBaseError(f"pbpk_physiology.yaml: {key!r} needs 'lung' and 'rest'")
        for organ in ("liver", "kidney"):
            if organ not in entry.organs:
                raise KnowledgeBaseError(f"pbpk_physiology.yaml: {key!r} needs {organ!r}")
        for name, organ_entry in entry.organs.items():
            missing = organ_entry.volume_fraction is None or organ_entry.flow_fraction is None
            if missing and name != "rest":
                raise KnowledgeBaseError(
                    f"pbpk_physiology.yaml: {key}.{name} needs volume_fraction and flow_fraction"
                )
        out[str(key)] = entry
        _check(f"pbpk_physiology.{key}", entry)
    return out


#: Fields of an organ (or the tumor) that the ``published`` block may hold.
OVERRIDABLE = frozenset(
    {"partition", "permeability", "k_max", "k_50", "hill_n", "k_release", "capacity"}
)


@cache
def published_overrides() -> dict[str, Value]:
    """The published values that calibration replaced, keyed ``"<organ>.<field>"``.

    Read from the ``published`` block of ``pbpk_nanoparticle.yaml`` (organs and ``tumor``);
    every key must name an organ of the calibrated set and an overridable field.
    """
    block = _read_yaml("pbpk_nanoparticle.yaml").get("published") or {}
    if not isinstance(block, dict):
        raise KnowledgeBaseError("pbpk_nanoparticle.yaml: 'published' must be a mapping")
    calibrated = nanoparticle_defaults("calibrated")
    groups: dict[str, Any] = {**(block.get("organs") or {}), "tumor": block.get("tumor") or {}}
    extra = set(block) - {"organs", "tumor"}
    if extra:
        raise KnowledgeBaseError(f"pbpk_nanoparticle.yaml: unknown published keys {sorted(extra)}")
    out: dict[str, Value] = {}
    for organ, fields in groups.items():
        if organ != "tumor" and organ not in calibrated.organs:
            raise KnowledgeBaseError(f"pbpk_nanoparticle.yaml: published organ {organ!r} unknown")
        for field, raw in (fields or {}).items():
            if field not in OVERRIDABLE:
                raise KnowledgeBaseError(
                    f"pbpk_nanoparticle.yaml: published.{organ}.{field} is not one of "
                    f"{sorted(OVERRIDABLE)}"
                )
            try:
                out[f"{organ}.{field}"] = Value.model_validate(raw)
            except ValidationError as exc:
                raise KnowledgeBaseError(
                    f"pbpk_nanoparticle.yaml: published.{organ}.{field} is invalid:\n{exc}"
                ) from None
    known = all_sources()
    for key, value in out.items():
        if value.source not in known:
            raise KnowledgeBaseError(f"published.{key}: unknown source {value.source!r}")
    return out


@cache
def nanoparticle_defaults(parameter_set: ParameterSet = "calibrated") -> NanoparticleDefaults:
    """Nanoparticle-generic defaults, validated and source-checked.

    Parameters
    ----------
    parameter_set
        ``"calibrated"`` (default): the base model as calibrated in the repository (module
        docstring). ``"published"``: the Cheng-2020 code defaults and G1 tumor medians, i.e. the
        calibrated set with the ``published`` block laid over it (for ``mode="reference"``).
    """
    if parameter_set not in ("calibrated", "published"):
        raise KnowledgeBaseError(f"unknown parameter set {parameter_set!r}")
    raw = _read_yaml("pbpk_nanoparticle.yaml")
    raw.pop("published", None)
    if parameter_set == "published":
        for key, value in published_overrides().items():
            where, field = key.split(".")
            target = raw["tumor"] if where == "tumor" else raw["organs"][where]
            target[field] = value.model_dump(exclude_defaults=True)
    try:
        entry = NanoparticleDefaults.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"pbpk_nanoparticle.yaml is invalid:\n{exc}") from None
    for name, organ in (*entry.organs.items(), ("tumor", entry.tumor)):
        if organ.uptake_law != "none":
            needed = ["k_max", "k_release"]
            needed += {"hill": ["k_50", "hill_n"], "capacity": ["capacity"]}.get(
                organ.uptake_law, []
            )
            absent = [f for f in needed if getattr(organ, f) is None]
            if absent:
                raise KnowledgeBaseError(
                    f"pbpk_nanoparticle.yaml: {name} uses the {organ.uptake_law!r} law but "
                    f"lacks {absent}"
                )
    _check("pbpk_nanoparticle", entry)
    return entry


def iter_pbpk_values() -> Iterator[tuple[str, Value]]:
    """Every sourced value of the PBPK knowledge base, with a dotted path naming it."""
    for key, entry in physiology().items():
        yield from _values(f"pbpk_physiology.{key}", entry)
    yield from _values("pbpk_nanoparticle", nanoparticle_defaults())
    for key, value in published_overrides().items():
        yield f"pbpk_nanoparticle.published.{key}", value


def _values(path: str, model: Record) -> Iterator[tuple[str, Value]]:
    for name in type(model).model_fields:
        item = getattr(model, name)
        if isinstance(item, Value):
            yield f"{path}.{name}", item
        elif isinstance(item, Record):
            yield from _values(f"{path}.{name}", item)
        elif isinstance(item, dict):
            for key, sub in item.items():
                if isinstance(sub, Record):
                    yield from _values(f"{path}.{name}.{key}", sub)


def _check(path: str, model: Record) -> None:
    known = all_sources()
    for where, value in _values(path, model):
        if value.source not in known:
            raise KnowledgeBaseError(f"{where}: unknown source {value.source!r}")
        unit = FIELD_UNITS[where.rsplit(".", 1)[1]]
        try:
            value.to(unit)
        except pint.errors.PintError as exc:
            raise KnowledgeBaseError(
                f"{where}: unit {value.unit!r} does not convert to {unit!r}"
            ) from exc
