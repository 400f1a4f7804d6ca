"""Results of the photochemistry workflows: PDT singlet-oxygen dose and the CRET nanoreactor.

:class:`PdtResult` holds the macroscopic-model time courses at each depth under the laser
(reacted singlet oxygen, ground-state oxygen, photosensitizer); :class:`NanoreactorResult`
the glucose, O₂, H₂O₂, pH and singlet-oxygen time courses of a starvation/CRET particle.
Both are immutable and offer ``summary()``, ``to_dict()`` (JSON-safe), ``report()`` (Markdown),
``panels()``, ``plot(ax=None)`` and ``save_plot(path)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nanocloak import __version__
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.photochem.shell_rupture import shell_rupture_fraction
from nanocloak.plotting.series import Panel, Series, draw, save

SCHEMA_VERSION = 1
REPORT_DEPTHS_MM = (0.0, 1.0, 2.0, 3.0, 5.0)


def _fmt(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.4g}"


def _clean(values: FloatArray) -> list[Any]:
    array = np.asarray(values, dtype=float)
    return [
        _clean(row) if array.ndim > 1 else (float(row) if math.isfinite(row) else None)
        for row in array
    ]


@dataclass(frozen=True)
class PdtResult:
    """Singlet-oxygen dose of a PDT treatment over time and depth (immutable).

    Arrays over time and depth are (n_times, n_depths); concentrations in µM per tissue
    volume, the dose also as mM (``reacted_mm``).
    """

    photosensitizer: str
    concentration_um: float
    concentration_source: dict[str, Any]
    wavelength_nm: float
    irradiance_w_per_cm2: float
    duration_s: float
    spot_radius_mm: float | None
    tissue: dict[str, float]
    constants: dict[str, float]
    threshold_mm: float
    shell_rupture: dict[str, float]
    depth_mm: FloatArray
    fluence_rate_mw_per_cm2: FloatArray
    t_s: FloatArray
    photosensitizer_um: FloatArray
    oxygen_um: FloatArray
    reacted_um: FloatArray
    parameter_sources: dict[str, str]
    solver: dict[str, Any] = field(default_factory=dict)

    @property
    def reacted_mm(self) -> FloatArray:
        """Reacted singlet oxygen ``[¹O₂]_rx`` (mM), (n_times, n_depths)."""
        return np.asarray(self.reacted_um / 1000.0, dtype=float)

    def at_depth(self, depth_mm: float) -> dict[str, FloatArray]:
        """Time courses at one depth (linear interpolation between grid depths)."""
        if not self.depth_mm[0] <= depth_mm <= self.depth_mm[-1]:
            raise ValueError(
                f"depth {depth_mm} mm lies outside the grid 0-{self.depth_mm[-1]:g} mm"
            )

        def interp(a: FloatArray) -> FloatArray:
            return np.array([np.interp(depth_mm, self.depth_mm, row) for row in a])

        return {
            "reacted_mm": interp(self.reacted_mm),
            "oxygen_um": interp(self.oxygen_um),
            "photosensitizer_um": interp(self.photosensitizer_um),
        }

    def treated_depth_mm(self) -> float:
        """Deepest depth whose final dose reaches the necrosis threshold (mm; 0 if none).

        The dose falls with depth, so the crossing is found by linear interpolation.
        """
        final = self.reacted_mm[-1]
        above = final >= self.threshold_mm
        if not above[0]:
            return 0.0
        if above.all():
            return float(self.depth_mm[-1])
        i = int(np.argmin(above))  # first depth below the threshold
        z0, z1, d0, d1 = self.depth_mm[i - 1], self.depth_mm[i], final[i - 1], final[i]
        return float(z0 + (d0 - self.threshold_mm) * (z1 - z0) / (d0 - d1))

    def released_fraction(self) -> FloatArray:
        """Share of membrane shells breached by the dose (release-model hook), as ``reacted_mm``."""
        return shell_rupture_fraction(
            self.reacted_mm, self.shell_rupture["dose_50_mm"], self.shell_rupture["shape"]
        )

    def metrics(self) -> dict[str, float]:
        """Scalar outcomes: surface dose, treated depth, oxygen minimum, bleaching, release."""
        return {
            "surface_dose_mm": float(self.reacted_mm[-1, 0]),
            "dose_at_1mm_mm": float(self.at_depth(min(1.0, self.depth_mm[-1]))["reacted_mm"][-1]),
            "treated_depth_mm": self.treated_depth_mm(),
            "threshold_mm": self.threshold_mm,
            "min_oxygen_um": float(self.oxygen_um.min()),
            "surface_photosensitizer_left": float(
                self.photosensitizer_um[-1, 0] / self.photosensitizer_um[0, 0]
            )
            if self.photosensitizer_um[0, 0] > 0.0
            else math.nan,
            "fluence_at_surface_j_per_cm2": float(self.fluence_rate_mw_per_cm2[0])
            * self.duration_s
            / 1000.0,
            "surface_shell_rupture": float(self.released_fraction()[-1, 0]),
        }

    def summary(self) -> list[dict[str, Any]]:
        """One row per report depth: fluence rate, final dose, O₂ minimum, PS left, release."""
        rows = []
        released = self.released_fraction()[-1]
        for z in (d for d in REPORT_DEPTHS_MM if d <= self.depth_mm[-1]):
            course = self.at_depth(z)
            s0 = course["photosensitizer_um"]
            rows.append(
                {
                    "depth_mm": z,
                    "fluence_rate_mw_per_cm2": float(
                        np.interp(z, self.depth_mm, self.fluence_rate_mw_per_cm2)
                    ),
                    "reacted_mm": float(course["reacted_mm"][-1]),
                    "min_oxygen_um": float(course["oxygen_um"].min()),
                    "photosensitizer_left": float(s0[-1] / s0[0]) if s0[0] > 0 else None,
                    "shell_rupture": float(np.interp(z, self.depth_mm, released)),
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (NaN → None)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "nanocloak_version": __version__,
            "kind": "pdt_simulation",
            "photosensitizer": self.photosensitizer,
            "concentration_um": self.concentration_um,
            "concentration_source": self.concentration_source,
            "laser": {
                "wavelength_nm": self.wavelength_nm,
                "irradiance_w_per_cm2": self.irradiance_w_per_cm2,
                "duration_s": self.duration_s,
                "spot_radius_mm": self.spot_radius_mm,
            },
            "tissue": self.tissue,
            "constants": self.constants,
            "shell_rupture": self.shell_rupture,
            "metrics": {k: (v if math.isfinite(v) else None) for k, v in self.metrics().items()},
            "summary": self.summary(),
            "depth_mm": _clean(self.depth_mm),
            "fluence_rate_mw_per_cm2": _clean(self.fluence_rate_mw_per_cm2),
            "t_s": _clean(self.t_s),
            "reacted_mm": _clean(self.reacted_mm),
            "oxygen_um": _clean(self.oxygen_um),
            "photosensitizer_um": _clean(self.photosensitizer_um),
            "parameter_sources": self.parameter_sources,
            "solver": self.solver,
        }

    def report(self) -> str:
        """Markdown report."""
        src = self.concentration_source
        origin = (
            f"from design `{src.get('design')}` at {src.get('dose_mg_per_kg'):g} mg/kg, "
            f"{src.get('after_h'):g} h after injection"
            if src.get("mode") == "design"
            else "given directly"
        )
        beam = "broad beam" if self.spot_radius_mm is None else f"{self.spot_radius_mm:g}-mm spot"
        lines = [
            f"# PDT singlet-oxygen dose: {self.photosensitizer}",
            "",
            f"{self.concentration_um:.4g} µM in the tumour ({origin}); {self.wavelength_nm:g} nm, "
            f"{self.irradiance_w_per_cm2:g} W/cm², {self.duration_s / 60:g} min, {beam}.",
            "",
            "## Metrics",
            "",
            "| metric | value |",
            "|---|---|",
        ]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in self.metrics().items()]
        lines += ["", "## By depth (end of irradiation)", ""]
        lines.append(
            "| depth (mm) | φ (mW/cm²) | [¹O₂]rx (mM) | min O₂ (µM) | PS left | shells breached |"
        )
        lines.append("|---|---|---|---|---|---|")
        for r in self.summary():
            lines.append(
                f"| {r['depth_mm']:g} | {_fmt(r['fluence_rate_mw_per_cm2'])} | "
                f"{_fmt(r['reacted_mm'])} | {_fmt(r['min_oxygen_um'])} | "
                f"{_fmt(r['photosensitizer_left'])} | {_fmt(r['shell_rupture'])} |"
            )
        lines += ["", "## Constants", "", "| constant | value | source |", "|---|---|---|"]
        for k, v in self.constants.items():
            lines.append(f"| {k} | {_fmt(v)} | {self.parameter_sources.get(k, '-')} |")
        lines += [
            "",
            "Model: macroscopic singlet-oxygen explicit dosimetry (Foster 1991; Wang 2010; "
            "Zhu 2015), light by the δ-P1 diffusion approximation. See docs/physics/"
            "photochemistry.md.",
        ]
        return "\n".join(lines) + "\n"

    def panels(self) -> list[Panel]:
        """Dose vs time at report depths, final dose vs depth, O₂ and photosensitizer vs time."""
        t_min = self.t_s / 60.0
        depths = [d for d in REPORT_DEPTHS_MM if d <= self.depth_mm[-1]]
        courses = {z: self.at_depth(z) for z in depths}
        threshold = np.full(2, self.threshold_mm)
        return [
            Panel(
                tuple(Series(t_min, courses[z]["reacted_mm"], f"{z:g} mm") for z in depths),
                "time (min)",
                "reacted singlet oxygen (mM)",
                "Singlet-oxygen dose",
            ),
            Panel(
                (
                    Series(self.depth_mm, self.reacted_mm[-1], "end of irradiation"),
                    Series(self.depth_mm[[0, -1]], threshold, "necrosis threshold", "dashed"),
                ),
                "depth (mm)",
                "reacted singlet oxygen (mM)",
                "Dose vs depth",
            ),
            Panel(
                tuple(Series(t_min, courses[z]["oxygen_um"], f"{z:g} mm") for z in depths),
                "time (min)",
                "ground-state O₂ (µM)",
                "Oxygen",
            ),
            Panel(
                tuple(Series(t_min, courses[z]["photosensitizer_um"], f"{z:g} mm") for z in depths),
                "time (min)",
                f"{self.photosensitizer} (µM)",
                "Photobleaching",
            ),
        ]

    def plot(self, ax: Any = None) -> Any:
        """Draw the dose-vs-time panel on ``ax`` (a new figure if None); return the axes."""
        return draw(self.panels()[0], ax)

    def save_plot(self, path: str) -> None:
        """Save all panels side by side (PNG, PDF or SVG by extension)."""
        save(self.panels(), path)


@dataclass(frozen=True)
class NanoreactorResult:
    """Starvation / CRET nanoreactor in the tumour over time (immutable).

    ``states`` maps each kernel state (µM per tissue volume) to its time course; ``ph`` is the
    interstitial pH from the gluconic acid made.
    """

    t_s: FloatArray
    states: dict[str, FloatArray]
    ph: FloatArray
    parameters: dict[str, float]
    parameter_sources: dict[str, str]
    description: str

    def metrics(self) -> dict[str, float]:
        """End-of-run glucose drop, O₂ minimum, peak H₂O₂, final pH and singlet-oxygen dose."""
        s = self.states
        return {
            "glucose_consumed_mm": float(s["gluconic_acid"][-1]) / 1000.0,
            "glucose_final_mm": float(s["glucose"][-1]) / 1000.0,
            "min_oxygen_um": float(s["oxygen"].min()),
            "peak_h2o2_um": float(s["h2o2"].max()),
            "final_ph": float(self.ph[-1]),
            "reacted_singlet_oxygen_mm": float(s["reacted_singlet_oxygen"][-1]) / 1000.0,
        }

    def summary(self) -> list[dict[str, float]]:
        """Rows at 0, 1/4, 1/2, 3/4 and the end of the run."""
        rows = []
        for i in sorted({round(f * (self.t_s.size - 1)) for f in (0, 0.25, 0.5, 0.75, 1)}):
            rows.append(
                {
                    "time_min": float(self.t_s[i]) / 60.0,
                    "glucose_mm": float(self.states["glucose"][i]) / 1000.0,
                    "oxygen_um": float(self.states["oxygen"][i]),
                    "h2o2_um": float(self.states["h2o2"][i]),
                    "ph": float(self.ph[i]),
                    "reacted_singlet_oxygen_mm": float(self.states["reacted_singlet_oxygen"][i])
                    / 1000.0,
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {
            "schema_version": SCHEMA_VERSION,
            "nanocloak_version": __version__,
            "kind": "nanoreactor_simulation",
            "description": self.description,
            "metrics": self.metrics(),
            "summary": self.summary(),
            "t_s": _clean(self.t_s),
            "states_um": {k: _clean(v) for k, v in self.states.items()},
            "ph": _clean(self.ph),
            "parameters": self.parameters,
            "parameter_sources": self.parameter_sources,
        }

    def report(self) -> str:
        """Markdown report."""
        lines = [f"# Starvation / CRET nanoreactor: {self.description}", "", "## Metrics", ""]
        lines += ["| metric | value |", "|---|---|"]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in self.metrics().items()]
        lines += ["", "## Over time", ""]
        lines.append("| time (min) | glucose (mM) | O₂ (µM) | H₂O₂ (µM) | pH | [¹O₂]rx (mM) |")
        lines.append("|---|---|---|---|---|---|")
        for r in self.summary():
            lines.append(" | ".join(["", *(_fmt(v) for v in r.values()), ""]).strip())
        return "\n".join(lines) + "\n"

    def panels(self) -> list[Panel]:
        """Glucose, O₂ and H₂O₂, and pH over time."""
        t = self.t_s / 60.0
        s = self.states
        return [
            Panel((Series(t, s["glucose"] / 1000.0, "glucose"),), "time (min)", "glucose (mM)"),
            Panel(
                (Series(t, s["oxygen"], "O₂"), Series(t, s["h2o2"], "H₂O₂")),
                "time (min)",
                "concentration (µM)",
            ),
            Panel((Series(t, self.ph, "pH"),), "time (min)", "pH"),
        ]

    def plot(self, ax: Any = None) -> Any:
        """Draw the O₂/H₂O₂ panel on ``ax`` (a new figure if None); return the axes."""
        return draw(self.panels()[1], ax)

    def save_plot(self, path: str) -> None:
        """Save all panels side by side."""
        save(self.panels(), path)
