"""The biology of a study group: tumor growth, systemic free drug, body weight, metastasis.

* **Growth** — the tumor model's law (``tumor_models.yaml``), rate × the animal's
  ``tumor.growth_rate`` factor, capacity × ``tumor.capacity``; start volume from the study
  (or grown from the inoculum) × ``tumor.start_volume``.
* **Body weight** — loss driven by free-drug plasma exposure, recovery, normal gain
  (:func:`~nanocloak.kernels.tumor.toxicity.body_weight_pct`); drug inside particles is not
  counted as systemic free drug (a stated simplification).
* **Metastasis** — lung nodules seeded at a rate ∝ V^α of the viable primary (Iwata).

Drug in the tumor is in :mod:`~nanocloak.workflows.study_drug`, growth modulation by cargo and
membrane in :mod:`~nanocloak.workflows.study_modulation`, imaging in
:mod:`~nanocloak.workflows.study_imaging`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nanocloak.domain.study import FreeDrug, NoAgent, Particle, StudySpec
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.tumor.free_drug import (
    FreeDrugPk,
    plasma_free_drug_ug_per_ml,
)
from nanocloak.kernels.tumor.growth import GrowthParams
from nanocloak.kernels.tumor.metastasis import expected_lung_nodules, poisson_nodule_count
from nanocloak.kernels.tumor.simulate import TumorCourse, simulate_tumor
from nanocloak.kernels.tumor.toxicity import body_weight_pct, sensitivity_from_reference
from nanocloak.knowledge import tumor as tumor_kb
from nanocloak.workflows.study_drug import CHEMO_DRUGS, dose_times_h, free_dox_pk


@dataclass(frozen=True)
class TumorBiology:
    """Growth of a group's tumors: law, per-animal parameters, start, clearance, endpoint."""

    growth: GrowthParams
    start_mm3: FloatArray
    clearance_per_day: float
    endpoint_mm3: float
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)


def model_key(name: str) -> str:
    """Knowledge-base key of a tumor model name (``"MCF-7"`` → ``"mcf_7"``)."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    models = tumor_kb.tumor_models().models
    if key not in models:
        raise SpecificationError(
            "tumor.model", name, f"a tumor model of the knowledge base: {', '.join(sorted(models))}"
        )
    return key


def tumor_biology(spec: StudySpec, factors: dict[str, FloatArray], n: int) -> TumorBiology:
    """Per-animal growth parameters and start volumes of the study's tumor model."""
    key = model_key(spec.tumor.model)
    defaults = tumor_kb.growth_defaults(key)
    entry = tumor_kb.tumor_model(key)
    rate = float(defaults["rate_per_day"]) * factors["tumor.growth_rate"]
    capacity = float(defaults["capacity_mm3"]) * factors["tumor.capacity"]
    growth = GrowthParams(law=str(defaults["law"]), rate_per_day=rate, capacity_mm3=capacity)
    assumptions = []
    start = float(spec.tumor.start_volume.to("mm^3").magnitude)
    if spec.tumor.inoculation is not None:
        cells = spec.tumor.inoculation.cells
        days = float(spec.tumor.inoculation.days_before.to("d").magnitude)
        implanted = float(defaults["initial_volume_mm3"]) * cells / entry.inoculum_cells.value
        grown = simulate_tumor(
            np.array([0.0, days]),
            np.full(n, implanted),
            np.zeros(n),
            growth,
        )
        start_mm3 = grown.viable_mm3[:, -1] * factors["tumor.start_volume"]
        assumptions.append(
            f"start volume grown from {cells:.3g} inoculated cells over {days:g} days"
        )
    else:
        start_mm3 = start * factors["tumor.start_volume"]
    endpoint = (
        float(spec.tumor.endpoint_volume.to("mm^3").magnitude)
        if spec.tumor.endpoint_volume is not None
        else float(defaults["endpoint_mm3"])
    )
    response = tumor_kb.tumor_response()
    clearance = response.dead_tissue["clearance_rate"]
    sources = {
        f"tumor.{key}.doubling_time": entry.doubling_time.source,
        f"tumor.{key}.capacity": entry.capacity.source,
        "tumor.dead_tissue.clearance_rate": clearance.source,
        "tumor.endpoint_volume": tumor_kb.tumor_models().common["endpoint_volume"].source,
    }
    return TumorBiology(
        growth=growth,
        start_mm3=np.asarray(start_mm3, dtype=float),
        clearance_per_day=clearance.to("1/day"),
        endpoint_mm3=endpoint,
        sources=sources,
        assumptions=assumptions,
    )


def body_weight_percent(
    agent: NoAgent | FreeDrug | Particle, t_day: FloatArray, n: int
) -> FloatArray:
    """Body weight (% of day 0) of each animal, shape (n, nt)."""
    tox = tumor_kb.tumor_response().toxicity
    gain = tox["weight_gain"].to("percent/day")
    recovery = tox["recovery_rate"].to("1/day")
    pk = free_dox_pk()
    plasma = np.zeros(t_day.size)
    if isinstance(agent, FreeDrug) and agent.drug in CHEMO_DRUGS:
        times = dose_times_h(agent)
        dose = float(agent.dose.to("mg/kg").magnitude)
        fine = np.unique(np.concatenate([t_day, np.linspace(0.0, t_day[-1], 4000)]))
        conc = plasma_free_drug_ug_per_ml(
            fine * 24.0, np.array(times), np.full(len(times), dose), pk
        )
        weight = body_weight_pct(
            fine,
            conc,
            _sensitivity(pk),
            recovery,
            weight_gain_pct_per_day=gain,
        )
        plasma_weight = np.interp(t_day, fine, weight[0])
        return np.broadcast_to(plasma_weight, (n, t_day.size)).copy()
    weight = body_weight_pct(t_day, plasma, 0.0, recovery, weight_gain_pct_per_day=gain)
    return np.broadcast_to(weight[0], (n, t_day.size)).copy()


def _sensitivity(pk: FreeDrugPk) -> float:
    tox = tumor_kb.tumor_response().toxicity
    reference = tox["free_dox_reference_dose"].to("mg/kg")
    auc = pk.plasma_auc_ug_h_per_ml_per_mg_per_kg * reference
    return sensitivity_from_reference(tox["free_dox_loss"].to("percent"), auc)


def lung_nodules(
    spec: StudySpec, course: TumorCourse, rng: np.random.Generator, until_day: FloatArray
) -> FloatArray:
    """Visible lung nodules per animal at its last day of follow-up (seeded Poisson counts)."""
    key = model_key(spec.tumor.model)
    if not tumor_kb.tumor_model(key).metastasis_to_lung:
        return np.zeros(course.viable_mm3.shape[0])
    meta = tumor_kb.tumor_response().metastasis
    expected = expected_lung_nodules(
        course.t_day,
        course.viable_mm3,
        meta["seeding_coefficient"].to("1/day"),
        meta["alpha"].value,
        detection_delay_day=meta["detection_delay"].to("day"),
    )
    at_end = np.array(
        [np.interp(u, course.t_day, row) for u, row in zip(until_day, expected, strict=True)]
    )
    return poisson_nodule_count(at_end, rng)
