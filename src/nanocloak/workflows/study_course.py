"""One group of a virtual study: exposure, treatments at their times, tumor course, readouts.

Study time t = 0 is the first dose. The tumor's viable and dead volume are integrated in
segments between treatment events; at each event the animal's current tumor radius and
particle content set the treatment's kill, applied as a surviving fraction of viable volume
(dead volume then clears at the sourced rate, so caliper volume lags the kill as it does in
mice). Free drug released in the tumor kills continuously (Emax).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import (
    FreeDrug,
    Group,
    Laser,
    Magnet,
    MagneticField,
    Particle,
    Radiation,
    StudySpec,
)
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.tumor.endpoints import survival_endpoint
from nanocloak.kernels.tumor.simulate import TumorCourse, apply_kill, simulate_tumor
from nanocloak.workflows import study_biology as bio
from nanocloak.workflows import study_drug, study_imaging, study_modulation
from nanocloak.workflows.study_exposure import (
    Exposure,
    chosen_doses,
    no_exposure,
    particle_exposure,
    pk_rows,
)
from nanocloak.workflows.study_treatment import (
    TreatmentOutcome,
    irradiate_animals,
    treat_animals,
)


@dataclass(frozen=True, slots=True)
class StudySettings:
    """Numerical settings of a study run.

    Attributes
    ----------
    step_day
        Tumor-course output step (day).
    n_particles
        Particles of the manufacture model that sets the coating sub-populations.
    thermal_step_mm, thermal_dt_s
        Grid spacing (mm) and time step (s) of the treatment's bioheat solver.
    """

    step_day: float = 1.0 / 12.0
    n_particles: int = 2000
    thermal_step_mm: float = 0.5
    thermal_dt_s: float = 10.0

    def describe(self) -> dict[str, Any]:
        """JSON-safe settings for the provenance."""
        return asdict(self)


@dataclass
class GroupOutcome:
    """What one group produced: readout rows, endpoint rows, sources and assumptions."""

    description: str
    treatments: list[str] = field(default_factory=list)
    series: list[dict[str, Any]] = field(default_factory=list)
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Event:
    """A treatment at a time (h after the first dose)."""

    t_h: float
    treatment: Laser | MagneticField | Radiation
    label: str

    @property
    def duration_h(self) -> float:
        """Exposure time (h); a radiation fraction is instantaneous."""
        if isinstance(self.treatment, Radiation):
            return 0.0
        return float(self.treatment.duration.to("h").magnitude)


def treatment_events(
    group: Group, dose_times_h: tuple[float, ...], end_h: float = math.inf
) -> list[Event]:
    """Every treatment × chosen dose before ``end_h``, in time order; agent-free groups time
    from day 0. Out-of-range dose indices are dropped and repeated ones counted once."""
    events = []
    for k, treatment in enumerate(group.treatments):
        if isinstance(treatment, Magnet):
            continue  # acts on the particles' distribution (a PBPK window), not on the tumor
        chosen = chosen_doses(treatment.doses, len(dose_times_h))
        after = float(treatment.after.to("h").magnitude)
        for d in chosen:
            name = {Laser: "laser", MagneticField: "field", Radiation: "x-ray"}[type(treatment)]
            label = f"{name} {k + 1} after dose {d + 1}"
            if dose_times_h[d] + after < end_h:
                events.append(Event(dose_times_h[d] + after, treatment, label))
    return sorted(events, key=lambda e: e.t_h)


SNAP_DAY = 1e-6
"""An event this close to a grid time (day) is taken to fall on it."""
MIN_GAP_DAY = 0.01
"""Grid times closer than this to a segment's ends are interpolated, not integrated to: the
tumor integrator steps no further than the grid's smallest gap."""


def day_grid(duration_day: float, step_day: float) -> FloatArray:
    """Output times 0…duration (day) at about ``step_day``, ending exactly at the duration."""
    count = max(1, round(duration_day / step_day))
    return np.linspace(0.0, duration_day, count + 1)


def snap(t_day: float, grid: FloatArray) -> float:
    """``t_day`` moved onto the nearest grid time when it lies within :data:`SNAP_DAY`."""
    nearest = float(grid[np.argmin(np.abs(grid - t_day))])
    return nearest if abs(nearest - t_day) < SNAP_DAY else t_day


def segment_grid(start: float, end: float, inside: FloatArray) -> FloatArray:
    """Integration times of one segment: its ends plus the grid times well inside it."""
    keep = inside[(inside > start + MIN_GAP_DAY) & (inside < end - MIN_GAP_DAY)]
    return np.unique(np.concatenate([[start], keep, [end]]))


def describe(group: Group) -> str:
    """One-line description of the group's agent."""
    agent = group.agent
    if isinstance(agent, Particle):
        design = agent.design
        name = design.name if isinstance(design, Design) else str(design)
        coat = "" if agent.coating == "membrane" else f" ({agent.coating} core)"
        return f"{name}{coat}, {agent.dose} {agent.schedule}"
    if isinstance(agent, FreeDrug):
        return f"free {agent.drug}, {agent.dose} {agent.schedule}"
    return agent.label


def particle_design(group: Group) -> Design | None:
    """The group's particle design, or None for agent-free and free-drug groups."""
    agent = group.agent
    if isinstance(agent, Particle) and isinstance(agent.design, Design):
        return agent.design
    return None


def simulate_group(
    spec: StudySpec,
    group: Group,
    factors: dict[str, FloatArray],
    rng: np.random.Generator,
    settings: StudySettings,
    tick: Callable[[str], None],
    reference_design: Design | None = None,
) -> GroupOutcome:
    """Simulate every animal of ``group``.

    ``reference_design`` sets the core optics when an agent-free group is irradiated (with
    particle content 0, so only the tissue heats).
    """
    n = group.animals
    until_h = spec.duration_day * 24.0
    agent = group.agent
    outcome = GroupOutcome(describe(group))
    if isinstance(agent, Particle):
        exposure = particle_exposure(
            spec, agent, factors, n, n_particles=settings.n_particles, treatments=group.treatments
        )
        outcome.assumptions.extend(exposure.notes)
        outcome.sources.update(exposure.sources)
    else:
        times = study_drug.dose_times_h(agent) if isinstance(agent, FreeDrug) else (0.0,)
        exposure = no_exposure(n, until_h, times)
    tick(f"{group.name}: biodistribution")
    if spec.readouts.blood or spec.readouts.biodistribution:
        hours = [float(t.to("h").magnitude) for t in spec.readouts.biodistribution]
        rows = pk_rows(group.name, exposure, hours)
        if not spec.readouts.blood:
            rows = [r for r in rows if r["readout"] != "blood"]
        outcome.series.extend(rows)

    t_day = day_grid(spec.duration_day, settings.step_day)
    tumor = bio.tumor_biology(spec, factors, n)
    outcome.sources.update(tumor.sources)
    outcome.assumptions.extend(tumor.assumptions)
    drug = study_drug.intratumoral_drug(
        spec, agent, exposure.tumor_core_ug_per_g, exposure.t_h, t_day
    )
    outcome.sources.update(drug.sources)
    outcome.assumptions.extend(drug.assumptions)
    modulation = study_modulation.growth_modulation(
        spec, agent, exposure.tumor_core_ug_per_g, exposure.t_h, t_day
    )
    outcome.sources.update(modulation.sources)
    outcome.assumptions.extend(modulation.assumptions)

    design = particle_design(group) or reference_design
    events = treatment_events(group, exposure.dose_times_h, until_h)
    if design is None and any(not isinstance(e.treatment, Radiation) for e in events):
        raise SpecificationError(
            f"groups.{group.name}.treatments",
            [e.label for e in events],
            "a particle in the study: an agent-free group under a laser or field is heated "
            "through the tissue alone, with the study's first particle setting the optics",
        )
    outcome.treatments = [e.label for e in events]
    # events a tissue-only run can compute: x-ray always, light and field need a design
    runnable = [e for e in events if design is not None or isinstance(e.treatment, Radiation)]

    def integrate(
        kill: FloatArray, reuse: list[tuple[Event, TreatmentOutcome]] | None = None
    ) -> tuple[TumorCourse, list[tuple[Event, TreatmentOutcome]]]:
        return _integrate(
            t_day,
            tumor,
            kill + modulation.immune_kill_per_day,
            modulation.growth_multiplier,
            runnable,
            exposure,
            design,
            spec,
            settings,
            factors["tumor.perfusion"],
            reuse=reuse,
        )

    course, treated = integrate(drug.kill_rate_per_day)
    bursts = study_drug.release_bursts(
        particle_design(group),
        [(e.t_h, e.duration_h, outcome) for e, outcome in treated],
    )
    if bursts:
        # second pass: the treatments' temperatures and singlet-oxygen doses free drug; the
        # kills of the first pass are reused (the tumor size at each treatment changes little)
        drug = study_drug.intratumoral_drug(
            spec, agent, exposure.tumor_core_ug_per_g, exposure.t_h, t_day, bursts
        )
        course, treated = integrate(drug.kill_rate_per_day, reuse=treated)
        outcome.assumptions.extend(drug.assumptions)
    for i in range(n):
        tick(f"{group.name}: animal {i + 1}")
    until = _record_course(outcome, group.name, spec, course, tumor.endpoint_mm3, rng)
    _record_treatments(outcome, group.name, treated, spec.readouts.temperature)
    weight = bio.body_weight_percent(agent, t_day, n)
    if spec.readouts.body_weight:
        _record_per_animal(outcome, group.name, "body_weight", t_day, weight, "%", spec, until)
        for i in range(n):
            alive = weight[i][t_day <= until[i] + 1e-9]
            outcome.endpoints.append(_endpoint(group.name, i, "min_body_weight", alive.min(), "%"))
    own = particle_design(group)
    if spec.readouts.imaging and exposure.pk is not None and own is not None:
        outcome.series.extend(study_imaging.imaging_rows(group.name, spec, exposure.pk, own))
    return outcome


def _integrate(
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


def _record_course(
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
    _record_per_animal(outcome, group, "tumor_volume", course.t_day, total, "mm^3", spec, until)
    _record_per_animal(
        outcome, group, "viable_volume", course.t_day, course.viable_mm3, "mm^3", spec, until
    )
    nodules = bio.lung_nodules(spec, course, rng, until) if spec.readouts.metastasis else None
    for i in range(total.shape[0]):
        final = float(np.interp(until[i], course.t_day, total[i]))
        outcome.endpoints.append(_endpoint(group, i, "final_volume", final, "mm^3"))
        if spec.readouts.survival:
            outcome.endpoints.append(_endpoint(group, i, "survival_time", time[i], "d"))
            outcome.endpoints.append(_endpoint(group, i, "event", float(event[i]), "1"))
        if nodules is not None:
            outcome.endpoints.append(_endpoint(group, i, "lung_nodules", nodules[i], "count"))
    return np.asarray(until, dtype=float)


def _record_per_animal(
    outcome: GroupOutcome,
    group: str,
    readout: str,
    t_day: FloatArray,
    values: FloatArray,
    unit: str,
    spec: StudySpec,
    until_day: FloatArray,
) -> None:
    every = float(spec.readouts.caliper_every.to("d").magnitude)
    days = np.arange(0.0, t_day[-1] + 1e-9, every) if every > 0 else t_day
    for i in range(values.shape[0]):
        kept = days[days <= until_day[i] + 1e-9]
        sampled = np.interp(kept, t_day, values[i])
        outcome.series.extend(
            {
                "group": group,
                "animal": i,
                "readout": readout,
                "site": "tumor" if "volume" in readout else "body",
                "time": float(d),
                "time_unit": "d",
                "value": float(v),
                "unit": unit,
            }
            for d, v in zip(kept, sampled, strict=True)
        )


def _record_treatments(
    outcome: GroupOutcome,
    group: str,
    treated: list[tuple[Event, TreatmentOutcome]],
    temperature: bool,
) -> None:
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
        outcome.endpoints.append(_endpoint(group, i, "max_tumor_temperature", peak, "degC"))
        outcome.endpoints.append(_endpoint(group, i, "tumor_damage_fraction", killed, "1"))
        outcome.endpoints.append(_endpoint(group, i, "skin_burn", float(burn), "1"))


def _endpoint(group: str, animal: int, name: str, value: float, unit: str) -> dict[str, Any]:
    return {"group": group, "animal": animal, "name": name, "value": float(value), "unit": unit}
