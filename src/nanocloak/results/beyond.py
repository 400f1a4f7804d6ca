"""Results beyond the tumor: CTC capture by immuno-magnetosomes and ultrasound nanoswimmers.

Both results are immutable and offer ``summary()`` (rows), ``to_dict()`` (JSON-safe),
``report()`` (Markdown), ``panels()``, ``plot(ax=None)`` and ``save_plot(path)``, with the
parameters used (value, unit, source key, status) and provenance (version, seed, grids).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nanocloak import __version__
from nanocloak.kernels.arrays import FloatArray
from nanocloak.plotting.series import Panel, Series, draw, save

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class CaptureResult:
    """CTC capture efficiency and purity of one protocol, with sweeps over time and flow.

    ``metrics`` holds the numbers at the requested incubation and flow (unit in the key);
    ``membranes`` the efficiency and purity the same protocol gives with each membrane.
    """

    membrane: str
    blood_ml: float
    ctcs: float
    incubation_min: float
    flow_ml_per_h: float
    t_min: FloatArray
    efficiency_vs_time: FloatArray
    purity_vs_time: FloatArray
    flow_grid_ml_per_h: FloatArray
    efficiency_vs_flow: FloatArray
    purity_vs_flow: FloatArray
    metrics: dict[str, float]
    membranes: dict[str, dict[str, float]]
    reported_capture: float
    parameters: dict[str, dict[str, Any]]
    notes: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def efficiency(self) -> float:
        """Captured share of the CTCs in the sample (0–1)."""
        return self.metrics["capture_efficiency"]

    @property
    def purity(self) -> float:
        """Captured CTCs / all captured cells (0–1; NaN when nothing is captured)."""
        return self.metrics["purity"]

    def summary(self) -> list[dict[str, Any]]:
        """One row per metric: name, value (NaN → None)."""
        return [{"metric": k, "value": _clean(v)} for k, v in self.metrics.items()]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "ctc_capture",
            "membrane": self.membrane,
            "blood_ml": self.blood_ml,
            "ctcs": self.ctcs,
            "incubation_min": self.incubation_min,
            "flow_ml_per_h": self.flow_ml_per_h,
            "metrics": {k: _clean(v) for k, v in self.metrics.items()},
            "membranes": {
                m: {k: _clean(v) for k, v in row.items()} for m, row in self.membranes.items()
            },
            "reported_capture": self.reported_capture,
            "vs_incubation": {
                "t_min": _list(self.t_min),
                "efficiency": _list(self.efficiency_vs_time),
                "purity": _list(self.purity_vs_time),
            },
            "vs_flow": {
                "flow_ml_per_h": _list(self.flow_grid_ml_per_h),
                "efficiency": _list(self.efficiency_vs_flow),
                "purity": _list(self.purity_vs_flow),
            },
            "parameters": self.parameters,
            "notes": list(self.notes),
            "provenance": {"nanocloak_version": __version__, **self.provenance},
        }

    def report(self) -> str:
        """Markdown report: protocol, metrics, membrane comparison, review target, parameters."""
        lines = [
            "# CTC capture by immuno-magnetic particles",
            "",
            f"{self.ctcs:g} CTCs in {self.blood_ml:g} mL blood; incubation "
            f"{self.incubation_min:g} min; separator flow {self.flow_ml_per_h:g} mL/h; "
            f"membrane `{self.membrane}`.",
            "",
            "## Metrics",
            "",
            "| metric | value |",
            "|---|---|",
        ]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in self.metrics.items()]
        lines += ["", "## Membrane comparison (same protocol)", ""]
        lines += ["| membrane | efficiency | purity | leukocytes captured |", "|---|---|---|---|"]
        for name, row in self.membranes.items():
            lines.append(
                f"| {name} | {_fmt(row['capture_efficiency'])} | {_fmt(row['purity'])} | "
                f"{_fmt(row['captured_leukocytes'])} |"
            )
        lines += [
            "",
            f"The review reports about {100 * self.reported_capture:.0f} % capture (Xiong 2016, "
            f"quoted by Song 2022); the model gives {100 * self.efficiency:.1f} %. Nothing was "
            "fitted to that number.",
        ]
        lines += _parameter_table(self.parameters) + _notes(self.notes)
        return "\n".join(lines) + "\n"

    def panels(self) -> list[Panel]:
        """Efficiency and purity against incubation time and against flow rate."""
        return [
            Panel(
                (
                    Series(self.t_min, 100 * self.efficiency_vs_time, "capture efficiency"),
                    Series(self.t_min, 100 * self.purity_vs_time, "purity", "dashed"),
                ),
                "incubation time (min)",
                "percent",
                f"At {self.flow_ml_per_h:g} mL/h",
            ),
            Panel(
                (
                    Series(self.flow_grid_ml_per_h, 100 * self.efficiency_vs_flow, "efficiency"),
                    Series(self.flow_grid_ml_per_h, 100 * self.purity_vs_flow, "purity", "dashed"),
                ),
                "flow rate (mL/h)",
                "percent",
                f"After {self.incubation_min:g} min incubation",
                xscale="log",
            ),
        ]

    def plot(self, ax: Any = None) -> Any:
        """Draw efficiency and purity against incubation time on ``ax``; return the axes."""
        return draw(self.panels()[0], ax)

    def save_plot(self, path: str) -> None:
        """Save both panels side by side (PNG, PDF or SVG by extension)."""
        save(self.panels(), path)


@dataclass(frozen=True)
class SwimResult:
    """Speed and diffusion of gallium nanoswimmers under ultrasound, and a simulated MSD.

    ``conditions`` has one row per medium × membrane (speed in µm/s, diffusion in µm²/s);
    the MSD arrays belong to the simulated case (``medium``, ``membrane``).
    """

    pressure_pa: float
    frequency_hz: float
    energy_density_j_per_m3: float
    medium: str
    membrane: str
    conditions: tuple[dict[str, Any], ...]
    t_s: FloatArray
    msd_simulated_um2: FloatArray
    msd_standard_error_um2: FloatArray
    msd_theory_um2: FloatArray
    parameters: dict[str, dict[str, Any]]
    notes: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)

    def condition(self, medium: str, membrane: str) -> dict[str, Any]:
        """The row of ``medium`` and ``membrane`` (``KeyError`` if absent)."""
        for row in self.conditions:
            if row["medium"] == medium and row["membrane"] == membrane:
                return row
        raise KeyError(f"no condition {medium}/{membrane}")

    @property
    def simulated(self) -> dict[str, Any]:
        """The row of the simulated case."""
        return self.condition(self.medium, self.membrane)

    def msd_relative_error(self) -> FloatArray:
        """(simulated − theory) / theory at each recorded time after 0."""
        return np.asarray(self.msd_simulated_um2[1:] / self.msd_theory_um2[1:] - 1.0, dtype=float)

    def summary(self) -> list[dict[str, Any]]:
        """The condition table as rows."""
        return [dict(row) for row in self.conditions]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "nanoswimmer",
            "pressure_pa": self.pressure_pa,
            "frequency_hz": self.frequency_hz,
            "energy_density_j_per_m3": self.energy_density_j_per_m3,
            "medium": self.medium,
            "membrane": self.membrane,
            "conditions": [{k: _clean(v) for k, v in row.items()} for row in self.conditions],
            "msd": {
                "t_s": _list(self.t_s),
                "simulated_um2": _list(self.msd_simulated_um2),
                "standard_error_um2": _list(self.msd_standard_error_um2),
                "theory_um2": _list(self.msd_theory_um2),
            },
            "parameters": self.parameters,
            "notes": list(self.notes),
            "provenance": {"nanocloak_version": __version__, **self.provenance},
        }

    def report(self) -> str:
        """Markdown report: field, condition table, MSD check, parameters, notes."""
        lines = [
            "# Gallium nanoswimmers under ultrasound",
            "",
            f"Pressure amplitude {self.pressure_pa / 1e6:g} MPa at {self.frequency_hz / 1e6:g} "
            f"MHz: acoustic energy density {self.energy_density_j_per_m3:.3g} J/m³.",
            "",
            "| medium | membrane | rod diameter (nm) | speed (µm/s) | D_t (µm²/s) | "
            "D_r (1/s) | D_eff (µm²/s) |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.conditions:
            lines.append(
                f"| {r['medium']} | {r['membrane']} | {_fmt(r['diameter_nm'])} | "
                f"{_fmt(r['speed_um_per_s'])} | {_fmt(r['translational_um2_per_s'])} | "
                f"{_fmt(r['rotational_per_s'])} | {_fmt(r['effective_um2_per_s'])} |"
            )
        err = self.msd_relative_error()
        lines += [
            "",
            f"Simulated MSD ({self.provenance.get('n_swimmers', '?')} swimmers, seed "
            f"{self.provenance.get('seed', '?')}) in {self.medium} / {self.membrane}: largest "
            f"relative deviation from the exact ABP MSD {100 * float(np.max(np.abs(err))):.2f} %.",
        ]
        lines += _parameter_table(self.parameters) + _notes(self.notes)
        return "\n".join(lines) + "\n"

    def panels(self) -> list[Panel]:
        """MSD (simulated with standard errors, and exact) and speed per condition."""
        rows = self.conditions
        return [
            Panel(
                (
                    Series(
                        self.t_s,
                        self.msd_simulated_um2,
                        "simulated",
                        "errorbar",
                        yerr=self.msd_standard_error_um2,
                    ),
                    Series(self.t_s, self.msd_theory_um2, "exact ABP"),
                ),
                "lag time (s)",
                "MSD (µm²)",
                f"{self.medium}, membrane {self.membrane}",
            ),
            Panel(
                (
                    Series(
                        np.arange(len(rows), dtype=float),
                        np.array([r["speed_um_per_s"] for r in rows], dtype=float),
                        " | ".join(
                            f"{i}: {r['medium']}/{r['membrane']}" for i, r in enumerate(rows)
                        ),
                        "bar",
                    ),
                ),
                "condition",
                "speed (µm/s)",
                "Speed",
            ),
        ]

    def plot(self, ax: Any = None) -> Any:
        """Draw the MSD panel on ``ax``; return the axes."""
        return draw(self.panels()[0], ax)

    def save_plot(self, path: str) -> None:
        """Save both panels side by side (PNG, PDF or SVG by extension)."""
        save(self.panels(), path)


def _parameter_table(parameters: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["", "## Parameters", "", "| parameter | value | unit | source | status |"]
    lines.append("|---|---|---|---|---|")
    for name, p in parameters.items():
        lines.append(
            f"| {name} | {_fmt(p['value'])} | {p['unit']} | {p['source']} | {p['status']} |"
        )
    return lines


def _notes(notes: tuple[str, ...]) -> list[str]:
    return ["", "## Model notes", ""] + [f"- {n}" for n in notes] if notes else []


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _list(values: FloatArray) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=float)]


def _fmt(value: Any) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return "-" if not math.isfinite(value) else f"{value:.4g}"
    return str(value)
