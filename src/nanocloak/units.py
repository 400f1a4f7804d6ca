"""The one pint registry of nanocloak and the quantity parsing used at every boundary.

Kernels never see pint: workflows convert validated quantities to plain floats in the canonical
units below and pass them with unit-suffixed argument names (``diameter_nm``, ``mass_mg``).

Canonical units of the manufacture kernels
------------------------------------------
length nm, area nm² (per particle) or m² (per batch), mass mg, density g/cm³,
time min, temperature °C, voltage V, flow µL/min, power W, frequency kHz.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pint

from nanocloak.errors import UnitError

ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
ureg.define("cell = [cells]")
ureg.define("particle = [particles]")
ureg.define("molecule = [molecules]")
# Relative centrifugal force: "3200 xg" (plain "g" is the gram).
ureg.define("xg = 9.80665 * meter / second ** 2")
pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]

Quantity = ureg.Quantity

ACCEPTED_FORMS = (
    "a string with a unit such as '120 nm', a table {value = 120, unit = 'nm'}, or a pint Quantity"
)


def parse_quantity(value: Any, dimension: str, field: str) -> pint.Quantity[Any]:
    """Parse ``value`` into a Quantity of ``dimension`` or raise a ``UnitError``.

    Parameters
    ----------
    value
        A pint Quantity, a string such as ``"120 nm"``, or a mapping with ``value`` and ``unit``.
        Bare numbers are rejected: a number without a unit is ambiguous.
    dimension
        A unit whose dimensionality the result must share, e.g. ``"nm"`` or ``"mg/mL"``.
    field
        Dotted field path used in error messages.
    """
    if isinstance(value, (bool, int | float)) or (
        isinstance(value, str) and _is_bare_number(value) and _needs_unit(dimension)
    ):
        raise UnitError(
            field,
            value,
            f"a quantity with a unit of {_dimension_words(dimension)}",
            f"A bare number has no unit; write {ACCEPTED_FORMS}, e.g. '{value} {dimension}'.",
        )
    quantity: pint.Quantity[Any]
    try:
        if isinstance(value, pint.Quantity):
            quantity = Quantity(value.magnitude, str(value.units))
        elif isinstance(value, str):
            quantity = _parse_string(value.replace("µ", "u").replace("μ", "u"))
        elif isinstance(value, dict) and set(value) == {"value", "unit"}:
            quantity = Quantity(float(value["value"]), str(value["unit"]).replace("µ", "u"))
        else:
            raise UnitError(field, value, ACCEPTED_FORMS)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError) as exc:
        if isinstance(exc, UnitError):
            raise
        raise UnitError(
            field,
            value,
            f"a quantity of {_dimension_words(dimension)}",
            f"Write it as {ACCEPTED_FORMS}.",
        ) from None
    if isinstance(quantity, pint.Quantity) and not math.isfinite(float(quantity.magnitude)):
        raise UnitError(field, value, "a finite number with a unit", f"Write {ACCEPTED_FORMS}.")
    if not isinstance(quantity, pint.Quantity) or not quantity.is_compatible_with(dimension):
        raise UnitError(
            field,
            value,
            f"a quantity of {_dimension_words(dimension)} (e.g. in {dimension})",
            f"Write it as {ACCEPTED_FORMS}.",
        )
    return quantity


_NUMBER_AND_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def _is_bare_number(text: str) -> bool:
    match = _NUMBER_AND_UNIT.match(text)
    return match is not None and not match.group(2)


def _needs_unit(dimension: str) -> bool:
    """Every field needs a written unit except plain ratios (``mg/mg`` still needs one)."""
    return dimension not in ("dimensionless", "", "1")


def _parse_string(text: str) -> pint.Quantity[Any]:
    """Parse ``"25 degC"`` as number × unit, so offset units (°C) work; else pint's parser."""
    match = _NUMBER_AND_UNIT.match(text)
    if match:
        unit = match.group(2) or "dimensionless"
        unit = {"%": "percent", "°C": "degC"}.get(unit, unit)
        return Quantity(float(match.group(1)), unit)
    parsed = ureg.parse_expression(text)
    if not isinstance(parsed, pint.Quantity):
        raise ValueError(text)
    return parsed


def magnitude_in(quantity: pint.Quantity[Any], unit: str) -> float:
    """Return the plain float of ``quantity`` expressed in ``unit``."""
    return float(quantity.to(unit).magnitude)


def _dimension_words(unit: str) -> str:
    if unit == "xg":
        return "relative centrifugal force such as '3200 xg' (a plain g is the gram)"
    dims = Quantity(1, unit.replace("µ", "u")).dimensionality
    if not dims:
        return "dimensionless ratio" if not _needs_unit(unit) else f"mass ratio such as {unit}"
    return re.sub(r"[\[\]]", "", str(dims)).replace(" / ", " per ").replace(" ** ", "^")


def format_quantity(quantity: pint.Quantity[Any]) -> str:
    """Format a quantity compactly and round-trippably, e.g. ``'120 nm'``."""
    magnitude = quantity.magnitude
    text = repr(float(magnitude))
    if text.endswith(".0"):
        text = text[:-2]
    unit = f"{quantity.units:~}".replace(" / ", "/").replace(" ** ", "^")
    return f"{text} {unit}".strip() if unit else text
