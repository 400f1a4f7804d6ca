"""The ``design`` verb: a design spec → predicted manufacture, characterization and storage.

One evaluation runs the three preparation steps in order — separation (membrane recovered),
assembly (the method's physics), coating (coverage per particle, membrane conserved), sizing,
storage — for a parameter set read from the knowledge base. ``design`` runs it once at the used
values and ``n_samples`` times with every ranged value drawn uniformly within its range, and
reports the 5–95 % band of each prediction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

from nanocloak.domain.formulation import Design
from nanocloak.domain.preparation import CoIncubation, Electroporation, Extrusion, Sonication
from nanocloak.errors import SpecificationError
from nanocloak.kernels.manufacture import processes as proc
from nanocloak.kernels.manufacture.coating import coat, draw_events
from nanocloak.kernels.manufacture.loading import LoadingContent, loading_content
from nanocloak.kernels.manufacture.membrane_need import cells_to_harvest, membrane_need
from nanocloak.kernels.manufacture.separation import separate_vesicles
from nanocloak.kernels.manufacture.sizing import size_and_charge
from nanocloak.kernels.manufacture.storage import shelf_life_days, store_cold
from nanocloak.knowledge import loader
from nanocloak.results.design import DesignResult, Evaluation, SourcePlan
from nanocloak.workflows import parameters as par
from nanocloak.workflows.core_geometry import core_model
from nanocloak.workflows.membrane_model import membrane_model

STORAGE_DAYS = np.linspace(0.0, 60.0, 241)
REVIEW_CELLS_PER_PREP = (2e8, 3e8)
BLOOD_COUNTS = {  # family → (count in species.yaml, share of that count or None)
    "rbc": ("rbc_count", None),
    "platelet": ("platelet_count", None),
    "leukocyte": ("wbc_count", None),
    "neutrophil": ("wbc_count", "neutrophil_share"),
}


@dataclass(frozen=True, slots=True)
class _Process:
    outcome: proc.ProcessOutcome
    max_diameter_nm: float


def _assembly(
    spec: Design,
    draw: par.ParameterDraw,
    coated_diameter_nm: float,
    core_median_nm: float,
    core_gsd: float,
    batch_volume_ml: float,
    stability: proc.ProteinStability,
) -> _Process:
    assembly = spec.preparation.assembly
    vesicle_nm = float(spec.preparation.separation.vesicle_pore_size.to("nm").magnitude)
    if isinstance(assembly, Extrusion):
        pore = float(assembly.pore_size.to("nm").magnitude)
        outcome = proc.extrusion(
            pore,
            assembly.passes,
            float(assembly.temperature.to("degC").magnitude),
            coated_diameter_nm,
            core_median_nm,
            core_gsd,
            batch_volume_ml,
            par.extrusion_params(draw),
            stability,
            par.cost_rates(draw, "extrusion"),
        )
        return _Process(outcome, pore)
    if isinstance(assembly, Sonication):
        outcome = proc.sonication(
            float(assembly.power.to("W").magnitude),
            assembly.duty_cycle,
            float(assembly.time.to("min").magnitude),
            float(assembly.temperature.to("degC").magnitude),
            batch_volume_ml,
            par.sonication_params(draw, assembly.mode),
            stability,
            par.cost_rates(draw, "sonication"),
        )
        return _Process(outcome, math.inf)
    if isinstance(assembly, Electroporation):
        outcome = proc.electroporation(
            float(assembly.pulse_voltage.to("V").magnitude),
            float(assembly.electrode_gap.to("nm").magnitude),
            float(assembly.pulse_width.to("us").magnitude),
            float(assembly.pulse_rate.to("Hz").magnitude),
            float(assembly.flow_rate.to("uL/min").magnitude),
            float(assembly.zone_volume.to("uL").magnitude),
            vesicle_nm,
            float(assembly.temperature.to("degC").magnitude),
            batch_volume_ml,
            par.electroporation_params(draw),
            stability,
            par.cost_rates(draw, "microfluidic_electroporation"),
        )
        return _Process(outcome, math.inf)
    if isinstance(assembly, CoIncubation):
        outcome = proc.co_incubation(
            float(assembly.time.to("min").magnitude),
            float(assembly.temperature.to("degC").magnitude),
            assembly.stirring,
            vesicle_nm,
            batch_volume_ml,
            par.co_incubation_params(draw),
            stability,
            par.cost_rates(draw, "co_incubation"),
        )
        return _Process(outcome, math.inf)
    raise TypeError(assembly)  # pragma: no cover - exhaustive union


def vesicle_availability(excess_ratio: float) -> float:
    """Chance that a vesicle is at hand when a particle can fuse: 1 − e^(−R), R = excess.

    Vesicles meet particles as a Poisson process whose mean scales with the membrane supplied
    per particle area, so scarce membrane (R < 1) starves coating and excess saturates it.
    """
    return 1.0 - math.exp(-excess_ratio)


def _cells_per_ml_blood(family: str, species_id: str, draw: par.ParameterDraw) -> float:
    """Donor cells of ``family`` per mL of whole blood of ``species_id``."""
    count_name, share_name = BLOOD_COUNTS[family]
    species = loader.species()[species_id]
    per_ml = draw.value(f"species.{species_id}.{count_name}", getattr(species, count_name), "1/mL")
    if share_name is not None:
        per_ml *= draw.value(
            f"species.{species_id}.{share_name}", species.properties[share_name], "dimensionless"
        )
    return per_ml


def core_diameters(
    median_nm: float,
    gsd: float,
    max_nm: float,
    n_particles: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Log-normal core sizes, truncated at ``max_nm`` (cores larger than an extrusion pore stay
    on the filter, so the product holds only the passing part of the distribution)."""
    sigma = math.log(gsd)
    passing = float(ndtr(math.log(max_nm / median_nm) / sigma)) if math.isfinite(max_nm) else 1.0
    if passing < 1e-6:
        raise SpecificationError(
            "preparation.assembly.pore_size",
            f"{max_nm:g} nm",
            f"a pore larger than the cores (median {median_nm:.0f} nm): none would pass",
        )
    quantiles = rng.random(n_particles) * passing
    sizes: NDArray[np.float64] = median_nm * np.exp(sigma * ndtri(quantiles))
    return sizes


def cargo_loadings(spec: Design, membrane_per_core_mass: float) -> dict[str, LoadingContent]:
    """Each cargo's loading under the labelled definitions of the loading kernel."""
    return {
        cargo.name: loading_content(
            cargo.per_core_mass, membrane_per_core_mass, cargo.fed_per_core_mass
        )
        for cargo in spec.cargos
    }


def evaluate(
    spec: Design, draw: par.ParameterDraw, rng: np.random.Generator, n_particles: int
) -> Evaluation:
    """One pass of the manufacture model for one parameter set."""
    core = core_model(spec.core, draw)
    membrane = membrane_model(spec.membrane, draw)
    offset = draw.physics("hydration_gap", "nm") + 0.5 * draw.physics("bilayer_thickness", "nm")
    shell = draw.physics("shell_thickness", "nm")
    core_mass = float(spec.batch.core_mass.to("mg").magnitude)
    batch_volume = core_mass / float(spec.batch.core_concentration.to("mg/mL").magnitude)
    ratio = float(spec.preparation.membrane_to_core_ratio.to("mg/mg").magnitude)
    need = membrane_need(
        core.geometry.area_nm2,
        core.geometry.midplane_area_nm2(offset),
        core.particle_mass_mg,
        core_mass,
        membrane.protein_density_mg_per_m2,
        ratio,
    )

    sep_spec = spec.preparation.separation
    separation = separate_vesicles(
        sep_spec.freeze_thaw_cycles or 0,
        tuple(float(s.time.to("min").magnitude) for s in sep_spec.centrifugation),
        sep_spec.washes,
        sep_spec.protease_inhibitor,
        par.separation_params(draw),
    )
    plans = []
    for source in membrane.sources:
        cells = cells_to_harvest(
            need.protein_planned_mg * source.fraction * source.purity,
            source.protein_per_cell_pg,
            separation.membrane_recovery,
        )
        blood_ml = None
        if source.harvest == "blood" and source.family in BLOOD_COUNTS:
            blood_ml = cells / _cells_per_ml_blood(source.family, source.donor_species, draw)
        plans.append(
            SourcePlan(
                source.cell,
                source.fraction,
                cells,
                blood_ml,
                need.protein_planned_mg * source.fraction,
            )
        )

    stabilizers = sep_spec.cholesterol_added or bool(sep_spec.divalent_ions)
    stability = par.protein_stability(draw, stabilizers, sep_spec.protease_inhibitor)
    core_gsd = draw.method("coating", "core_size_gsd")
    d0 = core.geometry.equivalent_diameter_nm
    process = _assembly(spec, draw, d0 + 2.0 * shell, d0, core_gsd, batch_volume, stability)
    outcome = process.outcome

    diameters = core_diameters(d0, core_gsd, process.max_diameter_nm, n_particles, rng)
    areas = core.geometry.midplane_area_nm2(offset) * (diameters / d0) ** 2
    supplied = need.area_planned_m2 * 1e18 / (need.particles_per_mg * core_mass)
    draws = draw_events(
        diameters.size,
        int(draw.method("coating", "max_events_per_particle")),
        outcome.vesicle_median_nm,
        outcome.vesicle_gsd,
        draw.method("coating", "patch_spread_mean"),
        rng,
    )
    coating = coat(
        outcome.events_when_plentiful * vesicle_availability(need.excess_ratio),
        areas,
        supplied,
        outcome.reseal_probability,
        draws,
    )
    threshold = draw.physics("individual_uptake_threshold", "dimensionless")
    sizes = size_and_charge(
        diameters,
        coating.coverage,
        shell,
        threshold,
        draw.method("coating", "aggregation_probability"),
        membrane.zeta_mv,
        core.zeta_bare_mv,
        process.max_diameter_nm,
        rng,
    )
    purification = draw.method("purification", "recovery")
    protein_retention = separation.protein_retention * outcome.protein_retention
    storage = store_cold(
        STORAGE_DAYS,
        protein_retention,
        draw.method("storage", "protein_function_half_life_4c", "day"),
        coating.coverage,
        diameters + 2.0 * shell * coating.coverage,
        draw.method("storage", "bare_aggregation_rate_4c", "1/day"),
        sizes.paired,
    )
    full = draw.physics("full_coating_threshold", "dimensionless")
    wall = separation.time_min + outcome.wall_time_min + draw.method("purification", "time", "min")
    metrics = {
        "fully_coated_share": float(np.mean(coating.coverage >= full)),
        "below_half_share": float(np.mean(coating.coverage < threshold)),
        "mean_coating_degree": float(coating.coverage.mean()),
        "z_average_nm": sizes.z_average_nm,
        "pdi": sizes.pdi,
        "number_mean_diameter_nm": sizes.number_mean_nm,
        "paired_share": sizes.paired_share,
        "shell_thickness_nm": shell,
        "zeta_mv": sizes.zeta_mean_mv,
        "protein_retention": protein_retention,
        "core_recovery": outcome.core_recovery * purification,
        "membrane_recovery": separation.membrane_recovery,
        "membrane_used_share": coating.membrane_used_share,
        "excess_ratio": need.excess_ratio,
        "processing_time_h": wall / 60.0,
        "assembly_time_min": outcome.wall_time_min,
        "hands_on_h": (outcome.hands_on_min + separation.time_min) / 60.0,
        "relative_cost": outcome.cost_rcu,
        "throughput_ml_per_h": outcome.throughput_ml_per_h,
        "peak_temperature_c": outcome.peak_temperature_c,
        "protein_needed_mg": need.protein_needed_mg,
        "protein_planned_mg": need.protein_planned_mg,
        "area_needed_m2": need.area_needed_m2,
        "specific_surface_area_m2_per_g": need.core_area_m2_per_mg * 1000.0,
        "particles_per_mg": need.particles_per_mg,
        "total_cells": sum(p.cells for p in plans),
        "protein_function_day7": float(np.interp(7.0, storage.days, storage.protein_function)),
        "mean_diameter_day7_nm": float(np.interp(7.0, storage.days, storage.mean_diameter_nm)),
        "shelf_life_days": shelf_life_days(
            storage,
            draw.method("storage", "acceptance_protein_function_share"),
            draw.method("storage", "acceptance_size_growth"),
        ),
    }
    return Evaluation(
        metrics,
        tuple(plans),
        coating.coverage,
        sizes.diameters_nm,
        storage,
        outcome.details,
        outcome.warnings,
        coating.supply_limited,
        membrane.markers,
        cargo_loadings(spec, ratio * coating.membrane_used_share),
    )


def design(
    spec: Design,
    n_particles: int = 4000,
    n_samples: int = 24,
    seed: int = 20221,
    ensemble_particles: int = 1500,
    progress: Callable[[int, int], None] | None = None,
) -> DesignResult:
    """Predict how ``spec`` is made and what comes out, with ranges from the literature.

    Parameters
    ----------
    spec
        A validated design (formulation + batch).
    n_particles
        Particles simulated at the used parameter values.
    n_samples
        Members of the uncertainty ensemble (0 to skip ranges).
    seed
        Seed of every random draw: the same seed gives the same result.
    ensemble_particles
        Particles simulated per ensemble member.
    progress
        Called as ``progress(done, total)`` after each evaluation (for progress bars).
    """
    seeds = np.random.SeedSequence(seed).spawn(n_samples + 1)
    nominal_draw = par.ParameterDraw()
    nominal = evaluate(spec, nominal_draw, np.random.default_rng(seeds[0]), n_particles)
    if progress is not None:
        progress(1, n_samples + 1)
    ensemble = []
    for done, child in enumerate(seeds[1:], start=2):
        rng = np.random.default_rng(child)
        ensemble.append(evaluate(spec, par.ParameterDraw(rng), rng, ensemble_particles).metrics)
        if progress is not None:
            progress(done, n_samples + 1)
    bands = {}
    for name in nominal.metrics:
        values = np.array([m[name] for m in ensemble]) if ensemble else np.array([])
        bands[name] = (
            (float(np.percentile(values, 5)), float(np.percentile(values, 95)))
            if values.size
            else (nominal.metrics[name], nominal.metrics[name])
        )
    return DesignResult(
        spec=spec,
        nominal=nominal,
        bands=bands,
        parameters_used=dict(sorted(nominal_draw.used.items())),
        seed=seed,
        n_particles=n_particles,
        n_samples=n_samples,
        review_cells=REVIEW_CELLS_PER_PREP,
    )
