"""Units assumed for columns that carry none, stated as warnings and in the provenance.

A lab table may omit a unit where one is conventional (tumor caliper in mm, body weight in g,
release in %, day numbers in days, PK concentrations in mg/L, doses in mg). The analyses keep
such a default but never silently: each assumption becomes an :class:`AssumedUnit`, reported as
a warning naming the column and the unit, and listed under ``assumed_units`` in the result's
provenance.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.results.analysis import AnalysisResult

NAMED_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "hour": "hour",
    "hours": "hour",
    "minute": "minute",
    "minutes": "minute",
}
"""Column names that are themselves a unit: a column ``days`` is in days, not an assumption."""


def unit_from_name(column: str) -> str | None:
    """The unit a column's name states (``days`` → day), or None."""
    return NAMED_UNITS.get(column.strip().lower())


@dataclass(frozen=True, slots=True)
class AssumedUnit:
    """The column ``column`` (holding ``what``) had no unit and was read in ``unit``."""

    column: str
    unit: str
    what: str

    def warning(self) -> str:
        """The warning text: which column, which unit, how to avoid the assumption."""
        return (
            f"Column {self.column!r} ({self.what}) has no unit; assumed {self.unit}. Write the "
            f"unit in the header, e.g. '{self.column} ({self.unit})', if that is wrong."
        )


def assumed_unit(
    table: LabTable, names: Sequence[str], default_unit: str, what: str
) -> AssumedUnit | None:
    """The assumption made when the column found by ``names`` has no unit (None if it has one
    or there is no such column)."""
    column = table.find(names)
    if column is None or table.units.get(column) or unit_from_name(column):
        return None
    return AssumedUnit(column, default_unit, what)


def column_or_default(
    table: LabTable,
    names: Sequence[str],
    unit: str,
    default_unit: str,
    what: str,
    assumed: list[AssumedUnit],
) -> FloatArray:
    """``table.column(names, unit, default_unit)``, appending to ``assumed`` when the default
    was used; a column named like a unit (``days``, ``weeks``) is read in that unit."""
    column = table.find(names)
    named = None if column is None else unit_from_name(column)
    values = table.column(names, unit, default_unit=named or default_unit, what=what)
    note = assumed_unit(table, names, default_unit, what)
    if note is not None and note not in assumed:
        assumed.append(note)
    return values


def provenance_entry(assumed: Iterable[AssumedUnit]) -> dict[str, str]:
    """``{column: unit}`` of the assumptions, for the provenance's ``assumed_units``."""
    return {a.column: a.unit for a in assumed}


def with_assumed_units(result: AnalysisResult, assumed: Sequence[AssumedUnit]) -> AnalysisResult:
    """``result`` with a warning per assumed unit and ``assumed_units`` in its provenance."""
    if not assumed:
        return result
    return dataclasses.replace(
        result,
        warnings=(*[a.warning() for a in assumed], *result.warnings),
        provenance={**result.provenance, "assumed_units": provenance_entry(assumed)},
    )


__all__ = [
    "NAMED_UNITS",
    "AssumedUnit",
    "assumed_unit",
    "column_or_default",
    "provenance_entry",
    "unit_from_name",
    "with_assumed_units",
]
