"""The result of ``design``: predicted characterization, batch plan, storage and their ranges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nanocloak import __version__
from nanocloak.domain.formulation import Design
from nanocloak.kernels.manufacture.loading import LoadingContent
from nanocloak.kernels.manufacture.storage import StorageOutcome
from nanocloak.knowledge import loader
from nanocloak.knowledge.schema import Value
from nanocloak.results.protocol import protocol_steps

SCHEMA_VERSION = 1
COVERAGE_BINS = np.linspace(0.0, 1.0, 11)
REPORT_DAYS = (0.0, 1.0, 3.0, 7.0, 14.0, 28.0)

METRICS: dict[str, tuple[str, str, str]] = {
    # name: (label, unit, group)
    "fully_coated_share": ("Fully coated particles (≥95 %)", "fraction", "coating"),
    "below_half_share": ("Particles < 50 % coated", "fraction", "coating"),
    "mean_coating_degree": ("Mean coating degree", "fraction", "coating"),
    "membrane_used_share": ("Supplied membrane ending on particles", "fraction", "coating"),
    "z_average_nm": ("Hydrodynamic size (Z-average)", "nm", "characterization"),
    "pdi": ("Polydispersity index", "-", "characterization"),
    "number_mean_diameter_nm": ("Number-mean diameter", "nm", "characterization"),
    "paired_share": ("Particles in aggregates (pairs)", "fraction", "characterization"),
    "shell_thickness_nm": ("Shell thickness where coated", "nm", "characterization"),
    "zeta_mv": ("Zeta potential", "mV", "characterization"),
    "protein_retention": ("Membrane-protein function retained", "fraction", "characterization"),
    "core_recovery": ("Core recovery", "fraction", "process"),
    "membrane_recovery": ("Membrane recovered from cells", "fraction", "process"),
    "processing_time_h": ("Processing time (separation to product)", "h", "process"),
    "assembly_time_min": ("Assembly step time", "min", "process"),
    "relative_cost": ("Assembly cost (relative units)", "RCU", "process"),
    "assembly_hands_on_min": ("Assembly hands-on time", "min", "process"),
    "ml_per_hands_on_hour": ("Batch volume per assembly hands-on hour", "mL/h", "process"),
    "peak_temperature_c": ("Peak sample temperature", "°C", "process"),
    "excess_ratio": ("Membrane supplied / area-matched need", "-", "membrane"),
    "protein_needed_mg": ("Membrane protein, area-matched minimum", "mg", "membrane"),
    "protein_planned_mg": ("Membrane protein planned", "mg", "membrane"),
    "area_needed_m2": ("Membrane area, area-matched minimum", "m²", "membrane"),
    "specific_surface_area_m2_per_g": ("Core specific surface area", "m²/g", "membrane"),
    "particles_per_mg": ("Cores per mg", "1/mg", "membrane"),
    "total_cells": ("Source cells to harvest", "cells", "membrane"),
    "protein_function_day7": ("Protein function after 7 d at 4 °C", "fraction", "storage"),
    "mean_diameter_day7_nm": ("Mean size after 7 d at 4 °C", "nm", "storage"),
    "shelf_life_days": ("Use within (4 °C shelf life)", "d", "storage"),
}


@dataclass(frozen=True, slots=True)
class MarkerContent:
    """A marker in the (hybrid) membrane.

    ``area_share`` is the share of the membrane area from sources that carry the marker — what
    a hybrid's mixing fraction controls. ``density_per_um2`` is the mean surface density
    (molecule/µm²) from the sources whose density is known (None if none is); it is a lower
    bound when ``density_complete`` is False (some carrying sources have no measured density).
    """

    area_share: float
    density_per_um2: float | None
    density_complete: bool


@dataclass(frozen=True, slots=True)
class SourcePlan:
    """What to harvest for one membrane source: cells, blood volume (blood cells), BCA protein
    (mg) and the share of the cells' membrane the separation recovers."""

    cell: str
    fraction: float
    cells: float
    blood_ml: float | None
    protein_mg: float
    membrane_recovery: float


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One run of the manufacture model: scalar metrics and the per-particle distributions."""

    metrics: dict[str, float]
    plans: tuple[SourcePlan, ...]
    coverage: NDArray[np.float64]
    diameters_nm: NDArray[np.float64]
    storage: StorageOutcome
    process_details: dict[str, float]
    warnings: tuple[str, ...]
    supply_limited: bool
    markers: dict[str, MarkerContent]
    cargos: dict[str, LoadingContent]


@dataclass(frozen=True)
class DesignResult:
    """Predicted manufacture and characterization of a design, with literature-range bands.

    ``nominal`` holds the run at the knowledge base's used values; ``bands`` the 5–95 %
    interval of each metric over the ensemble drawn within the literature ranges.
    """

    spec: Design
    nominal: Evaluation
    bands: dict[str, tuple[float, float]]
    ensemble: tuple[dict[str, float], ...]
    parameters_used: dict[str, Value]
    seed: int
    n_particles: int
    n_samples: int
    review_cells: tuple[float, float]
    provenance: dict[str, Any] = field(default_factory=dict)

    def metric(self, name: str) -> float:
        """The nominal value of a metric (see ``METRICS``)."""
        return self.nominal.metrics[name]

    def share_above(self, other: DesignResult, name: str) -> float:
        """Share of paired ensemble members in which this design's ``name`` exceeds ``other``'s.

        Designs run with the same seed draw every shared parameter alike, so this is the
        probability that the ranking holds across the literature ranges.
        """
        pairs = list(zip(self.ensemble, other.ensemble, strict=False))
        if not pairs:
            return float(self.metric(name) > other.metric(name))
        return sum(mine[name] > theirs[name] for mine, theirs in pairs) / len(pairs)

    def coverage_histogram(self) -> list[tuple[float, float, float]]:
        """(bin low, bin high, share of particles) over coating degree in 10 % bins."""
        counts, edges = np.histogram(self.nominal.coverage, bins=COVERAGE_BINS)
        shares = counts / max(1, self.nominal.coverage.size)
        return [
            (float(edges[i]), float(edges[i + 1]), float(shares[i])) for i in range(len(shares))
        ]

    def storage_table(self, days: tuple[float, ...] = REPORT_DAYS) -> dict[str, list[float]]:
        """Protein function, paired share and mean size (nm) at 4 °C on the given days."""
        storage = self.nominal.storage
        return {
            "days": list(days),
            "protein_function": [
                float(np.interp(d, storage.days, storage.protein_function)) for d in days
            ],
            "paired_share": [float(np.interp(d, storage.days, storage.paired_share)) for d in days],
            "mean_diameter_nm": [
                float(np.interp(d, storage.days, storage.mean_diameter_nm)) for d in days
            ],
        }

    def summary(self) -> list[dict[str, Any]]:
        """One row per metric: name, label, unit, group, value, low, high."""
        return [
            {
                "name": name,
                "label": label,
                "unit": unit,
                "group": group,
                "value": self.nominal.metrics[name],
                "low": self.bands[name][0],
                "high": self.bands[name][1],
            }
            for name, (label, unit, group) in METRICS.items()
        ]

    def warnings(self) -> list[str]:
        """Process warnings plus a note when the membrane supply limits coating."""
        notes = list(self.nominal.warnings)
        if self.nominal.metrics["excess_ratio"] < 1.0:
            notes.append("less membrane than the area-matched minimum: coating cannot be complete")
        elif self.nominal.supply_limited:
            notes.append("the membrane supply, not the process, limits coating")
        return notes

    def sources(self) -> dict[str, str]:
        """Citation of every source behind the parameters used (key → citation with DOI)."""
        table = loader.sources()
        keys = sorted({v.source for v in self.parameters_used.values()})
        return {k: _cite(table[k].citation, table[k].doi) for k in keys if k in table}

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary; the schema is documented in ``docs/cli.md``."""
        return {
            "schema_version": SCHEMA_VERSION,
            "nanocloak_version": __version__,
            "design": self.spec.model_dump(mode="json"),
            "method": self.spec.preparation.assembly.method,
            "metrics": {
                row["name"]: {k: row[k] for k in ("value", "low", "high", "unit")}
                for row in self.summary()
            },
            "coverage_histogram": [
                {"low": lo, "high": hi, "share": s} for lo, hi, s in self.coverage_histogram()
            ],
            "batch_plan": [
                {
                    "cell": p.cell,
                    "fraction": p.fraction,
                    "cells": p.cells,
                    "blood_ml": p.blood_ml,
                    "protein_mg": p.protein_mg,
                    "membrane_recovery": p.membrane_recovery,
                }
                for p in self.nominal.plans
            ],
            "review_cells_per_prep": list(self.review_cells),
            "storage": self.storage_table(),
            "process_details": self.nominal.process_details,
            "protocol": protocol_steps(self),
            "cargos": {
                name: {
                    "per_core_mass_mg_per_mg": c.per_core_mass,
                    "content_on_carrier": c.content_on_carrier,
                    "content_on_coated_particle": c.content_on_coated_particle,
                    "encapsulation_efficiency": c.encapsulation_efficiency,
                }
                for name, c in self.nominal.cargos.items()
            },
            "markers": {
                name: {
                    "area_share": m.area_share,
                    "density_molecule_per_um2": m.density_per_um2,
                    "density_complete": m.density_complete,
                }
                for name, m in self.nominal.markers.items()
            },
            "warnings": self.warnings(),
            "parameters": {
                path: {
                    "value": v.value,
                    "low": v.low,
                    "high": v.high,
                    "unit": v.unit,
                    "source": v.source,
                    "status": v.status,
                }
                for path, v in self.parameters_used.items()
            },
            "sources": self.sources(),
            "provenance": {
                "seed": self.seed,
                "n_particles": self.n_particles,
                "n_samples": self.n_samples,
                **self.provenance,
            },
        }

    def report(self) -> str:
        """A Markdown report: characterization, protocol, batch plan, markers, cargo, storage,
        warnings and the sources of every parameter used."""
        spec = self.spec
        lines = [f"# Design report: {spec.name}", ""]
        if spec.description:
            lines += [spec.description, ""]
        lines += [
            f"Method: **{spec.preparation.assembly.method}**; membrane "
            f"**{spec.membrane.label}** on **{spec.core.material}**.",
            "",
        ]
        lines += _table(
            None,
            ("quantity", "predicted", "5–95 % range", "unit"),
            [
                (
                    row["label"],
                    fmt(row["value"]),
                    f"{fmt(row['low'])} – {fmt(row['high'])}",
                    row["unit"],
                )
                for row in self.summary()
            ],
        )
        lines += ["## How to make it", ""]
        lines += [f"{i}. {step}" for i, step in enumerate(protocol_steps(self), start=1)] + [""]
        lines += _table(
            "Coating degree distribution",
            ("coating", "share"),
            [(f"{lo:.0%}–{hi:.0%}", f"{share:.1%}") for lo, hi, share in self.coverage_histogram()],
        )
        lines += _table(
            "Batch plan",
            ("source", "fraction", "cells", "blood (mL)", "protein (mg)", "membrane recovered"),
            [
                (
                    p.cell,
                    f"{p.fraction:g}",
                    fmt(p.cells),
                    "-" if p.blood_ml is None else fmt(p.blood_ml),
                    fmt(p.protein_mg),
                    f"{p.membrane_recovery:.0%}",
                )
                for p in self.nominal.plans
            ],
        )
        low, high = self.review_cells
        lines += [
            f"The review quotes {low:.0e}–{high:.0e} source cells per membrane "
            f"preparation; this batch needs {fmt(self.metric('total_cells'))}.",
            "",
        ]
        lines += _table(
            "Surface markers",
            ("marker", "share of membrane area carrying it", "density (molecule/µm²)"),
            [
                (name, f"{m.area_share:.2f}", _density(m))
                for name, m in self.nominal.markers.items()
            ],
        )
        if self.nominal.cargos:
            lines += _table(
                "Cargo loading",
                ("cargo", "mg per mg core", "DLC on carrier", "DLC on coated particle", "EE"),
                [
                    (
                        name,
                        f"{c.per_core_mass:.3g}",
                        f"{c.content_on_carrier:.1%}",
                        f"{c.content_on_coated_particle:.1%}",
                        "-"
                        if c.encapsulation_efficiency is None
                        else f"{c.encapsulation_efficiency:.0%}",
                    )
                    for name, c in self.nominal.cargos.items()
                ],
            )
            lines += [
                "DLC on carrier = cargo/(core + cargo); on the coated particle the membrane "
                "protein on the particles is added to the denominator; EE = loaded/fed.",
                "",
            ]
        storage = self.storage_table()
        lines += _table(
            "Storage at 4 °C",
            ("day", "protein function", "paired", "mean size (nm)"),
            [
                (
                    f"{day:g}",
                    f"{storage['protein_function'][i]:.2f}",
                    f"{storage['paired_share'][i]:.2f}",
                    f"{storage['mean_diameter_nm'][i]:.0f}",
                )
                for i, day in enumerate(storage["days"])
            ],
        )
        if self.warnings():
            lines += ["## Warnings", ""] + [f"- {w}" for w in self.warnings()] + [""]
        lines += ["## Sources", ""] + [f"- `{k}`: {c}" for k, c in self.sources().items()]
        return "\n".join(lines) + "\n"


def _table(title: str | None, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Markdown lines of an optionally titled table, followed by a blank line."""
    lines = [f"## {title}", ""] if title else []
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _density(marker: MarkerContent) -> str:
    if marker.density_per_um2 is None:
        return "unknown"
    bound = "" if marker.density_complete else " (lower bound)"
    return fmt(marker.density_per_um2) + bound


def _cite(citation: str, doi: str | None) -> str:
    return f"{citation}. doi:{doi}" if doi else citation


def fmt(value: float) -> str:
    """Compact number formatting for reports and tables."""
    if value == 0 or not np.isfinite(value):
        return f"{value:g}"
    magnitude = abs(value)
    if magnitude >= 1e5 or magnitude < 1e-3:
        return f"{value:.2e}"
    if magnitude >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"
