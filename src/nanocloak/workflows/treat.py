"""The ``treat`` verbs: photothermal and magnetic-hyperthermia treatment of a subcutaneous tumor.

What is fitted and what is taken (stated for reviewers)
-------------------------------------------------------
* **Fitted: tumor perfusion** ω_b, by :func:`nanocloak.workflows.calibrate_ptt.calibrate` to the
  review's RBC-MNs-E rise (34.5 → 55.2 °C in 5 min at 808 nm). It is used for both modalities.
* **From sources**: tissue ρ, c, k, muscle perfusion, skin heat transfer, tissue scattering and
  haemoglobin/water absorption, g and n (``tissue_properties.yaml``); core mass extinction and
  absorption share at the laser line, magnetisation and anisotropy (``core_materials.yaml``);
  Néel attempt time, surfactant shell, H·f limits (``magnetic_constants.yaml``); Arrhenius pairs
  and CEM43 bases (``tissue_properties.yaml``); baseline and skin thresholds
  (``treatment.yaml``); tumor composition for its optics (``ptt_calibration.yaml``).
* **Assumed** (with reasons in the YAML notes): default tumor size/depth and spot, crystal size
  dispersion, tumor damage by the Henriques Arrhenius pair (no tumor pair is sourced; see
  ``TUMOR_DAMAGE_PROCESS``).

Model: the heat source (absorbed light ``μ_a,NP φ`` by δ-P1 diffusion, or ``SAR × c`` uniform in
the tumor) drives the linear Pennes equation for the rise over the pre-treatment baseline
(:mod:`nanocloak.kernels.thermal.ptt`); absolute temperature = baseline + rise. The light sees
tissue absorption only (``light_medium="tissue"``, as in the calibration). The tumor's particle
content comes either as a concentration or from the PBPK model of the design
(:func:`tumor_delivery_after`): coverage → membrane mechanisms → tumor µg/g.

Where each part lives: the settings (:mod:`~nanocloak.workflows.treat_settings`), core and
tissue optics (:mod:`~nanocloak.workflows.treat_optics`), the magnetic particle and field limits
(:mod:`~nanocloak.workflows.treat_magnetic`), the bioheat solve and result
(:mod:`~nanocloak.workflows.treat_bioheat`), PBPK delivery
(:mod:`~nanocloak.workflows.treat_delivery`) and provenance rows
(:mod:`~nanocloak.workflows.treat_provenance`); this module holds the treatment verbs and
re-exports the public names of the others.
"""

from __future__ import annotations

import warnings
from typing import Any

from nanocloak.domain.formulation import Design
from nanocloak.errors import NanocloakWarning, SpecificationError
from nanocloak.kernels.magnetic.rosensweig import specific_absorption_rate
from nanocloak.kernels.thermal.mht import magnetic_power_density_w_per_m3, uniform_sphere_source
from nanocloak.kernels.thermal.ptt import (
    PttSetup,
    PttSource,
    nanoparticle_absorption_per_mm,
    ptt_heat_source,
)
from nanocloak.knowledge import physics
from nanocloak.knowledge import treatment as kb
from nanocloak.results.treatment import TreatmentResult, TumorDelivery
from nanocloak.workflows.treat_bioheat import (
    TUMOR_DAMAGE_PROCESS,
    calibrated_tumor_perfusion_per_s,
    domain_mm,
    simulate_treatment,
)
from nanocloak.workflows.treat_delivery import tumor_concentration_after, tumor_delivery_after
from nanocloak.workflows.treat_magnetic import field_limit_warnings, magnetic_particle
from nanocloak.workflows.treat_optics import core_optics, designed_core_optics, tissue_optics
from nanocloak.workflows.treat_settings import (
    FieldSetting,
    LaserSetting,
    TumorSite,
    checked_concentration,
)

__all__ = [
    "TUMOR_DAMAGE_PROCESS",
    "FieldSetting",
    "LaserSetting",
    "TumorSite",
    "calibrated_tumor_perfusion_per_s",
    "core_optics",
    "designed_core_optics",
    "field_limit_warnings",
    "magnetic_particle",
    "magnetic_treatment",
    "photothermal_treatment",
    "tissue_optics",
    "treat_after_injection",
    "tumor_concentration_after",
    "tumor_delivery_after",
]


def photothermal_treatment(
    design: Design,
    tumor_concentration_mg_per_ml: float,
    laser: LaserSetting,
    site: TumorSite,
    *,
    baseline_c: float | None = None,
    step_mm: float = 0.5,
    dt_s: float = 5.0,
    tumor_perfusion_per_s: float | None = None,
    damage_process: str = TUMOR_DAMAGE_PROCESS,
    delivery: TumorDelivery | None = None,
) -> TreatmentResult:
    """Laser heating of a particle-loaded subcutaneous tumor (δ-P1 light → 2-D Pennes).

    Parameters
    ----------
    design
        The design (its core material sets the optics).
    tumor_concentration_mg_per_ml
        Core mass per tumor volume (mg/mL), ≥ 0.
    laser
        Wavelength (a tabulated line of the core), irradiance, spot, duration.
    site
        Tumor radius and depth of its top (mm).
    baseline_c
        Pre-treatment temperature (°C); ``treatment.yaml`` baseline if None.
    step_mm, dt_s
        Grid spacing (mm) and time step (s; shortened to divide the duration).
    tumor_perfusion_per_s
        Tumor perfusion (1/s); the calibrated value if None.
    damage_process
        Arrhenius pair of ``tissue_properties.yaml`` for tumor damage.
    delivery
        The PBPK delivery behind the concentration, kept in the result.
    """
    conc = checked_concentration(tumor_concentration_mg_per_ml)
    if conc == 0.0:
        # no particles: only the tissue absorbs, whatever the core's optics
        ext, share = 0.0, 1.0
        rows: list[dict[str, Any]] = []
        notes = ["no particles in the tumor: tissue heating only"]
    else:
        ext, share, rows, notes = designed_core_optics(design.core, laser.wavelength_nm)
    mua, musp, tissue_rows, tissue_notes = tissue_optics(laser.wavelength_nm)
    radius, depth = domain_mm(site, laser.spot_radius_mm, step_mm)
    np_mua = nanoparticle_absorption_per_mm(conc, ext, share)
    props = physics.tissue_properties()
    setup = PttSetup(
        tumor_radius_mm=site.radius_mm,
        tumor_top_mm=site.depth_mm,
        np_mua_per_mm=np_mua,
        tissue_mua_per_mm=mua,
        tissue_musp_per_mm=musp,
        irradiance_w_per_cm2=laser.irradiance_w_per_cm2,
        spot_radius_mm=laser.spot_radius_mm,
        anisotropy=props.anisotropy.value,
        n_tissue=props.refractive_index.value,
        light_medium="tissue",
        domain_radius_mm=radius,
        domain_depth_mm=depth,
        step_mm=step_mm,
    )
    try:
        source = ptt_heat_source(setup)
    except ValueError as exc:
        raise SpecificationError(
            "step_mm", step_mm, "a grid step dividing the domain", str(exc)
        ) from None
    return simulate_treatment(
        modality="ptt",
        design=design,
        concentration=conc,
        setting={
            "wavelength_nm": laser.wavelength_nm,
            "irradiance_w_per_cm2": laser.irradiance_w_per_cm2,
            "spot_radius_mm": laser.spot_radius_mm,
            "duration_s": laser.duration_s,
        },
        site=site,
        source=source,
        duration_s=laser.duration_s,
        dt_s=dt_s,
        baseline_c=baseline_c,
        perfusion=tumor_perfusion_per_s,
        rows=rows + tissue_rows,
        notes=notes + tissue_notes,
        heating={
            "incident_w": source.incident_w,
            "absorbed_particles_w": source.absorbed_particles_w,
            "absorbed_tissue_w": source.absorbed_tissue_w,
            "particle_absorption_per_mm": np_mua,
        },
        delivery=delivery,
        damage_process=damage_process,
    )


def magnetic_treatment(
    design: Design,
    tumor_concentration_mg_per_ml: float,
    field: FieldSetting,
    site: TumorSite,
    *,
    baseline_c: float | None = None,
    step_mm: float = 0.5,
    dt_s: float = 5.0,
    tumor_perfusion_per_s: float | None = None,
    sigma_ln: float | None = None,
    immobilized: bool = True,
    damage_process: str = TUMOR_DAMAGE_PROCESS,
    delivery: TumorDelivery | None = None,
) -> TreatmentResult:
    """Alternating-field heating of a particle-loaded tumor (Rosensweig SAR → 2-D Pennes).

    Parameters
    ----------
    design
        The design (its core material and crystal size set the SAR).
    tumor_concentration_mg_per_ml
        Magnetic core mass per tumor volume (mg/mL), ≥ 0.
    field
        Amplitude (kA/m), frequency (kHz), duration (s).
    site
        Tumor radius and depth of its top (mm).
    baseline_c, step_mm, dt_s, tumor_perfusion_per_s, damage_process
        As in :func:`photothermal_treatment`.
    sigma_ln
        Crystal size dispersion (std of ln d); ``treatment.yaml`` if None.
    immobilized
        Particles bound in tissue (Néel relaxation only); False adds Brown relaxation in water.
    delivery
        The PBPK delivery behind the concentration, kept in the result.
    """
    conc = checked_concentration(tumor_concentration_mg_per_ml)
    particle, diameter, rows = magnetic_particle(design, immobilized)
    sigma = kb.size_dispersion_sigma_ln() if sigma_ln is None else sigma_ln
    h_a_per_m, f_hz = field.amplitude_ka_per_m * 1e3, field.frequency_khz * 1e3
    sar = specific_absorption_rate(diameter, particle, h_a_per_m, f_hz, 310.15, sigma)
    notes = field_limit_warnings(h_a_per_m, f_hz)
    for note in notes:
        warnings.warn(note, NanocloakWarning, stacklevel=2)
    if not sar.linear_response_valid:
        notes.append(
            f"Langevin parameter ξ = {sar.xi_max:.2g} > 1: Rosensweig's linear response "
            "overestimates the loss at this field (use dynamic hysteresis models)"
        )
    q = magnetic_power_density_w_per_m3(sar.sar_w_per_kg, conc)
    radius, depth = domain_mm(site, site.radius_mm, step_mm)
    try:
        sphere = uniform_sphere_source(
            site.radius_mm, site.depth_mm + site.radius_mm, q, radius, depth, step_mm
        )
    except ValueError as exc:
        raise SpecificationError(
            "step_mm", step_mm, "a grid step dividing the domain", str(exc)
        ) from None
    source = PttSource(
        r_m=sphere.r_m,
        z_m=sphere.z_m,
        source_w_per_m3=sphere.source_w_per_m3,
        tumor_mask=sphere.tumor_mask,
        node_volume_m3=sphere.node_volume_m3,
        incident_w=sphere.power_w,
        absorbed_particles_w=sphere.power_w,
        absorbed_tissue_w=0.0,
    )
    return simulate_treatment(
        modality="mht",
        design=design,
        concentration=conc,
        setting={
            "amplitude_ka_per_m": field.amplitude_ka_per_m,
            "frequency_khz": field.frequency_khz,
            "duration_s": field.duration_s,
            "h_times_f_a_per_m_s": h_a_per_m * f_hz,
        },
        site=site,
        source=source,
        duration_s=field.duration_s,
        dt_s=dt_s,
        baseline_c=baseline_c,
        perfusion=tumor_perfusion_per_s,
        rows=rows,
        notes=notes,
        heating={
            "sar_w_per_kg": sar.sar_w_per_kg,
            "ilp_nh_m2_per_kg": sar.ilp_nh_m2_per_kg,
            "power_density_w_per_m3": q,
            "power_w": sphere.power_w,
            "crystal_diameter_nm": diameter,
            "sigma_ln": sigma,
            "xi_max": sar.xi_max,
            "neel_s": sar.neel_s,
        },
        delivery=delivery,
        damage_process=damage_process,
    )


def treat_after_injection(
    design: Design,
    dose_mg_per_kg: float,
    after_h: float,
    site: TumorSite | None = None,
    *,
    laser: LaserSetting | None = None,
    field: FieldSetting | None = None,
    species: str = "mouse",
    tumor_line: str | None = None,
    **options: Any,
) -> TreatmentResult:
    """Inject, wait, treat: PBPK tumor content → laser (``laser``) or field (``field``) heating.

    Parameters
    ----------
    design
        The design.
    dose_mg_per_kg, after_h
        Injected dose (mg/kg) and time to treatment (h).
    site
        The tumor (default :meth:`TumorSite.default`).
    laser, field
        Exactly one: the treatment.
    species, tumor_line
        As in :func:`tumor_delivery_after`.
    **options
        Passed to :func:`photothermal_treatment` or :func:`magnetic_treatment`.
    """
    where = TumorSite.default() if site is None else site

    def delivered() -> TumorDelivery:
        return tumor_delivery_after(
            design, dose_mg_per_kg, after_h, species, where.radius_mm, tumor_line
        )

    if laser is not None and field is None:
        d = delivered()
        return photothermal_treatment(
            design, d.concentration_mg_per_ml, laser, where, delivery=d, **options
        )
    if field is not None and laser is None:
        d = delivered()
        return magnetic_treatment(
            design, d.concentration_mg_per_ml, field, where, delivery=d, **options
        )
    raise SpecificationError("treatment", "laser and field", "exactly one of laser or field")
