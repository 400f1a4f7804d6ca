"""The result of ``calibrate_pk``: fitted PBPK parameters, their uncertainty and the fit's quality.

Everything a reviewer needs to judge a calibration is kept: the estimates with confidence
intervals (and how they were obtained), the correlation matrix of the fitted parameters (on the
log scale they were fitted on), goodness of fit, one residual per observation, the fitted time
courses for an overlay plot, the residual model and the provenance (data source, fixed
parameters, bounds, solver settings, nanocloak version).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from nanocloak import __version__
from nanocloak.kernels.arrays import FloatArray
from nanocloak.plotting.series import Panel, Series, draw
from nanocloak.results.analysis import Estimate

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class FittedCurve:
    """The fitted model's time course of one (organ, quantity) pair of the data."""

    organ: str
    quantity: str
    t_h: FloatArray
    predicted: FloatArray


@dataclass(frozen=True)
class PkFitResult:
    """PBPK parameters fitted to biodistribution time courses (immutable).

    Attributes
    ----------
    estimates
        One :class:`~nanocloak.results.analysis.Estimate` per fitted parameter, in the
        parameter's model unit, with its confidence interval (``ci``) at ``ci_level``.
    fitted
        The fitted parameter keys (``"liver.k_max"``, ...), in the order of ``correlation``.
    initial, bounds
        Starting values and (lower, upper) bounds of the fitted parameters, model units.
    fixed
        Parameters held at given values other than the knowledge-base defaults.
    correlation
        Correlation matrix of the fitted log-parameters (NaN when not estimable).
    residual_model
        ``"weighted"`` (residual (P - O)/SE with the reported SDs) or ``"log"``
        (residual ln P - ln O: a proportional error model).
    ci_method
        ``"profile"`` or ``"covariance"``.
    gof
        Goodness of fit: ``n_obs``, ``n_params``, ``dof``, ``chi2``, ``redchi``, ``aic``, ``bic``,
        ``r2_log``, ``gmfe``, ``within_2fold``.
    observations
        One row per observation: organ, quantity, time_h, observed, sd, predicted, residual.
    curves
        Fitted time courses per (organ, quantity) of the data.
    """

    species: str
    dose_mg_per_kg: float
    schedule: str
    mode: str
    estimates: tuple[Estimate, ...]
    fitted: tuple[str, ...]
    initial: dict[str, float]
    bounds: dict[str, tuple[float, float]]
    fixed: dict[str, Any]
    correlation: FloatArray
    residual_model: str
    ci_method: str
    ci_level: float
    gof: dict[str, float]
    observations: tuple[dict[str, Any], ...]
    curves: tuple[FittedCurve, ...]
    converged: bool
    message: str
    n_simulations: int
    formulas: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Estimate:
        for estimate in self.estimates:
            if estimate.name == key:
                return estimate
        raise KeyError(f"{key!r}; fitted parameters are {list(self.fitted)}")

    def value(self, key: str) -> float:
        """The fitted value of parameter ``key`` (model unit)."""
        return self[key].value

    @property
    def parameters(self) -> dict[str, float]:
        """Fitted values by key; with ``fixed``, the overrides that reproduce the fit."""
        return {e.name: e.value for e in self.estimates}

    def summary(self) -> list[dict[str, Any]]:
        """One row per fitted parameter: value, unit, SE, CI, initial value and bounds."""
        rows = []
        for e in self.estimates:
            low, high = self.bounds[e.name]
            rows.append(
                {
                    "parameter": e.name,
                    "value": e.value,
                    "unit": e.unit,
                    "stderr": e.stderr,
                    "ci_low": None if e.ci is None else e.ci[0],
                    "ci_high": None if e.ci is None else e.ci[1],
                    "ci_level": self.ci_level,
                    "ci_method": self.ci_method,
                    "initial": self.initial[e.name],
                    "lower_bound": low,
                    "upper_bound": high,
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (non-finite numbers become None)."""
        corr = [[_finite(float(v)) for v in row] for row in np.asarray(self.correlation)]
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "pk_calibration",
            "species": self.species,
            "dose_mg_per_kg": self.dose_mg_per_kg,
            "schedule": self.schedule,
            "mode": self.mode,
            "residual_model": self.residual_model,
            "ci_method": self.ci_method,
            "ci_level": self.ci_level,
            "converged": self.converged,
            "message": self.message,
            "n_simulations": self.n_simulations,
            "estimates": [_clean(row) for row in self.summary()],
            "correlation": {"parameters": list(self.fitted), "matrix": corr},
            "goodness_of_fit": _clean(self.gof),
            "observations": [_clean(row) for row in self.observations],
            "fixed": {k: (v if isinstance(v, str) else float(v)) for k, v in self.fixed.items()},
            "formulas": list(self.formulas),
            "warnings": list(self.warnings),
            "provenance": {"nanocloak_version": __version__, **self.provenance},
        }

    def report(self) -> str:
        """Markdown report: estimates, correlation, goodness of fit, residuals, provenance."""
        lines = [
            f"# PBPK calibration: {self.species}, {self.dose_mg_per_kg:g} mg/kg",
            "",
            f"{self.schedule}; mode `{self.mode}`; residual model `{self.residual_model}`; "
            f"{'converged' if self.converged else 'NOT converged'} ({self.message}); "
            f"{self.n_simulations} simulations.",
            "",
            "## Estimates",
            "",
            f"| parameter | value | unit | SE | {self.ci_level:.0%} CI ({self.ci_method}) "
            "| initial | bounds |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in self.summary():
            ci = "-" if row["ci_low"] is None else f"{_fmt(row['ci_low'])} – {_fmt(row['ci_high'])}"
            lines.append(
                f"| {row['parameter']} | {_fmt(row['value'])} | {row['unit']} | "
                f"{_fmt(row['stderr'])} | {ci} | {_fmt(row['initial'])} | "
                f"{_fmt(row['lower_bound'])} – {_fmt(row['upper_bound'])} |"
            )
        if len(self.fitted) > 1:
            lines += ["", "## Correlation (log-parameters)", ""]
            lines.append("| | " + " | ".join(self.fitted) + " |")
            lines.append("|---|" + "---|" * len(self.fitted))
            for name, row in zip(self.fitted, np.asarray(self.correlation), strict=True):
                lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in row) + " |")
        lines += ["", "## Goodness of fit", "", "| statistic | value |", "|---|---|"]
        lines += [f"| {k} | {_fmt(float(v))} |" for k, v in self.gof.items()]
        lines += [
            "",
            "## Residuals",
            "",
            "| organ | quantity | time (h) | observed | SD | predicted | residual |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.observations:
            lines.append(
                f"| {r['organ']} | {r['quantity']} | {_fmt(r['time_h'])} | "
                f"{_fmt(r['observed'])} | {_fmt(r['sd'])} | {_fmt(r['predicted'])} | "
                f"{_fmt(r['residual'])} |"
            )
        if self.fixed:
            lines += ["", "## Fixed parameters", ""]
            lines += [f"- {k} = {v}" for k, v in self.fixed.items()]
        if self.formulas:
            lines += ["", "## Formulas and conventions", ""] + [f"- {f}" for f in self.formulas]
        if self.warnings:
            lines += ["", "## Warnings", ""] + [f"- {w}" for w in self.warnings]
        lines += ["", "## Provenance", ""]
        provenance = {"nanocloak_version": __version__, **self.provenance}
        lines += [f"- {k}: {v}" for k, v in provenance.items()]
        return "\n".join(lines) + "\n"

    # --- plots --------------------------------------------------------------------------------
    def panels(self) -> list[Panel]:
        """Predicted vs observed (log-log, identity line), then one time-course overlay per
        quantity of the data (observed ± SD as points, fitted model as lines)."""
        panels = [self._predicted_vs_observed()]
        quantities = list(dict.fromkeys(r["quantity"] for r in self.observations))
        times = np.array([r["time_h"] for r in self.observations], dtype=float)
        xscale: Literal["linear", "log"] = "log" if times.max() / times.min() > 100.0 else "linear"
        for quantity in quantities:
            series: list[Series] = []
            for curve in self.curves:
                if curve.quantity != quantity:
                    continue
                rows = [
                    r
                    for r in self.observations
                    if r["organ"] == curve.organ and r["quantity"] == quantity
                ]
                sd = np.array([_nan(r["sd"]) for r in rows], dtype=float)
                series.append(
                    Series(
                        np.array([r["time_h"] for r in rows], dtype=float),
                        np.array([r["observed"] for r in rows], dtype=float),
                        f"{curve.organ} observed",
                        "errorbar",
                        None if np.all(np.isnan(sd)) else np.nan_to_num(sd),
                    )
                )
                keep = curve.t_h > 0.0
                series.append(
                    Series(curve.t_h[keep], curve.predicted[keep], f"{curve.organ} fitted")
                )
            panels.append(
                Panel(
                    tuple(series),
                    "time after dose (h)",
                    quantity,
                    f"Fitted time courses ({quantity})",
                    xscale=xscale,
                    yscale="log",
                )
            )
        return panels

    def _predicted_vs_observed(self) -> Panel:
        series = []
        for organ, quantity in dict.fromkeys(
            (r["organ"], r["quantity"]) for r in self.observations
        ):
            rows = [
                r for r in self.observations if r["organ"] == organ and r["quantity"] == quantity
            ]
            series.append(
                Series(
                    np.array([r["observed"] for r in rows], dtype=float),
                    np.array([r["predicted"] for r in rows], dtype=float),
                    f"{organ} ({quantity})",
                    "points",
                )
            )
        values = np.array(
            [r[k] for r in self.observations for k in ("observed", "predicted")], dtype=float
        )
        values = values[np.isfinite(values) & (values > 0.0)]
        span = np.array([values.min() / 2.0, values.max() * 2.0])
        series.append(Series(span, span, "identity", "dashed"))
        return Panel(
            tuple(series),
            "observed",
            "predicted",
            "Predicted vs observed",
            xscale="log",
            yscale="log",
        )

    def plot(self, ax: Any = None, panel: int = 0) -> Any:
        """Draw panel ``panel`` (0: predicted vs observed; 1…: time courses) on ``ax``."""
        panels = self.panels()
        if not 0 <= panel < len(panels):
            raise ValueError(f"panels are 0–{len(panels) - 1}; got {panel}")
        if ax is None:
            import matplotlib

            matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(5.0, 3.6), dpi=150, layout="constrained")
        if panel > 0:
            _paired_colors(ax)
        return draw(panels[panel], ax)

    def save_plot(self, path: str) -> None:
        """Save every panel side by side (PNG, PDF or SVG by extension)."""
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        panels = self.panels()
        fig, axes = plt.subplots(
            1, len(panels), figsize=(5.0 * len(panels), 3.8), dpi=150, layout="constrained"
        )
        for i, ax in enumerate(np.atleast_1d(axes)):
            self.plot(ax, i)
        fig.savefig(path)
        plt.close(fig)


def _paired_colors(ax: Any) -> None:
    """Repeat each colour of the cycle twice: an organ's observations and its fitted line."""
    import matplotlib.pyplot as plt

    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ax.set_prop_cycle(color=[c for c in colors for _ in range(2)])


def _nan(value: Any) -> float:
    return math.nan if value is None else float(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, np.floating | np.integer):
            value = value.item()
        out[key] = _finite(value)
    return out


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    number = float(value)
    if number != 0.0 and (abs(number) >= 1e5 or abs(number) < 1e-3):
        return f"{number:.3e}"
    return f"{number:.4g}"
