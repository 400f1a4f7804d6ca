"""Drug in the tumor of a study group: release from particles, free drug, treatment bursts.

* **Chemotherapy** — drug carried into the tumor by particles is released first order at
  the pH-7.4 rate (``study.yaml``) raised by the tumor's acidity (protonation gate,
  :func:`~nanocloak.kernels.release.triggers.ph_rate_multiplier`, ``tumor_response.yaml``);
  released drug exchanges with cells and washes out
  (:func:`~nanocloak.kernels.tumor.free_drug.tumor_drug_from_particles`); free drug given IV
  reaches the tumor from plasma (:func:`~nanocloak.kernels.tumor.free_drug.free_drug_tumor`).
  Released drug kills by an Emax law
  (:func:`~nanocloak.kernels.tumor.kill.chemo_kill_rate_per_day`).
* **Treatment-triggered release** — bursts during laser exposures (phase-change gate,
  ROS shell rupture), see :func:`release_bursts`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import FreeDrug, NoAgent, Particle, StudySpec
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.release.triggers import (
    ph_amplitude_for_fold,
    ph_rate_multiplier,
    phase_change_gate,
    ros_burst_fraction,
)
from nanocloak.kernels.tumor.free_drug import (
    FreeDrugPk,
    TumorDrugExchange,
    free_drug_tumor,
    tumor_drug_from_particles,
)
from nanocloak.kernels.tumor.kill import (
    chemo_kill_rate_per_day,
)
from nanocloak.knowledge import tumor as tumor_kb
from nanocloak.knowledge.study import cargo_release
from nanocloak.workflows.simulate_pk import DoseSchedule

if TYPE_CHECKING:
    from nanocloak.workflows.study_treatment import TreatmentOutcome

CHEMO_DRUGS = ("doxorubicin",)


@dataclass(frozen=True)
class DrugEffect:
    """Continuous chemotherapy kill rate on the tumor grid (1/day), shape (n, nt)."""

    kill_rate_per_day: FloatArray
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Burst:
    """Extra release during a treatment window: a fraction of the still-releasable drug.

    Attributes
    ----------
    t_h, duration_h
        Start (h after the first dose) and length (h) of the window.
    fraction
        Share of the releasable drug still in the particles that is freed, shape (n,).
    mechanism
        ``"phase-change gate"`` (heat) or ``"ROS shell rupture"`` (singlet oxygen).
    """

    t_h: float
    duration_h: float
    fraction: FloatArray
    mechanism: str


def _emax(drug: str) -> tuple[float, float, float, dict[str, str]]:
    chemo = tumor_kb.tumor_response().chemo[drug]
    sources = {f"chemo.{drug}.{k}": v.source for k, v in chemo.items()}
    return chemo["emax"].to("1/day"), chemo["ec50"].to("ug/g"), chemo["hill"].value, sources


def intratumoral_drug(
    spec: StudySpec,
    agent: NoAgent | FreeDrug | Particle,
    tumor_core_ug_per_g: FloatArray,
    pk_t_h: FloatArray,
    t_day: FloatArray,
    bursts: Sequence[Burst] = (),
) -> DrugEffect:
    """Chemotherapy kill rate on ``t_day`` for each animal (0 without a chemo drug).

    ``bursts`` add release during treatment windows: a fraction f of the drug still in the
    particles is freed over the window by a rate −ln(1 − f)/duration on top of the
    pH-driven rate.
    """
    n = tumor_core_ug_per_g.shape[0]
    zero = DrugEffect(np.zeros((n, t_day.size)))
    t_h = t_day * 24.0
    if isinstance(agent, FreeDrug):
        drug = agent.drug
        if drug not in CHEMO_DRUGS:
            return zero
        dose = float(agent.dose.to("mg/kg").magnitude)
        times = dose_times_h(agent)
        free, bound = free_drug_tumor(
            t_h, np.array(times), np.full(len(times), dose), free_dox_pk()
        )
        released = np.broadcast_to(free + bound, (n, t_h.size))
        emax, ec50, hill, sources = _emax(drug)
        kill = chemo_kill_rate_per_day(released, emax, ec50, hill)
        return DrugEffect(np.asarray(kill, dtype=float), sources)
    if not isinstance(agent, Particle) or not isinstance(agent.design, Design):
        return zero
    cargos = [c for c in agent.design.cargos if c.name in CHEMO_DRUGS]
    if not cargos:
        return zero
    cargo = cargos[0]
    release = cargo_release(cargo.name)
    if release is None:
        return zero
    triggers = tumor_kb.tumor_response().triggers
    ph = triggers["tumor_extracellular_ph"].value
    pka = triggers["msn_dox_pka"].value
    amplitude = ph_amplitude_for_fold(triggers["msn_dox_fold_ph5"].value, 5.0, pka)
    rate = release.rate_ph74.to("1/h") * float(ph_rate_multiplier(ph, pka, amplitude))
    # each window is flanked by points RAMP_H outside it, so the piecewise-linear rate ramps
    # over RAMP_H at either end; the boost spread over (duration + RAMP_H) integrates exactly
    edges = [
        x
        for b in bursts
        for x in (b.t_h - RAMP_H, b.t_h, b.t_h + b.duration_h, b.t_h + b.duration_h + RAMP_H)
    ]
    grid_h = _merged_grid(np.concatenate([t_h, pk_t_h, edges]), float(t_h[-1]))
    particles = np.stack([np.interp(grid_h, pk_t_h, row) for row in tumor_core_ug_per_g])
    rates = np.full((n, grid_h.size), rate)
    for burst in bursts:
        inside = (grid_h >= burst.t_h - 1e-9) & (grid_h <= burst.t_h + burst.duration_h + 1e-9)
        freed = -np.log1p(-np.clip(burst.fraction, 0.0, 1.0 - 1e-12))
        rates[:, inside] += (freed / (burst.duration_h + RAMP_H))[:, None]
    course = tumor_drug_from_particles(
        grid_h,
        particles,
        min(cargo.per_core_mass, 1.0),
        rates,
        free_dox_pk().exchange,
        releasable_fraction=release.releasable_fraction.value,
    )
    released = np.stack([np.interp(t_h, grid_h, row) for row in course.released_in_tumor_ug_per_g])
    emax, ec50, hill, sources = _emax(cargo.name)
    sources[f"release.{cargo.name}.rate_ph74"] = release.rate_ph74.source
    sources["triggers.tumor_extracellular_ph"] = triggers["tumor_extracellular_ph"].source
    kill = chemo_kill_rate_per_day(released, emax, ec50, hill)
    notes = [
        f"{cargo.name} released in the tumor at {rate:.3g} /h (pH {ph:g}; "
        f"{release.rate_ph74.to('1/h'):.3g} /h at pH 7.4)"
    ]
    notes += [
        f"{b.mechanism} at {b.t_h:g} h frees {np.mean(b.fraction):.0%} of the drug still held"
        for b in bursts
    ]
    return DrugEffect(np.asarray(kill, dtype=float), sources, notes)


RAMP_H = 0.01
"""Ramp (h) of a release burst's rate at each end of its window (also the grid's smallest gap)."""


def _merged_grid(points: FloatArray, end_h: float, min_gap_h: float = 0.5 * RAMP_H) -> FloatArray:
    """Sorted points within [0, end] with near-duplicates (closer than ``min_gap_h``) merged.

    The drug integrator steps no further than the grid's smallest gap, so two points 1e-9 h
    apart (e.g. 24 h from the PBPK grid and from a day grid) would stall it.
    """
    pts = np.unique(points[(points >= 0.0) & (points <= end_h)])
    keep = [pts[0]]
    for x in pts[1:]:
        if x - keep[-1] >= min_gap_h:
            keep.append(x)
    if keep[-1] != end_h:
        if end_h - keep[-1] < min_gap_h:
            keep[-1] = end_h
        else:
            keep.append(end_h)
    return np.asarray(keep, dtype=float)


def release_bursts(
    design: Design | None, treated: Sequence[tuple[float, float, TreatmentOutcome]]
) -> list[Burst]:
    """Treatment-triggered release of a group's particles.

    * **Phase-change gate** — cargo in the cavity of a hollow core (gold nanocages) is held
      by a phase-change material and freed when the tumor passes its melting point
      (:func:`~nanocloak.kernels.release.triggers.phase_change_gate` at the hottest
      volume-mean tumor temperature of the exposure).
    * **ROS shell rupture** — singlet oxygen from a loaded photosensitizer breaks the membrane
      shell (:func:`~nanocloak.kernels.release.triggers.ros_burst_fraction`).

    ``treated`` holds (start h, duration h, outcome) per treatment event.
    """
    if design is None or not any(c.name in CHEMO_DRUGS for c in design.cargos):
        return []
    triggers = tumor_kb.tumor_response().triggers
    hollow = design.core.geometry.kind in ("cage", "hollow")
    in_cavity = any(c.location == "cavity" for c in design.cargos if c.name in CHEMO_DRUGS)
    bursts: list[Burst] = []
    for start_h, duration_h, outcome in treated:
        if hollow and in_cavity and outcome.results:
            peak = np.array([float(np.max(r.tumor_mean_c)) for r in outcome.results])
            gate = phase_change_gate(
                peak,
                triggers["tetradecanol_melting_point"].to("degC"),
                triggers["pcm_width"].to("delta_degC"),
            )
            bursts.append(Burst(start_h, duration_h, gate, "phase-change gate"))
        if outcome.pdt_dose_mm is not None:
            broken = ros_burst_fraction(outcome.pdt_dose_mm, triggers["ros_dose50"].to("mM"))
            bursts.append(Burst(start_h, duration_h, broken, "ROS shell rupture"))
    return bursts


def dose_times_h(agent: FreeDrug | Particle) -> tuple[float, ...]:
    """Dose times (h) of an agent's schedule."""
    return DoseSchedule.parse(agent.schedule).times_h


def free_dox_pk() -> FreeDrugPk:
    """Mouse free-doxorubicin plasma and tumor-exchange constants (``tumor_response.yaml``)."""
    plasma = tumor_kb.free_dox_plasma()
    rates = tumor_kb.free_dox_tumor_rates()
    return FreeDrugPk(
        a_ug_per_ml_per_mg_per_kg=plasma["a"],
        alpha_per_h=math.log(2.0) / plasma["t_half_alpha_h"],
        b_ug_per_ml_per_mg_per_kg=plasma["b"],
        beta_per_h=math.log(2.0) / plasma["t_half_beta_h"],
        k_in_ml_per_g_per_h=rates["k_in"],
        exchange=TumorDrugExchange(rates["k_out"], rates["k_on"], rates["k_off"]),
    )
