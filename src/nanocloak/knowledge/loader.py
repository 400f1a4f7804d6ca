"""Typed, cached loaders of the knowledge-base data files, and name resolution with suggestions."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.catalog import (
    CargoEntry,
    CoreMaterialEntry,
    MembraneSourceEntry,
    ReviewReference,
    SpeciesEntry,
)
from nanocloak.knowledge.data_files import read_mapping, read_text
from nanocloak.knowledge.schema import Source, Value

ModelT = TypeVar("ModelT", bound=BaseModel)

DATA_PACKAGE = "nanocloak.knowledge.data"


def _read_yaml(filename: str) -> dict[Any, Any]:
    return read_mapping(filename, "a mapping of id to entry")


def _validate_map(filename: str, model: type[ModelT]) -> dict[str, ModelT]:
    entries: dict[str, ModelT] = {}
    for key, raw in _read_yaml(filename).items():
        try:
            entries[str(key)] = model.model_validate(raw)
        except ValidationError as exc:
            raise KnowledgeBaseError(f"{filename}: entry {key!r} is invalid:\n{exc}") from None
    return entries


SOURCE_FILES = (
    "sources.yaml",
    "sources_manufacture.yaml",
    "sources_physics.yaml",
    "sources_pbpk.yaml",
    "sources_calibration.yaml",
    "sources_light.yaml",
    "sources_treatment.yaml",
    "sources_imaging.yaml",
    "sources_photochem.yaml",
    "sources_capture.yaml",
    "sources_tumor.yaml",
    "sources_study.yaml",
)


@cache
def sources() -> dict[str, Source]:
    """Bibliography: source key → ``Source`` (merged from every ``sources*.yaml``)."""
    merged: dict[str, Source] = {}
    for filename in SOURCE_FILES:
        for key, source in _validate_map(filename, Source).items():
            if key in merged:
                raise KnowledgeBaseError(f"{filename}: source {key!r} is defined twice")
            merged[key] = source
    return merged


@cache
def core_materials() -> dict[str, CoreMaterialEntry]:
    """Core materials by id."""
    return _validate_map("core_materials.yaml", CoreMaterialEntry)


@cache
def membrane_sources() -> dict[str, MembraneSourceEntry]:
    """Membrane source cells by id, with ``inherits`` resolved (child values win)."""
    raw = _read_yaml("membrane_sources.yaml")

    def resolved(key: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
        if key in seen:
            raise KnowledgeBaseError(f"membrane_sources.yaml: inheritance cycle {(*seen, key)}")
        if key not in raw:
            raise KnowledgeBaseError(f"membrane_sources.yaml: unknown parent {key!r}")
        entry = dict(raw[key])
        parent = entry.get("inherits")
        if parent is None:
            return entry
        merged = resolved(str(parent), (*seen, key))
        merged.pop("aliases", None)  # a parent's names do not name its children
        markers = {**merged.get("markers", {}), **entry.get("markers", {})}
        merged.update({k: v for k, v in entry.items() if v not in (None, [], {})})
        merged["markers"] = markers
        merged["inherits"] = parent
        return merged

    entries: dict[str, MembraneSourceEntry] = {}
    for key in raw:
        try:
            entries[str(key)] = MembraneSourceEntry.model_validate(resolved(str(key)))
        except ValidationError as exc:
            raise KnowledgeBaseError(
                f"membrane_sources.yaml: entry {key!r} is invalid:\n{exc}"
            ) from None
    return entries


@cache
def cargos() -> dict[str, CargoEntry]:
    """Cargos by id."""
    return _validate_map("cargos.yaml", CargoEntry)


@cache
def species() -> dict[str, SpeciesEntry]:
    """Species physiology by id."""
    return _validate_map("species.yaml", SpeciesEntry)


@cache
def membrane_physics() -> dict[str, Value]:
    """Constants of membranes and coating geometry (bilayer thickness, areal densities…)."""
    return _validate_map("membrane_physics.yaml", Value)


@cache
def method_parameters() -> dict[str, dict[str, Value]]:
    """Constants of the manufacture model per process step: step → name → Value."""
    out: dict[str, dict[str, Value]] = {}
    for step, params in _read_yaml("methods.yaml").items():
        if not isinstance(params, dict):
            raise KnowledgeBaseError(f"methods.yaml: {step!r} must map names to values")
        try:
            out[str(step)] = {str(k): Value.model_validate(v) for k, v in params.items()}
        except ValidationError as exc:
            raise KnowledgeBaseError(f"methods.yaml: {step!r} is invalid:\n{exc}") from None
    return out


@cache
def review_references() -> dict[int, ReviewReference]:
    """The review's reference list, by reference number."""
    return {
        int(k): ReviewReference.model_validate(v)
        for k, v in _read_yaml("review_references.yaml").items()
    }


@dataclass(frozen=True, slots=True)
class StudyRow:
    """One row of the review's Table 1 or Table 2."""

    table: int
    membrane_type: str
    key_features: str
    shell_origin: str
    core: str
    preparation: str
    cargo: str
    applications: str
    ref: int

    def text(self) -> str:
        """All searchable text of the row, lower-case."""
        fields = (
            self.membrane_type,
            self.key_features,
            self.shell_origin,
            self.core,
            self.preparation,
            self.cargo,
            self.applications,
        )
        return " | ".join(fields).lower()


@cache
def studies() -> tuple[StudyRow, ...]:
    """Rows of the review's Tables 1 and 2 (Song 2022)."""
    rows = []
    for raw in csv.DictReader(read_text("studies.csv").splitlines()):
        try:
            rows.append(
                StudyRow(
                    table=int(raw["table"]),
                    membrane_type=raw["membrane_type"],
                    key_features=raw["key_features"],
                    shell_origin=raw["shell_origin"],
                    core=raw["core"],
                    preparation=raw["preparation"],
                    cargo=raw["cargo"],
                    applications=raw["applications"],
                    ref=int(raw["ref"]),
                )
            )
        except (KeyError, ValueError) as exc:
            raise KnowledgeBaseError(f"studies.csv: bad row {raw}: {exc}") from None
    return tuple(rows)


class Named(Protocol):
    @property
    def aliases(self) -> list[str]: ...


def resolve(table: Mapping[str, Named], name: str) -> str | None:
    """The id in ``table`` whose id or alias matches ``name`` (case and punctuation folded)."""
    wanted = _fold(name)
    for key, entry in table.items():
        if _fold(key) == wanted or any(_fold(alias) == wanted for alias in entry.aliases):
            return key
    return None


def nearest(table: Mapping[str, Named], name: str, n: int = 3) -> list[str]:
    """Up to ``n`` ids of ``table`` whose id or alias is closest to ``name``."""
    by_label: dict[str, str] = {}
    for key, entry in table.items():
        by_label[_fold(key)] = key
        for alias in entry.aliases:
            by_label.setdefault(_fold(alias), key)
    matches = difflib.get_close_matches(_fold(name), list(by_label), n=3 * n, cutoff=0.4)
    found: list[str] = []
    for label in matches:
        if by_label[label] not in found:
            found.append(by_label[label])
    return found[:n]


def _fold(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def iter_values() -> Iterator[tuple[str, Value]]:
    """Every sourced value of the knowledge base, with a path naming where it lives."""
    for filename, table in (
        ("core_materials", core_materials()),
        ("cargos", cargos()),
        ("species", species()),
        ("membrane_sources", membrane_sources()),
    ):
        for key, entry in table.items():
            yield from values_in(f"{filename}.{key}", entry)
    for key, value in membrane_physics().items():
        yield f"membrane_physics.{key}", value
    for step, params in method_parameters().items():
        for key, value in params.items():
            yield f"methods.{step}.{key}", value


def values_in(path: str, model: BaseModel) -> Iterator[tuple[str, Value]]:
    for name in type(model).model_fields:
        item = getattr(model, name)
        if isinstance(item, Value):
            yield f"{path}.{name}", item
        elif isinstance(item, dict):
            for key, sub in item.items():
                if isinstance(sub, Value):
                    yield f"{path}.{name}.{key}", sub
