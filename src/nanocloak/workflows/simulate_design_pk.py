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
from typing import Any, Literal

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.membrane import MembraneSource
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk.immune import (
    abc_multipliers,
    epitope_engagement,
    recognition,
    titres_at_doses,
)
from nanocloak.kernels.pk.membrane import (
    MembraneConstants,
    Multipliers,
    SourceInput,
    multipliers,
    res_factors,
)
from nanocloak.kernels.pk.shedding import effective_hill
from nanocloak.kernels.pk.targeting import epr_permeability_multipliers, mean_injury
from nanocloak.knowledge import loader, pbpk
from nanocloak.knowledge.pbpk_membrane import MECHANISMS, constant, membrane_layer
from nanocloak.results.pk import PkResult
from nanocloak.workflows.design import design as run_design
from nanocloak.workflows.membrane_model import membrane_model
from nanocloak.workflows.parameters import ParameterDraw
from nanocloak.workflows.simulate_pk import DoseSchedule, simulate_pk

HOMOTYPIC_FAMILIES = frozenset({"cancer", "cancer_stem_cell"})
ADHESION_FAMILIES = frozenset({"leukocyte", "macrophage", "neutrophil"})
RBC_CD47_PER_UM2 = ("rbc", "cd47")  # the reference density: membrane_sources.yaml rbc.cd47
RES_ORGANS = ("liver", "spleen", "lung")
#: window over which a shedding sub-population's uptake rate is projected onto the Hill law, h
#: (a week in blood; fixed so that results do not depend on the simulated horizon)
SHEDDING_WINDOW_H = 168.0
LIGAND_CONSTANTS = {
    "folate_lipid_insertion": "folate_enhancement",
    "antibody_azide_click": "antibody_enhancement",
}
Injury = float | tuple[Sequence[float], Sequence[float]]
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
    enabled = _enabled(mechanisms)
    if n_bins < 1:
        raise SpecificationError("n_bins", n_bins, "at least one coating sub-population")
    if animals < 1:
        raise SpecificationError("animals", animals, "at least one animal")
    if isinstance(schedule, str):
        schedule = DoseSchedule.parse(schedule)
    schedule = schedule or DoseSchedule()
    values = layer_values(enabled, constants)
    k = layer_constants(enabled, constants)
    injury = _injury(vessel_injury, until_h)

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
    engage = [
        [
            epitope_engagement(
                s.area_share * c,
                values.get("abc.epitope_half_density", 1.0),
                values.get("abc.epitope_hill_n", 1.0),
            )
            for s in sources
        ]
        for c in bin_coverage
    ]
    induction = [g * float(np.dot(shares, [e[a] for e in engage])) for a, g in enumerate(gammas)]
    titres = (
        titres_at_doses(
            schedule.times_h, induction, values["abc.igm_peak"], values["abc.igm_decay_half_life"]
        )
        if "abc" in enabled
        else [[0.0] * len(gammas) for _ in schedule.times_h]
    )
    recognised = [[recognition(t, e) for e in engage] for t in titres]
    # the Hill lag belongs to the particles (time since their own dose): every dose is a cohort
    superpose = len(schedule.times_h) > 1 and bool(enabled)
    if superpose and _any_capacity_law():
        raise SpecificationError(
            "mechanisms", "abc", "Hill or constant uptake laws (superposition of doses)"
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
                    shedding=_shedding(enabled, values, sources, k, c),
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
                    m, species, shedding=_shedding(enabled, values, sources, k, c)
                ),
            }
            for (c, d, m), w in zip(subpops, shares, strict=True)
        ],
        "evidence": {name: list(membrane_layer()[name].evidence) for name in MECHANISMS},
    }
    return superpose_subjects(pk, weights, shifts, schedule, info)


def layer_values(
    enabled: Collection[str], overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Every layer constant as ``"mechanism.name"`` → value in the model's unit; overrides win.

    Switched-off mechanisms keep their values here; :func:`layer_constants` neutralises them.
    """
    out = {
        f"{mech}.{name}": constant(mech, name)
        for mech, entry in membrane_layer().items()
        for name in entry.parameters
    }
    for key, value in (overrides or {}).items():
        if key not in out:
            raise SpecificationError("constants", key, f"one of {sorted(out)}")
        out[key] = float(value)
    return out


def layer_constants(
    enabled: Collection[str], overrides: Mapping[str, float] | None = None
) -> MembraneConstants:
    """Mechanism constants from ``pbpk_membrane.yaml``; switched-off ones take no-effect values."""
    v = layer_values(enabled, overrides)
    none = MembraneConstants()

    def on(mechanism: str, key: str, off: float) -> float:
        return v[f"{mechanism}.{key}"] if mechanism in enabled else off

    return MembraneConstants(
        cd47_min_factor=on("cd47", "min_factor", 1.0),
        cd47_half_density=v["cd47.half_density"],
        opsonization_bare_excess=on("opsonization", "bare_excess", 0.0),
        opsonization_bare_lag_ratio=on("opsonization", "bare_lag_ratio", 1.0),
        reference_diameter_nm=v["extravasation.reference_diameter"],
        pore_diameter_nm=on("extravasation", "pore_diameter", none.pore_diameter_nm),
        homotypic_enhancement=on("homotypic", "enhancement", 1.0),
        msc_homing_enhancement=on("msc_homing", "enhancement", 1.0),
        leukocyte_enhancement=on("leukocyte_adhesion", "enhancement", 1.0),
        leukocyte_baseline_activation=v["leukocyte_adhesion.baseline_activation"],
        platelet_cd44_enhancement=on("platelet_cd44", "enhancement", 1.0),
        injury_enhancement=on("injury_adhesion", "enhancement", 1.0),
        injury_reinforcement=on("injury_adhesion", "reinforcement", 0.0),
    )


def source_inputs(spec: Design, tumor_line: str | None, seed: int = 20221) -> list[SourceInput]:
    """Per parent membrane: area share, CD47 density relative to RBC, homotypic match and the
    targeting receptors its cell family carries."""
    table = loader.membrane_sources()
    tumor = None if tumor_line is None else (loader.resolve(table, tumor_line) or tumor_line)
    model = membrane_model(spec.membrane, ParameterDraw(seed))
    reference = table[RBC_CD47_PER_UM2[0]].markers[RBC_CD47_PER_UM2[1]].to("molecule/um^2")
    out = []
    for source, source_model in zip(spec.membrane.sources, model.sources, strict=True):
        family = table[source.cell].family
        out.append(
            SourceInput(
                area_share=source_model.area_share,
                relative_cd47=_cd47_per_um2(source) / reference,
                homotypic_match=family in HOMOTYPIC_FAMILIES and source.cell == tumor,
                homing=family == "msc",
                inflammation_adhesion=family in ADHESION_FAMILIES,
                platelet=family == "platelet",
            )
        )
    return out


def source_immunogenicity(spec: Design, values: Mapping[str, float]) -> list[float]:
    """γ of each parent membrane from its donor relation (autologous and syngeneic: 0)."""
    table = {
        "allogeneic": values["abc.immunogenicity_allogeneic"],
        "xenogeneic": values["abc.immunogenicity_xenogeneic"],
    }
    return [float(table.get(s.donor, 0.0)) for s in spec.membrane.sources]


def ligand_enhancements(
    spec: Design, values: Mapping[str, float], tumor_targets: Collection[str] | None
) -> tuple[float, ...]:
    """Enhancement h of each surface ligand whose target the tumour expresses."""
    wanted = None if tumor_targets is None else {t.strip().lower() for t in tumor_targets}
    return tuple(
        values[f"ligand.{LIGAND_CONSTANTS[m.kind]}"]
        for m in spec.surface_modifications
        if wanted is None or m.target.strip().lower() in wanted
    )


def parameter_overrides(
    mult: Multipliers,
    species: str,
    *,
    shedding: Mapping[str, tuple[float, float]] | None = None,
    abc: tuple[float, float] = (1.0, 1.0),
    epr: float = 1.0,
) -> dict[str, float]:
    """``simulate_pk`` overrides (``"<organ>.<field>"``, knowledge-base units) of a multiplier
    set; multipliers of exactly 1 give no override.

    ``shedding`` replaces the static RES (K_max, K_50) multipliers per organ by their Hill
    projection; ``abc`` multiplies RES K_max and K_50; ``epr`` the tumour permeability.
    """
    defaults = pbpk.nanoparticle_defaults()
    organs = pbpk.physiology()[species].organs
    out: dict[str, float] = {}
    for organ in RES_ORGANS:
        nano = defaults.organs[organ] if organ in organs else None
        if nano is None or nano.k_max is None:
            continue
        k_max, k_50 = (shedding or {}).get(organ, (mult.res_k_max, mult.res_k_50))
        k_max, k_50 = k_max * abc[0], k_50 * abc[1]
        if k_max != 1.0:
            out[f"{organ}.k_max"] = nano.k_max.to(pbpk.FIELD_UNITS["k_max"]) * k_max
        if k_50 != 1.0 and nano.k_50 is not None:
            out[f"{organ}.k_50"] = nano.k_50.to(pbpk.FIELD_UNITS["k_50"]) * k_50
    tumor = defaults.tumor
    if mult.tumor_k_max != 1.0 and tumor.k_max is not None:
        out["tumor.k_max"] = tumor.k_max.to(pbpk.FIELD_UNITS["k_max"]) * mult.tumor_k_max
    if mult.tumor_permeability * epr != 1.0:
        unit = pbpk.FIELD_UNITS["permeability"]
        out["tumor.permeability"] = tumor.permeability.to(unit) * mult.tumor_permeability * epr
    return out


def superpose_subjects(
    pk: PkResult,
    weights: FloatArray,
    shifts_h: Sequence[float],
    schedule: DoseSchedule,
    info: dict[str, Any],
) -> PkResult:
    """Animals from weighted, time-shifted sums of ``pk``'s subjects.

    .. math:: A_i(t) = \\sum_d \\sum_j W_{idj}\\,A_j(t - s_d)

    Parameters
    ----------
    pk
        A batch result; the subjects of one animal share its physiology and dosing.
    weights
        W, (animals, cohorts, subjects): each (animal, cohort) row sums to 1.
    shifts_h
        s_d, the dose time of each cohort, h (all 0 without superposition).
    schedule
        The dosing schedule the animals received.
    info
        JSON-safe description of the membrane layer, kept under ``solver["membrane_layer"]``.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 3 or w.shape[2] != pk.n_subjects or np.any(w < 0.0):
        raise ValueError(f"need non-negative weights of shape (animals, cohorts, {pk.n_subjects})")
    if not np.allclose(w.sum(axis=2), 1.0, atol=1e-9) or len(shifts_h) != w.shape[1]:
        raise ValueError("each (animal, cohort) row of weights must sum to 1, one shift each")
    # each animal's subjects (sub-populations, dose cohorts) share that animal's physiology;
    # animals may differ (per-animal body weight)
    first = np.argmax(w.sum(axis=1) > 0.0, axis=1)  # a subject of each animal
    for i in range(w.shape[0]):
        own = np.nonzero(w[i].sum(axis=0) > 0.0)[0]
        ref = first[i]
        if not np.allclose(pk.mass_g[own], pk.mass_g[ref], equal_nan=True) or not np.allclose(
            pk.dosed_mg[own], pk.dosed_mg[ref]
        ):
            raise ValueError("an animal's subjects must share physiology and dosing")
    shifted = any(s != 0.0 for s in shifts_h)
    t = pk.t_h
    if shifted:
        t = np.unique(np.concatenate([pk.t_h, [s + x for s in shifts_h for x in pk.t_h]]))
        t = t[t <= pk.t_h[-1] + 1e-9]

    def shift(series: FloatArray, s_h: float) -> FloatArray:
        if not shifted:
            return series
        moved = np.zeros((t.size, *series.shape[1:]))
        live = t >= s_h - 1e-12
        tau = np.maximum(t[live] - s_h, 0.0)
        flat = series.reshape(series.shape[0], -1)
        moved[live] = np.stack(
            [np.interp(tau, pk.t_h, flat[:, c]) for c in range(flat.shape[1])], axis=1
        ).reshape(tau.size, *series.shape[1:])
        return moved

    single = w.shape[0] == 1 and w.shape[1] == 1 and pk.n_subjects == 1
    if single:
        amount, total, dosed = pk.amount_mg, pk.states_total_mg, pk.dosed_mg[:1]
    else:
        amount = np.zeros((w.shape[0], t.size, len(pk.outputs)))
        total = np.zeros((w.shape[0], t.size))
        dosed = np.zeros((w.shape[0], t.size))
        for d, s_h in enumerate(shifts_h):
            a_d = np.stack([shift(pk.amount_mg[j], s_h) for j in range(pk.n_subjects)])
            tot_d = np.stack([shift(pk.states_total_mg[j], s_h) for j in range(pk.n_subjects)])
            amount += np.einsum("is,sto->ito", w[:, d], a_d)
            total += np.einsum("is,st->it", w[:, d], tot_d)
            dosed += np.stack([shift(pk.dosed_mg[j], s_h) for j in first])
    parameters = []
    for i in range(w.shape[0]):
        share = w[i].sum(axis=0) / w.shape[1]
        base = dict(pk.parameters[0])
        for key in set().union(*(p.keys() for p in pk.parameters)):
            if len({p[key] for p in pk.parameters}) > 1:
                base[key] = float(
                    sum(x * p[key] for x, p in zip(share, pk.parameters, strict=True))
                )
        parameters.append(base)
    sources = dict(pk.parameter_sources)
    for name, mech in membrane_layer().items():
        for key, value in mech.parameters.items():
            sources[f"membrane.{name}.{key}"] = value.source
    return PkResult.build(
        species=pk.species,
        mode=pk.mode,
        dose_mg_per_kg=pk.dose_mg_per_kg,
        schedule=schedule.describe() if shifted else pk.schedule,
        dose_times_h=schedule.times_h if shifted else pk.dose_times_h,
        infusion_h=pk.infusion_h,
        t_h=t,
        outputs={
            "names": pk.outputs,
            "amount_mg": amount,
            "mass_g": pk.mass_g[first],
            "body_weight_kg": pk.body_weight_kg[first],
        },
        dosed_mg=dosed,
        states_total_mg=total,
        parameters=tuple(parameters),
        parameter_sources=sources,
        t_last_h=pk.t_last_h,
        solver={**pk.solver, "subjects_combined": int(pk.n_subjects), "membrane_layer": info},
    )


def combine_subjects(pk: PkResult, weights: FloatArray, info: dict[str, Any]) -> PkResult:
    """One subject from the weighted sum of ``pk``'s subjects (same physiology and dosing);
    :func:`superpose_subjects` with one animal, one cohort and no shift."""
    w = np.asarray(weights, dtype=float)
    if w.shape != (pk.n_subjects,) or np.any(w < 0.0) or abs(w.sum() - 1.0) > 1e-9:
        raise ValueError(f"need {pk.n_subjects} non-negative weights summing to 1; got {w}")
    schedule = DoseSchedule(pk.dose_times_h, pk.infusion_h)
    return superpose_subjects(pk, w[None, None, :], [0.0], schedule, info)


def _shedding(
    enabled: Collection[str],
    values: Mapping[str, float],
    sources: Sequence[SourceInput],
    k: MembraneConstants,
    coverage: float,
) -> dict[str, tuple[float, float]] | None:
    if "shedding" not in enabled:
        return None
    rate = math.log(2.0) / values["shedding.half_life"]
    defaults = pbpk.nanoparticle_defaults().organs
    out = {}
    for organ in RES_ORGANS:
        nano = defaults[organ]
        if nano.k_max is None or nano.k_50 is None or nano.hill_n is None:
            continue
        projection = effective_hill(
            lambda c: (res_factors(sources, c, k)[3], res_factors(sources, c, k)[2]),
            coverage,
            rate,
            nano.k_max.to("1/h"),
            nano.k_50.to("h"),
            nano.hill_n.to("dimensionless"),
            SHEDDING_WINDOW_H,
        )
        out[organ] = (projection.k_max_factor, projection.k_50_factor)
    return out


def _any_capacity_law() -> bool:
    np_kb = pbpk.nanoparticle_defaults()
    laws = [o.uptake_law for o in np_kb.organs.values()] + [np_kb.tumor.uptake_law]
    return any(str(law) == "capacity" for law in laws)


def _injury(value: Injury, until_h: float) -> float:
    if isinstance(value, tuple):
        try:
            return mean_injury(value[0], value[1], until_h)
        except ValueError as exc:
            raise SpecificationError("vessel_injury", "series", str(exc)) from None
    if not 0.0 <= float(value) <= 1.0:
        raise SpecificationError("vessel_injury", value, "a number in [0, 1] or (t_h, J) series")
    return float(value)


def _enabled(mechanisms: Collection[str] | None) -> frozenset[str]:
    if mechanisms is None:
        return frozenset(MECHANISMS)
    chosen = frozenset(mechanisms)
    unknown = chosen - set(MECHANISMS)
    if unknown:
        raise SpecificationError("mechanisms", sorted(unknown), f"a subset of {list(MECHANISMS)}")
    return chosen


def _cd47_per_um2(source: MembraneSource) -> float:
    """CD47 density of one parent, molecule/µm²: measured override, knowledge base, assumed
    relative density when only its presence is known, 0 when absent."""
    for marker in source.markers:
        if marker.name == "cd47":
            return float(marker.density.to("molecule/um^2").magnitude)
    markers = loader.membrane_sources()[source.cell].markers
    if "cd47" not in markers:
        return 0.0
    value = markers["cd47"]
    if value.unit.startswith("molecule"):
        return value.to("molecule/um^2")
    reference = loader.membrane_sources()["rbc"].markers["cd47"].to("molecule/um^2")
    return constant("cd47", "unknown_relative_density") * reference
