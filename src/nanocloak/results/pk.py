"""The result of ``simulate_pk``: organ time courses, blood half-lives, AUC, tumor delivery.

Conventions (also in ``PkResult.conventions`` and the report):

* **%ID** is 100 × amount / dose administered so far (the schedule's doses up to that time), so
  compartments plus excreta sum to 100 %ID at every time after the first dose.
* **blood** is the whole-blood amount an experiment reports (%ID/g × total blood volume): the
  central venous concentration :math:`C_V = A_V/V_{V}` times the total blood volume. It overlaps
  the organs' capillary blood and is *not* part of the mass balance. ``central_blood`` is the
  model's central pool :math:`A_A + A_V` (in the Cheng structure, a plasma-volume pool).
* An organ's amount is capillary blood + tissue + phagocytic cells; %ID/g divides by the organ
  mass (1 L = 1 kg); µg/g is amount / organ mass.
* Tumor delivery efficiency DE (Cheng 2020) includes the tumor's vascular blood.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nanocloak import __version__
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk.metrics import (
    DeliveryEfficiency,
    HalfLives,
    auc_trapezoid,
    blood_half_lives,
    delivery_efficiency,
    value_at,
)
from nanocloak.kernels.pk.model import ARTERIAL, VENOUS, Topology
from nanocloak.plotting.series import Panel, Series, draw, save

SCHEMA_VERSION = 1
REPORT_TIMES_H = (0.5, 1.0, 4.0, 24.0, 72.0, 168.0)
EXCRETA = ("urine", "bile")

CONVENTIONS = (
    "%ID = 100 x amount / dose administered up to that time",
    "blood = venous central concentration C_V x total blood volume (the experimental "
    "'%ID/g x blood volume'); it overlaps organ capillary blood and is not in the mass balance",
    "central_blood = arterial + venous central pool A_A + A_V of the model",
    "organ amount = capillary blood + tissue + phagocytic cells; %ID/g and ug/g per organ mass "
    "(1 L = 1 kg)",
    "DE(t) = 100 (A_T,b + A_T,t + A_T,RES) / dose (Cheng 2020, includes tumor vascular blood); "
    "DE24, DE168 at 24 h and 168 h; DEmax = largest DE on the output grid; DEtlast = DE at the "
    "study's last sampling time",
    "half-lives by curve stripping of the blood curve after the last dose: elimination from the "
    "last third, distribution from the residual over the first tenth after the peak",
)


def organ_outputs(
    topology: Topology, y_mg: FloatArray, derived: Mapping[str, FloatArray]
) -> dict[str, Any]:
    """Aggregate kernel states into reported outputs.

    Returns ``names`` (tuple), ``amount_mg`` (n_subjects, n_times, n_outputs) and ``mass_g``
    (n_subjects, n_outputs; NaN for excreta and the central pool).
    """
    names: list[str] = []
    amounts: list[FloatArray] = []
    masses: list[FloatArray] = []
    for i, organ in enumerate(topology.organs):
        cols = [topology.blood(i), topology.tissue(i), topology.res(i)]
        names.append(organ)
        amounts.append(y_mg[:, :, cols].sum(axis=2))
        masses.append(derived["organ_volume_l"][:, i] * 1000.0)
    c_venous = y_mg[:, :, VENOUS] / derived["venous_l"][:, None]
    names += ["blood", "central_blood", *EXCRETA]
    amounts += [
        c_venous * derived["total_blood_l"][:, None],
        y_mg[:, :, ARTERIAL] + y_mg[:, :, VENOUS],
        y_mg[:, :, topology.urine],
        y_mg[:, :, topology.bile],
    ]
    nan = np.full_like(derived["total_blood_l"], np.nan)
    masses += [derived["total_blood_l"] * 1000.0, nan, nan, nan]
    return {
        "names": tuple(names),
        "amount_mg": np.stack(amounts, axis=2),
        "mass_g": np.stack(masses, axis=1),
        "body_weight_kg": derived["body_weight_kg"],
    }


@dataclass(frozen=True)
class PkResult:
    """Nanoparticle biodistribution of one or more subjects (immutable).

    Arrays have a leading subject axis; ``amount_mg`` is (n_subjects, n_times, n_outputs) over
    ``outputs`` (organs, ``blood``, ``central_blood``, ``urine``, ``bile``).
    """

    species: str
    mode: str
    dose_mg_per_kg: float
    schedule: str
    dose_times_h: tuple[float, ...]
    infusion_h: float
    t_h: FloatArray
    outputs: tuple[str, ...]
    amount_mg: FloatArray
    mass_g: FloatArray
    body_weight_kg: FloatArray
    dosed_mg: FloatArray
    states_total_mg: FloatArray
    delivery: tuple[DeliveryEfficiency, ...]
    half_lives: tuple[HalfLives, ...]
    auc: tuple[dict[str, float], ...]
    parameters: tuple[dict[str, float], ...]
    parameter_sources: dict[str, str]
    t_last_h: float
    solver: dict[str, Any] = field(default_factory=dict)
    conventions: tuple[str, ...] = CONVENTIONS

    @classmethod
    def build(
        cls,
        *,
        outputs: Mapping[str, Any],
        t_h: FloatArray,
        dosed_mg: FloatArray,
        dose_times_h: tuple[float, ...],
        t_last_h: float,
        **kwargs: Any,
    ) -> PkResult:
        """Assemble a result from solver outputs, computing DE, half-lives and AUC."""
        names: tuple[str, ...] = outputs["names"]
        amount = outputs["amount_mg"]
        mass = outputs["mass_g"]
        pct = _percent(amount, dosed_mg)
        tumor = names.index("tumor") if "tumor" in names else None
        blood = names.index("blood")
        after = t_h >= max(dose_times_h)
        deliveries, halves, aucs = [], [], []
        for s in range(amount.shape[0]):
            if tumor is not None:
                deliveries.append(delivery_efficiency(t_h, pct[s, :, tumor], t_last_h))
            c_blood = amount[s, :, blood] / (mass[s, blood] / 1000.0)
            halves.append(blood_half_lives(t_h[after], c_blood[after]))
            auc = {"blood_mg_h_per_l": auc_trapezoid(t_h, c_blood)}
            for o, name in enumerate(names):
                if not math.isnan(mass[s, o]) and name != "blood":
                    auc[f"{name}_ug_h_per_g"] = auc_trapezoid(
                        t_h, amount[s, :, o] / mass[s, o] * 1000.0
                    )
            aucs.append(auc)
        return cls(
            t_h=t_h,
            outputs=names,
            amount_mg=amount,
            mass_g=mass,
            body_weight_kg=outputs["body_weight_kg"],
            dosed_mg=dosed_mg,
            dose_times_h=dose_times_h,
            t_last_h=t_last_h,
            delivery=tuple(deliveries),
            half_lives=tuple(halves),
            auc=tuple(aucs),
            **kwargs,
        )

    # --- arrays -------------------------------------------------------------------------------
    @property
    def n_subjects(self) -> int:
        """Number of simulated subjects."""
        return int(self.amount_mg.shape[0])

    def percent_id(self) -> FloatArray:
        """%ID of each output, (n_subjects, n_times, n_outputs)."""
        return _percent(self.amount_mg, self.dosed_mg)

    def percent_id_per_g(self) -> FloatArray:
        """%ID per gram of organ (NaN for excreta and the central pool)."""
        return self.percent_id() / self.mass_g[:, None, :]

    def ug_per_g(self) -> FloatArray:
        """Concentration, µg/g (= mg/L), (n_subjects, n_times, n_outputs)."""
        return self.amount_mg * 1000.0 / self.mass_g[:, None, :]

    def series(self, output: str, unit: str = "%ID", subject: int = 0) -> FloatArray:
        """One output over time in ``"mg"``, ``"%ID"``, ``"%ID/g"`` or ``"ug/g"``."""
        if output not in self.outputs:
            raise KeyError(f"no output {output!r}; outputs are {self.outputs}")
        data = {
            "mg": lambda: self.amount_mg,
            "%ID": self.percent_id,
            "%ID/g": self.percent_id_per_g,
            "ug/g": self.ug_per_g,
        }
        if unit not in data:
            raise KeyError(f"unit {unit!r}: use one of {list(data)}")
        return np.asarray(data[unit]()[subject, :, self.outputs.index(output)], dtype=float)

    def mass_balance_error(self) -> FloatArray:
        """Largest relative gap |states + excreta - dosed| / total dose over time, per subject."""
        total = self.dosed_mg[:, -1]
        gap = np.abs(self.states_total_mg - self.dosed_mg).max(axis=1)
        return np.asarray(gap / total, dtype=float)

    # --- summaries ----------------------------------------------------------------------------
    def metrics(self, subject: int = 0) -> dict[str, float]:
        """Scalar metrics of one subject: DE (%ID), half-lives (h), AUCs, mass balance."""
        out: dict[str, float] = {}
        if self.delivery:
            de = self.delivery[subject]
            out.update(
                DE24_percent=de.de24,
                DE168_percent=de.de168,
                DEmax_percent=de.demax,
                DEmax_time_h=de.t_max_h,
                DEtlast_percent=de.detlast,
                t_last_h=de.t_last_h,
            )
        hl = self.half_lives[subject]
        out["t_half_distribution_h"] = hl.distribution_h
        out["t_half_elimination_h"] = hl.elimination_h
        out.update({f"AUC_{k}": v for k, v in self.auc[subject].items()})
        out["mass_balance_error"] = float(self.mass_balance_error()[subject])
        return out

    def summary(self, subject: int = 0) -> list[dict[str, Any]]:
        """One row per output and report time: amount (mg), %ID, %ID/g, µg/g."""
        rows = []
        pct, pct_g, ugg = self.percent_id(), self.percent_id_per_g(), self.ug_per_g()
        times = [t for t in REPORT_TIMES_H if t <= self.t_h[-1]] + [float(self.t_h[-1])]
        for o, name in enumerate(self.outputs):
            for t in dict.fromkeys(times):
                rows.append(
                    {
                        "output": name,
                        "time_h": t,
                        "amount_mg": value_at(self.t_h, self.amount_mg[subject, :, o], t),
                        "percent_id": value_at(self.t_h, pct[subject, :, o], t),
                        "percent_id_per_g": value_at(self.t_h, pct_g[subject, :, o], t),
                        "ug_per_g": value_at(self.t_h, ugg[subject, :, o], t),
                    }
                )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (NaN → None)."""
        subjects = []
        pct = self.percent_id()
        for s in range(self.n_subjects):
            subjects.append(
                {
                    "body_weight_kg": float(self.body_weight_kg[s]),
                    "metrics": _clean(self.metrics(s)),
                    "summary": [_clean(r) for r in self.summary(s)],
                    "percent_id": {
                        name: _clean_list(pct[s, :, o]) for o, name in enumerate(self.outputs)
                    },
                    "parameters": self.parameters[s],
                }
            )
        return {
            "schema_version": SCHEMA_VERSION,
            "nanocloak_version": __version__,
            "kind": "pk_simulation",
            "species": self.species,
            "mode": self.mode,
            "dose_mg_per_kg": self.dose_mg_per_kg,
            "schedule": self.schedule,
            "outputs": list(self.outputs),
            "t_h": _clean_list(self.t_h),
            "subjects": subjects,
            "conventions": list(self.conventions),
            "parameter_sources": self.parameter_sources,
            "solver": self.solver,
        }

    def to_dataset(self) -> Any:
        """The time courses as an ``xarray.Dataset`` with units in attrs.

        Dimensions ``subject``, ``time`` (h) and ``output``; variables ``amount`` (mg),
        ``percent_id`` (%ID), ``percent_id_per_g`` (%ID/g), ``concentration`` (µg/g) over all
        three, ``mass`` (g) over subject × output, ``body_weight`` (kg) and ``dosed`` (mg, over
        subject × time). Dataset attrs: species, mode, dose, schedule, conventions, solver and
        the nanocloak version.
        """
        import xarray as xr

        dims3 = ("subject", "time", "output")
        variables = {
            "amount": (dims3, self.amount_mg, "mg", "amount in the output"),
            "percent_id": (dims3, self.percent_id(), "%ID", "percent of the dose given so far"),
            "percent_id_per_g": (
                dims3,
                self.percent_id_per_g(),
                "%ID/g",
                "percent of the dose per gram of organ",
            ),
            "concentration": (dims3, self.ug_per_g(), "ug/g", "amount per organ mass"),
            "mass": (("subject", "output"), self.mass_g, "g", "organ mass (1 L = 1 kg)"),
            "body_weight": (("subject",), self.body_weight_kg, "kg", "body weight"),
            "dosed": (("subject", "time"), self.dosed_mg, "mg", "dose administered so far"),
        }
        data_vars = {
            name: xr.Variable(
                dims, np.asarray(values, dtype=float), {"units": unit, "long_name": label}
            )
            for name, (dims, values, unit, label) in variables.items()
        }
        coords = {
            "subject": ("subject", np.arange(self.n_subjects)),
            "time": ("time", np.asarray(self.t_h, dtype=float), {"units": "h"}),
            "output": ("output", list(self.outputs)),
        }
        return xr.Dataset(
            data_vars,
            coords=coords,
            attrs={
                "kind": "pk_simulation",
                "nanocloak_version": __version__,
                "species": self.species,
                "mode": self.mode,
                "dose_mg_per_kg": self.dose_mg_per_kg,
                "schedule": self.schedule,
                "dose_times_h": list(self.dose_times_h),
                "infusion_h": self.infusion_h,
                "conventions": "; ".join(self.conventions),
                "solver": "; ".join(f"{k}={v}" for k, v in self.solver.items()),
            },
        )

    def report(self, subject: int = 0) -> str:
        """Markdown report of one subject."""
        bw = float(self.body_weight_kg[subject]) * 1000.0
        lines = [
            f"# Nanoparticle PBPK: {self.species}, {self.dose_mg_per_kg:g} mg/kg",
            "",
            f"{self.schedule}; body weight {bw:g} g; mode `{self.mode}`; "
            f"simulated to {self.t_h[-1]:g} h.",
            "",
            "## Metrics",
            "",
            "| metric | value |",
            "|---|---|",
        ]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in self.metrics(subject).items()]
        lines += ["", "## Organs (%ID)", ""]
        times = [t for t in REPORT_TIMES_H if t <= self.t_h[-1]]
        lines.append("| output | " + " | ".join(f"{t:g} h" for t in times) + " |")
        lines.append("|---|" + "---|" * len(times))
        pct = self.percent_id()
        for o, name in enumerate(self.outputs):
            cells = [_fmt(value_at(self.t_h, pct[subject, :, o], t)) for t in times]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines += ["", "## Conventions", ""] + [f"- {c}" for c in self.conventions]
        return "\n".join(lines) + "\n"

    def panels(self, subject: int = 0) -> list[Panel]:
        """%ID over time of every organ and blood; tumor DE."""
        pct = self.percent_id()
        skip = {"central_blood", *EXCRETA}
        organ_series = tuple(
            Series(self.t_h, pct[subject, :, o], name)
            for o, name in enumerate(self.outputs)
            if name not in skip
        )
        panels = [
            Panel(organ_series, "time (h)", "amount (%ID)", f"{self.species} biodistribution")
        ]
        if "tumor" in self.outputs:
            t = self.outputs.index("tumor")
            panels.append(
                Panel(
                    (Series(self.t_h, pct[subject, :, t], "tumor DE"),),
                    "time (h)",
                    "tumor delivery efficiency (%ID)",
                    "Tumor",
                )
            )
        return panels

    def plot(self, ax: Any = None, subject: int = 0) -> Any:
        """Draw the biodistribution panel on ``ax`` (a new figure if None); return the axes."""
        return draw(self.panels(subject)[0], ax)

    def save_plot(self, path: str, subject: int = 0) -> None:
        """Save all panels side by side (PNG, PDF or SVG by extension)."""
        save(self.panels(subject), path)


def _percent(amount: FloatArray, dosed: FloatArray) -> FloatArray:
    safe = np.where(dosed > 0.0, dosed, 1.0)[:, :, None]
    return np.where(dosed[:, :, None] > 0.0, 100.0 * amount / safe, 0.0)


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()
    }


def _clean_list(values: FloatArray) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=float)]


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:.4g}"
