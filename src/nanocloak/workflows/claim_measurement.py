"""The model's value of a claim's quantity, measured on a study's result.

Quantities (column ``readout``)
-------------------------------
Endpoints (:data:`~nanocloak.workflows.claims_table.ENDPOINTS`)
    Mean over the group's animals of a per-animal endpoint (``final_volume``,
    ``max_tumor_temperature``, ``lung_nodules``, ...), with its SD.
``median_survival_day``
    The group's Kaplan–Meier median survival (d; ``inf`` when survival stays above 1/2).
Series (:data:`~nanocloak.workflows.claims_table.SERIES`) at ``time``
    A time series interpolated linearly at ``time`` (a quantity such as ``"24 h"``, converted to
    the series' unit): group-level curves (``blood`` %ID, ``tumor_particles`` µg/g,
    ``biodistribution`` %ID/g by ``site`` organ, ``mri_signal_drop`` % by ``site``) or the
    mean over animals of per-animal curves (``tumor_volume``, ``body_weight``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from nanocloak.errors import DataFormatError
from nanocloak.results.study import StudyResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.claims_table import ENDPOINTS, SURVIVAL, Claim


@dataclass(frozen=True, slots=True)
class Measurement:
    """A model value with its spread over ``n`` animals (``sd`` NaN for a group-level value)."""

    value: float
    sd: float
    n: int
    unit: str


def measure(result: StudyResult, claim: Claim, which: str) -> Measurement:
    """The model's value of ``claim``'s quantity for side ``"a"`` or ``"b"`` (see module doc)."""
    _, group, time = claim.side(which)
    if group not in result.group_names:
        raise DataFormatError(
            f"claim {claim.id}: no group {group!r} in study {result.name!r}; "
            f"groups: {result.group_names}"
        )
    if claim.readout in ENDPOINTS:
        values = result.endpoint(claim.readout, group)
        unit = _unit(result.endpoints, claim.readout)
        return _spread(values, unit)
    if claim.readout == SURVIVAL:
        summary = result.summary().set_index("group")
        return Measurement(float(summary.loc[group, SURVIVAL]), math.nan, 1, "d")
    rows = result.readout(claim.readout, group)
    if claim.site:
        rows = rows[rows["site"] == claim.site]
    if rows.empty:
        return Measurement(math.nan, math.nan, 0, "")
    time_unit = str(rows["time_unit"].iloc[0])
    at = magnitude_in(parse_quantity(time, "h", "time"), time_unit)
    unit = str(rows["unit"].iloc[0])
    curves = [
        np.interp(at, *_sorted(frame))
        for _, frame in rows.groupby("animal")
        if frame["time"].min() - 1e-9 <= at <= frame["time"].max() + 1e-9
    ]
    if not curves:
        raise DataFormatError(
            f"claim {claim.id}: {claim.readout} of {group!r} is not sampled at {time} "
            f"(range {rows['time'].min():g}-{rows['time'].max():g} {time_unit})"
        )
    if (rows["animal"] < 0).all() or len(curves) == 1:
        return Measurement(float(curves[0]), math.nan, 1, unit)
    return _spread(np.asarray(curves, dtype=float), unit)


def _sorted(frame: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    ordered = frame.sort_values("time")
    return np.asarray(ordered["time"], dtype=float), np.asarray(ordered["value"], dtype=float)


def _spread(values: np.ndarray[Any, Any], unit: str) -> Measurement:
    if values.size == 0:
        return Measurement(math.nan, math.nan, 0, unit)
    sd = float(np.std(values, ddof=1)) if values.size > 1 else math.nan
    return Measurement(float(np.mean(values)), sd, int(values.size), unit)


def _unit(frame: Any, name: str) -> str:
    units = frame.loc[frame["name"] == name, "unit"]
    return str(units.iloc[0]) if len(units) else ""
