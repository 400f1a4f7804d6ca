"""Lab data tables from CSV or Excel, wide or long, with units in headers or a units row.

Headers may carry units as ``Time (s)``, ``Time [min]``, ``T / °C`` or ``conc_mg_per_mL``-free
text; or the row under the header may hold units (``s``, ``°C``, ``mM``). ``LabTable.column``
finds a column by any of its usual names and converts it to the unit an analysis needs, with
an error naming the file, the columns present and what was expected.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint
from numpy.typing import NDArray

from nanocloak.errors import DataFormatError
from nanocloak.units import Quantity

HEADER_UNIT = re.compile(
    r"^\s*(?P<name>.*?)\s*(?:\((?P<p>[^()]*)\)|\[(?P<b>[^\[\]]*)\]|/\s*(?P<s>[^/]+))\s*$"
)
WHOLE_UNIT_ALIASES = {
    "°C": "degC",
    "ºC": "degC",
    "%": "percent",
    "hr": "hour",
    "hrs": "hour",
    "h": "hour",
    "sec": "s",
    "mins": "min",
    "wt%": "percent",
}
TEMPERATURE_NAME = re.compile(r"^t$|temp", re.IGNORECASE)
ARBITRARY_UNITS = {
    "a.u.",
    "a.u",
    "au",
    "arb",
    "arb. units",
    "arbitrary units",
    "rfu",
    "counts",
    "cps",
    "-",
    "1",
}


def _parse_unit(text: str) -> str | None:
    """A pint-parseable unit string from a header fragment, or None if it is not a unit.

    Arbitrary units (a.u., RFU, counts) are dimensionless.
    """
    cleaned = text.strip().replace("µ", "u").replace("μ", "u")
    if cleaned.lower() in ARBITRARY_UNITS:
        return "dimensionless"
    cleaned = WHOLE_UNIT_ALIASES.get(cleaned, cleaned)
    if not cleaned:
        return None
    try:
        Quantity(1.0, cleaned)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError, AssertionError):
        return None
    return cleaned


def _split_header(header: str) -> tuple[str, str | None]:
    match = HEADER_UNIT.match(str(header))
    if match:
        unit_text = (match.group("p") or match.group("b") or match.group("s") or "").strip()
        if unit_text == "C" and TEMPERATURE_NAME.search(match.group("name")):
            unit_text = "degC"  # "T (C)" means Celsius; "Charge (C)" stays coulombs
        unit = _parse_unit(unit_text)
        if unit is not None:
            return match.group("name").strip(), unit
    return str(header).strip(), None


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class LabTable:
    """A table with a unit (or None) per column, read from ``source``."""

    frame: pd.DataFrame
    units: dict[str, str | None]
    source: str

    @property
    def columns(self) -> list[str]:
        """Column names without their units."""
        return list(self.frame.columns)

    def find(self, names: Sequence[str]) -> str | None:
        """The first column whose folded name equals (or starts with) one of ``names``."""
        folded = {_fold(c): c for c in self.columns}
        for name in names:
            if _fold(name) in folded:
                return folded[_fold(name)]
        for name in names:
            for key, column in folded.items():
                if key.startswith(_fold(name)):
                    return column
        return None

    def _describe(self) -> str:
        return ", ".join(f"{c} ({self.units[c] or 'no unit'})" for c in self.columns)

    def column(
        self,
        names: Sequence[str],
        unit: str | None,
        default_unit: str | None = None,
        what: str = "",
    ) -> NDArray[np.float64]:
        """Values of the column known by ``names``, converted to ``unit``.

        A column without a unit is taken to be in ``default_unit`` if given; otherwise a
        dimensional ``unit`` demands a unit in the header or the units row.
        """
        column = self.find(names)
        label = what or names[0]
        if column is None:
            raise DataFormatError(
                f"{self.source}: no column for {label} (looked for "
                f"{', '.join(repr(n) for n in names)}); columns are: "
                f"{self._describe()}"
            )
        try:
            values: NDArray[np.float64] = pd.to_numeric(
                self.frame[column], errors="raise"
            ).to_numpy(dtype=float)
        except (ValueError, TypeError) as exc:
            raise DataFormatError(
                f"{self.source}: column {column!r} holds non-numbers ({exc})"
            ) from None
        if unit is None:
            return values
        given = self.units.get(column) or default_unit
        if given is None:
            if Quantity(1.0, unit).dimensionless:
                return values
            raise DataFormatError(
                f"{self.source}: column {column!r} has no unit; write it "
                f"in the header, e.g. '{column} ({unit})', or in a units row"
            )
        try:
            return np.asarray(Quantity(values, given).to(unit).magnitude, dtype=float)
        except pint.errors.DimensionalityError:
            raise DataFormatError(
                f"{self.source}: column {column!r} is in {given}, which "
                f"cannot be converted to {unit} for {label}"
            ) from None

    def labels(self, names: Sequence[str]) -> list[str] | None:
        """Text values of a label column (e.g. group), or None if there is none."""
        column = self.find(names)
        return None if column is None else [str(v) for v in self.frame[column]]

    def groups(self, by: str) -> Iterator[tuple[str, LabTable]]:
        """Sub-tables per value of column ``by`` (long format), in order of appearance."""
        column = self.find([by])
        if column is None:
            raise DataFormatError(
                f"{self.source}: no column {by!r} to group by; columns are: {self._describe()}"
            )
        for key, part in self.frame.groupby(column, sort=False):
            yield (
                str(key),
                LabTable(
                    part.reset_index(drop=True), self.units, f"{self.source} [{column}={key}]"
                ),
            )


def read_table(path: str | os.PathLike[str], sheet: str | int | None = None) -> LabTable:
    """Read a CSV, TSV or Excel file into a ``LabTable`` (units from headers or a units row)."""
    file = Path(path)
    if not file.exists():
        raise DataFormatError(f"data file {file} does not exist")
    try:
        if file.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            raw = pd.read_excel(
                file, sheet_name=sheet if sheet is not None else 0, header=None, dtype=object
            )
        else:
            raw = pd.read_csv(
                file,
                sep=None,
                engine="python",
                header=None,
                dtype=object,
                comment="#",
                skip_blank_lines=True,
            )
    except (ValueError, OSError, csv.Error, pd.errors.ParserError) as exc:
        raise DataFormatError(f"{file} cannot be read as a table: {exc}") from None
    return table_from_rows(raw.values.tolist(), str(file))


def table_from_rows(rows: list[list[Any]], source: str) -> LabTable:
    """Build a ``LabTable`` from raw rows: a header row, an optional units row, then data."""
    if len(rows) < 2:
        raise DataFormatError(f"{source}: needs a header row and at least one data row")
    names, units = zip(*(_split_header(h) for h in rows[0]), strict=True)
    body = rows[1:]
    second = [str(v).strip() for v in body[0] if not _is_missing(v)]
    if second and all(_parse_unit(v) is not None and not _is_number(v) for v in second):
        row_units = [None if _is_missing(v) else _parse_unit(str(v)) for v in body[0]]
        units = tuple(u or r for u, r in zip(units, row_units, strict=True))
        body = body[1:]
    if len(set(names)) != len(names):
        raise DataFormatError(f"{source}: repeated column names {list(names)}")
    frame = pd.DataFrame(body, columns=list(names)).dropna(how="all")
    return LabTable(frame.reset_index(drop=True), dict(zip(names, units, strict=True)), source)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value) == ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
