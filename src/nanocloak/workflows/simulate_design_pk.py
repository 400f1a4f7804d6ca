"""``simulate_design_pk``: biodistribution of a designed membrane-coated particle.

Runs the manufacture model (:func:`~nanocloak.workflows.design.design`) for the particles'
coating-degree distribution, splits the particles into coating sub-populations (equal-count
quantile bins of the per-particle coverage), turns each sub-population's coverage, size and the
membrane's parents into multipliers on the base-model parameters
(:mod:`nanocloak.kernels.pk.membrane`, constants from ``pbpk_membrane.yaml``), solves all
sub-populations at once as one batch of :func:`~nanocloak.workflows.simulate_pk.simulate_pk`
and returns their dose-weighted sum as one :class:`~nanocloak.results.pk.PkResult`.

Weighting: sub-population *k* holds the share :math:`w_k` of the particles (and, taking the
particles of every bin to carry the same core mass on average, of the dose), so
:math:`A(t) = \\sum_k w_k A_k(t)` with :math:`\\sum_k w_k = 1`. Each sub-population is solved
at the full dose; for the Hill-in-time and constant uptake laws (linear in the amount) this is
exact, for the capacity-limited law it lets every sub-population see the saturation the whole
dose causes, which is the better approximation of particles that share one set of phagocytes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from typing import Any

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.membrane import MembraneSource
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk.membrane import (
    MembraneConstants,
    Multipliers,
    SourceInput,
    multipliers,
)
from nanocloak.knowledge import loader, pbpk
from nanocloak.knowledge.pbpk_membrane import MECHANISMS, constant, membrane_layer
from nanocloak.results.pk import PkResult
from nanocloak.workflows.design import design as run_design
from nanocloak.workflows.membrane_model import membrane_model
from nanocloak.workflows.parameters import ParameterDraw
from nanocloak.workflows.simulate_pk import DoseSchedule, simulate_pk

HOMOTYPIC_FAMILIES = frozenset({"cancer", "cancer_stem_cell"})
RBC_CD47_PER_UM2 = ("rbc", "cd47")  # the reference density: membrane_sources.yaml rbc.cd47


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
        Mechanisms switched on (subset of ``cd47``, ``opsonization``, ``extravasation``,
        ``homotypic``); default all. An empty collection gives exactly the base model.
    n_bins
        Number of coating sub-populations (equal-count quantile bins of the coverage).
    n_particles
        Particles simulated by the manufacture model.
    seed
        Seed of the manufacture model.
    rtol
        Relative tolerance of the PBPK solver.
    """
    enabled = _enabled(mechanisms)
    if n_bins < 1:
        raise SpecificationError("n_bins", n_bins, "at least one coating sub-population")
    made = run_design(design, n_particles=n_particles, n_samples=0, seed=seed)
    coverage = np.clip(np.asarray(made.nominal.coverage, dtype=float), 0.0, 1.0)
    bins = [b for b in np.array_split(np.sort(coverage), n_bins) if b.size]
    shares = np.array([b.size for b in bins], dtype=float) / coverage.size
    bin_coverage = [float(b.mean()) for b in bins]

    metrics = made.nominal.metrics
    shell_nm = metrics["shell_thickness_nm"]
    core_nm = metrics["number_mean_diameter_nm"] - 2.0 * shell_nm * metrics["mean_coating_degree"]
    constants = layer_constants(enabled)
    sources = source_inputs(design, tumor_line, seed)
    subpops = [
        (
            c,
            core_nm + 2.0 * shell_nm * c,
            multipliers(sources, c, core_nm + 2.0 * shell_nm * c, constants),
        )
        for c in bin_coverage
    ]

    # identical override sets are one subject: the base model comes out bit for bit
    groups: dict[tuple[tuple[str, float], ...], float] = {}
    for (_, _, mult), share in zip(subpops, shares, strict=True):
        key = tuple(sorted(parameter_overrides(mult, species).items()))
        groups[key] = groups.get(key, 0.0) + float(share)
    keys = list(groups)
    weights = np.array([groups[k] for k in keys])
    pk = simulate_pk(species, dose_mg_per_kg, schedule, until_h, [dict(k) for k in keys], rtol=rtol)
    info = {
        "mechanisms": sorted(enabled),
        "tumor_line": tumor_line,
        "constants": {
            k: (v if not isinstance(v, float) or np.isfinite(v) else None)
            for k, v in asdict(constants).items()
        },
        "sources": [asdict(s) for s in sources],
        "subpopulations": [
            {
                "coverage": c,
                "diameter_nm": d,
                "share": float(w),
                "factors": dict(m.factors),
                "overrides": parameter_overrides(m, species),
            }
            for (c, d, m), w in zip(subpops, shares, strict=True)
        ],
        "evidence": {name: list(membrane_layer()[name].evidence) for name in MECHANISMS},
    }
    return combine_subjects(pk, weights, info)


def layer_constants(enabled: Collection[str]) -> MembraneConstants:
    """Mechanism constants from ``pbpk_membrane.yaml``; switched-off ones take no-effect values."""
    none = MembraneConstants()
    return MembraneConstants(
        cd47_min_factor=constant("cd47", "min_factor") if "cd47" in enabled else 1.0,
        cd47_half_density=constant("cd47", "half_density"),
        opsonization_bare_excess=(
            constant("opsonization", "bare_excess") if "opsonization" in enabled else 0.0
        ),
        reference_diameter_nm=constant("extravasation", "reference_diameter"),
        pore_diameter_nm=(
            constant("extravasation", "pore_diameter")
            if "extravasation" in enabled
            else none.pore_diameter_nm
        ),
        homotypic_enhancement=(
            constant("homotypic", "enhancement") if "homotypic" in enabled else 1.0
        ),
    )


def source_inputs(spec: Design, tumor_line: str | None, seed: int = 20221) -> list[SourceInput]:
    """Per parent membrane: area share, CD47 density relative to RBC, homotypic match."""
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
            )
        )
    return out


def parameter_overrides(mult: Multipliers, species: str) -> dict[str, float]:
    """``simulate_pk`` overrides (``"<organ>.<field>"``, knowledge-base units) of a multiplier
    set; multipliers of exactly 1 give no override."""
    defaults = pbpk.nanoparticle_defaults()
    organs = pbpk.physiology()[species].organs
    out: dict[str, float] = {}
    res_organs = set(membrane_layer()["cd47"].organs) | set(membrane_layer()["opsonization"].organs)
    if mult.res_k_max != 1.0:
        for organ in sorted(res_organs):
            k_max = defaults.organs[organ].k_max if organ in organs else None
            if k_max is not None:
                out[f"{organ}.k_max"] = k_max.to(pbpk.FIELD_UNITS["k_max"]) * mult.res_k_max
    tumor = defaults.tumor
    if mult.tumor_k_max != 1.0 and tumor.k_max is not None:
        out["tumor.k_max"] = tumor.k_max.to(pbpk.FIELD_UNITS["k_max"]) * mult.tumor_k_max
    if mult.tumor_permeability != 1.0:
        unit = pbpk.FIELD_UNITS["permeability"]
        out["tumor.permeability"] = tumor.permeability.to(unit) * mult.tumor_permeability
    return out


def combine_subjects(pk: PkResult, weights: FloatArray, info: dict[str, Any]) -> PkResult:
    """One subject from the weighted sum of ``pk``'s subjects (same physiology and dosing).

    Parameters
    ----------
    pk
        A batch result whose subjects differ only in the membrane-scaled parameters.
    weights
        Share of each subject (>= 0, sum 1).
    info
        JSON-safe description of the membrane layer, kept under ``solver["membrane_layer"]``.

    The combined ``parameters`` hold the values every subject shares and, for the
    membrane-scaled ones, their share-weighted mean (a summary only: the sub-populations'
    own values are in ``solver["membrane_layer"]["subpopulations"]``).
    """
    w = np.asarray(weights, dtype=float)
    if w.shape != (pk.n_subjects,) or np.any(w < 0.0) or abs(w.sum() - 1.0) > 1e-9:
        raise ValueError(f"need {pk.n_subjects} non-negative weights summing to 1; got {w}")
    if not np.allclose(pk.mass_g, pk.mass_g[:1], equal_nan=True) or not np.allclose(
        pk.dosed_mg, pk.dosed_mg[:1]
    ):
        raise ValueError("subjects to combine must share physiology and dosing")
    if pk.n_subjects == 1:
        amount, total = pk.amount_mg, pk.states_total_mg
    else:
        amount = np.einsum("s,sto->to", w, pk.amount_mg)[None]
        total = np.einsum("s,st->t", w, pk.states_total_mg)[None]
    base = {key: value for key, value in pk.parameters[0].items()}
    for key in set().union(*(p.keys() for p in pk.parameters)):
        if len({p[key] for p in pk.parameters}) > 1:
            base[key] = float(sum(wi * p[key] for wi, p in zip(w, pk.parameters, strict=True)))
    sources = dict(pk.parameter_sources)
    for name, mech in membrane_layer().items():
        for key, value in mech.parameters.items():
            sources[f"membrane.{name}.{key}"] = value.source
    return PkResult.build(
        species=pk.species,
        mode=pk.mode,
        dose_mg_per_kg=pk.dose_mg_per_kg,
        schedule=pk.schedule,
        dose_times_h=pk.dose_times_h,
        infusion_h=pk.infusion_h,
        t_h=pk.t_h,
        outputs={
            "names": pk.outputs,
            "amount_mg": amount,
            "mass_g": pk.mass_g[:1],
            "body_weight_kg": pk.body_weight_kg[:1],
        },
        dosed_mg=pk.dosed_mg[:1],
        states_total_mg=total,
        parameters=(base,),
        parameter_sources=sources,
        t_last_h=pk.t_last_h,
        solver={**pk.solver, "subjects_combined": int(pk.n_subjects), "membrane_layer": info},
    )


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
