"""Compare the groups of a virtual study with the statistics a reviewer expects.

The simulated caliper volumes, body weights and survival times go through the same analyses
as lab data (:func:`~nanocloak.analysis.tumor_growth.analyze_tumor_growth`: T/C, ΔT/ΔC, TGI with
bootstrap intervals, mixed models, per-day Welch and Mann–Whitney tests with Holm correction;
:func:`~nanocloak.analysis.survival.analyze_survival`: Kaplan–Meier, log-rank, Cox hazard
ratios), so a virtual study reads like a real one.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from nanocloak.analysis.survival import analyze_survival
from nanocloak.analysis.tumor_growth import analyze_tumor_growth
from nanocloak.io.tables import LabTable, table_from_rows
from nanocloak.results.analysis import AnalysisResult
from nanocloak.results.study import StudyResult


def caliper_table(result: StudyResult, every_day: float | None = None) -> LabTable:
    """Per-animal caliper volumes as a long-format lab table (body weight, in % of day 0, is
    summarised by the study itself).

    Parameters
    ----------
    result
        The study.
    every_day
        Keep only measurement days that are multiples of this many days (None keeps all).
    """
    volume = result.readout("tumor_volume")
    volume = volume[volume["animal"] >= 0]
    rows: list[list[Any]] = [["animal", "group", "day (d)", "volume (mm^3)"]]
    for r in volume.itertuples():
        day = float(r.time)
        if every_day is not None and abs(day / every_day - round(day / every_day)) > 1e-6:
            continue
        rows.append([f"{r.group}#{r.animal}", str(r.group), day, float(r.value)])
    return table_from_rows(rows, f"virtual study {result.name!r}")


def survival_table(result: StudyResult) -> LabTable:
    """One row per animal: time to the volume endpoint (days), event, group."""
    rows: list[list[Any]] = [["group", "time (d)", "event"]]
    for group in result.group_names:
        times = result.endpoint("survival_time", group)
        events = result.endpoint("event", group)
        rows.extend([group, float(t), int(e > 0.5)] for t, e in zip(times, events, strict=True))
    return table_from_rows(rows, f"virtual study {result.name!r} survival")


def compare_study(result: StudyResult, *, seed: int = 0) -> list[AnalysisResult]:
    """Tumor-growth efficacy and (when any animal reached the endpoint) survival analyses."""
    control = result.control_group()
    out = [
        analyze_tumor_growth(
            caliper_table(result),
            control=control,
            seed=seed,
            n_boot=500,
            title=f"{result.name}: tumor growth",
        )
    ]
    events = result.endpoints[result.endpoints["name"] == "event"]["value"]
    if len(result.group_names) > 1 and float(events.sum()) > 0:
        out.append(
            analyze_survival(
                survival_table(result),
                reference=control,
                title=f"{result.name}: survival to the volume endpoint",
            )
        )
    return out


def estimates_table(analyses: list[AnalysisResult]) -> pd.DataFrame:
    """Every estimate of the analyses as one table (quantity, value, unit, CI), for reports."""
    rows = []
    for analysis in analyses:
        for estimate in analysis.estimates:
            low, high = estimate.ci if estimate.ci is not None else (math.nan, math.nan)
            rows.append(
                {
                    "quantity": estimate.label or estimate.name,
                    "value": estimate.value,
                    "unit": estimate.unit,
                    "CI low": low,
                    "CI high": high,
                }
            )
    return pd.DataFrame(rows, columns=["quantity", "value", "unit", "CI low", "CI high"])
