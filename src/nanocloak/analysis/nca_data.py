"""Reading NCA concentration–time tables and PKNCA's below-LOQ (BLQ) rules.

Column names recognised in lab tables, the text that marks a below-LOQ sample (``BLQ``,
``<LOQ``, ``ND``, ``<0.1`` …), and the positional BLQ rules of PKNCA (Denney, Duvvuri &
Buckeridge, J Pharmacokinet Pharmacodyn 2015;42:11–107, doi:10.1007/s10928-015-9432-2).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import pint
from numpy.typing import NDArray

from nanocloak.analysis.assumed_units import AssumedUnit, assumed_unit
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.units import Quantity

BlqRule = Literal["keep", "drop"]

DEFAULT_CONC_UNIT = "mg/L"
"""Concentration unit assumed for a column without one (= µg/mL), with a warning."""
DEFAULT_DOSE_UNIT = "mg"
"""Dose unit assumed for a dose column without one, with a warning."""

TIME_NAMES = ("time", "t", "tad", "time after dose", "hours")
CONC_NAMES = ("conc", "concentration", "c", "cp", "plasma concentration", "dv")
DOSE_NAMES = ("dose", "amt", "amount")
BLQ_TOKENS = ("blq", "bql", "<loq", "<lloq", "nd", "n.d.", "bloq", "lloq", "<lod")


def clean_blq(
    time: FloatArray,
    conc: FloatArray,
    blq: NDArray[np.bool_],
    rules: tuple[BlqRule, BlqRule, BlqRule] = ("keep", "drop", "keep"),
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Apply PKNCA's below-LOQ rules and drop missing concentrations.

    BLQ samples become 0 and are then kept or dropped by position: before the first
    quantifiable concentration (``rules[0]``), between the first and last (``rules[1]``), and
    after the last (``rules[2]``). PKNCA's defaults are keep (as 0), drop, keep (as 0); a kept
    trailing 0 only affects AUCall, never AUClast or AUC∞.
    """
    notes: list[str] = []
    missing = ~np.isfinite(conc) & ~blq
    if missing.any():
        notes.append(f"{int(missing.sum())} missing concentration(s) dropped")
    keep = ~missing
    t, c, b = time[keep], np.where(blq[keep], 0.0, conc[keep]), blq[keep] | (conc[keep] == 0)
    quantifiable = np.flatnonzero(~b)
    if quantifiable.size == 0:
        return t, c, [*notes, "no quantifiable concentration"]
    first, last = quantifiable[0], quantifiable[-1]
    index = np.arange(t.size)
    where = {
        "before the first quantifiable sample": b & (index < first),
        "between quantifiable samples": b & (index > first) & (index < last),
        "after the last quantifiable sample": b & (index > last),
    }
    drop = np.zeros(t.size, dtype=bool)
    for (position, mask), rule in zip(where.items(), rules, strict=True):
        if mask.any():
            action = "set to 0" if rule == "keep" else "dropped"
            notes.append(f"{int(mask.sum())} BLQ sample(s) {position} {action}")
            if rule == "drop":
                drop |= mask
    return t[~drop], c[~drop], notes


def assumed_units(table: LabTable, conc_unit: str | None, dose_given: bool) -> list[AssumedUnit]:
    """The units assumed for a unit-less concentration column (mg/L, unless ``conc_unit`` says
    otherwise) and dose column (mg, unless the dose was given with its unit)."""
    out = []
    if conc_unit is None:
        conc = assumed_unit(table, CONC_NAMES, DEFAULT_CONC_UNIT, "concentration")
        if conc is not None:
            out.append(conc)
    if not dose_given:
        dose = assumed_unit(table, DOSE_NAMES, DEFAULT_DOSE_UNIT, "dose")
        if dose is not None:
            out.append(dose)
    return out


def read_concentrations(
    table: LabTable, conc_unit: str | None = None
) -> tuple[FloatArray, NDArray[np.bool_], str]:
    """Concentrations, BLQ flags and unit from a table column that may hold "BLQ" or "<0.1".

    Text such as ``BLQ``, ``<LOQ``, ``ND`` or ``<0.05`` marks a below-LOQ sample; other text is
    an error. A ``BLQ`` column of yes/no or 1/0 flags is honoured too. The values are
    converted to ``conc_unit`` if given, else kept in the header's unit (``mg/L`` if none:
    :func:`assumed_units` states that assumption).
    """
    column = table.find(CONC_NAMES)
    if column is None:
        raise DataFormatError(
            f"{table.source}: no concentration column (looked for {', '.join(CONC_NAMES)}); "
            f"columns are: {', '.join(table.columns)}"
        )
    raw = table.frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    text = raw.astype(str).str.strip().str.lower()
    blq = text.isin(BLQ_TOKENS).to_numpy() | text.str.startswith("<").to_numpy()
    bad = (
        np.isnan(values)
        & ~blq
        & ~raw.isna().to_numpy()
        & ~text.isin(("nan", "", "none", "na")).to_numpy()
    )
    if bad.any():
        raise DataFormatError(
            f"{table.source}: column {column!r} holds {sorted(set(raw[bad].astype(str)))}; "
            "write numbers, BLQ-style text (BLQ, <LOQ, ND, <0.1) or leave the cell empty"
        )
    flag_column = table.find(("blq", "bql", "below loq"))
    if flag_column is not None and flag_column != column:
        flags = table.frame[flag_column].astype(str).str.strip().str.lower()
        blq = blq | flags.isin(("1", "true", "yes", "y", "blq")).to_numpy()
    given = table.units.get(column) or conc_unit or DEFAULT_CONC_UNIT
    target = conc_unit or given
    if given != target:
        try:
            values = np.asarray(Quantity(values, given).to(target).magnitude, dtype=float)
        except pint.errors.DimensionalityError:
            raise DataFormatError(
                f"{table.source}: column {column!r} is in {given}, not convertible to {target}"
            ) from None
    values[blq] = np.nan
    return values, blq, target
