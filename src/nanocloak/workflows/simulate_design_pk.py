"""``simulate_design_pk``: biodistribution of a designed membrane-coated particle.

Runs the manufacture model (:func:`~nanocloak.workflows.design.design`) for the particles'
coating-degree distribution, splits the particles into coating sub-populations (equal-count
quantile bins of the per-particle coverage), turns each sub-population's coverage, size and the
membrane's parents into multipliers on the base-model parameters
(:mod:`nanocloak.kernels.pk.membrane`, :mod:`~nanocloak.kernels.pk.targeting`,
:mod:`~nanocloak.kernels.pk.shedding`, :mod:`~nanocloak.kernels.pk.immune`; constants from
``pbpk_membrane.yaml``), solves all sub-populations at once as one batch of
:func:`~nanocloak.workflows.simulate_pk.simulate_pk` and returns their dose-weighted sum.

Weighting: sub-population *k* holds the share :math:`w_k` of the particles (and of the dose),
so :math:`A(t) = \\sum_k w_k A_k(t)`. Each sub-population is solved at the full dose; for the
Hill-in-time and constant uptake laws (linear in the amount) this is exact, for the
capacity-limited law it lets every sub-population see the saturation the whole dose causes.

Repeat dosing (any mechanism on): each dose *d* is simulated as its own cohort, a single dose
at time 0 with its own multipliers (accelerated blood clearance, mechanism ``abc``, changes
them when an earlier dose has raised antibodies), and shifted to its dose time:
:math:`A(t) = \\sum_d \\sum_k w_k A_{dk}(t - t_d)`. The Hill-in-time lag is then each cohort's
own (time since *its* dose), unlike ``simulate_pk``'s per-dose clock, which restarts the lag of
every particle already in the body at each dose. The superposition is exact for a model linear
in the amount (Hill-in-time and constant uptake laws); the capacity-limited law breaks it
(:func:`simulate_design_pk` refuses that combination). With no mechanism on, the schedule is
solved by ``simulate_pk`` as is (exactly the base model).

The pieces live in their own modules and are re-exported here: the layer's inputs
(:mod:`~nanocloak.workflows.membrane_layer_inputs`), multipliers to ``simulate_pk`` overrides
with shedding and ABC (:mod:`~nanocloak.workflows.membrane_pk_overrides`) and the weighted,
time-shifted sum of subjects (:mod:`~nanocloak.workflows.pk_superposition`).

Between-animal EPR heterogeneity (mechanism ``epr_heterogeneity``, ``animals > 1``): animal
*i* has the tumour permeability multiplied by a stratified log-normal draw; the result then has
one subject per animal. A second, small tumour (a two-tumour mouse) does not change systemic PK
in this model (its mass and flow are a few per cent), so each tumour line can be simulated
separately.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict
from typing import Literal

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.errors import SpecificationError
from nanocloak.kernels.pk.immune import abc_multipliers
from nanocloak.kernels.pk.membrane import multipliers
from nanocloak.kernels.pk.targeting import epr_permeability_multipliers
from nanocloak.knowledge.pbpk_membrane import MECHANISMS, membrane_layer
from nanocloak.results.pk import PkResult
from nanocloak.workflows.design import design as run_design
from nanocloak.workflows.membrane_layer_inputs import (
    ADHESION_FAMILIES,
    HOMOTYPIC_FAMILIES,
    LIGAND_CONSTANTS,
    RBC_CD47_PER_UM2,
    Injury,
    enabled_mechanisms,
    layer_constants,
    layer_values,
    ligand_enhancements,
    source_immunogenicity,
    source_inputs,
    vessel_injury_mean,
)
from nanocloak.workflows.membrane_pk_overrides import (
    RES_ORGANS,
    SHEDDING_WINDOW_H,
    any_capacity_law,
    dose_recognition,
    parameter_overrides,
    shedding_overrides,
)
from nanocloak.workflows.pk_superposition import combine_subjects, superpose_subjects
from nanocloak.workflows.simulate_pk import DoseSchedule, simulate_pk

__all__ = [
    "ADHESION_FAMILIES",
    "HOMOTYPIC_FAMILIES",
    "LIGAND_CONSTANTS",
    "RBC_CD47_PER_UM2",
    "RES_ORGANS",
    "SHEDDING_WINDOW_H",
    "Coating",
    "Injury",
    "combine_subjects",
    "layer_constants",
    "layer_values",
    "ligand_enhancements",
    "parameter_overrides",
    "simulate_design_pk",
    "source_immunogenicity",
    "source_inputs",
    "superpose_subjects",
]

Coating = Literal["membrane", "bare", "peg"]


def simulate_design_pk(
    design: Design,
    dose_mg_per_kg: float,
    species: str = "mouse",
    until_h: float = 168.0,
    tumor_line: str | None = None,
    *,
    schedule: DoseSchedule | str | None = None,
    mechanisms: Collection[str] | None = None,
    n_bins: int = 5,
    n_particles: int = 4000,
    seed: int = 20221,
    rtol: float = 1e-7,
    vessel_injury: Injury = 0.0,
    animals: int = 1,
    tumor_targets: Collection[str] | None = None,
    constants: Mapping[str, float] | None = None,
    subject_scales: Sequence[Mapping[str, float]] | None = None,
    coating: Coating = "membrane",
    windows: Sequence[tuple[float, float, Mapping[str, float]]] = (),
) -> PkResult:
    """Simulate the biodistribution of a designed particle, membrane mechanisms included.

    Parameters
    ----------
    design
        The design (formulation + batch) whose manufacture gives the coating distribution.
    dose_mg_per_kg
        Each dose, mg (core mass) per kg body weight.
    species
        ``"mouse"`` or ``"rat"``.
    until_h
        End of the simulation, h.
    tumor_line
        The tumor's cell line (a ``membrane_sources.yaml`` id or alias, e.g. ``"4T1"``), for
        homotypic adhesion of cancer-cell membranes; None = unknown (no homotypic effect).
    schedule
        Dosing schedule (see :class:`~nanocloak.workflows.simulate_pk.DoseSchedule`).
    mechanisms
        Mechanisms switched on (a subset of :data:`~nanocloak.knowledge.pbpk_membrane.MECHANISMS`);
        default all. An empty collection gives exactly the base model.
    n_bins
        Number of coating sub-populations (equal-count quantile bins of the coverage).
    n_particles
        Particles simulated by the manufacture model.
    seed
        Seed of the manufacture model.
    rtol
        Relative tolerance of the PBPK solver.
    vessel_injury
        Tumour vessel injury J in [0, 1] (0 = intact), or a series ``(t_h, J)`` averaged over
        the window; the hook through which photothermal damage drives platelet and leukocyte
        adhesion.
    animals
        Number of animals; above 1 with ``epr_heterogeneity`` on, each animal draws its own
        tumour permeability and the result has one subject per animal.
    tumor_targets
        Targets the tumour expresses (e.g. ``{"folate receptor"}``) for the design's ligands;
        None = every ligand's target is assumed expressed.
    constants
        Overrides of layer constants, ``{"cd47.min_factor": 0.2}`` (used by calibration).
    subject_scales
        One mapping per animal of multiplicative factors on PBPK parameters
        (``{"tumor.permeability": 1.4, "liver.k_max": 0.9}``), applied on top of the membrane
        layer; the caller then owns between-animal variability, so the layer's own
        ``epr_heterogeneity`` draw is not used and ``animals`` is ``len(subject_scales)``.
    windows
        ``(t_on_h, t_off_h, factors)``: parameter factors that hold in a time window (e.g. a
        magnet over the tumor raising tumor permeability), see
        :func:`~nanocloak.workflows.simulate_pk.simulate_pk`; not with repeat dosing when
        doses are superposed (each dose's cohort runs on its own clock).
    coating
        ``"membrane"`` (the design as made), ``"bare"`` (the same core without its membrane:
        coverage 0, every membrane-dependent factor at its bare value) or ``"peg"`` (the base
        model, whose nanoparticle parameters are those of PEG-coated particles).
    """
    if coating not in ("membrane", "bare", "peg"):
        raise SpecificationError("coating", coating, "'membrane', 'bare' or 'peg'")
    if coating == "peg":
        mechanisms = ()
    if subject_scales is not None:
        animals = len(subject_scales)
    enabled = enabled_mechanisms(mechanisms)
    if n_bins < 1:
        raise SpecificationError("n_bins", n_bins, "at least one coating sub-population")
    if animals < 1:
        raise SpecificationError("animals", animals, "at least one animal")
    if isinstance(schedule, str):
        schedule = DoseSchedule.parse(schedule)
    schedule = schedule or DoseSchedule()
    values = layer_values(enabled, constants)
    k = layer_constants(enabled, constants)
    injury = vessel_injury_mean(vessel_injury, until_h)

    made = run_design(design, n_particles=n_particles, n_samples=0, seed=seed)
    coverage = np.clip(np.asarray(made.nominal.coverage, dtype=float), 0.0, 1.0)
    if coating == "bare":
        coverage = np.zeros(1)
    bins = [b for b in np.array_split(np.sort(coverage), n_bins) if b.size]
    shares = np.array([b.size for b in bins], dtype=float) / coverage.size
    bin_coverage = [float(b.mean()) for b in bins]
    metrics = made.nominal.metrics
    shell_nm = metrics["shell_thickness_nm"]
    core_nm = metrics["number_mean_diameter_nm"] - 2.0 * shell_nm * metrics["mean_coating_degree"]
    sources = source_inputs(design, tumor_line, seed)
    ligands = ligand_enhancements(design, values, tumor_targets)
    subpops = [
        (
            c,
            core_nm + 2.0 * shell_nm * c,
            multipliers(
                sources,
                c,
                core_nm + 2.0 * shell_nm * c,
                k,
                vessel_injury=injury,
                ligand_enhancements=ligands,
            ),
        )
        for c in bin_coverage
    ]

    # repeat dosing: antibody titres at each dose, recognised share per dose and sub-population
    gammas = source_immunogenicity(design, values)
    titres, recognised = dose_recognition(
        gammas, sources, bin_coverage, shares, schedule.times_h, values, "abc" in enabled
    )
    # the Hill lag belongs to the particles (time since their own dose): every dose is a cohort
    superpose = len(schedule.times_h) > 1 and bool(enabled)
    if superpose and any_capacity_law():
        raise SpecificationError(
            "mechanisms", "abc", "Hill or constant uptake laws (superposition of doses)"
        )
    if superpose and windows:
        raise SpecificationError(
            "windows", list(windows), "a single dose (or no membrane mechanisms) with windows"
        )
    cohorts = list(range(len(schedule.times_h))) if superpose else [0]
    epr = (
        epr_permeability_multipliers(animals, values["epr_heterogeneity.sigma_ln"])
        if "epr_heterogeneity" in enabled and subject_scales is None
        else np.ones(animals)
    )
    animal_scales = [dict(s) for s in subject_scales] if subject_scales else [{}] * animals

    unique: dict[tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]], int] = {}
    index: dict[tuple[int, int, int], int] = {}
    for i, m_epr in enumerate(epr):
        for d in cohorts:
            for b, (c, _, mult) in enumerate(subpops):
                abc = abc_multipliers(
                    recognised[d][b] if superpose else 0.0,
                    values.get("abc.k_max_fold", 1.0),
                    values.get("abc.lag_floor", 1.0),
                )
                over = parameter_overrides(
                    mult,
                    species,
                    shedding=shedding_overrides(enabled, values, sources, k, c, species),
                    abc=abc,
                    epr=float(m_epr),
                )
                key = (tuple(sorted(over.items())), tuple(sorted(animal_scales[i].items())))
                index[(i, d, b)] = unique.setdefault(key, len(unique))
    pk = simulate_pk(
        species,
        dose_mg_per_kg,
        DoseSchedule((0.0,), schedule.infusion_h) if superpose else schedule,
        until_h,
        [dict(over) for over, _ in unique],
        rtol=rtol,
        scales=[dict(scale) for _, scale in unique],
        windows=windows,
    )
    shifts = [schedule.times_h[d] if superpose else 0.0 for d in cohorts]
    weights = np.zeros((animals, len(cohorts), len(unique)))
    for (i, d, b), j in index.items():
        weights[i, cohorts.index(d), j] += shares[b]
    info = {
        "coating": coating,
        "subject_scales": animal_scales if subject_scales else None,
        "mechanisms": sorted(enabled),
        "tumor_line": tumor_line,
        "vessel_injury": injury,
        "constants": {key: (v if math.isfinite(v) else None) for key, v in values.items()},
        "sources": [asdict(s) for s in sources],
        "ligand_enhancements": list(ligands),
        "immunogenicity": gammas,
        "dose_times_h": list(schedule.times_h),
        "igm_titres": titres,
        "recognised": recognised,
        "superposed_doses": superpose,
        "epr_multipliers": [float(x) for x in epr],
        "subpopulations": [
            {
                "coverage": c,
                "diameter_nm": d,
                "share": float(w),
                "factors": dict(m.factors),
                "overrides": parameter_overrides(
                    m, species, shedding=shedding_overrides(enabled, values, sources, k, c, species)
                ),
            }
            for (c, d, m), w in zip(subpops, shares, strict=True)
        ],
        "evidence": {name: list(membrane_layer()[name].evidence) for name in MECHANISMS},
    }
    return superpose_subjects(pk, weights, shifts, schedule, info)
