"""Time-to-event endpoints from tumor growth curves, for survival analysis.

:func:`derive_endpoints` turns each animal's volumes into a time and an event flag by one of
three rules (first reach of a volume, TumGrowth's OS or TFS; Enot et al., OncoImmunology 2018,
doi:10.1080/2162402X.2018.1462431); :func:`endpoint_formula` states the rule for reports.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from nanocloak.analysis.growth_data import GrowthData
from nanocloak.errors import SpecificationError
from nanocloak.io.tables import LabTable, table_from_rows

#: Rule turning a growth curve into an endpoint.
EndpointMode = Literal["first-reach", "os", "tfs"]


def derive_endpoints(
    data: GrowthData,
    threshold_mm3: float,
    mode: EndpointMode = "first-reach",
    time_cap_day: float | None = None,
) -> LabTable:
    """Time-to-event endpoints from growth curves, as a table (animal, group, time (day), event).

    Parameters
    ----------
    data
        Growth data from ``read_growth``.
    threshold_mm3
        Volume threshold, mm³.
    mode
        ``"first-reach"`` (default): time = first day with V ≥ threshold (event); animals that
        never reach it are censored at their last measurement. ``"os"`` (TumGrowth's OS): time
        = last day with V ≤ threshold after which every measurement exceeds it; event if the
        animal was measured after that day, else censored. ``"tfs"`` (TumGrowth's TFS, the
        threshold being the detection level): time = last day before V first exceeds the
        threshold (event), or the first day if it exceeds from the start; animals that never
        exceed it are censored at their last day.
    time_cap_day
        End of follow-up, days: later times are censored at the cap.
    """
    if not threshold_mm3 >= 0:
        raise SpecificationError("threshold", threshold_mm3, "a volume ≥ 0 mm³")
    rows: list[list[Any]] = [["animal", "group", "time (day)", "event"]]
    for animal, part in data.frame.groupby("animal", sort=False):
        part = part.sort_values("day")
        days = part["day"].to_numpy(float)
        v = part["volume_mm3"].to_numpy(float)
        group = part["group"].iloc[0]
        if mode == "first-reach":
            hit = np.nonzero(v >= threshold_mm3)[0]
            time, event = (days[hit[0]], 1) if hit.size else (days[-1], 0)
        elif mode == "os":
            below = np.nonzero(v <= threshold_mm3)[0]
            if below.size == 0:
                time, event = days[0], 1
            else:
                last = below[-1]
                time, event = days[last], int(last < len(days) - 1)
        elif mode == "tfs":
            above = np.nonzero(v > threshold_mm3)[0]
            if above.size == 0:
                time, event = days[-1], 0
            else:
                time, event = days[max(above[0] - 1, 0)], 1
        else:
            raise SpecificationError("endpoint", mode, "'first-reach', 'os' or 'tfs'")
        if time_cap_day is not None and time > time_cap_day:
            time, event = time_cap_day, 0
        rows.append([animal, group, float(time), event])
    return table_from_rows(rows, f"{data.source} [endpoint {mode}, V ≥ {threshold_mm3:g} mm³]")


def endpoint_formula(mode: EndpointMode, threshold_mm3: float) -> str:
    """The endpoint rule of ``derive_endpoints`` in words, for reports."""
    rules = {
        "first-reach": "time = first day with V ≥ {t} mm³ (event); never reached: censored at "
        "the last measurement",
        "os": "TumGrowth OS: time = last day with V ≤ {t} mm³ after which all measurements "
        "exceed it (event if measured later, else censored)",
        "tfs": "TumGrowth TFS: time = last day before V first exceeds {t} mm³ (event; first "
        "day if exceeded from the start); never exceeded: censored at the last day",
    }
    return "Endpoint: " + rules[mode].format(t=f"{threshold_mm3:g}") + "."
