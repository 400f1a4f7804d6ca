"""Typed, cached loader of the PBPK membrane layer's constants (``pbpk_membrane.yaml``).

Each mechanism (:data:`MECHANISMS`: ``cd47``, ``opsonization``, ``extravasation``, ``homotypic``,
``shedding``, ``epr_heterogeneity``, ``msc_homing``, ``leukocyte_adhesion``, ``platelet_cd44``,
``injury_adhesion``, ``ligand``, ``abc``) has a description,
the bibliography keys that bear on it (``evidence``), the organs whose parameters it scales and
its constants as sourced :class:`~nanocloak.knowledge.schema.Value` s. The loader checks that
every mechanism and constant the model expects is present, converts to the expected unit, and
that every source and evidence key is in the bibliography.
"""

from __future__ import annotations

from functools import cache

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge.data_files import read_mapping
from nanocloak.knowledge.records import all_sources, check_values, iter_values, parse_record
from nanocloak.knowledge.schema import Record, Value

FILENAME = "pbpk_membrane.yaml"

#: mechanism → constant → the unit it must convert to.
PARAMETER_UNITS: dict[str, dict[str, str]] = {
    "cd47": {
        "min_factor": "dimensionless",
        "half_density": "dimensionless",
        "unknown_relative_density": "dimensionless",
    },
    "opsonization": {"bare_excess": "dimensionless", "bare_lag_ratio": "dimensionless"},
    "extravasation": {"reference_diameter": "nm", "pore_diameter": "nm"},
    "homotypic": {"enhancement": "dimensionless"},
    "shedding": {"half_life": "h"},
    "epr_heterogeneity": {"sigma_ln": "dimensionless"},
    "msc_homing": {"enhancement": "dimensionless"},
    "leukocyte_adhesion": {"enhancement": "dimensionless", "baseline_activation": "dimensionless"},
    "platelet_cd44": {"enhancement": "dimensionless"},
    "injury_adhesion": {"enhancement": "dimensionless", "reinforcement": "dimensionless"},
    "ligand": {"folate_enhancement": "dimensionless", "antibody_enhancement": "dimensionless"},
    "abc": {
        "immunogenicity_allogeneic": "dimensionless",
        "immunogenicity_xenogeneic": "dimensionless",
        "epitope_half_density": "dimensionless",
        "epitope_hill_n": "dimensionless",
        "igm_peak": "h",
        "igm_decay_half_life": "h",
        "k_max_fold": "dimensionless",
        "lag_floor": "dimensionless",
    },
}

MECHANISMS = tuple(PARAMETER_UNITS)


class Mechanism(Record):
    """One membrane mechanism: what it does, its evidence, the organs it acts on, constants."""

    description: str
    evidence: tuple[str, ...] = ()
    organs: tuple[str, ...]
    parameters: dict[str, Value]


def constant(mechanism: str, name: str) -> float:
    """Constant ``name`` of ``mechanism`` in the unit the model expects."""
    return membrane_layer()[mechanism].parameters[name].to(PARAMETER_UNITS[mechanism][name])


@cache
def membrane_layer() -> dict[str, Mechanism]:
    """Mechanisms by name, validated, unit- and source-checked."""
    raw = read_mapping(FILENAME)
    missing = [m for m in MECHANISMS if m not in raw]
    extra = [m for m in raw if m not in PARAMETER_UNITS]
    if missing or extra:
        raise KnowledgeBaseError(
            f"{FILENAME}: mechanisms must be exactly {list(MECHANISMS)}; "
            f"missing {missing}, unknown {extra}"
        )
    known = all_sources()
    out: dict[str, Mechanism] = {}
    for name, units in PARAMETER_UNITS.items():
        entry = parse_record(f"{FILENAME}: {name!r}", Mechanism, raw[name])
        if set(entry.parameters) != set(units):
            raise KnowledgeBaseError(
                f"{FILENAME}: {name} needs constants {sorted(units)}; "
                f"got {sorted(entry.parameters)}"
            )
        for key in entry.evidence:
            if key not in known:
                raise KnowledgeBaseError(f"{FILENAME}: {name}.evidence: unknown source {key!r}")
        check_values(FILENAME, iter_values(entry.parameters, name), units, require_units=True)
        out[name] = entry
    return out
