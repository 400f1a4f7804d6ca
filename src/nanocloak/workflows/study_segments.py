"""A group's tumor course integrated in segments between its treatment events.

The tumor's viable and dead volume (mm³, per animal) are integrated from one treatment event
to the next on the segment's time grid (:mod:`~nanocloak.workflows.study_time_grid`). At each
event the animal's current tumor volume and particle content set the treatment's kill
(:mod:`~nanocloak.workflows.study_treatment`: bioheat and damage for light and field, the
linear-quadratic model for x-rays), applied as a surviving fraction of viable volume; dead
volume then clears at the sourced rate, so caliper volume lags the kill as it does in mice.
Free drug and immune kills act continuously through ``kill_rate``.
"""

from __future__ import annotations

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import Radiation, StudySpec
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.tumor.simulate import TumorCourse, apply_kill, simulate_tumor
from nanocloak.workflows import study_biology as bio
from nanocloak.workflows.study_events import Event
from nanocloak.workflows.study_exposure import Exposure
from nanocloak.workflows.study_settings import StudySettings
from nanocloak.workflows.study_time_grid import segment_grid, snap
from nanocloak.workflows.study_treatment import (
    TreatmentOutcome,
    irradiate_animals,
    treat_animals,
)


def integrate_course(
    t_day: FloatArray,
    tumor: bio.TumorBiology,
    kill_rate: FloatArray,
    growth_multiplier: FloatArray,
    events: list[Event],
    exposure: Exposure,
    design: Design | None,
    spec: StudySpec,
    settings: StudySettings,
    perfusion_factor: FloatArray,
    reuse: list[tuple[Event, TreatmentOutcome]] | None = None,
) -> tuple[TumorCourse, list[tuple[Event, TreatmentOutcome]]]:
    """Tumor course on ``t_day`` with the treatments' kills applied at their times.

    ``reuse`` gives the outcomes of a previous pass: their kills are applied instead of
    solving the treatments again.
    """
    viable, dead = tumor.start_mm3.copy(), np.zeros_like(tumor.start_mm3)
    n = viable.size
    viable_out = np.empty((n, t_day.size))
    dead_out = np.empty((n, t_day.size))
    treated: list[tuple[Event, TreatmentOutcome]] = []
    start = 0.0
    cuts = [snap(e.t_h / 24.0, t_day) for e in events] + [float(t_day[-1])]
    for cut, event in zip(cuts, [*events, None], strict=True):
        inside = (t_day >= start) & (t_day <= cut)
        grid = segment_grid(start, cut, t_day[inside])
        if grid.size > 1:
            rate = np.stack([np.interp(grid, t_day, row) for row in kill_rate])
            slow = np.stack([np.interp(grid, t_day, row) for row in growth_multiplier])
            course = simulate_tumor(
                grid,
                viable,
                dead,
                tumor.growth,
                kill_rate_per_day=rate,
                growth_multiplier=slow,
                dead_clearance_per_day=tumor.clearance_per_day,
            )
            for out, values in ((viable_out, course.viable_mm3), (dead_out, course.dead_mm3)):
                out[:, inside] = np.stack([np.interp(t_day[inside], grid, v) for v in values])
            viable, dead = course.viable_mm3[:, -1], course.dead_mm3[:, -1]
        elif np.any(inside):
            viable_out[:, inside] = viable[:, None]
            dead_out[:, inside] = dead[:, None]
        if event is not None and reuse is not None:
            result = reuse[len(treated)][1]
            treated.append((event, result))
            viable, dead = apply_kill(viable, dead, result.surviving_fraction)
            after = t_day == cut
            viable_out[:, after] = viable[:, None]
            dead_out[:, after] = dead[:, None]
        elif event is not None and isinstance(event.treatment, Radiation):
            result = irradiate_animals(
                event.treatment, design, exposure.tumor_mg_per_ml_at(event.t_h)
            )
            treated.append((event, result))
            viable, dead = apply_kill(viable, dead, result.surviving_fraction)
            after = t_day == cut
            viable_out[:, after] = viable[:, None]
            dead_out[:, after] = dead[:, None]
        elif event is not None and design is not None:
            assert not isinstance(event.treatment, Radiation)  # handled above
            result = treat_animals(
                event.treatment,
                design,
                exposure.tumor_mg_per_ml_at(event.t_h),
                viable + dead,
                spec.tumor.depth.to("mm").magnitude,
                perfusion_factor=perfusion_factor,
                step_mm=settings.thermal_step_mm,
                dt_s=settings.thermal_dt_s,
            )
            treated.append((event, result))
            viable, dead = apply_kill(viable, dead, result.surviving_fraction)
            after = t_day == cut
            viable_out[:, after] = viable[:, None]
            dead_out[:, after] = dead[:, None]
        start = cut
    return TumorCourse(t_day, viable_out, dead_out), treated
