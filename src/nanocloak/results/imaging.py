"""Results of the imaging workflows: fluorescence time courses, MRI darkening, thermal images.

Each result is immutable and offers ``summary()`` (rows), ``to_dict()`` (JSON-safe),
``report()`` (Markdown), ``plot(ax=None)`` and ``provenance`` (version, settings, sources).
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


def _num(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _fmt(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.4g}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


@dataclass(frozen=True)
class FluorescenceResult:
    """NIR fluorescence of organs over time (signals per unit excitation irradiance).

    ``signal``, ``background`` and ``sbr`` map organ → array over ``t_h``; ``concentration``
    holds the fluorophore's absorption coefficient driver (µM for dyes, particles/mL for UCNPs).
    """

    formulation: str
    label: str
    organs: tuple[str, ...]
    t_h: FloatArray
    depth_mm: dict[str, float]
    signal: dict[str, FloatArray]
    background: dict[str, FloatArray]
    sbr: dict[str, FloatArray]
    concentration: dict[str, FloatArray]
    concentration_unit: str
    settings: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> list[dict[str, Any]]:
        """One row per organ and time."""
        rows = []
        for organ in self.organs:
            for i, t in enumerate(self.t_h):
                rows.append(
                    {
                        "organ": organ,
                        "time_h": float(t),
                        "depth_mm": self.depth_mm[organ],
                        f"concentration_{self.concentration_unit}": float(
                            self.concentration[organ][i]
                        ),
                        "signal": float(self.signal[organ][i]),
                        "background": float(self.background[organ][i]),
                        "signal_to_background": _num(float(self.sbr[organ][i])),
                    }
                )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (an infinite contrast becomes None)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "nanocloak_version": __version__,
            "kind": "fluorescence_time_course",
            "formulation": self.formulation,
            "label": self.label,
            "t_h": [float(t) for t in self.t_h],
            "rows": self.summary(),
            "settings": self.settings,
            "provenance": self.provenance,
        }

    def report(self) -> str:
        """Markdown report."""
        lines = [
            f"# NIR fluorescence: {self.formulation} ({self.label})",
            "",
            "Fluorescence exitance per unit excitation irradiance (W/W) and signal-to-background "
            "(S + B)/B against a label-free region.",
            "",
        ]
        header = ["organ", "depth (mm)"] + [f"{t:g} h" for t in self.t_h]
        rows = [
            [organ, f"{self.depth_mm[organ]:g}"]
            + [
                f"{_fmt(s)} (SBR {_fmt(b)})"
                for s, b in zip(self.signal[organ], self.sbr[organ], strict=False)
            ]
            for organ in self.organs
        ]
        lines += _table(header, rows)
        lines += ["", "## Settings", ""] + [f"- {k}: {v}" for k, v in self.settings.items()]
        return "\n".join(lines) + "\n"

    def panels(self) -> list[Panel]:
        """Signal and SBR over time per organ."""
        sig = tuple(Series(self.t_h, self.signal[o], o, "line") for o in self.organs)
        sbr = tuple(Series(self.t_h, self.sbr[o], o, "line") for o in self.organs)
        return [
            Panel(sig, "time (h)", "fluorescence / excitation (W/W)", self.formulation),
            Panel(sbr, "time (h)", "signal-to-background", f"{self.label} contrast"),
        ]

    def plot(self, ax: Any = None) -> Any:
        """Draw the signal panel on ``ax`` (a new figure if None); return the axes."""
        return draw(self.panels()[0], ax)

    def save_plot(self, path: str) -> None:
        """Save both panels side by side."""
        save(self.panels(), path)


@dataclass(frozen=True)
class MriResult:
    """T2-weighted darkening of organs over time.

    ``percent_drop``, ``iron_mm`` and ``delta_r2_per_s`` map organ → array over ``t_h``.
    """

    formulation: str
    organs: tuple[str, ...]
    t_h: FloatArray
    iron_mm: dict[str, FloatArray]
    delta_r2_per_s: dict[str, FloatArray]
    percent_drop: dict[str, FloatArray]
    r2_per_mm_s: float
    r2_origin: str
    settings: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> list[dict[str, Any]]:
        """One row per organ and time."""
        return [
            {
                "organ": organ,
                "time_h": float(t),
                "iron_mm": float(self.iron_mm[organ][i]),
                "delta_r2_per_s": float(self.delta_r2_per_s[organ][i]),
                "percent_signal_drop": float(self.percent_drop[organ][i]),
            }
            for organ in self.organs
            for i, t in enumerate(self.t_h)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {
            "schema_version": SCHEMA_VERSION,
            "nanocloak_version": __version__,
            "kind": "mri_darkening",
            "formulation": self.formulation,
            "r2_per_mm_s": self.r2_per_mm_s,
            "r2_origin": self.r2_origin,
            "t_h": [float(t) for t in self.t_h],
            "rows": self.summary(),
            "settings": self.settings,
            "provenance": self.provenance,
        }

    def report(self) -> str:
        """Markdown report."""
        lines = [
            f"# T2-weighted MRI darkening: {self.formulation}",
            "",
            f"r2 = {self.r2_per_mm_s:.4g} s^-1 mM^-1 ({self.r2_origin}); "
            + ", ".join(f"{k} {v}" for k, v in self.settings.items()),
            "",
            "Percent signal drop 100 (S_pre - S_post)/S_pre:",
            "",
        ]
        header = ["organ"] + [f"{t:g} h" for t in self.t_h]
        rows = [[o] + [f"{v:.3g} %" for v in self.percent_drop[o]] for o in self.organs]
        return "\n".join(lines + _table(header, rows)) + "\n"

    def panels(self) -> list[Panel]:
        """Percent drop and iron over time per organ."""
        drop = tuple(Series(self.t_h, self.percent_drop[o], o, "line") for o in self.organs)
        iron = tuple(Series(self.t_h, self.iron_mm[o], o, "line") for o in self.organs)
        return [
            Panel(drop, "time (h)", "T2w signal drop (%)", self.formulation),
            Panel(iron, "time (h)", "iron (mM)", "iron in tissue"),
        ]

    def plot(self, ax: Any = None) -> Any:
        """Draw the darkening panel on ``ax`` (a new figure if None); return the axes."""
        return draw(self.panels()[0], ax)

    def save_plot(self, path: str) -> None:
        """Save both panels side by side."""
        save(self.panels(), path)


@dataclass(frozen=True)
class ThermalImageResult:
    """An IR-camera image of the skin temperature."""

    x_mm: FloatArray
    y_mm: FloatArray
    temperature_c: FloatArray
    pixel_mm: float
    settings: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def peak_c(self) -> float:
        """Hottest pixel (°C)."""
        return float(np.max(self.temperature_c))

    def summary(self) -> list[dict[str, Any]]:
        """Peak, minimum and mean pixel temperatures."""
        t = self.temperature_c
        return [
            {"metric": "peak_c", "value": self.peak_c},
            {"metric": "min_c", "value": float(np.min(t))},
            {"metric": "mean_c", "value": float(np.mean(t))},
            {"metric": "pixel_mm", "value": self.pixel_mm},
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (the image as nested lists, rows along y)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "nanocloak_version": __version__,
            "kind": "thermal_image",
            "x_mm": [float(v) for v in self.x_mm],
            "y_mm": [float(v) for v in self.y_mm],
            "temperature_c": [[float(v) for v in row] for row in self.temperature_c],
            "summary": self.summary(),
            "settings": self.settings,
            "provenance": self.provenance,
        }

    def report(self) -> str:
        """Markdown report."""
        lines = ["# Thermal camera image", ""]
        lines += _table(
            ["metric", "value"], [[r["metric"], _fmt(r["value"])] for r in self.summary()]
        )
        lines += ["", "## Settings", ""] + [f"- {k}: {v}" for k, v in self.settings.items()]
        return "\n".join(lines) + "\n"

    def plot(self, ax: Any = None) -> Any:
        """Show the image with a colour bar on ``ax`` (a new figure if None); return the axes."""
        import matplotlib

        if ax is None:
            matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(4.4, 3.6), dpi=150, layout="constrained")
        half = self.pixel_mm / 2.0
        extent = (
            float(self.x_mm[0] - half),
            float(self.x_mm[-1] + half),
            float(self.y_mm[0] - half),
            float(self.y_mm[-1] + half),
        )
        img = ax.imshow(self.temperature_c, origin="lower", extent=extent, cmap="inferno")
        ax.figure.colorbar(img, ax=ax, label="temperature (°C)")
        ax.set_xlabel("x (mm)")
        ax.set_ylabel("y (mm)")
        return ax

    def save_plot(self, path: str) -> None:
        """Save the image (PNG, PDF or SVG by extension)."""
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        ax = self.plot()
        ax.figure.savefig(path)
        plt.close(ax.figure)
