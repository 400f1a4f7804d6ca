"""The figures of a study report, as plot panels: what the review shows for real studies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nanocloak.kernels.arrays import FloatArray
from nanocloak.plotting.series import Panel, Series

if TYPE_CHECKING:
    from nanocloak.results.study import StudyResult

ORGANS = ("liver", "spleen", "lung", "kidney", "brain", "tumor")


def study_panels(result: StudyResult) -> list[Panel]:
    """Tumor growth, survival, body weight, temperature, blood, biodistribution, imaging."""
    from nanocloak.results.study import mean_sd_series

    panels: list[Panel] = []
    groups = result.group_names
    growth = [mean_sd_series(result.readout("tumor_volume", g), g) for g in groups]
    panels.append(
        Panel(tuple(growth), "Time after first dose (d)", "Tumor volume (mm³)", "Tumor growth")
    )
    if result.endpoints["name"].eq("survival_time").any():
        panels.append(_survival_panel(result))
    weight = [
        mean_sd_series(result.readout("body_weight", g), g)
        for g in groups
        if not result.readout("body_weight", g).empty
    ]
    if weight:
        panels.append(Panel(tuple(weight), "Time (d)", "Body weight (% of day 0)", "Body weight"))
    heat = _temperature_series(result)
    if heat:
        panels.append(
            Panel(tuple(heat), "Irradiation time (min)", "Tumor max temperature (°C)", "Heating")
        )
    blood = [
        Series(_x(rows), _y(rows), g, "line")
        for g in groups
        if not (rows := _animal_mean(result.readout("blood", g))).empty
    ]
    if blood:
        panels.append(
            Panel(tuple(blood), "Time (h)", "Blood (%ID)", "Blood circulation", yscale="log")
        )
    panels.extend(_biodistribution_panels(result))
    for readout, label, title in (
        ("mri_signal_drop", "T2-weighted signal drop (%)", "MRI tumor darkening"),
        ("fluorescence", "Signal-to-background", "Tumor fluorescence"),
    ):
        series = [
            Series(_x(rows), _y(rows), g, "line")
            for g in groups
            if not (rows := _animal_mean(_site(result.readout(readout, g), "tumor"))).empty
        ]
        if series:
            panels.append(Panel(tuple(series), "Time (h)", label, title))
    nodules = result.endpoints[result.endpoints["name"] == "lung_nodules"]
    if not nodules.empty:
        stats = nodules.groupby("group", sort=False)["value"].agg(["mean", "std"])
        panels.append(
            Panel(
                (
                    Series(
                        np.arange(len(stats), dtype=float),
                        np.asarray(stats["mean"], dtype=float),
                        " / ".join(str(g) for g in stats.index),
                        "bar",
                        np.nan_to_num(np.asarray(stats["std"], dtype=float)),
                    ),
                ),
                "Group (in study order)",
                "Lung nodules",
                "Metastasis",
            )
        )
    return panels


def _x(rows: pd.DataFrame) -> FloatArray:
    return np.asarray(rows["time"], dtype=float)


def _y(rows: pd.DataFrame) -> FloatArray:
    return np.asarray(rows["value"], dtype=float)


def _animal_mean(rows: pd.DataFrame) -> pd.DataFrame:
    """The mean over animals at each (site, time), as a group curve."""
    if rows.empty:
        return rows
    return rows.groupby(["site", "time"], as_index=False, sort=True)["value"].mean()


def _site(rows: pd.DataFrame, site: str) -> pd.DataFrame:
    return rows[rows["site"] == site]


def _survival_panel(result: StudyResult) -> Panel:
    series = []
    end = float(result.series.loc[result.series["readout"] == "tumor_volume", "time"].max())
    for group in result.group_names:
        times = result.endpoint("survival_time", group)
        events = result.endpoint("event", group) > 0.5
        order = np.lexsort((~events, times))  # events before censorings at tied times
        t, e = times[order], events[order]
        at_risk = np.arange(t.size, 0, -1, dtype=float)
        surv = np.cumprod(np.where(e, 1.0 - 1.0 / at_risk, 1.0))
        x = np.concatenate([[0.0], t, [end]])
        y = 100.0 * np.concatenate([[1.0], surv, [surv[-1] if surv.size else 1.0]])
        series.append(Series(x, y, group, "step"))
    return Panel(tuple(series), "Time (d)", "Survival (%)", "Survival (volume endpoint)")


def _temperature_series(result: StudyResult) -> list[Series]:
    out = []
    for group in result.group_names:
        rows = result.readout("tumor_temperature", group)
        if rows.empty:
            continue
        first = sorted(s for s in rows["site"].unique() if str(s).endswith("tumor max"))
        if not first:
            continue
        rows = rows[rows["site"] == first[0]]
        stats = rows.groupby("time")["value"].mean()
        out.append(
            Series(
                np.asarray(stats.index, dtype=float), np.asarray(stats, dtype=float), group, "line"
            )
        )
    return out


def _biodistribution_panels(result: StudyResult) -> list[Panel]:
    rows = result.readout("biodistribution")
    if not rows.empty:
        rows = rows.groupby(["group", "site", "time"], as_index=False)["value"].mean()
    panels: list[Panel] = []
    groups = [g for g in result.group_names if not rows[rows["group"] == g].empty]
    if not groups:
        return panels
    width = 0.8 / len(groups)
    for time in sorted(rows["time"].unique()):
        series = []
        at = rows[rows["time"] == time]
        for k, group in enumerate(groups):
            sub = at[at["group"] == group].set_index("site")
            y = np.array([float(sub["value"].get(o, np.nan)) for o in ORGANS])
            x = np.arange(len(ORGANS), dtype=float) + (k - (len(groups) - 1) / 2) * width
            series.append(Series(x, y, group, "bar"))
        panels.append(
            Panel(
                tuple(series),
                " | ".join(f"{i}: {o}" for i, o in enumerate(ORGANS)),
                "%ID/g",
                f"Biodistribution at {time:g} h",
            )
        )
    return panels
