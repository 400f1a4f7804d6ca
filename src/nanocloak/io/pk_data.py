"""Biodistribution time courses for PBPK calibration: a long-format table reader.

One row per observation (a mean over animals, or one animal)::

    time (h), organ,  quantity, value, sd,   n
    0.5,      liver,  %ID,      24.1,  3.2,  4
    24,       spleen, %ID/g,    180,   ,     3
    4,        blood,  ug/g,     12.5

Columns (found by any of their usual names, case and punctuation ignored):

``time``
    Time after the first dose, with its unit in the header (``time (h)``, ``t [min]``) or in a
    units row under the header. Must be > 0.
``organ``
    A model output: ``blood``, ``lung``, ``liver``, ``spleen``, ``kidney``, ``brain``,
    ``muscle``, ``gi``, ``rest``, ``tumor``, ``urine``, ``bile`` (checked against the model when
    fitting).
``quantity``
    What ``value`` is: ``%ID`` (percent of the injected dose in the whole organ), ``%ID/g`` (per
    gram of organ), ``ug/g`` or ``ng/g`` (mass concentration; µg/g is accepted too).
``value``
    The observation, > 0 (zeros and values below a detection limit must be dropped: the
    proportional error model of the fit works on logarithms).
``sd`` (optional)
    Standard deviation between animals, same unit as ``value``; blank when not reported.
``n`` (optional)
    Number of animals behind the mean; blank when not reported.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable, read_table
from nanocloak.kernels.arrays import FloatArray

TIME_NAMES = ("time", "time_after_dose")
ORGAN_NAMES = ("organ", "tissue", "output", "compartment")
QUANTITY_NAMES = ("quantity", "measure", "unit")
VALUE_NAMES = ("value", "mean", "observed")
SD_NAMES = ("sd", "stdev", "std", "standard_deviation")
N_NAMES = ("n", "replicates", "animals")

#: Accepted spellings of each quantity, folded (lower case, no spaces or µ/u distinction).
QUANTITIES: dict[str, str] = {
    "%id": "%ID",
    "percentid": "%ID",
    "percent_id": "%ID",
    "%id/g": "%ID/g",
    "%idg": "%ID/g",
    "%idg-1": "%ID/g",
    "percentidperg": "%ID/g",
    "percent_id_per_g": "%ID/g",
    "ug/g": "ug/g",
    "µg/g": "ug/g",
    "μg/g": "ug/g",
    "ng/g": "ng/g",
}
QUANTITY_LABELS = ("%ID", "%ID/g", "ug/g", "ng/g")


@dataclass(frozen=True)
class PkObservations:
    """Biodistribution observations, one entry per row (immutable).

    Attributes
    ----------
    time_h
        Time after the first dose, h.
    organ
        Model output per row (lower case).
    quantity
        ``"%ID"``, ``"%ID/g"``, ``"ug/g"`` or ``"ng/g"`` per row.
    value
        Observed value in the row's quantity.
    sd
        Between-animal standard deviation (NaN where not reported).
    n
        Number of animals (0 where not reported).
    source
        Where the rows came from (file name or a description).
    """

    time_h: FloatArray
    organ: tuple[str, ...]
    quantity: tuple[str, ...]
    value: FloatArray
    sd: FloatArray
    n: FloatArray
    source: str = "observations"

    def __post_init__(self) -> None:
        size = self.time_h.size
        for name in ("organ", "quantity", "value", "sd", "n"):
            if len(getattr(self, name)) != size:
                raise DataFormatError(f"{self.source}: column {name} needs {size} entries")
        if size == 0:
            raise DataFormatError(f"{self.source}: no observations")
        for i in range(size):
            row = f"{self.source}, observation {i + 1}"
            if not (math.isfinite(self.time_h[i]) and self.time_h[i] > 0.0):
                raise DataFormatError(
                    f"{row}: time {float(self.time_h[i]):g} h; times must be > 0 "
                    "(after the first dose)"
                )
            if not (math.isfinite(self.value[i]) and self.value[i] > 0.0):
                raise DataFormatError(
                    f"{row}: value {float(self.value[i]):g}; values must be positive numbers (drop "
                    "zeros and values below the detection limit: the fit works on logarithms)"
                )
            if self.quantity[i] not in QUANTITY_LABELS:
                raise DataFormatError(
                    f"{row}: quantity {self.quantity[i]!r}; expected one of "
                    f"{', '.join(QUANTITY_LABELS)}"
                )
            if not math.isnan(self.sd[i]) and not (math.isfinite(self.sd[i]) and self.sd[i] >= 0):
                raise DataFormatError(
                    f"{row}: sd {float(self.sd[i]):g}; expected a number >= 0 or blank"
                )
            if not (self.n[i] >= 0 and float(self.n[i]).is_integer()):
                raise DataFormatError(
                    f"{row}: n {float(self.n[i]):g}; expected a whole number or blank"
                )

    @classmethod
    def from_rows(
        cls,
        time_h: Sequence[float],
        organ: Sequence[str],
        quantity: Sequence[str],
        value: Sequence[float],
        sd: Sequence[float | None] | None = None,
        n: Sequence[int | None] | None = None,
        source: str = "observations",
    ) -> PkObservations:
        """Build from plain sequences (quantities in any accepted spelling; None = missing)."""
        size = len(time_h)
        sd_list = [None] * size if sd is None else list(sd)
        n_list = [None] * size if n is None else list(n)
        return cls(
            time_h=np.asarray(time_h, dtype=float),
            organ=tuple(str(o).strip().lower() for o in organ),
            quantity=tuple(normalize_quantity(q, source, i) for i, q in enumerate(quantity)),
            value=np.asarray(value, dtype=float),
            sd=np.array([np.nan if s is None else float(s) for s in sd_list]),
            n=np.array([0.0 if k is None else float(k) for k in n_list]),
            source=source,
        )

    def __len__(self) -> int:
        return int(self.time_h.size)

    @property
    def has_sd(self) -> bool:
        """True when every row reports a positive SD (then a weighted fit is possible)."""
        return bool(np.all(np.isfinite(self.sd) & (self.sd > 0.0)))

    @property
    def series_keys(self) -> tuple[tuple[str, str], ...]:
        """The distinct (organ, quantity) pairs, in order of appearance."""
        return tuple(dict.fromkeys(zip(self.organ, self.quantity, strict=True)))

    def standard_error(self) -> FloatArray:
        """SD of each row's mean: sd / sqrt(n), or sd when n is not reported."""
        return np.where(self.n > 0, self.sd / np.sqrt(np.maximum(self.n, 1.0)), self.sd)


def normalize_quantity(text: object, source: str = "data", row: int | None = None) -> str:
    """The canonical quantity label (``%ID``, ``%ID/g``, ``ug/g``, ``ng/g``) of ``text``."""
    folded = re.sub(r"\s+", "", str(text).strip().lower())
    if folded in QUANTITIES:
        return QUANTITIES[folded]
    where = source if row is None else f"{source}, row {row + 1}"
    raise DataFormatError(
        f"{where}: quantity {text!r} is not one of {', '.join(QUANTITY_LABELS)} "
        "(%ID: percent of the injected dose in the organ; %ID/g: per gram of organ)"
    )


def read_pk_data(path: str | os.PathLike[str], sheet: str | int | None = None) -> PkObservations:
    """Read a long-format biodistribution table (CSV, TSV or Excel; module docstring).

    Raises
    ------
    DataFormatError
        When a column is missing, the time has no unit, or a row holds an invalid entry; the
        message names the file, the row and what is allowed.
    """
    table = read_table(path, sheet)
    return observations_from_table(table)


def observations_from_table(table: LabTable) -> PkObservations:
    """Observations from a :class:`~nanocloak.io.tables.LabTable` (module docstring)."""
    time_h = table.column(TIME_NAMES, "h", what="time after dosing")
    organs = _labels(table, ORGAN_NAMES, "the organ (blood, liver, spleen, ...)")
    quantities = _labels(table, QUANTITY_NAMES, "the quantity (%ID, %ID/g, ug/g or ng/g)")
    value = table.column(VALUE_NAMES, None, what="the observed value")
    sd = _optional(table, SD_NAMES, "sd")
    n = _optional(table, N_NAMES, "n")
    return PkObservations.from_rows(
        time_h=list(time_h),
        organ=organs,
        quantity=quantities,
        value=list(value),
        sd=None if sd is None else [None if math.isnan(s) else s for s in sd],
        n=None if n is None else [None if math.isnan(k) else int(k) for k in _whole(n, table)],
        source=table.source,
    )


def _exact(table: LabTable, names: Sequence[str]) -> str | None:
    """The column whose folded name is one of ``names`` (no prefix matching: 'n' ≠ 'note')."""
    folded = {re.sub(r"[^a-z0-9]", "", c.lower()): c for c in table.columns}
    for name in names:
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        if key in folded:
            return folded[key]
    return None


def _labels(table: LabTable, names: Sequence[str], what: str) -> list[str]:
    column = _exact(table, names)
    if column is None:
        raise DataFormatError(
            f"{table.source}: no column for {what} (looked for "
            f"{', '.join(repr(n) for n in names)}); columns are: {', '.join(table.columns)}"
        )
    labels = [str(v).strip() for v in table.frame[column]]
    for i, label in enumerate(labels):
        if label in ("", "nan", "None"):
            raise DataFormatError(f"{table.source}, row {i + 1}: {column} is empty")
    return labels


def _optional(table: LabTable, names: Sequence[str], what: str) -> FloatArray | None:
    column = _exact(table, names)
    if column is None:
        return None
    return table.column([column], None, what=what)


def _whole(values: FloatArray, table: LabTable) -> FloatArray:
    for i, v in enumerate(values):
        if not math.isnan(v) and not (v >= 0 and float(v).is_integer()):
            raise DataFormatError(
                f"{table.source}, row {i + 1}: n {float(v):g}; expected a whole number of "
                "animals or blank"
            )
    return values
