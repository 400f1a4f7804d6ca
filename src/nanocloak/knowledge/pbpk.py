r"""Typed, cached loader of the nanoparticle PBPK knowledge base.

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

Species
-------
The organ, tumor and excretion values are the mouse's. ``nanoparticle_defaults(..., species)``
gives another species the explicit values of its ``species`` block where a source gives one and
otherwise scales the mouse value by physiological time (``species_scaling``; Lindstedt &
Schaeffer 2002):

.. math::

    k_s = k_m \left(\frac{BW_s}{BW_m}\right)^{-1/4}, \qquad
    K_{50,s} = K_{50,m} \left(\frac{BW_s}{BW_m}\right)^{1/4}

for the rate constants ``k_max``, ``k_release`` [1/h] and the Hill time ``k_50`` [h], with the
default body weights of ``pbpk_physiology.yaml``. Dimensionless partition and permeability
coefficients, Hill exponents and per-mass capacities are species-invariant under this rule
(``PA = PA_C Q`` and ``Q = QCC BW^0.75`` already scale), and so are the clearance constants, which
are per ``BW^0.75``. Uptake laws and sites are not species-specific.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
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
    "rate_exponent": "dimensionless",
    "time_exponent": "dimensionless",
}

#: Fields scaled as rates (BW^rate_exponent) and as times (BW^time_exponent) between species.
RATE_FIELDS = frozenset({"k_max", "k_release"})
TIME_FIELDS = frozenset({"k_50"})
#: Excretion fields a ``species`` block may hold.
EXCRETION_FIELDS = frozenset({"bile_clearance", "urine_clearance"})


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


class SpeciesScaling(Record):
    """The interspecies rule: exponents of body weight for rate constants and times."""

    reference_species: str
    rate_exponent: Value
    time_exponent: Value


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


def _block_values(
    path: str,
    groups: dict[str, Any],
    places: Collection[str],
    allowed: Callable[[str], frozenset[str]],
) -> dict[str, Value]:
    """Validate an override block of ``pbpk_nanoparticle.yaml`` (``path`` names it in errors):
    ``groups`` maps a place (organ, ``tumor``, ...) to ``{field: value}``; each place must be in
    ``places`` and each field in ``allowed(place)``. Returns ``"<place>.<field>"`` → Value."""
    out: dict[str, Value] = {}
    for place, fields in groups.items():
        if place not in places:
            raise KnowledgeBaseError(f"pbpk_nanoparticle.yaml: {path} organ {place!r} unknown")
        for field, raw in (fields or {}).items():
            if field not in allowed(place):
                raise KnowledgeBaseError(
                    f"pbpk_nanoparticle.yaml: {path}.{place}.{field} is not one of "
                    f"{sorted(allowed(place))}"
                )
            try:
                out[f"{place}.{field}"] = Value.model_validate(raw)
            except ValidationError as exc:
                raise KnowledgeBaseError(
                    f"pbpk_nanoparticle.yaml: {path}.{place}.{field} is invalid:\n{exc}"
                ) from None
    return out


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
    out = _block_values(
        "published", groups, {*calibrated.organs, "tumor"}, lambda _place: OVERRIDABLE
    )
    known = all_sources()
    for key, value in out.items():
        if value.source not in known:
            raise KnowledgeBaseError(f"published.{key}: unknown source {value.source!r}")
    return out


@cache
def species_scaling() -> SpeciesScaling:
    """The ``species_scaling`` block of ``pbpk_nanoparticle.yaml``, validated and source-checked."""
    raw = _read_yaml("pbpk_nanoparticle.yaml").get("species_scaling")
    try:
        entry = SpeciesScaling.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(
            f"pbpk_nanoparticle.yaml: 'species_scaling' is invalid:\n{exc}"
        ) from None
    if entry.reference_species not in physiology():
        raise KnowledgeBaseError(
            f"pbpk_nanoparticle.yaml: reference species {entry.reference_species!r} has no "
            "physiology"
        )
    _check("pbpk_nanoparticle.species_scaling", entry)
    return entry


@cache
def species_overrides(species: str) -> dict[str, Value]:
    """Explicit values of ``species`` (its block under ``species``), keyed ``"<organ>.<field>"``.

    ``organ`` is an organ of the base set, ``tumor`` or ``excretion``. Empty for a species
    without a block (the reference species) or with an empty one.
    """
    block = _read_yaml("pbpk_nanoparticle.yaml").get("species") or {}
    if not isinstance(block, dict):
        raise KnowledgeBaseError("pbpk_nanoparticle.yaml: 'species' must be a mapping")
    unknown = set(block) - set(physiology())
    if unknown:
        raise KnowledgeBaseError(
            f"pbpk_nanoparticle.yaml: species {sorted(unknown)} have no physiology"
        )
    groups = block.get(species) or {}
    extra = set(groups) - {"organs", "tumor", "excretion"}
    if extra:
        raise KnowledgeBaseError(
            f"pbpk_nanoparticle.yaml: unknown keys {sorted(extra)} in species.{species}"
        )
    organs = _read_yaml("pbpk_nanoparticle.yaml").get("organs") or {}
    flat: dict[str, Any] = {
        **(groups.get("organs") or {}),
        "tumor": groups.get("tumor") or {},
        "excretion": groups.get("excretion") or {},
    }
    return _block_values(
        f"species.{species}",
        flat,
        {*organs, "tumor", "excretion"},
        lambda place: EXCRETION_FIELDS if place == "excretion" else OVERRIDABLE,
    )


def species_factor(species: str) -> tuple[float, float]:
    """(rate factor, time factor) from the reference species to ``species``.

    .. math:: f_{rate} = (BW_s / BW_{ref})^{b_{rate}}, \\quad
              f_{time} = (BW_s / BW_{ref})^{b_{time}}

    with the default body weights of ``pbpk_physiology.yaml``; (1, 1) for the reference species.
    """
    rule = species_scaling()
    phys = physiology()
    if species not in phys:
        raise KnowledgeBaseError(f"unknown species {species!r}; known: {sorted(phys)}")
    if species == rule.reference_species:
        return 1.0, 1.0
    ratio = phys[species].body_weight.to("kg") / phys[rule.reference_species].body_weight.to("kg")
    return (
        ratio ** rule.rate_exponent.to("dimensionless"),
        ratio ** rule.time_exponent.to("dimensionless"),
    )


def _scaled(raw: dict[str, Any], field: str, factor: float, species: str) -> dict[str, Any]:
    """A mouse value dict scaled by ``factor``, relabelled as an assumed species value."""
    rule = species_scaling()
    out = {k: raw[k] * factor for k in ("value", "low", "high") if raw.get(k) is not None}
    kind = "rate" if field in RATE_FIELDS else "time"
    exponent = (rule.rate_exponent if kind == "rate" else rule.time_exponent).value
    out |= {
        "unit": raw["unit"],
        "source": rule.rate_exponent.source,
        "status": "assumed",
        "note": (
            f"{rule.reference_species} value {raw['value']:g} {raw['unit']} (source "
            f"{raw['source']}, {raw['status']}) x (BW_{species}/BW_{rule.reference_species})^"
            f"{exponent:+g} = x{factor:.4g}: physiological-time scaling of a {kind} "
            "(species_scaling); not measured in this species"
        ),
    }
    return out


def _lay_over(raw: dict[str, Any], overrides: dict[str, Value]) -> None:
    for key, value in overrides.items():
        where, field = key.split(".")
        target = raw[where] if where in ("tumor", "excretion") else raw["organs"][where]
        target[field] = value.model_dump(exclude_defaults=True)


@cache
def nanoparticle_defaults(
    parameter_set: ParameterSet = "calibrated", species: str = "mouse"
) -> NanoparticleDefaults:
    """Nanoparticle defaults of a species, validated and source-checked.

    Parameters
    ----------
    parameter_set
        ``"calibrated"`` (default): the base model as calibrated in the repository (module
        docstring). ``"published"``: the Cheng-2020 code defaults and G1 tumor medians, i.e. the
        calibrated set with the ``published`` block laid over it (for ``mode="reference"``).
    species
        ``"mouse"`` (default; the values as read or calibrated), ``"rat"`` or ``"human"``: the
        mouse set with rate constants scaled by :math:`(BW_s/BW_m)^{-1/4}` and ``k_50`` by
        :math:`(BW_s/BW_m)^{1/4}` (module docstring), then the species' explicit values.
    """
    if parameter_set not in ("calibrated", "published"):
        raise KnowledgeBaseError(f"unknown parameter set {parameter_set!r}")
    raw = _read_yaml("pbpk_nanoparticle.yaml")
    for block in ("published", "species", "species_scaling"):
        raw.pop(block, None)
    if parameter_set == "published":
        _lay_over(raw, published_overrides())
    rate, time = species_factor(species)
    if (rate, time) != (1.0, 1.0):
        for organ in (*(raw.get("organs") or {}).values(), raw.get("tumor") or {}):
            for field in RATE_FIELDS | TIME_FIELDS:
                if isinstance(organ.get(field), dict):
                    factor = rate if field in RATE_FIELDS else time
                    organ[field] = _scaled(organ[field], field, factor, species)
    _lay_over(raw, species_overrides(species))
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
    _check(f"pbpk_nanoparticle.{species}", entry)
    return entry


def iter_pbpk_values() -> Iterator[tuple[str, Value]]:
    """Every sourced value of the PBPK knowledge base, with a dotted path naming it."""
    for key, entry in physiology().items():
        yield from _values(f"pbpk_physiology.{key}", entry)
    yield from _values("pbpk_nanoparticle", nanoparticle_defaults())
    for key, value in published_overrides().items():
        yield f"pbpk_nanoparticle.published.{key}", value
    yield from _values("pbpk_nanoparticle.species_scaling", species_scaling())
    for species in physiology():
        if species == species_scaling().reference_species:
            continue
        for key, value in species_overrides(species).items():
            yield f"pbpk_nanoparticle.species.{species}.{key}", value
        for parameter_set in ("calibrated", "published"):
            yield from _values(
                f"pbpk_nanoparticle.species.{species}.{parameter_set}",
                nanoparticle_defaults(parameter_set, species),
            )


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
