"""Typed loaders of the tumor knowledge: mouse tumor models and tumor-response constants.

Reads ``tumor_models.yaml`` and ``tumor_response.yaml``, validates every entry as a sourced
:class:`~nanocloak.knowledge.schema.Value`, checks that every source key resolves, and
returns floats in the kernels' units (mm³, day, h, µg/g, Gy) for the study runner.
"""

from __future__ import annotations

import math
from functools import cache

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import records
from nanocloak.knowledge.records import load_record
from nanocloak.knowledge.schema import Record, Value

MODELS_FILE = "tumor_models.yaml"
RESPONSE_FILE = "tumor_response.yaml"


class TumorModel(Record):
    """One mouse tumor model."""

    name: str
    law: str
    doubling_time: Value
    capacity: Value
    inoculum_cells: Value
    metastasis_to_lung: bool = False
    immunocompetent_host: bool


class TumorModels(Record):
    """Contents of ``tumor_models.yaml``."""

    common: dict[str, Value]
    models: dict[str, TumorModel]


class TumorResponse(Record):
    """Contents of ``tumor_response.yaml``."""

    chemo: dict[str, dict[str, Value]]
    free_dox_pk: dict[str, Value]
    laginha2005: dict[str, Value]
    dead_tissue: dict[str, Value]
    thermal: dict[str, Value]
    pdt: dict[str, Value]
    starvation: dict[str, Value]
    sirna: dict[str, Value]
    radiation: dict[str, Value]
    vaccine: dict[str, Value]
    metastasis: dict[str, Value]
    toxicity: dict[str, Value]
    triggers: dict[str, Value]
    loading: dict[str, Value]


def iter_values() -> list[tuple[str, Value]]:
    """Every sourced value of both files, with its dotted path."""
    return [(f"{MODELS_FILE}:{p}", v) for p, v in records.iter_values(tumor_models())] + [
        (f"{RESPONSE_FILE}:{p}", v) for p, v in records.iter_values(tumor_response())
    ]


@cache
def tumor_models() -> TumorModels:
    """Mouse tumor models (validated, sources checked)."""
    record = load_record(MODELS_FILE, TumorModels)
    for key, entry in record.models.items():
        if entry.law not in ("gompertz", "logistic", "exponential"):
            raise KnowledgeBaseError(f"{MODELS_FILE}: {key}.law {entry.law!r} is unknown")
    return record


@cache
def tumor_response() -> TumorResponse:
    """Tumor-response and trigger constants (validated, sources checked)."""
    return load_record(RESPONSE_FILE, TumorResponse)


def tumor_model(key: str) -> TumorModel:
    """The tumor model ``key`` (e.g. ``"4t1"``, ``"b16_f10"``), with a clear error if unknown."""
    models = tumor_models().models
    if key not in models:
        raise KnowledgeBaseError(f"unknown tumor model {key!r}; known: {', '.join(sorted(models))}")
    return models[key]


def growth_defaults(key: str) -> dict[str, float | str]:
    """Growth parameters of model ``key`` in kernel units.

    Returns ``law``, ``rate_per_day`` (the Gompertz rate from the doubling time at the
    reference volume, ``ln2/(Td ln(K/V_ref))``; ln2/Td for the other laws), ``capacity_mm3``,
    ``rate_cv``, ``initial_volume_mm3`` (inoculum × engraftment / cell density) and
    ``endpoint_mm3``.
    """
    entry = tumor_model(key)
    common = tumor_models().common
    td = entry.doubling_time.to("day")
    capacity = entry.capacity.to("mm^3")
    v_ref = common["reference_volume"].to("mm^3")
    if entry.law == "gompertz":
        rate = math.log(2.0) / (td * math.log(capacity / v_ref))
    else:
        rate = math.log(2.0) / td
    cells = entry.inoculum_cells.value * common["engraftment"].value
    return {
        "law": entry.law,
        "rate_per_day": rate,
        "capacity_mm3": capacity,
        "rate_cv": common["rate_cv"].value,
        "initial_volume_mm3": cells / common["cells_per_mm3"].to("1/mm^3"),
        "endpoint_mm3": common["endpoint_volume"].to("mm^3"),
    }


def free_dox_plasma() -> dict[str, float]:
    """Mouse plasma biexponential of free DOX: ``a``, ``b`` (µg/mL per mg/kg), half-lives (h)."""
    pk = tumor_response().free_dox_pk
    return {
        "a": pk["plasma_a"].value,
        "t_half_alpha_h": pk["plasma_t_half_alpha"].to("h"),
        "b": pk["plasma_b"].value,
        "t_half_beta_h": pk["plasma_t_half_beta"].to("h"),
    }


def free_dox_tumor_rates() -> dict[str, float]:
    """Fitted tumor exchange of free DOX: ``k_in`` (mL/g/h), ``k_out/on/off`` (1/h)."""
    pk = tumor_response().free_dox_pk
    return {
        "k_in": pk["k_in"].to("mL/g/h"),
        "k_out": pk["k_out"].to("1/h"),
        "k_on": pk["k_on"].to("1/h"),
        "k_off": pk["k_off"].to("1/h"),
    }
