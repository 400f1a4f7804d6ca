"""Growth modulation of a study group by its particle's cargo and membrane: siRNA knockdown,
glucose-oxidase starvation and membrane vaccination (see :func:`growth_modulation`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import FreeDrug, NoAgent, Particle, StudySpec
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.photochem.gox import gox_rate_um_per_s
from nanocloak.kernels.tumor.kill import (
    knockdown_growth_multiplier,
    sirna_knockdown,
    starvation_growth_multiplier,
    vaccine_kill_rate_per_day,
)
from nanocloak.knowledge import loader, pbpk
from nanocloak.knowledge import photochem as photochem_kb
from nanocloak.knowledge import tumor as tumor_kb
from nanocloak.knowledge.study import study_constants
from nanocloak.workflows.study_biology import model_key
from nanocloak.workflows.study_drug import dose_times_h

ADJUVANTS = ("cpg",)


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
    """Gene silencing, starvation and vaccination by a particle group's cargo and membrane.

    * **siRNA knockdown** — each dose knocks the target down with onset and recovery
      (:func:`~nanocloak.kernels.tumor.kill.sirna_knockdown`); its depth is the sourced
      maximum × D/(D + D50), D the siRNA in the tumor 24 h after the first dose (µg/g, PBPK
      core content × loading), so better tumor delivery silences more; knockdown slows growth
      (:func:`~nanocloak.kernels.tumor.kill.knockdown_growth_multiplier`).
    * **Starvation** — glucose oxidase carried into the tumor lowers interstitial glucose
      (quasi-steady state against perfusion resupply) and glucose deprivation slows growth
      (:func:`~nanocloak.kernels.tumor.kill.starvation_growth_multiplier`).
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
    gox = [c for c in design.cargos if c.name == "glucose_oxidase"]
    if gox:
        glucose = _starved_glucose_fraction(
            tumor_core_ug_per_g, pk_t_h, t_day, gox[0].per_core_mass
        )
        half = response.starvation["half_saturation"]
        out = GrowthModulation(
            out.growth_multiplier * starvation_growth_multiplier(glucose, half.value),
            out.immune_kill_per_day,
            out.sources,
            out.assumptions,
        )
        out.sources["starvation.half_saturation"] = half.source
        out.assumptions.append(
            "glucose oxidase in the tumor lowers interstitial glucose to "
            f"{float(np.min(glucose)):.0%} of baseline at most (quasi-steady state, O2 held at "
            "its tissue level)"
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


def _starved_glucose_fraction(
    tumor_core_ug_per_g: FloatArray, pk_t_h: FloatArray, t_day: FloatArray, per_core: float
) -> FloatArray:
    """Tumor glucose relative to baseline under glucose oxidase, shape (n, nt).

    Quasi-steady state of :math:`k_r (G_0 - G) = v(E, G, O_2)`: resupply by perfusion against
    ping-pong Michaelis–Menten consumption
    (:func:`~nanocloak.kernels.photochem.gox.gox_rate_um_per_s`), solved by bisection. E is the
    enzyme carried into the tumor (core µg/g × loading ÷ molar mass), all of it taken as
    active; O₂ is held at its tissue level (the enzyme's own O₂
    use is not fed back).
    """
    consts = photochem_kb.photochem_constants()
    chem, enzyme_kb = consts.tumor_chemistry, consts.glucose_oxidase
    g0 = chem.glucose.to("uM")
    k_r = chem.glucose_resupply_rate.to("1/s")
    molar = loader.cargos()["glucose_oxidase"].molar_mass.to("g/mol")
    core = np.stack([np.interp(t_day * 24.0, pk_t_h, row) for row in tumor_core_ug_per_g])
    enzyme_um = core * per_core / 1000.0 / molar * 1e6  # µg/g = mg/L → mol/L → µM
    oxygen = consts.oxygen.tissue_initial.to("uM")
    low, high = np.zeros_like(enzyme_um), np.full_like(enzyme_um, g0)
    for _ in range(60):  # consumption rises and resupply falls with G: one root in [0, G0]
        mid = 0.5 * (low + high)
        use = gox_rate_um_per_s(
            enzyme_um,
            mid,
            oxygen,
            enzyme_kb.kcat.to("1/s"),
            enzyme_kb.km_glucose.to("uM"),
            enzyme_kb.km_oxygen.to("uM"),
        )
        above = k_r * (g0 - mid) < use
        high = np.where(above, mid, high)
        low = np.where(above, low, mid)
    return np.asarray(0.5 * (low + high) / g0, dtype=float)


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
