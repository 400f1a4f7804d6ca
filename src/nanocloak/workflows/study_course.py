"""One group of a virtual study: exposure, treatments at their times, tumor course, readouts.

Study time t = 0 is the first dose. :func:`simulate_group` runs the group's animals through
the chain, each step in its own module: particle exposure (PBPK) or none
(:mod:`~nanocloak.workflows.study_exposure`), tumor biology, intratumoral drug and growth
modulation, the treatment events (:mod:`~nanocloak.workflows.study_events`), the tumor course
integrated in segments between them with each treatment's kill applied at its time
(:mod:`~nanocloak.workflows.study_segments`, on the grids of
:mod:`~nanocloak.workflows.study_time_grid`), a second pass when the treatments release drug,
and the readouts and endpoints with the humane endpoint
(:mod:`~nanocloak.workflows.study_readouts`). Free drug released in the tumor kills
continuously (Emax).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import FreeDrug, Group, Particle, Radiation, StudySpec
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.tumor.simulate import TumorCourse
from nanocloak.workflows import study_biology as bio
from nanocloak.workflows import study_drug, study_imaging, study_modulation
from nanocloak.workflows.study_events import Event, treatment_events
from nanocloak.workflows.study_exposure import no_exposure, particle_exposure, pk_rows
from nanocloak.workflows.study_readouts import (
    GroupOutcome,
    endpoint_row,
    record_course,
    record_per_animal,
    record_treatments,
)
from nanocloak.workflows.study_segments import integrate_course
from nanocloak.workflows.study_settings import StudySettings
from nanocloak.workflows.study_time_grid import day_grid
from nanocloak.workflows.study_treatment import TreatmentOutcome


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
        return integrate_course(
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
    until = record_course(outcome, group.name, spec, course, tumor.endpoint_mm3, rng)
    record_treatments(outcome, group.name, treated, spec.readouts.temperature)
    weight = bio.body_weight_percent(agent, t_day, n)
    if spec.readouts.body_weight:
        record_per_animal(outcome, group.name, "body_weight", t_day, weight, "%", spec, until)
        for i in range(n):
            alive = weight[i][t_day <= until[i] + 1e-9]
            outcome.endpoints.append(
                endpoint_row(group.name, i, "min_body_weight", alive.min(), "%")
            )
    own = particle_design(group)
    if spec.readouts.imaging and exposure.pk is not None and own is not None:
        outcome.series.extend(study_imaging.imaging_rows(group.name, spec, exposure.pk, own))
    return outcome
