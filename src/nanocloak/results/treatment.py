"""The result of a photothermal or magnetic-hyperthermia treatment, and of the tumor delivery.

Temperatures are absolute (°C): the measured pre-treatment baseline plus the Pennes rise.
Tumor summaries are volume-weighted over the grid nodes inside the tumor sphere:

* ``tumor_cem43_min.volume_mean``: mean CEM43 of the tumor volume;
* ``tumor_cem43_min.t90``: CEM43 of the T90 history, the temperature that 90 % of the tumor
  volume exceeds at each time (the hyperthermia convention "CEM43T90");
* ``tumor_damage_fraction``: volume mean of ``1 − e^(−Ω)`` (Arrhenius).

``skin_burn`` refers to the *normal* skin beside the tumor (surface nodes beyond the tumor's
radius); the skin over the tumor is checked separately (``skin_over_tumor``) because PTT that
heats the tumor to > 50 °C through it is expected to injure it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from nanocloak import __version__
from nanocloak.kernels.arrays import BoolArray, FloatArray
from nanocloak.kernels.thermal.skin import SkinCheck
from nanocloak.plotting.series import Panel, Series, draw

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Cem43Summary:
    """Thermal dose of the tumor (min): volume mean, of the T90 history, and the largest."""

    volume_mean: float
    t90: float
    maximum: float


@dataclass(frozen=True)
class TumorDelivery:
    """Particle content of the tumor at treatment time, from the PBPK model of a design.

    Attributes
    ----------
    design
        Design name.
    dose_mg_per_kg, after_h, species
        Injected core dose (mg/kg), time from injection to treatment (h), species.
    concentration_mg_per_ml
        Core mass per tumor volume (mg/mL), the PBPK tumor's µg/g / 1000 (1 g/mL tissue).
    tumor_ug_per_g, tumor_percent_id
        Tumor content (µg/g, %ID) at ``after_h``.
    pbpk_tumor_mass_g, pbpk_tumor_radius_mm
        The PBPK tumor's mass (g) and the radius of a sphere of that volume (mm).
    mean_coverage
        Share-weighted mean membrane coverage of the particles (manufacture model).
    coverage_shares
        ``(coverage, share)`` of each coating sub-population.
    mechanism_factors
        Share-weighted multiplier of each membrane mechanism on its PBPK parameter
        (``cd47``, ``opsonization`` on phagocytic uptake, ``extravasation`` on tumor
        permeability, ``homotypic`` on tumor uptake).
    notes
        Caveats (e.g. a treated tumor much smaller or larger than the PBPK one).
    """

    design: str
    dose_mg_per_kg: float
    after_h: float
    species: str
    concentration_mg_per_ml: float
    tumor_ug_per_g: float
    tumor_percent_id: float
    pbpk_tumor_mass_g: float
    pbpk_tumor_radius_mm: float
    mean_coverage: float
    coverage_shares: tuple[tuple[float, float], ...]
    mechanism_factors: dict[str, float]
    notes: tuple[str, ...] = ()

    def explain(self) -> str:
        """One sentence: content of the tumor and the membrane mechanisms behind it."""
        active = {k: v for k, v in self.mechanism_factors.items() if abs(v - 1.0) > 1e-9}
        factors = ", ".join(f"{k} ×{v:.3g}" for k, v in sorted(active.items())) or "none ≠ 1"
        return (
            f"{self.design}: mean membrane coverage {self.mean_coverage:.2f} → mechanism "
            f"multipliers ({factors}) → tumor {self.tumor_percent_id:.3g} %ID = "
            f"{self.tumor_ug_per_g:.3g} µg/g at {self.after_h:g} h after {self.dose_mg_per_kg:g} "
            f"mg/kg (PBPK)"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        out = asdict(self)
        out["coverage_shares"] = [list(p) for p in self.coverage_shares]
        out["notes"] = list(self.notes)
        cleaned: dict[str, Any] = _clean(out)
        return cleaned


def compare_deliveries(first: TumorDelivery, second: TumorDelivery) -> str:
    """Why one design puts more particles in the tumor than another, in the model's terms.

    Names the coverage difference and the mechanism multipliers that differ by more than 0.5 %.
    """
    hi, lo = (
        (first, second)
        if first.concentration_mg_per_ml >= second.concentration_mg_per_ml
        else (second, first)
    )
    ratio = (
        hi.concentration_mg_per_ml / lo.concentration_mg_per_ml
        if lo.concentration_mg_per_ml
        else math.inf
    )
    parts = []
    for name in sorted(set(hi.mechanism_factors) | set(lo.mechanism_factors)):
        a, b = hi.mechanism_factors.get(name, 1.0), lo.mechanism_factors.get(name, 1.0)
        if abs(a - b) > 0.005 * max(abs(a), abs(b), 1e-12):
            parts.append(f"{name} ×{a:.3g} vs ×{b:.3g}")
    mech = "; ".join(parts) if parts else "no mechanism multiplier differs"
    return (
        f"{hi.design} delivers {ratio:.4g}× the tumor content of {lo.design} at "
        f"{hi.after_h:g} h ({hi.tumor_ug_per_g:.4g} vs {lo.tumor_ug_per_g:.4g} µg/g): mean "
        f"membrane coverage {hi.mean_coverage:.2f} vs {lo.mean_coverage:.2f} changes the PBPK "
        f"membrane layer ({mech}); the heat source is proportional to this content"
    )


@dataclass(frozen=True)
class TreatmentResult:
    """Temperatures, thermal dose, damage and skin safety of one treatment (immutable).

    Attributes
    ----------
    modality
        ``"ptt"`` (laser) or ``"mht"`` (alternating magnetic field).
    design
        Design name.
    concentration_mg_per_ml
        Particle (core) concentration in the tumor (mg/mL).
    setting, site
        Laser or field parameters, and the tumor geometry (floats with unit suffixes).
    baseline_c
        Pre-treatment temperature added to the rise (°C).
    t_s
        Saved times (s).
    tumor_max_c, tumor_mean_c, skin_max_c
        Hottest tumor node, tumor volume mean and hottest skin node (°C), shape (nt,).
    tumor_cem43_min
        Tumor thermal dose summaries (min).
    tumor_damage_fraction
        Volume mean of ``1 − e^(−Ω)`` in the tumor.
    skin_burn
        The normal skin beside the tumor is burnt (see ``skin``).
    skin, skin_over_tumor
        Skin checks beside and over the tumor.
    warnings
        Everything the user should know (limits crossed, assumptions forced by missing data).
    r_mm, z_mm
        Grid nodes (mm).
    final_temperature_c, damage_fraction
        Maps at the end (°C; 1 − e^(−Ω)), shape (nr, nz).
    tumor_mask
        Nodes in the tumor, shape (nr, nz).
    energy_j
        Cumulative energy terms at the end (J): deposited, stored, perfusion, surface,
        boundary, and the balance residual.
    heating
        Source diagnostics (W, W/kg, …).
    provenance
        Parameters with value, unit, source and status (``fitted`` for calibrated ones), the
        fitted names, solver settings and version.
    delivery
        The PBPK tumor delivery when the concentration came from a dose.
    """

    modality: str
    design: str
    concentration_mg_per_ml: float
    setting: dict[str, float]
    site: dict[str, float]
    baseline_c: float
    t_s: FloatArray
    tumor_max_c: FloatArray
    tumor_mean_c: FloatArray
    skin_max_c: FloatArray
    tumor_cem43_min: Cem43Summary
    tumor_damage_fraction: float
    skin_burn: bool
    skin: SkinCheck
    skin_over_tumor: SkinCheck
    warnings: tuple[str, ...]
    r_mm: FloatArray
    z_mm: FloatArray
    final_temperature_c: FloatArray
    damage_fraction: FloatArray
    tumor_mask: BoolArray
    energy_j: dict[str, float]
    heating: dict[str, float]
    provenance: dict[str, Any] = field(default_factory=dict)
    delivery: TumorDelivery | None = None

    @property
    def tumor_rise_k(self) -> float:
        """Rise of the hottest tumor node at the end (K)."""
        return float(self.tumor_max_c[-1] - self.baseline_c)

    @property
    def skin_rise_k(self) -> float:
        """Rise of the hottest skin node at the end (K): what an IR camera adds to the baseline."""
        return float(self.skin_max_c[-1] - self.baseline_c)

    def metrics(self) -> dict[str, Any]:
        """Scalar outcomes."""
        return {
            "concentration_mg_per_ml": self.concentration_mg_per_ml,
            "tumor_max_final_c": float(self.tumor_max_c[-1]),
            "tumor_mean_final_c": float(self.tumor_mean_c[-1]),
            "skin_max_final_c": float(self.skin_max_c[-1]),
            "tumor_cem43_mean_min": self.tumor_cem43_min.volume_mean,
            "tumor_cem43_t90_min": self.tumor_cem43_min.t90,
            "tumor_cem43_max_min": self.tumor_cem43_min.maximum,
            "tumor_damage_fraction": self.tumor_damage_fraction,
            "skin_burn": self.skin_burn,
            "skin_cem43_min": self.skin.cem43_min,
            "skin_omega": self.skin.omega,
            "skin_over_tumor_omega": self.skin_over_tumor.omega,
        }

    def summary(self) -> list[dict[str, Any]]:
        """One row per outcome: quantity, value, unit."""
        units = {
            "concentration_mg_per_ml": "mg/mL",
            "tumor_cem43_mean_min": "min",
            "tumor_cem43_t90_min": "min",
            "tumor_cem43_max_min": "min",
            "skin_cem43_min": "min",
        }
        rows = []
        for key, value in self.metrics().items():
            unit = "degC" if key.endswith("_c") else units.get(key, "")
            rows.append({"quantity": key, "value": value, "unit": unit})
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (NaN → None)."""
        cleaned: dict[str, Any] = _clean(
            {
                "schema_version": SCHEMA_VERSION,
                "nanocloak_version": __version__,
                "kind": f"treatment_{self.modality}",
                "design": self.design,
                "setting": self.setting,
                "site": self.site,
                "baseline_c": self.baseline_c,
                "metrics": self.metrics(),
                "tumor_cem43_min": asdict(self.tumor_cem43_min),
                "skin": asdict(self.skin),
                "skin_over_tumor": asdict(self.skin_over_tumor),
                "warnings": list(self.warnings),
                "time_course": {
                    "t_s": self.t_s,
                    "tumor_max_c": self.tumor_max_c,
                    "tumor_mean_c": self.tumor_mean_c,
                    "skin_max_c": self.skin_max_c,
                },
                "maps": {
                    "r_mm": self.r_mm,
                    "z_mm": self.z_mm,
                    "final_temperature_c": self.final_temperature_c,
                    "damage_fraction": self.damage_fraction,
                    "tumor_mask": self.tumor_mask,
                },
                "energy_j": self.energy_j,
                "heating": self.heating,
                "delivery": None if self.delivery is None else self.delivery.to_dict(),
                "provenance": self.provenance,
            }
        )
        return cleaned

    def report(self) -> str:
        """Markdown report."""
        title = "Photothermal therapy" if self.modality == "ptt" else "Magnetic hyperthermia"
        setting = ", ".join(f"{k} {_fmt(v)}" for k, v in self.setting.items())
        lines = [
            f"# {title}: {self.design}",
            "",
            f"Setting: {setting}. Tumor: "
            + ", ".join(f"{k} {_fmt(v)}" for k, v in self.site.items())
            + f". Particle concentration in the tumor {_fmt(self.concentration_mg_per_ml)} mg/mL; "
            f"baseline {_fmt(self.baseline_c)} °C.",
            "",
            "## Outcomes",
            "",
            "| quantity | value | unit |",
            "|---|---|---|",
        ]
        lines += [
            f"| {r['quantity']} | {_cell(r['value'])} | {r['unit']} |" for r in self.summary()
        ]
        if self.delivery is not None:
            lines += ["", "## Tumor delivery (PBPK)", "", self.delivery.explain() + "."]
            lines += [f"- {note}" for note in self.delivery.notes]
        lines += ["", "## Skin", ""]
        for name, check in (
            ("beside the tumor", self.skin),
            ("over the tumor", self.skin_over_tumor),
        ):
            verdict = "burn" if check.burn else ("over a limit" if check.over_limit else "safe")
            lines.append(
                f"- {name}: peak {check.peak_c:.1f} °C, {check.cem43_min:.3g} CEM43, "
                f"Ω = {check.omega:.3g} → **{verdict}**"
                + (f" ({'; '.join(check.reasons)})" if check.reasons else "")
            )
        if self.warnings:
            lines += ["", "## Warnings", ""] + [f"- {w}" for w in self.warnings]
        params = self.provenance.get("parameters", [])
        if params:
            lines += [
                "",
                "## Parameters",
                "",
                "| parameter | value | unit | source | status |",
                "|---|---|---|---|---|",
            ]
            for p in params:
                cells = [p["name"], _cell(p["value"]), p["unit"], p["source"], p["status"]]
                lines.append("| " + " | ".join(str(c) for c in cells) + " |")
        fitted = self.provenance.get("fitted", [])
        if fitted:
            lines += ["", "Fitted: " + "; ".join(fitted) + "."]
        lines += [
            "",
            "## Energy balance (J)",
            "",
            ", ".join(f"{k} {v:.4g}" for k, v in self.energy_j.items()),
        ]
        return "\n".join(lines) + "\n"

    def panels(self) -> list[Panel]:
        """Temperature curves over time (a map needs :meth:`save_plot`)."""
        minutes = self.t_s / 60.0
        return [
            Panel(
                (
                    Series(minutes, self.tumor_max_c, "tumor max"),
                    Series(minutes, self.tumor_mean_c, "tumor mean"),
                    Series(minutes, self.skin_max_c, "skin max", "dashed"),
                ),
                "time (min)",
                "temperature (°C)",
                f"{self.design} ({self.modality.upper()})",
            )
        ]

    def plot(self, ax: Any = None) -> Any:
        """Draw the temperature curves on ``ax`` (a new figure if None); return the axes."""
        return draw(self.panels()[0], ax)

    def plot_map(self, ax: Any = None, quantity: str = "temperature") -> Any:
        """Draw the final ``"temperature"`` (°C) or ``"damage"`` map, mirrored about the axis."""
        import matplotlib

        if ax is None:
            matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(5.0, 3.6), dpi=150, layout="constrained")
        data = self.final_temperature_c if quantity == "temperature" else self.damage_fraction
        if quantity not in ("temperature", "damage"):
            raise ValueError(f"quantity must be 'temperature' or 'damage'; got {quantity!r}")
        full = np.concatenate([data[:0:-1], data], axis=0).T  # (nz, 2 nr - 1)
        extent = (-self.r_mm[-1], self.r_mm[-1], self.z_mm[-1], self.z_mm[0])
        image = ax.imshow(
            full,
            extent=extent,
            aspect="equal",
            cmap="inferno" if quantity == "temperature" else "viridis",
            vmin=None if quantity == "temperature" else 0.0,
            vmax=None if quantity == "temperature" else 1.0,
        )
        mask = np.concatenate([self.tumor_mask[:0:-1], self.tumor_mask], axis=0).T
        r_full = np.concatenate([-self.r_mm[:0:-1], self.r_mm])
        ax.contour(
            r_full, self.z_mm, mask.astype(float), levels=[0.5], colors="white", linewidths=0.8
        )
        ax.figure.colorbar(
            image,
            ax=ax,
            label="temperature (°C)" if quantity == "temperature" else "damage 1 − e^(−Ω)",
        )
        ax.set_xlabel("r (mm)")
        ax.set_ylabel("depth (mm)")
        ax.set_title("final temperature" if quantity == "temperature" else "Arrhenius damage")
        return ax

    def save_plot(self, path: str) -> None:
        """Save curves, temperature map and damage map side by side (PNG, PDF, SVG)."""
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 3, figsize=(15.0, 3.8), dpi=150, layout="constrained")
        self.plot(axes[0])
        self.plot_map(axes[1], "temperature")
        self.plot_map(axes[2], "damage")
        fig.savefig(path)
        plt.close(fig)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


def _fmt(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.4g}" if math.isfinite(value) else "-"
    return str(value)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _fmt(value)
