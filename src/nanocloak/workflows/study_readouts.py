"""What a study group produced: per-animal readout series and endpoint rows.

Caliper readouts (tumor and viable volume, body weight) are sampled every
``readouts.caliper_every`` for each animal until it leaves the study. The humane endpoint:
an animal whose tumor reaches the endpoint volume is taken out then (as mice are euthanized),
so its readouts stop and its final volume, survival time and lung nodules are taken at that
day. Treatment endpoints are the peak tumor temperature, the damaged fraction over all
treatments (``1 − Π surviving fractions``) and whether the skin burned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nanocloak.domain.study import StudySpec
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.tumor.endpoints import survival_endpoint
from nanocloak.kernels.tumor.simulate import TumorCourse
from nanocloak.results.study import series_row
from nanocloak.workflows import study_biology as bio
from nanocloak.workflows.study_events import Event
from nanocloak.workflows.study_treatment import TreatmentOutcome


@dataclass
class GroupOutcome:
    """What one group produced: readout rows, endpoint rows, sources and assumptions."""

    description: str
    treatments: list[str] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)


def record_course(
    outcome: GroupOutcome,
    group: str,
    spec: StudySpec,
    course: TumorCourse,
    endpoint_mm3: float,
    rng: np.random.Generator,
) -> FloatArray:
    """Caliper readouts and endpoints; returns each animal's last day of follow-up.

    An animal whose tumor reaches the humane endpoint volume leaves the study then (as mice
    are euthanized): its caliper and body-weight readouts stop, and its final volume and lung
    nodules are taken at that day.
    """
    total = course.total_mm3
    time, event = survival_endpoint(course.t_day, total, endpoint_mm3)
    until = np.where(event, time, course.t_day[-1])
    record_per_animal(outcome, group, "tumor_volume", course.t_day, total, "mm^3", spec, until)
    record_per_animal(
        outcome, group, "viable_volume", course.t_day, course.viable_mm3, "mm^3", spec, until
    )
    nodules = bio.lung_nodules(spec, course, rng, until) if spec.readouts.metastasis else None
    for i in range(total.shape[0]):
        final = float(np.interp(until[i], course.t_day, total[i]))
        outcome.endpoints.append(endpoint_row(group, i, "final_volume", final, "mm^3"))
        if spec.readouts.survival:
            outcome.endpoints.append(endpoint_row(group, i, "survival_time", time[i], "d"))
            outcome.endpoints.append(endpoint_row(group, i, "event", float(event[i]), "1"))
        if nodules is not None:
            outcome.endpoints.append(endpoint_row(group, i, "lung_nodules", nodules[i], "count"))
    return np.asarray(until, dtype=float)


def record_per_animal(
    outcome: GroupOutcome,
    group: str,
    readout: str,
    t_day: FloatArray,
    values: FloatArray,
    unit: str,
    spec: StudySpec,
    until_day: FloatArray,
) -> None:
    """One ``readout`` row per animal and caliper day up to that animal's ``until_day``.

    ``values`` (animals × ``t_day``, in ``unit``) are interpolated at every
    ``readouts.caliper_every`` (d; every output time if 0).
    """
    every = float(spec.readouts.caliper_every.to("d").magnitude)
    days = np.arange(0.0, t_day[-1] + 1e-9, every) if every > 0 else t_day
    for i in range(values.shape[0]):
        kept = days[days <= until_day[i] + 1e-9]
        sampled = np.interp(kept, t_day, values[i])
        site = "tumor" if "volume" in readout else "body"
        outcome.series.extend(
            series_row(group, i, readout, site, d, "d", v, unit)
            for d, v in zip(kept, sampled, strict=True)
        )


def record_treatments(
    outcome: GroupOutcome,
    group: str,
    treated: list[tuple[Event, TreatmentOutcome]],
    temperature: bool,
) -> None:
    """Each treatment's sources and assumptions (and temperature rows if ``temperature``), and
    per animal its peak tumor temperature, damaged fraction and skin burn over all treatments."""
    n_events = len(treated)
    for event, result in treated:
        if temperature:
            outcome.series.extend(result.temperature_rows(group, event.label))
        outcome.sources.update(result.sources)
        outcome.assumptions.extend(result.assumptions)
    if not n_events:
        return
    n = treated[0][1].surviving_fraction.size
    for i in range(n):
        peak = max(float(r.tumor_max_c[i]) for _, r in treated)
        killed = 1.0 - math.prod(float(r.surviving_fraction[i]) for _, r in treated)
        burn = any(bool(r.skin_burn[i]) for _, r in treated)
        outcome.endpoints.append(endpoint_row(group, i, "max_tumor_temperature", peak, "degC"))
        outcome.endpoints.append(endpoint_row(group, i, "tumor_damage_fraction", killed, "1"))
        outcome.endpoints.append(endpoint_row(group, i, "skin_burn", float(burn), "1"))


def endpoint_row(group: str, animal: int, name: str, value: float, unit: str) -> dict[str, Any]:
    """One endpoint row of the study's endpoint table."""
    return {"group": group, "animal": animal, "name": name, "value": float(value), "unit": unit}
