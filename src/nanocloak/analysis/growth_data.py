"""Long-format caliper data: reading the table, tumor volume from diameters, per-animal change.

Columns are found by any of their usual names (``ANIMAL_NAMES``, ``DAY_NAMES`` …); lengths
without a unit are taken as mm, volumes as mm³, days as days and body weights as g, and each
such assumption is recorded. The volume comes from calipers by one of ``FORMULA_TEXT``'s
formulas, or from a volume column as given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from nanocloak.analysis.assumed_units import AssumedUnit, column_or_default
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable

#: Caliper volume formula.
VolumeFormula = Literal["lw2/2", "pi/6*lw2", "pi/6*lwh"]

FORMULA_TEXT: dict[str, str] = {
    "lw2/2": "V = L·W²/2 (L the longest diameter, W the perpendicular one; Tomayko & Reynolds "
    "1989, used e.g. by Benzekry et al. 2014, doi:10.1371/journal.pcbi.1003800)",
    "pi/6*lw2": "V = π/6·L·W² (prolate ellipsoid with the two short axes equal to W)",
    "pi/6*lwh": "V = π/6·L·W·H (ellipsoid with three measured axes)",
}
ANIMAL_NAMES = ("animal", "animal_id", "mouse", "mouse_id", "subject", "mid", "id")
GROUP_NAMES = ("group", "grp", "treatment", "arm")
DAY_NAMES = ("day", "days", "time")
LENGTH_NAMES = ("length", "tumor_length", "long_axis", "major_axis")
WIDTH_NAMES = ("width", "tumor_width", "short_axis", "minor_axis")
HEIGHT_NAMES = ("height", "tumor_height", "depth")
VOLUME_NAMES = ("volume", "tumor_volume", "tv")
WEIGHT_NAMES = ("body_weight", "bodyweight", "bw", "weight")


def caliper_volume_mm3(
    length_mm: NDArray[np.float64],
    width_mm: NDArray[np.float64],
    height_mm: NDArray[np.float64] | None = None,
    formula: VolumeFormula = "lw2/2",
) -> NDArray[np.float64]:
    r"""Tumor volume from caliper diameters.

    .. math:: V = \frac{L W^2}{2}, \quad V = \frac{\pi}{6} L W^2 \quad\text{or}\quad
              V = \frac{\pi}{6} L W H

    Parameters
    ----------
    length_mm, width_mm
        The two diameters in the skin plane, mm. For the ``L·W²`` formulas the larger is taken
        as L and the smaller as W, whatever column they were written in.
    height_mm
        Third diameter (depth), mm; required by ``"pi/6*lwh"``.
    formula
        ``"lw2/2"`` (default), ``"pi/6*lw2"`` or ``"pi/6*lwh"``.

    Returns
    -------
    numpy.ndarray
        Volume, mm³.

    Examples
    --------
    >>> float(caliper_volume_mm3(np.array([10.0]), np.array([6.0]))[0])
    180.0
    """
    length = np.asarray(length_mm, dtype=float)
    width = np.asarray(width_mm, dtype=float)
    if formula == "pi/6*lwh":
        if height_mm is None:
            raise SpecificationError(
                "formula", formula, "a height column for π/6·L·W·H", "Add a 'height (mm)' column."
            )
        return np.asarray(math.pi / 6.0 * length * width * np.asarray(height_mm, float))
    big, small = np.fmax(length, width), np.fmin(length, width)
    if formula == "lw2/2":
        return np.asarray(big * small**2 / 2.0)
    if formula == "pi/6*lw2":
        return np.asarray(math.pi / 6.0 * big * small**2)
    raise SpecificationError("formula", formula, f"one of {sorted(FORMULA_TEXT)}")


@dataclass(frozen=True)
class GrowthData:
    """Long-format growth data: columns animal, group, day, volume_mm3, bw_g (NaN if absent)."""

    frame: pd.DataFrame
    source: str
    formula: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    assumed: tuple[AssumedUnit, ...] = ()

    @property
    def groups(self) -> list[str]:
        """Group names in order of appearance."""
        return list(dict.fromkeys(self.frame["group"]))


def _optional(
    table: LabTable,
    names: Sequence[str],
    unit: str,
    default: str,
    what: str,
    assumed: list[AssumedUnit],
) -> Any:
    if table.find(names) is None:
        return None
    return column_or_default(table, names, unit, default, what, assumed)


def read_growth(table: LabTable, formula: VolumeFormula = "lw2/2") -> GrowthData:
    """Read a long-format caliper table into ``GrowthData``.

    Lengths without a unit in the header are taken as mm, volumes as mm³, days as days and body
    weights as g (the usual units of mouse studies); each such assumption is listed in
    ``assumed`` and becomes a warning and a provenance entry of the result.
    """
    if formula not in FORMULA_TEXT:
        raise SpecificationError("formula", formula, f"one of {sorted(FORMULA_TEXT)}")
    animals = table.labels(ANIMAL_NAMES)
    groups = table.labels(GROUP_NAMES)
    if animals is None or groups is None:
        missing = "animal" if animals is None else "group"
        raise DataFormatError(
            f"{table.source}: no {missing} column; a long-format growth table needs the columns "
            f"animal, group, day, length, width (or volume); columns are: {table.columns}"
        )
    assumed: list[AssumedUnit] = []
    day = column_or_default(table, DAY_NAMES, "day", "day", "day", assumed)
    notes: list[str] = []
    warns: list[str] = []
    length = _optional(table, LENGTH_NAMES, "mm", "mm", "tumor length", assumed)
    width = _optional(table, WIDTH_NAMES, "mm", "mm", "tumor width", assumed)
    if length is not None and width is not None:
        height = _optional(table, HEIGHT_NAMES, "mm", "mm", "tumor height", assumed)
        volume = caliper_volume_mm3(length, width, height, formula)
        used: str = formula
        notes.append("Tumor volume from calipers: " + FORMULA_TEXT[formula] + ".")
        swapped = int(np.sum(width > length))
        if swapped and formula != "pi/6*lwh":
            warns.append(
                f"{swapped} row(s) have width > length; the larger diameter was used as L."
            )
    else:
        volume = _optional(table, VOLUME_NAMES, "mm**3", "mm**3", "tumor volume", assumed)
        if volume is None:
            raise DataFormatError(
                f"{table.source}: no length and width columns (for the caliper formula) and no "
                f"volume column; columns are: {table.columns}"
            )
        used = "given"
        notes.append("Tumor volume taken from the volume column as given (mm³).")
    weight = _optional(table, WEIGHT_NAMES, "g", "g", "body weight", assumed)
    frame = pd.DataFrame(
        {
            "animal": animals,
            "group": groups,
            "day": day,
            "volume_mm3": volume,
            "bw_g": np.full(len(day), np.nan) if weight is None else weight,
        }
    )
    frame = frame[np.isfinite(frame["day"])]
    dropped = int((~np.isfinite(frame["volume_mm3"])).sum())
    if dropped:
        warns.append(f"{dropped} row(s) without a volume were dropped (dead or removed animals).")
    frame = frame[np.isfinite(frame["volume_mm3"])]
    if (frame["volume_mm3"] < 0).any():
        raise DataFormatError(f"{table.source}: negative tumor volumes or diameters")
    duplicated = frame.duplicated(["animal", "day"])
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise DataFormatError(
            f"{table.source}: animal {first['animal']!r} has two rows for day {first['day']:g}; "
            "each animal needs one row per day (give animals unique ids across groups)"
        )
    if frame.groupby("animal")["group"].nunique().max() > 1:
        raise DataFormatError(f"{table.source}: an animal id appears in two groups")
    if frame.empty:
        raise DataFormatError(f"{table.source}: no rows with a day and a volume")
    order = {g: i for i, g in enumerate(dict.fromkeys(frame["group"]))}
    frame = (
        frame.assign(_order=frame["group"].map(order))
        .sort_values(["_order", "animal", "day"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    if assumed:
        notes.append(
            "Units assumed for columns without one: "
            + ", ".join(f"{a.column!r} in {a.unit}" for a in assumed)
            + "."
        )
    warns = [a.warning() for a in assumed] + warns
    return GrowthData(frame, table.source, used, tuple(notes), tuple(warns), tuple(assumed))


def per_animal_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Add V0, RTV and body-weight change (%) relative to each animal's first row."""
    first = frame.groupby("animal").transform("first")
    out = frame.copy()
    out["v0_mm3"] = first["volume_mm3"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rtv"] = out["volume_mm3"] / out["v0_mm3"]
        out["bw_change_pct"] = 100.0 * (out["bw_g"] - first["bw_g"]) / first["bw_g"]
    return out
