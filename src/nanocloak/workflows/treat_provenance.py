"""Provenance rows of a treatment: each parameter with its value, unit, source key and status.

A row is a plain dict (``name``, ``value``, ``unit``, ``source``, ``status``) so that the
result's ``provenance["parameters"]`` is JSON-safe and a reviewer can trace every number to
its knowledge-base entry.
"""

from __future__ import annotations

from typing import Any

from nanocloak.knowledge.schema import Value


def parameter_row(name: str, value: Value, unit: str) -> dict[str, Any]:
    """The row of a knowledge-base ``value`` converted to ``unit``, with its source and status."""
    return {
        "name": name,
        "value": value.to(unit),
        "unit": unit,
        "source": value.source,
        "status": value.status,
    }


def derived_row(name: str, number: float, unit: str, source: str) -> dict[str, Any]:
    """The row of a number derived from sourced values (status ``derived``)."""
    return {"name": name, "value": number, "unit": unit, "source": source, "status": "derived"}
