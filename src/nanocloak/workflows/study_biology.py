"""The biology of a study group: tumor growth, intratumoral drug, body weight, metastasis, imaging.

Named mechanisms and where their constants live:

* **Growth** — the tumor model's law (``tumor_models.yaml``), rate × the animal's
  ``tumor.growth_rate`` factor, capacity × ``tumor.capacity``; start volume from the study
  (or grown from the inoculum) × ``tumor.start_volume``.
* **Chemotherapy** — drug carried into the tumor by particles is released first order at
  the pH-7.4 rate (``study.yaml``) raised by the tumor's acidity (protonation gate,
  :func:`~nanocloak.kernels.release.triggers.ph_rate_multiplier`, ``tumor_response.yaml``);
  released drug exchanges with cells and washes out
  (:func:`~nanocloak.kernels.tumor.free_drug.tumor_drug_from_particles`); free drug given IV
  reaches the tumor from plasma (:func:`~nanocloak.kernels.tumor.free_drug.free_drug_tumor`).
  Released drug kills by an Emax law
  (:func:`~nanocloak.kernels.tumor.kill.chemo_kill_rate_per_day`).
* **Body weight** — loss driven by free-drug plasma exposure, recovery, normal gain
  (:func:`~nanocloak.kernels.tumor.toxicity.body_weight_pct`); drug inside particles is not
  counted as systemic free drug (a stated simplification).
* **Metastasis** — lung nodules seeded at a rate ∝ V^α of the viable primary (Iwata).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import FreeDrug, NoAgent, Particle, StudySpec
from nanocloak.errors import SpecificationError
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
    plasma_free_drug_ug_per_ml,
    tumor_drug_from_particles,
)
from nanocloak.kernels.tumor.growth import GrowthParams
from nanocloak.kernels.tumor.kill import (
    chemo_kill_rate_per_day,
    knockdown_growth_multiplier,
    sirna_knockdown,
    vaccine_kill_rate_per_day,
)
from nanocloak.kernels.tumor.metastasis import expected_lung_nodules, poisson_nodule_count
from nanocloak.kernels.tumor.simulate import TumorCourse, simulate_tumor
from nanocloak.kernels.tumor.toxicity import body_weight_pct, sensitivity_from_reference
from nanocloak.knowledge import imaging as imaging_kb
from nanocloak.knowledge import loader, pbpk
from nanocloak.knowledge import tumor as tumor_kb
from nanocloak.knowledge.study import cargo_release, study_constants
from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_pk import DoseSchedule

if TYPE_CHECKING:
    from nanocloak.workflows.study_treatment import TreatmentOutcome

CHEMO_DRUGS = ("doxorubicin",)
ADJUVANTS = ("cpg",)


@dataclass(frozen=True)
class TumorBiology:
    """Growth of a group's tumors: law, per-animal parameters, start, clearance, endpoint."""

    growth: GrowthParams
    start_mm3: FloatArray
    clearance_per_day: float
    endpoint_mm3: float
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)


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


def model_key(name: str) -> str:
    """Knowledge-base key of a tumor model name (``"MCF-7"`` → ``"mcf_7"``)."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    models = tumor_kb.tumor_models().models
    if key not in models:
        raise SpecificationError(
            "tumor.model", name, f"a tumor model of the knowledge base: {', '.join(sorted(models))}"
        )
    return key


def dose_times_h(agent: FreeDrug | Particle) -> tuple[float, ...]:
    """Dose times (h) of an agent's schedule."""
    return DoseSchedule.parse(agent.schedule).times_h


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


@dataclass(frozen=True)
class GrowthModulation:
    """Growth multiplier and immune kill rate on the tumor grid, shape (n, nt) each."""

    growth_multiplier: FloatArray
    immune_kill_per_day: FloatArray
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)


def growth_modulation(
    spec: StudySpec,
    agent: NoAgent | FreeDrug | Particle,
    tumor_core_ug_per_g: FloatArray,
    pk_t_h: FloatArray,
    t_day: FloatArray,
) -> GrowthModulation:
    """Gene silencing and vaccination by a particle group's cargo and membrane.

    * **siRNA knockdown** — each dose knocks the target down with onset and recovery
      (:func:`~nanocloak.kernels.tumor.kill.sirna_knockdown`); its depth is the sourced
      maximum × D/(D + D50), D the siRNA in the tumor 24 h after the first dose (µg/g, PBPK
      core content × loading), so better tumor delivery silences more; knockdown slows growth
      (:func:`~nanocloak.kernels.tumor.kill.knockdown_growth_multiplier`).
    * **Vaccination** — a cancer-cell membrane of the tumor's own line, given with an adjuvant
      cargo (CpG), primes an effector response at each dose (antigen = membrane protein dosed,
      µg; :func:`~nanocloak.kernels.tumor.kill.vaccine_kill_rate_per_day`). Only in hosts with
      T cells (syngeneic models; not nude-mouse xenografts), and only with an adjuvant: the
      review's membrane vaccines all add one, and membrane antigens of a therapeutic particle
      alone are not taken to prime a therapeutic response.
    """
    n = tumor_core_ug_per_g.shape[0]
    out = GrowthModulation(np.ones((n, t_day.size)), np.zeros((n, t_day.size)))
    if not isinstance(agent, Particle) or not isinstance(agent.design, Design):
        return out
    design = agent.design
    doses_day = np.array(dose_times_h(agent)) / 24.0
    response = tumor_kb.tumor_response()
    sirna = [c for c in design.cargos if c.name == "sirna"]
    if sirna:
        consts = response.sirna
        d50 = study_constants().sirna.half_effect_tumor
        at_24h = np.array([np.interp(24.0, pk_t_h, row) for row in tumor_core_ug_per_g])
        delivered = at_24h * sirna[0].per_core_mass
        depth = consts["knockdown_max"].value * delivered / (delivered + d50.to("ug/g"))
        multiplier = np.stack(
            [
                knockdown_growth_multiplier(
                    sirna_knockdown(
                        t_day,
                        doses_day,
                        float(depth[i]),
                        consts["onset_rate"].to("1/day"),
                        consts["recovery_rate"].to("1/day"),
                    ),
                    consts["growth_dependence"].value,
                )
                for i in range(n)
            ]
        )
        out = GrowthModulation(multiplier, out.immune_kill_per_day)
        out.sources.update({f"sirna.{k}": v.source for k, v in consts.items()})
        out.sources["sirna.half_effect_tumor"] = d50.source
        out.assumptions.append(
            f"siRNA in the tumor at 24 h {np.mean(delivered):.3g} ug/g gives "
            f"{np.mean(depth):.0%} knockdown at most"
        )
    antigen_ug = _matching_antigen_ug(spec, agent, design)
    host = tumor_kb.tumor_model(model_key(spec.tumor.model)).immunocompetent_host
    adjuvant = 1.0 if any(c.name in ADJUVANTS for c in design.cargos) else 0.0
    if antigen_ug > 0.0 and host and adjuvant > 0.0:
        vac = response.vaccine
        rate = vaccine_kill_rate_per_day(
            t_day,
            doses_day,
            antigen_ug,
            adjuvant,
            max_kill_per_day=vac["max_kill"].to("1/day"),
            antigen_half_saturation=vac["antigen_half_saturation"].to("ug"),
            adjuvant_fold=vac["adjuvant_fold"].value,
            expansion_per_day=vac["expansion_rate"].to("1/day"),
            contraction_per_day=vac["contraction_rate"].to("1/day"),
            delay_day=vac["delay"].to("day"),
            memory_boost=vac["memory_boost"].value,
        )
        out = GrowthModulation(
            out.growth_multiplier,
            np.broadcast_to(rate, (n, t_day.size)).copy(),
            out.sources,
            out.assumptions,
        )
        out.sources.update({f"vaccine.{k}": v.source for k, v in vac.items()})
        out.assumptions.append(
            f"membrane vaccine: {antigen_ug:.3g} ug tumor-line membrane protein per dose"
            + (" with CpG" if adjuvant else "")
        )
    return out


def _matching_antigen_ug(spec: StudySpec, agent: Particle, design: Design) -> float:
    """Membrane protein (µg) per dose from cancer-cell parents of the tumor's own line."""
    table = loader.membrane_sources()
    line = spec.tumor.line or spec.tumor.model
    tumor = loader.resolve(table, line)
    share = sum(
        s.fraction
        for s in design.membrane.sources
        if table[s.cell].family in ("cancer", "cancer_stem_cell") and s.cell == tumor
    )
    if share <= 0.0:
        return 0.0
    body_kg = pbpk.physiology()[spec.species].body_weight.to("kg")
    ratio = float(design.preparation.membrane_to_core_ratio.to("mg/mg").magnitude)
    core_mg = float(agent.dose.to("mg/kg").magnitude) * body_kg
    return core_mg * ratio * share * 1000.0


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


def lung_nodules(spec: StudySpec, course: TumorCourse, rng: np.random.Generator) -> FloatArray:
    """Visible lung nodules at the end of the study per animal (seeded Poisson counts)."""
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
    return poisson_nodule_count(expected[:, -1], rng)


def imaging_rows(group: str, spec: StudySpec, pk: PkResult, design: Design) -> list[dict[str, Any]]:
    """MRI tumor darkening and fluorescence (signal-to-background) at the imaging times, for
    the group's first animal (its PBPK subject 0)."""
    from nanocloak.workflows.imaging import fluorescence_time_course, mri_darkening

    rows: list[dict[str, Any]] = []
    times = [float(t.to("h").magnitude) for t in spec.readouts.imaging]
    iron = loader.core_materials()[design.core.material].family == "iron_oxide"
    if "mri" in spec.readouts.imaging_modalities and iron:
        # the PBPK result's first subject: mri_darkening images one animal
        result = mri_darkening(pk, design, times_h=times)
        for site, values in result.percent_drop.items():
            rows.extend(
                {
                    "group": group,
                    "animal": 0,
                    "readout": "mri_signal_drop",
                    "site": site,
                    "time": t,
                    "time_unit": "h",
                    "value": float(v),
                    "unit": "%",
                }
                for t, v in zip(result.t_h, values, strict=True)
            )
    label, loading = _fluorescent_label(design)
    if "fluorescence" in spec.readouts.imaging_modalities and label is not None:
        fluo = fluorescence_time_course(
            pk, label, times_h=times, loading_ug_per_mg=loading, formulation=design.name
        )
        for site, values in fluo.sbr.items():
            rows.extend(
                {
                    "group": group,
                    "animal": 0,
                    "readout": "fluorescence",
                    "site": site,
                    "time": float(t),
                    "time_unit": "h",
                    "value": float(v),
                    "unit": "1",
                }
                for t, v in zip(fluo.t_h, values, strict=True)
            )
    return rows


def _fluorescent_label(design: Design) -> tuple[str | None, float]:
    """The fluorophore a design carries (a dye cargo or an upconverting core) and its loading
    (µg per mg core; unused for an upconverting core)."""
    known = set(imaging_kb.imaging_constants().fluorophores)
    for cargo in design.cargos:
        if cargo.name in known:
            return cargo.name, cargo.per_core_mass * 1000.0
    if loader.core_materials()[design.core.material].family == "upconversion":
        return "ucnp_er", 0.0
    return None, 0.0
