"""Where each animal's particles go: the PBPK model of a group's agent, animal by animal.

The particle group's design runs through the membrane-aware PBPK model
(:func:`~nanocloak.workflows.simulate_design_pk.simulate_design_pk`) with one subject per
animal; the animal's factors scale tumor permeability (EPR heterogeneity), liver and spleen
phagocytic uptake and body weight. Outputs are on the PBPK time grid (h).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import Particle, StudySpec
from nanocloak.kernels.arrays import FloatArray
from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_design_pk import simulate_design_pk
from nanocloak.workflows.simulate_pk import DoseSchedule

BIODISTRIBUTION_ORGANS = ("liver", "spleen", "lung", "kidney", "brain", "tumor")
PK_SCALES = {
    "tumor.delivery": "tumor.permeability",
    "liver.uptake": "liver.k_max",
    "spleen.uptake": "spleen.k_max",
    "body_weight": "body_weight",
}
"""Study variability name → PBPK parameter it multiplies."""


@dataclass(frozen=True)
class Exposure:
    """Particle exposure of a group's animals.

    Attributes
    ----------
    t_h
        PBPK output times (h), shape (nt,).
    tumor_core_ug_per_g
        Core (particle) concentration in the tumor, µg/g, shape (n_animals, nt).
    dose_times_h
        Dose times (h).
    pk
        The PBPK result (one subject per animal), or None for agent-free groups.
    drug_per_core
        Loaded drug per core mass (mg/mg) by cargo name.
    """

    t_h: FloatArray
    tumor_core_ug_per_g: FloatArray
    dose_times_h: tuple[float, ...]
    pk: PkResult | None = None
    drug_per_core: dict[str, float] = field(default_factory=dict)

    @property
    def sources(self) -> dict[str, str]:
        """Parameter → source key of the PBPK parameters (empty without particles)."""
        return {} if self.pk is None else dict(self.pk.parameter_sources)

    def tumor_mg_per_ml_at(self, t_h: float) -> FloatArray:
        """Per-animal core concentration in the tumor at ``t_h`` (mg/mL, tissue 1 g/mL)."""
        return np.array(
            [np.interp(t_h, self.t_h, row) / 1000.0 for row in self.tumor_core_ug_per_g]
        )


def no_exposure(n: int, until_h: float, dose_times_h: tuple[float, ...] = (0.0,)) -> Exposure:
    """An agent-free group: no particles anywhere."""
    t = np.array([0.0, until_h])
    return Exposure(t, np.zeros((n, 2)), dose_times_h)


def animal_scales(factors: dict[str, FloatArray], n: int) -> list[dict[str, float]]:
    """Per-animal multiplicative factors on PBPK parameters (1 = the nominal animal)."""
    return [
        {param: float(factors[name][i]) for name, param in PK_SCALES.items() if name in factors}
        for i in range(n)
    ]


def particle_exposure(
    spec: StudySpec,
    agent: Particle,
    factors: dict[str, FloatArray],
    n: int,
    *,
    n_particles: int = 2000,
) -> Exposure:
    """The PBPK exposure of ``n`` animals dosed with ``agent``'s particle."""
    design = agent.design
    if not isinstance(design, Design):
        raise TypeError("the study's design paths must be resolved (io.study_specs)")
    schedule = DoseSchedule.parse(agent.schedule)
    until_h = spec.duration_day * 24.0
    pk = simulate_design_pk(
        design,
        float(agent.dose.to("mg/kg").magnitude),
        spec.species,
        until_h,
        spec.tumor.line or spec.tumor.model,
        schedule=schedule,
        coating=agent.coating,
        subject_scales=animal_scales(factors, n),
        n_particles=n_particles,
    )
    tumor = pk.ug_per_g()[:, :, pk.outputs.index("tumor")]
    return Exposure(
        t_h=pk.t_h,
        tumor_core_ug_per_g=np.asarray(tumor, dtype=float),
        dose_times_h=schedule.times_h,
        pk=pk,
        drug_per_core={c.name: c.per_core_mass for c in design.cargos},
    )


def pk_rows(group: str, exposure: Exposure, times_h: list[float]) -> list[dict[str, Any]]:
    """Group-level blood curve, tumor particle curve and biodistribution at ``times_h``."""
    pk = exposure.pk
    if pk is None:
        return []
    rows: list[dict[str, Any]] = []
    blood = pk.percent_id()[:, :, pk.outputs.index("blood")].mean(axis=0)
    tumor = exposure.tumor_core_ug_per_g.mean(axis=0)
    step = max(1, len(pk.t_h) // 400)
    for k in range(0, len(pk.t_h), step):
        t = float(pk.t_h[k])
        rows.append(_row(group, "blood", "blood", t, "h", float(blood[k]), "%ID"))
        rows.append(_row(group, "tumor_particles", "tumor", t, "h", float(tumor[k]), "ug/g"))
    per_g = pk.percent_id_per_g().mean(axis=0)
    for t in times_h:
        for organ in BIODISTRIBUTION_ORGANS:
            if organ in pk.outputs:
                value = float(np.interp(t, pk.t_h, per_g[:, pk.outputs.index(organ)]))
                rows.append(_row(group, "biodistribution", organ, t, "h", value, "%ID/g"))
    return rows


def _row(
    group: str, readout: str, site: str, time: float, time_unit: str, value: float, unit: str
) -> dict[str, Any]:
    return {
        "group": group,
        "animal": -1,
        "readout": readout,
        "site": site,
        "time": time,
        "time_unit": time_unit,
        "value": value,
        "unit": unit,
    }
