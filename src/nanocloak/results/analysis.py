"""The immutable result every lab-data analysis returns.

An ``AnalysisResult`` holds named estimates (value, unit, standard error, confidence interval),
the formulas and conventions used — stated so a reviewer can check them — warnings, the
input's provenance and the panels to plot. ``summary()``, ``report()``, ``to_dict()`` and
``plot()`` give the same content as rows, Markdown, JSON-safe dict and a matplotlib figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from nanocloak import __version__
from nanocloak.plotting.series import Panel, draw


@dataclass(frozen=True, slots=True)
class Estimate:
    """One estimated quantity.

    ``ci`` is a (low, high) confidence interval at ``ci_level`` (e.g. 0.95) when the data allow
    one; ``stderr`` the standard error of a fit; ``note`` how it was obtained.
    """

    name: str
    value: float
    unit: str = ""
    stderr: float | None = None
    ci: tuple[float, float] | None = None
    ci_level: float = 0.95
    label: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (non-finite numbers become None)."""
        return {
            "name": self.name,
            "label": self.label or self.name,
            "value": _finite(self.value),
            "unit": self.unit,
            "stderr": _finite(self.stderr),
            "ci": None if self.ci is None else [_finite(self.ci[0]), _finite(self.ci[1])],
            "ci_level": self.ci_level if self.ci is not None else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class AnalysisResult:
    """Result of one analysis of one data set (or one group of a batch).

    Attributes
    ----------
    kind
        The analysis, e.g. ``"photothermal_efficiency"``.
    title
        What was analysed, e.g. the file and group name.
    estimates
        The estimated quantities, in the order they should be reported.
    formulas
        Each formula or convention used, in words and symbols.
    warnings
        Problems with the data or the method's assumptions.
    panels
        What ``plot`` draws.
    tables
        Extra tables (name → list of row dicts), e.g. per-model goodness of fit.
    provenance
        Input file, sheet, columns used, options, nanocloak version.
    """

    kind: str
    title: str
    estimates: tuple[Estimate, ...]
    formulas: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    panels: tuple[Panel, ...] = ()
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Estimate:
        for estimate in self.estimates:
            if estimate.name == name:
                return estimate
        raise KeyError(f"{name!r}; this result has {[e.name for e in self.estimates]}")

    def value(self, name: str) -> float:
        """The value of estimate ``name``."""
        return self[name].value

    def summary(self) -> list[dict[str, Any]]:
        """One row per estimate."""
        return [e.to_dict() for e in self.estimates]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary of everything but the plot."""
        return {
            "kind": self.kind,
            "title": self.title,
            "estimates": self.summary(),
            "formulas": list(self.formulas),
            "warnings": list(self.warnings),
            "tables": {
                k: [{c: _finite(v) for c, v in row.items()} for row in rows]
                for k, rows in self.tables.items()
            },
            "provenance": {"nanocloak_version": __version__, **self.provenance},
        }

    def report(self) -> str:
        """Markdown: estimates with uncertainty, extra tables, formulas, warnings, provenance."""
        lines = [
            f"## {self.title}",
            "",
            "| quantity | value | unit | SE | CI |",
            "|---|---|---|---|---|",
        ]
        for e in self.estimates:
            ci = "-" if e.ci is None else f"{_fmt(e.ci[0])} – {_fmt(e.ci[1])} ({e.ci_level:.0%})"
            stderr = "-" if e.stderr is None else _fmt(e.stderr)
            lines.append(f"| {e.label or e.name} | {_fmt(e.value)} | {e.unit} | {stderr} | {ci} |")
        for name, rows in self.tables.items():
            if not rows:
                continue
            columns = list(rows[0])
            lines += [
                "",
                f"### {name}",
                "",
                "| " + " | ".join(columns) + " |",
                "|" + "---|" * len(columns),
            ]
            lines += ["| " + " | ".join(_cell(row.get(c)) for c in columns) + " |" for row in rows]
        if self.formulas:
            lines += ["", "### Formulas and conventions", ""]
            lines += [f"- {f}" for f in self.formulas]
        if self.warnings:
            lines += ["", "### Warnings", ""] + [f"- {w}" for w in self.warnings]
        if self.provenance:
            lines += ["", "### Provenance", ""]
            lines += [f"- {k}: {v}" for k, v in self.provenance.items()]
        return "\n".join(lines) + "\n"

    def plot(self, ax: Any = None, panel: int = 0) -> Any:
        """Draw panel ``panel`` (0: the main one) on ``ax`` (a new figure if None)."""
        if not self.panels:
            raise ValueError(f"{self.kind} has nothing to plot")
        if not 0 <= panel < len(self.panels):
            raise ValueError(f"{self.kind} has panels 0–{len(self.panels) - 1}; got {panel}")
        return draw(self.panels[panel], ax)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _fmt(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3e}"
    return f"{value:.4g}"


def _cell(value: Any) -> str:
    return _fmt(value) if isinstance(value, float) else str(value)
