"""Shared machinery of the domain specs: the frozen base model and unit-checked quantity fields.

A quantity field accepts a pint Quantity, a string such as ``"120 nm"`` or a table
``{value = 120, unit = "nm"}``; it rejects bare numbers, checks the dimension and the physically
sensible range, and serialises back to the compact string form so TOML round-trips exactly.
"""

from __future__ import annotations

from typing import Annotated, Any

import pint
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
)

from nanocloak.errors import UnitError
from nanocloak.units import Quantity, format_quantity, parse_quantity


class DomainModel(BaseModel):
    """Frozen, strict base of every domain spec."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", arbitrary_types_allowed=True, validate_default=True
    )


def quantity(unit: str, low: float | None = None, high: float | None = None) -> Any:
    """An annotated Quantity type of ``unit``'s dimension within ``[low, high]`` (in ``unit``).

    Bounds are inclusive and are the physically sensible range, not the typical one: they catch
    typos (``"120 mm"`` for a particle) and negative sizes.
    """

    def _validate(value: Any, info: ValidationInfo) -> pint.Quantity[Any]:
        field = _field_name(info)
        parsed = parse_quantity(value, unit, field)
        magnitude = float(parsed.to(unit.replace("µ", "u")).magnitude)
        if (low is not None and magnitude < low) or (high is not None and magnitude > high):
            raise UnitError(
                field,
                value if isinstance(value, str) else format_quantity(parsed),
                f"a value between {_bound(low, unit)} and {_bound(high, unit)}",
                "Values outside this range are not physical for this field; check the unit.",
            )
        return parsed

    def _serialize(value: pint.Quantity[Any]) -> str:
        if value.dimensionless and unit != "dimensionless":
            # pint cancels mg/mg to a bare number; keep the unit the field is written in
            return f"{format_quantity(Quantity(float(value.to(unit).magnitude)))} {unit}"
        return format_quantity(value)

    schema = {"type": "string", "description": f"quantity in units of {unit}", "examples": [unit]}
    return Annotated[
        pint.Quantity,
        BeforeValidator(_validate),
        PlainSerializer(_serialize, return_type=str),
        WithJsonSchema(schema),
    ]


def _fraction(value: Any, info: ValidationInfo) -> float:
    field = _field_name(info)
    if isinstance(value, bool):
        raise UnitError(field, value, "a fraction between 0 and 1, e.g. 0.5 or '50 %'")
    if isinstance(value, int | float):
        number = float(value)
    else:
        number = float(parse_quantity(value, "dimensionless", field).to("dimensionless").magnitude)
    if not 0.0 <= number <= 1.0:
        raise UnitError(field, value, "a fraction between 0 and 1, e.g. 0.5 or '50 %'")
    return number


Fraction = Annotated[float, BeforeValidator(_fraction)]
"""A plain fraction in [0, 1]; also accepts ``"50 %"``."""


def _bound(value: float | None, unit: str) -> str:
    return "no limit" if value is None else f"{value:g} {unit}"


def _field_name(info: Any) -> str:
    name = getattr(info, "field_name", None)
    return str(name) if name else "value"


Length = quantity("nm", 0.3, 5000.0)
SmallLength = quantity("nm", 0.0, 1000.0)
GapLength = quantity("um", 0.5, 10000.0)
ProcessTemperature = quantity("degC", 0.0, 60.0)
ZoneVolume = quantity("uL", 1e-4, 1000.0)
Conductivity = quantity("S/m", 1e-5, 20.0)
PoreSize = quantity("nm", 10.0, 5000.0)
MesoporeSize = quantity("nm", 0.3, 100.0)
Mass = quantity("mg", 1e-6, 1e6)
MassRatio = quantity("mg/mg", 1e-6, 100.0)
MassConcentration = quantity("mg/mL", 1e-6, 100.0)
Duration = quantity("min", 0.0, 60.0 * 24.0 * 14.0)
Temperature = quantity("degC", -200.0, 150.0)
Voltage = quantity("V", 0.0, 5000.0)
PulseWidth = quantity("us", 0.01, 1e6)
PulseRate = quantity("Hz", 0.01, 1e6)
FlowRate = quantity("uL/min", 0.01, 1e5)
Power = quantity("W", 0.0, 2000.0)
Frequency = quantity("kHz", 10.0, 2000.0)
Acceleration = quantity("xg", 1.0, 1e6)
PoreVolume = quantity("cm^3/g", 0.0, 5.0)
SpecificArea = quantity("m^2/g", 0.0, 10000.0)
ArealDensity = quantity("molecule/um^2", 0.0, 1e6)
# study-level quantities
StudyDuration = quantity("d", 0.5, 365.0)
TimePoint = quantity("h", 0.0, 24.0 * 365.0)
DoseAmount = quantity("mg/kg", 1e-6, 1000.0)
TumorVolume = quantity("mm^3", 0.01, 20000.0)
TissueDepth = quantity("mm", 0.0, 30.0)
Wavelength = quantity("nm", 300.0, 2000.0)
Irradiance = quantity("W/cm^2", 0.0, 20.0)
SpotRadius = quantity("mm", 0.1, 50.0)
Exposure = quantity("min", 0.01, 240.0)
FieldAmplitude = quantity("kA/m", 0.0, 200.0)
FieldFrequency = quantity("kHz", 1.0, 10000.0)
RadiationDose = quantity("Gy", 0.0, 100.0)
