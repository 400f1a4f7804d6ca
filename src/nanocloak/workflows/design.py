"""The ``design`` verb: a design spec → predicted manufacture, characterization and storage.

One evaluation runs the preparation steps in order — separation (membrane recovered from
cells), assembly (the method's physics), coating (coverage per particle, membrane conserved),
sizing and charge, storage — for one parameter set read from the knowledge base. ``design``
runs it once at the used values and ``n_samples`` times with every ranged value drawn within
its range (paired across designs), and reports the 5–95 % band of each prediction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.preparation import CoIncubation, Electroporation, Extrusion, Sonication
from nanocloak.errors import SpecificationError
from nanocloak.kernels.manufacture.assembly import (
    co_incubation,
    common,
    electroporation,
    extrusion,
    sonication,
)
from nanocloak.kernels.manufacture.coating import (
    coat,
    draw_events,
    membrane_pieces_per_particle,
    productive_events,
)
from nanocloak.kernels.manufacture.geometry import lognormal_moment, population_midplane_area_nm2
from nanocloak.kernels.manufacture.loading import LoadingContent, loading_content
from nanocloak.kernels.manufacture.membrane_need import (
    NM2_PER_M2,
    MembraneNeed,
    cells_to_harvest,
    membrane_need,
)
from nanocloak.kernels.manufacture.separation import Spin, separate_vesicles
from nanocloak.kernels.manufacture.sizing import lognormal_scales, size_and_charge
from nanocloak.kernels.manufacture.storage import shelf_life_days, store_cold
from nanocloak.knowledge import loader
from nanocloak.results.design import DesignResult, Evaluation, SourcePlan
from nanocloak.workflows import parameters as par
from nanocloak.workflows.core_geometry import CoreModel, core_model
from nanocloak.workflows.membrane_model import MembraneModel, SourceModel, membrane_model

STORAGE_DAYS = np.linspace(0.0, 60.0, 241)
BLOOD_COUNTS = {  # family → (count in species.yaml, share of that count or None)
    "rbc": ("rbc_count", None),
    "platelet": ("platelet_count", None),
    "leukocyte": ("wbc_count", None),
    "neutrophil": ("wbc_count", "neutrophil_share"),
}


def _quantity(value: object, unit: str) -> float:
    return float(value.to(unit).magnitude)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class _Harvest:
    plans: tuple[SourcePlan, ...]
    membrane_recovery: float
    protein_retention: float
    time_min: float


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


def _fragment_median_nm(source: SourceModel, draw: par.ParameterDraw) -> float:
    """Membrane pieces spun down: fragments for nucleated cells, whole ghosts for anucleate."""
    entry = loader.membrane_sources()[source.cell]
    species_diameter = loader.species()[source.donor_species].properties.get(
        f"{source.family}_cell_diameter"
    )
    if entry.nucleated is False and species_diameter is not None:
        return draw.value(
            f"species.{source.donor_species}.{source.family}_cell_diameter", species_diameter, "nm"
        )
    if entry.nucleated is False and entry.cell_diameter is not None:
        return draw.value(
            f"membrane_sources.{source.cell}.cell_diameter", entry.cell_diameter, "nm"
        )
    return draw.method("separation", "fragment_diameter_nucleated", "nm")


def harvest(
    spec: Design, membrane: MembraneModel, need: MembraneNeed, draw: par.ParameterDraw
) -> _Harvest:
    """Step 1 per membrane source: recovery through the centrifugation train, cells, blood."""
    sep = spec.preparation.separation
    spins = tuple(
        Spin(_quantity(s.rcf, "xg"), _quantity(s.time, "min"), s.keep == "pellet")
        for s in sep.centrifugation
    )
    params = par.separation_params(draw)
    # sources are prepared side by side with the same train: the slowest sets the time; lysis
    # and inhibitor settings are shared, so protein retention is the same for every source
    plans, recoveries, retention, time = [], [], 1.0, 0.0
    for source in membrane.sources:
        outcome = separate_vesicles(
            sep.freeze_thaw_cycles or 0,
            spins,
            sep.washes,
            sep.protease_inhibitor,
            _fragment_median_nm(source, draw),
            params,
        )
        cells = cells_to_harvest(
            need.protein_planned_mg * source.fraction * source.purity,
            source.protein_per_cell_pg,
            outcome.membrane_recovery,
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
                outcome.membrane_recovery,
            )
        )
        recoveries.append(source.fraction * outcome.membrane_recovery)
        retention = outcome.protein_retention
        time = max(time, outcome.time_min)
    return _Harvest(tuple(plans), sum(recoveries), retention, time)


def assemble(
    spec: Design,
    draw: par.ParameterDraw,
    core: CoreModel,
    shell_nm: float,
    core_gsd: float,
    batch_volume_ml: float,
    stability: common.ProteinStability,
) -> tuple[common.ProcessOutcome, float]:
    """Step 3: the assembly method's outcome and the largest core scale that passes it."""
    assembly = spec.preparation.assembly
    vesicle_nm = _quantity(spec.preparation.separation.vesicle_pore_size, "nm")
    d0 = core.geometry.equivalent_diameter_nm
    if isinstance(assembly, Extrusion):
        pore = _quantity(assembly.pore_size, "nm")
        outcome = extrusion.extrusion(
            pore,
            assembly.passes,
            _quantity(assembly.temperature, "degC"),
            d0 + 2 * shell_nm,
            core.geometry.min_caliper_nm,
            core_gsd,
            batch_volume_ml,
            par.extrusion_params(draw),
            stability,
            par.cost_rates(draw, "extrusion"),
        )
        return outcome, pore / core.geometry.min_caliper_nm
    if isinstance(assembly, Sonication):
        outcome = sonication.sonication(
            _quantity(assembly.power, "W"),
            assembly.duty_cycle,
            _quantity(assembly.time, "min"),
            _quantity(assembly.temperature, "degC"),
            batch_volume_ml,
            par.sonication_params(draw, assembly.mode),
            stability,
            par.cost_rates(draw, "sonication"),
        )
    elif isinstance(assembly, Electroporation):
        outcome = electroporation.electroporation(
            _quantity(assembly.pulse_voltage, "V"),
            _quantity(assembly.electrode_gap, "nm"),
            _quantity(assembly.pulse_width, "us"),
            _quantity(assembly.pulse_rate, "Hz"),
            _quantity(assembly.flow_rate, "uL/min"),
            _quantity(assembly.zone_volume, "uL"),
            _quantity(assembly.buffer_conductivity, "S/m"),
            vesicle_nm,
            _quantity(assembly.temperature, "degC"),
            batch_volume_ml,
            par.electroporation_params(draw),
            stability,
            par.cost_rates(draw, "microfluidic_electroporation"),
        )
    elif isinstance(assembly, CoIncubation):
        outcome = co_incubation.co_incubation(
            _quantity(assembly.time, "min"),
            _quantity(assembly.temperature, "degC"),
            assembly.stirring,
            vesicle_nm,
            par.co_incubation_params(draw),
            stability,
            par.cost_rates(draw, "co_incubation"),
        )
    else:  # pragma: no cover - the discriminated union is exhaustive
        raise TypeError(assembly)
    return outcome, math.inf


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
    core_gsd = draw.method("coating", "core_size_gsd")
    core_mass = _quantity(spec.batch.core_mass, "mg")
    concentration = _quantity(spec.batch.core_concentration, "mg/mL")
    batch_volume = core_mass / concentration
    ratio = _quantity(spec.preparation.membrane_to_core_ratio, "mg/mg")
    mean_particle_mg = core.particle_mass_mg * lognormal_moment(core_gsd, 3.0)
    need = membrane_need(
        core.geometry.area_nm2 * lognormal_moment(core_gsd, 2.0),
        population_midplane_area_nm2(core.geometry, core_gsd, offset),
        mean_particle_mg,
        core_mass,
        membrane.protein_density_mg_per_m2,
        ratio,
    )
    harvested = harvest(spec, membrane, need, draw)

    sep = spec.preparation.separation
    stability = par.protein_stability(
        draw, sep.cholesterol_added or bool(sep.divalent_ions), sep.protease_inhibitor
    )
    outcome, max_scale = assemble(spec, draw, core, shell, core_gsd, batch_volume, stability)
    try:
        scales = lognormal_scales(core_gsd, max_scale, n_particles, rng)
    except ValueError:
        raise SpecificationError(
            "preparation.assembly.pore_size",
            f"{max_scale * core.geometry.min_caliper_nm:g} nm",
            f"a pore larger than the cores (smallest width {core.geometry.min_caliper_nm:.0f} "
            "nm): none would pass",
        ) from None
    diameters = core.geometry.equivalent_diameter_nm * scales
    areas = np.asarray(core.geometry.scaled_midplane_area_nm2(scales, offset))
    supplied = need.area_planned_m2 * NM2_PER_M2 / (need.particles_per_mg * core_mass)
    draws = draw_events(
        diameters.size,
        int(draw.method("coating", "max_events_per_particle")),
        outcome.vesicle_median_nm,
        outcome.vesicle_gsd,
        draw.method("coating", "patch_spread_mean"),
        draw.method("coating", "patch_spread_concentration"),
        rng,
    )
    pieces = membrane_pieces_per_particle(
        need.excess_ratio, float(areas.mean()), outcome.vesicle_median_nm, outcome.vesicle_gsd
    )
    coating = coat(
        productive_events(pieces, outcome.capture_intensity),
        areas,
        supplied,
        outcome.reseal_probability,
        draw.method("coating", "patch_jamming_coverage"),
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
        max_scale * core.geometry.equivalent_diameter_nm,
        rng,
    )
    protein_retention = harvested.protein_retention * outcome.protein_retention
    pairing_rate = (
        draw.method("storage", "bare_aggregation_rate_4c", "1/day")
        * concentration
        / (draw.method("storage", "reference_concentration", "mg/mL"))
    )
    storage = store_cold(
        STORAGE_DAYS,
        protein_retention,
        draw.method("storage", "protein_function_half_life_4c", "day"),
        coating.coverage,
        diameters + 2.0 * shell * coating.coverage,
        pairing_rate,
        sizes.paired,
    )
    purification = draw.method("purification", "recovery")
    wall = harvested.time_min + outcome.wall_time_min + draw.method("purification", "time", "min")
    full = draw.physics("full_coating_threshold", "dimensionless")
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
        "membrane_recovery": harvested.membrane_recovery,
        "membrane_used_share": coating.membrane_used_share,
        "excess_ratio": need.excess_ratio,
        "processing_time_h": wall / 60.0,
        "assembly_time_min": outcome.wall_time_min,
        "assembly_hands_on_min": outcome.hands_on_min,
        "ml_per_hands_on_hour": batch_volume / (outcome.hands_on_min / 60.0),
        "relative_cost": outcome.cost_rcu,
        "peak_temperature_c": outcome.peak_temperature_c,
        "protein_needed_mg": need.protein_needed_mg,
        "protein_planned_mg": need.protein_planned_mg,
        "area_needed_m2": need.area_needed_m2,
        "specific_surface_area_m2_per_g": need.core_area_m2_per_mg * 1000.0,
        "particles_per_mg": need.particles_per_mg,
        "total_cells": sum(p.cells for p in harvested.plans),
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
        harvested.plans,
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
        Seed of every random draw: the same seed gives the same result, and designs run with
        the same seed share their parameter draws (paired ensembles).
    ensemble_particles
        Particles simulated per ensemble member.
    progress
        Called as ``progress(done, total)`` after each evaluation (for progress bars).
    """
    seeds = np.random.SeedSequence(seed).spawn(n_samples + 1)
    nominal_draw = par.ParameterDraw(seed)
    nominal = evaluate(spec, nominal_draw, np.random.default_rng(seeds[0]), n_particles)
    if progress is not None:
        progress(1, n_samples + 1)
    ensemble = []
    for member, child in enumerate(seeds[1:]):
        draw = par.ParameterDraw(seed, member)
        ensemble.append(
            evaluate(spec, draw, np.random.default_rng(child), ensemble_particles).metrics
        )
        if progress is not None:
            progress(member + 2, n_samples + 1)
    bands = {}
    for name, value in nominal.metrics.items():
        values = np.array([m[name] for m in ensemble])
        bands[name] = (
            (float(np.percentile(values, 5)), float(np.percentile(values, 95)))
            if values.size
            else (value, value)
        )
    review = loader.membrane_physics()["review_cells_per_preparation"]
    return DesignResult(
        spec=spec,
        nominal=nominal,
        bands=bands,
        ensemble=tuple(ensemble),
        parameters_used=dict(sorted(nominal_draw.used.items())),
        seed=seed,
        n_particles=n_particles,
        n_samples=n_samples,
        review_cells=review.bounds("cell"),
    )
