"""The result of a virtual study: long-format tables of animals, time series and endpoints.

Tables (pandas DataFrames, one row per observation, units in columns):

* ``groups``: group, agent, description, treatments (text, empty if none), animals.
* ``animals``: group, animal, parameter, factor — each animal's drawn multiplicative factors.
* ``series``: group, animal (−1 = the group's shared prediction), readout, site, time,
  time_unit, value, unit. Readouts: ``tumor_volume`` and ``viable_volume`` (mm³, days),
  ``body_weight`` (% of day 0, days), ``blood`` (%ID, h), ``biodistribution`` (%ID/g by
  organ, h) and ``tumor_particles`` (µg/g, h) — these three per animal, one PBPK subject each
  (over the whole study, also after an animal leaves it) —, ``tumor_temperature`` (°C,
  minutes of irradiation; site ``"<treatment> tumor max"`` / ``"... skin max"``),
  ``mri_signal_drop`` (%, h), ``fluorescence`` (signal-to-background, h), ``lung_nodules``
  (count, days).
* ``endpoints``: group, animal, name, value, unit (``final_volume`` — at the end of the
  animal's follow-up: the study's end, or the day its tumor reached the humane endpoint, when
  it leaves the study and its readouts stop —, ``survival_time`` with
  ``event``, ``tumor_damage_fraction``, ``max_tumor_temperature``, ``skin_burn``,
  ``min_body_weight``, ``lung_nodules``).
* ``provenance``: key, value (JSON text) — version, spec hash, seed, solver settings, sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nanocloak.plotting.series import Panel, Series

TABLES = ("groups", "animals", "series", "endpoints", "provenance")
SERIES_COLUMNS = ("group", "animal", "readout", "site", "time", "time_unit", "value", "unit")
ENDPOINT_COLUMNS = ("group", "animal", "name", "value", "unit")
ANIMAL_COLUMNS = ("group", "animal", "parameter", "factor")
GROUP_COLUMNS = ("group", "agent", "description", "treatments", "animals")


def empty(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty table with ``columns``."""
    return pd.DataFrame({c: [] for c in columns})


@dataclass(frozen=True)
class StudyResult:
    """Every animal of every group of a virtual study (immutable: tables are copies)."""

    name: str
    groups: pd.DataFrame
    animals: pd.DataFrame
    series: pd.DataFrame
    endpoints: pd.DataFrame
    provenance: dict[str, Any]

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> StudyResult:
        """Rebuild a result from its stored tables (provenance as key/JSON rows)."""
        prov = tables["provenance"]
        provenance = {
            str(k): json.loads(str(v)) for k, v in zip(prov["key"], prov["value"], strict=True)
        }
        return cls(
            name=str(provenance.get("name", "")),
            groups=tables["groups"],
            animals=tables["animals"],
            series=tables["series"],
            endpoints=tables["endpoints"],
            provenance=provenance,
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of :data:`TABLES` (copies)."""
        return {name: self.table(name) for name in TABLES}

    def table(self, name: str) -> pd.DataFrame:
        """A copy of one of :data:`TABLES` (provenance as key/value rows)."""
        if name == "provenance":
            return pd.DataFrame(
                {
                    "key": list(self.provenance),
                    "value": [json.dumps(v, sort_keys=True) for v in self.provenance.values()],
                }
            )
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; one of {TABLES}")
        frame: pd.DataFrame = getattr(self, name)
        return frame.copy()

    @property
    def group_names(self) -> list[str]:
        """Groups in the order of the study file."""
        return [str(g) for g in self.groups["group"]]

    def readout(self, readout: str, group: str | None = None) -> pd.DataFrame:
        """Rows of one readout (and group)."""
        rows = self.series[self.series["readout"] == readout]
        if group is not None:
            rows = rows[rows["group"] == group]
        return rows

    def endpoint(self, name: str, group: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Per-animal values of one endpoint in one group."""
        rows = self.endpoints[(self.endpoints["name"] == name) & (self.endpoints["group"] == group)]
        return np.asarray(rows.sort_values("animal")["value"], dtype=float)

    def control_group(self) -> str:
        """The reference group: the first without agent and treatment, else the first group."""
        for row in self.groups.itertuples():
            if row.agent == "none" and not str(row.treatments):
                return str(row.group)
        return self.group_names[0]

    def summary(self) -> pd.DataFrame:
        """One row per group: final volume, tumor growth inhibition, survival, heat, weight.

        TGI (%) = 100 × (1 − ΔT/ΔC), Δ = mean final − mean day-0 caliper volume of a group
        (the convention of the growth analysis, see ``nanocloak study compare``).
        """
        control = self.control_group()
        control_growth = self._mean_growth(control)
        rows = []
        for group in self.group_names:
            final = self.endpoint("final_volume", group)
            row: dict[str, Any] = {
                "group": group,
                "animals": int(final.size),
                "final_volume_mm3": float(np.mean(final)),
                "final_volume_sd_mm3": float(np.std(final, ddof=1)) if final.size > 1 else 0.0,
                "tgi_percent": 100.0 * (1.0 - self._mean_growth(group) / control_growth),
            }
            times = self.endpoint("survival_time", group)
            events = self.endpoint("event", group)
            row["median_survival_day"] = _median_survival(times, events)
            heat = self.endpoint("max_tumor_temperature", group)
            row["max_tumor_temperature_c"] = float(np.mean(heat)) if heat.size else float("nan")
            weight = self.endpoint("min_body_weight", group)
            row["min_body_weight_percent"] = float(np.mean(weight)) if weight.size else float("nan")
            nodules = self.endpoint("lung_nodules", group)
            row["lung_nodules"] = float(np.mean(nodules)) if nodules.size else float("nan")
            rows.append(row)
        return pd.DataFrame(rows)

    def _mean_growth(self, group: str) -> float:
        """Mean final minus mean day-0 caliper volume of ``group`` (mm³)."""
        rows = self.readout("tumor_volume", group)
        start = rows[rows["time"] == rows["time"].min()]["value"]
        return float(np.mean(self.endpoint("final_volume", group)) - np.mean(start))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary, per-group statistics and provenance."""
        summary = self.summary().replace({np.nan: None})
        return {
            "schema": "nanocloak.study/1",
            "name": self.name,
            "summary": summary.to_dict(orient="records"),
            "provenance": self.provenance,
        }

    def panels(self) -> list[Panel]:
        """The study's figures as plot panels (see :mod:`nanocloak.results.study_figures`)."""
        from nanocloak.results.study_figures import study_panels

        return study_panels(self)


def _median_survival(times: np.ndarray[Any, Any], events: np.ndarray[Any, Any]) -> float:
    """Kaplan–Meier median survival (days); inf when survival stays above one half."""
    if times.size == 0:
        return float("nan")
    # at tied times events come before censorings (the censored animal was still at risk)
    order = np.lexsort((events <= 0.5, times))
    t, e = times[order], events[order] > 0.5
    at_risk = np.arange(t.size, 0, -1, dtype=float)
    survival = np.cumprod(np.where(e, 1.0 - 1.0 / at_risk, 1.0))
    below = np.nonzero(survival <= 0.5)[0]
    return float(t[below[0]]) if below.size else float("inf")


def series_row(
    group: str,
    animal: int,
    readout: str,
    site: str,
    time: float,
    time_unit: str,
    value: float,
    unit: str,
) -> dict[str, Any]:
    """One row of the ``series`` table (:data:`SERIES_COLUMNS`)."""
    return {
        "group": group,
        "animal": animal,
        "readout": readout,
        "site": site,
        "time": float(time),
        "time_unit": time_unit,
        "value": float(value),
        "unit": unit,
    }


def series_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Long-format series rows → a table with :data:`SERIES_COLUMNS`."""
    return pd.DataFrame(rows, columns=list(SERIES_COLUMNS)) if rows else empty(SERIES_COLUMNS)


def mean_sd_series(frame: pd.DataFrame, label: str) -> Series:
    """Mean ± SD over animals of a per-animal series, as an error-bar series."""
    stats = frame.groupby("time")["value"].agg(["mean", "std"]).reset_index()
    return Series(
        np.asarray(stats["time"], dtype=float),
        np.asarray(stats["mean"], dtype=float),
        label,
        "errorbar",
        np.nan_to_num(np.asarray(stats["std"], dtype=float)),
    )
