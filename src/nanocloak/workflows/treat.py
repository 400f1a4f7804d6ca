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
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from nanocloak import __version__
from nanocloak.domain.core import Cluster, Sphere
from nanocloak.domain.formulation import Design
from nanocloak.errors import KnowledgeBaseError, NanocloakWarning, SpecificationError
from nanocloak.kernels.magnetic.rosensweig import MagneticParticle, specific_absorption_rate
from nanocloak.kernels.optics.tissue import (
    blood_absorption_per_cm,
    reduced_scattering_per_cm,
    tissue_absorption_per_cm,
)
from nanocloak.kernels.thermal.damage import arrhenius_damage, cem43_min
from nanocloak.kernels.thermal.mht import magnetic_power_density_w_per_m3, uniform_sphere_source
from nanocloak.kernels.thermal.ptt import (
    PttSetup,
    PttSource,
    ThermalProperties,
    nanoparticle_absorption_per_mm,
    ptt_heat_source,
    simulate_ptt,
)
from nanocloak.kernels.thermal.skin import SkinThresholds, skin_burn_check
from nanocloak.knowledge import loader, physics
from nanocloak.knowledge import treatment as kb
from nanocloak.knowledge.schema import Value
from nanocloak.results.treatment import Cem43Summary, TreatmentResult, TumorDelivery
from nanocloak.workflows import calibrate_ptt
from nanocloak.workflows.simulate_design_pk import simulate_design_pk

#: Arrhenius pair for tumor damage. No tumor pair is sourced; the COMSOL liver-coagulation pair
#: (E_a 258 kJ/mol) is fitted to ablative temperatures and gives 40 % "damage" after 20 min at
#: 38 °C, so the Henriques protein-denaturation pair (628 kJ/mol, close to the 580 kJ/mol that
#: CEM43's R = 0.5 implies) is the default; ``damage_process`` switches it.
TUMOR_DAMAGE_PROCESS = "skin_henriques"
SKIN_DAMAGE_PROCESS = "skin_henriques"
HOST_TISSUE = "muscle"
MIN_DOMAIN_MM = 15.0
RADIUS_MISMATCH = 0.25


@dataclass(frozen=True, slots=True)
class LaserSetting:
    """A continuous-wave laser: wavelength (nm), mean irradiance over the spot (W/cm²),
    flat-top spot radius (mm) and irradiation time (s)."""

    wavelength_nm: float
    irradiance_w_per_cm2: float
    spot_radius_mm: float
    duration_s: float

    def __post_init__(self) -> None:
        _positive("laser.wavelength", self.wavelength_nm, "nm")
        _positive("laser.irradiance", self.irradiance_w_per_cm2, "W/cm2")
        _positive("laser.spot_radius", self.spot_radius_mm, "mm")
        _positive("laser.duration", self.duration_s, "s")


@dataclass(frozen=True, slots=True)
class FieldSetting:
    """An alternating magnetic field: amplitude H (kA/m), frequency f (kHz), duration (s)."""

    amplitude_ka_per_m: float
    frequency_khz: float
    duration_s: float

    def __post_init__(self) -> None:
        _positive("field.amplitude", self.amplitude_ka_per_m, "kA/m")
        _positive("field.frequency", self.frequency_khz, "kHz")
        _positive("field.duration", self.duration_s, "s")


@dataclass(frozen=True, slots=True)
class TumorSite:
    """A spherical subcutaneous tumor: radius (mm) and depth of its top below the skin (mm)."""

    radius_mm: float
    depth_mm: float

    def __post_init__(self) -> None:
        _positive("site.radius", self.radius_mm, "mm")
        if not (math.isfinite(self.depth_mm) and self.depth_mm >= 0.0):
            raise SpecificationError("site.depth", f"{self.depth_mm} mm", "a depth >= 0 mm")

    @classmethod
    def default(cls) -> TumorSite:
        """The knowledge base's default mouse tumor (``treatment.yaml`` site)."""
        return cls(kb.default_tumor_radius_mm(), kb.default_tumor_top_mm())


def _positive(name: str, value: float, unit: str) -> None:
    if not (math.isfinite(value) and value > 0.0):
        raise SpecificationError(name, f"{value} {unit}", f"a positive number of {unit}")


# --- parameters and their provenance ------------------------------------------------------------
def _row(name: str, value: Value, unit: str) -> dict[str, Any]:
    return {
        "name": name,
        "value": value.to(unit),
        "unit": unit,
        "source": value.source,
        "status": value.status,
    }


def _derived(name: str, number: float, unit: str, source: str) -> dict[str, Any]:
    return {"name": name, "value": number, "unit": unit, "source": source, "status": "derived"}


@cache
def calibrated_tumor_perfusion_per_s() -> float:
    """Tumor perfusion fitted to the review's RBC-MNs-E photothermal rise (1/s)."""
    return calibrate_ptt.calibrate().fitted_perfusion_per_s


def core_optics(
    material: str, wavelength_nm: float
) -> tuple[float, float, list[dict[str, Any]], list[str]]:
    """Mass extinction (L g⁻¹ cm⁻¹) and absorption share of a core at a tabulated laser line."""
    entry = loader.core_materials()[material]
    lines = sorted(
        int(m.group(1))
        for key in entry.properties
        if (m := re.fullmatch(r"mass_extinction_(\d+)nm", key)) is not None
    )
    if not lines:
        raise SpecificationError(
            "core.material",
            material,
            "a core with tabulated NIR optics for photothermal therapy",
            f"{entry.name} has no mass extinction in core_materials.yaml.",
        )
    wl = round(wavelength_nm)
    if wl not in lines or abs(wavelength_nm - wl) > 1e-6:
        raise SpecificationError(
            "--laser",
            f"{wavelength_nm:g} nm",
            f"one of {', '.join(f'{x} nm' for x in lines)}",
            f"The mass extinction of {entry.name} is tabulated only at these lines "
            "(core_materials.yaml); no spectra module interpolates between them.",
        )
    ext = entry.properties[f"mass_extinction_{wl}nm"]
    rows = [_row(f"{material} mass extinction at {wl} nm", ext, "L/g/cm")]
    notes: list[str] = []
    share_key = f"absorption_to_extinction_{wl}nm"
    if share_key in entry.properties:
        share = entry.properties[share_key].to("dimensionless")
        rows.append(
            _row(
                f"{material} absorption share at {wl} nm",
                entry.properties[share_key],
                "dimensionless",
            )
        )
    else:
        share = 1.0
        notes.append(
            f"absorption share of {material} at {wl} nm is not tabulated: all extinction is "
            "taken as absorbed (an upper bound on particle heating)"
        )
        rows.append(
            {
                "name": f"{material} absorption share at {wl} nm",
                "value": 1.0,
                "unit": "dimensionless",
                "source": "nanocloak_assumption",
                "status": "assumed",
            }
        )
    return ext.to("L/g/cm"), share, rows, notes


def tissue_optics(wavelength_nm: float) -> tuple[float, float, list[dict[str, Any]], list[str]]:
    """Tumor tissue absorption and reduced scattering (mm⁻¹) at a laser line (Jacques 2013)."""
    wl = round(wavelength_nm)
    cal = calibrate_ptt.calibration_values()
    notes: list[str] = []

    def absorber(name: str, unit: str) -> float:
        try:
            return physics.absorber_value(name, wl).to(unit)
        except KnowledgeBaseError:
            notes.append(
                f"{name} absorption at {wl} nm is not tabulated; left out (tissue "
                "absorption is a lower bound)"
            )
            return 0.0

    oxy, deoxy = absorber("oxyhemoglobin", "1/(cm*M)"), absorber("deoxyhemoglobin", "1/(cm*M)")
    mua_cm = tissue_absorption_per_cm(
        blood_fraction=cal["tumor.blood_fraction"].to("dimensionless"),
        saturation=cal["tumor.saturation"].to("dimensionless"),
        mua_oxy_blood_per_cm=blood_absorption_per_cm(oxy, deoxy, 1.0),
        mua_deoxy_blood_per_cm=blood_absorption_per_cm(oxy, deoxy, 0.0),
        water_fraction=cal["tumor.water_fraction"].to("dimensionless"),
        mua_water_per_cm=absorber("water", "1/cm"),
    )
    a, b = physics.scattering_law("soft_tissue")
    musp_cm = float(reduced_scattering_per_cm(wavelength_nm, a, b))
    rows = [
        _derived(
            "tissue absorption μa",
            mua_cm / 10.0,
            "1/mm",
            "jacques2013 composition; prahl_hemoglobin; hale_querry1973",
        ),
        _derived("tissue reduced scattering μs'", musp_cm / 10.0, "1/mm", "jacques2013"),
        _row("tissue anisotropy g", physics.tissue_properties().anisotropy, "dimensionless"),
        _row(
            "tissue refractive index", physics.tissue_properties().refractive_index, "dimensionless"
        ),
    ]
    return mua_cm / 10.0, musp_cm / 10.0, rows, notes


def _thermal(name: str, perfusion_per_s: float | None = None) -> ThermalProperties:
    si = physics.thermal_si(name)
    return ThermalProperties(
        si["density_kg_per_m3"],
        si["heat_capacity_j_per_kg_k"],
        si["conductivity_w_per_m_k"],
        si["perfusion_per_s"] if perfusion_per_s is None else perfusion_per_s,
    )


def _thermal_rows(perfusion: float, fitted: bool, damage_process: str) -> list[dict[str, Any]]:
    props = physics.tissue_properties()
    rows = []
    for tissue in ("tumor", HOST_TISSUE):
        entry = props.thermal[tissue]
        rows += [
            _row(f"{tissue} density", entry.density, "kg/m^3"),
            _row(f"{tissue} heat capacity", entry.heat_capacity, "J/(kg*K)"),
            _row(f"{tissue} conductivity", entry.conductivity, "W/(m*K)"),
        ]
    host = props.thermal[HOST_TISSUE].perfusion
    if host is not None:
        rows.append(_row(f"{HOST_TISSUE} perfusion", host, "1/s"))
    rows.append(
        {
            "name": "tumor perfusion",
            "value": perfusion,
            "unit": "1/s",
            "source": "calibrate_ptt (fit to song2022 RBC-MNs-E 34.5→55.2 °C)"
            if fitted
            else "user",
            "status": "fitted" if fitted else "given",
        }
    )
    rows.append(_row("skin heat transfer", props.boundary["skin_heat_transfer"], "W/(m^2*K)"))
    damage = props.damage.arrhenius
    for label, process in (("tumor", damage_process), ("skin", SKIN_DAMAGE_PROCESS)):
        rows.append(
            _row(f"{label} Arrhenius A ({process})", damage[process].frequency_factor, "1/s")
        )
        rows.append(
            _row(f"{label} Arrhenius Ea ({process})", damage[process].activation_energy, "J/mol")
        )
    for path, value in kb.values().items():
        if path.startswith("skin."):
            rows.append(_row(path, value, value.unit))
    return rows


def _domain_mm(site: TumorSite, lateral_mm: float, step_mm: float) -> tuple[float, float]:
    def whole(x: float) -> float:
        return math.ceil(x / step_mm - 1e-9) * step_mm

    radius = whole(max(MIN_DOMAIN_MM, lateral_mm + 5.0, 3.0 * site.radius_mm))
    depth = whole(max(MIN_DOMAIN_MM, site.depth_mm + 2.0 * site.radius_mm + 7.0))
    return radius, depth


def _steps(duration_s: float, dt_s: float) -> float:
    if not (math.isfinite(dt_s) and dt_s > 0.0):
        raise SpecificationError("dt_s", dt_s, "a positive time step in s")
    return duration_s / max(1, math.ceil(duration_s / dt_s - 1e-9))


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> np.ndarray:
    """Per row of ``values`` (nt, n): the value below which the share ``q`` of the weight lies."""
    order = np.argsort(values, axis=1)
    v = np.take_along_axis(values, order, axis=1)
    cw = np.cumsum(weights[order], axis=1)
    cw /= cw[:, -1:]
    idx = np.argmax(cw >= q, axis=1)
    return np.asarray(v[np.arange(v.shape[0]), idx], dtype=float)


def _simulate(
    *,
    modality: str,
    design: Design,
    concentration: float,
    setting: dict[str, float],
    site: TumorSite,
    source: PttSource,
    duration_s: float,
    dt_s: float,
    baseline_c: float | None,
    perfusion: float | None,
    rows: list[dict[str, Any]],
    notes: list[str],
    heating: dict[str, float],
    delivery: TumorDelivery | None,
    damage_process: str,
) -> TreatmentResult:
    if not np.any(source.tumor_mask):
        step = float(source.r_m[1] - source.r_m[0]) * 1e3
        raise SpecificationError(
            "step_mm",
            step,
            f"a grid step that puts nodes inside a {site.radius_mm:g}-mm tumor",
            "Use a step at most the tumor radius.",
        )
    fitted = perfusion is None
    omega_b = calibrated_tumor_perfusion_per_s() if perfusion is None else perfusion
    base = kb.baseline_tumor_c() if baseline_c is None else baseline_c
    h = physics.tissue_properties().boundary["skin_heat_transfer"].to("W/(m^2*K)")
    dt = _steps(duration_s, dt_s)
    run = simulate_ptt(source, _thermal("tumor", omega_b), _thermal(HOST_TISSUE), h, duration_s, dt)
    temp = base + run.pennes.temperature_c  # (nt, nr, nz)
    t = run.t_s
    mask = source.tumor_mask
    weights = source.node_volume_m3[mask]
    a_t, e_t = physics.arrhenius_pair(damage_process)
    dose_map = cem43_min(t, temp)
    damage_map = 1.0 - np.exp(-arrhenius_damage(t, temp, a_t, e_t))
    t90 = _weighted_quantile(temp[:, mask], weights, 0.10)
    a_s, e_s = physics.arrhenius_pair(SKIN_DAMAGE_PROCESS)
    th = kb.skin_thresholds()
    limits = SkinThresholds(
        omega_burn=th["omega_first_degree"],
        cem43_necrosis_min=th["cem43_necrosis_min"],
        cem43_limit_min=th["cem43_limit_min"],
        injury_onset_c=th["injury_onset_c"],
        frequency_factor_per_s=a_s,
        activation_j_per_mol=e_s,
    )
    r_mm = source.r_m * 1e3
    over = r_mm <= site.radius_mm
    skin_over = skin_burn_check(t, temp[:, over, 0], limits)
    skin_beside = skin_burn_check(t, temp[:, ~over, 0], limits)
    warn = list(notes)
    if skin_beside.burn:
        warn.append("normal skin beside the tumor burns: " + "; ".join(skin_beside.reasons))
    elif skin_beside.over_limit:
        warn.append(
            "normal skin beside the tumor exceeds a safety limit: " + "; ".join(skin_beside.reasons)
        )
    if skin_over.burn:
        warn.append(
            "skin over the tumor burns (expected when the tumor is heated through it): "
            + "; ".join(skin_over.reasons)
        )
    p = run.pennes
    energy = {
        "deposited": float(p.deposited_j[-1]),
        "stored": float(p.stored_j[-1]),
        "perfusion": float(p.perfusion_j[-1]),
        "surface": float(p.surface_j[-1]),
        "boundary": float(p.boundary_j[-1]),
        "residual": float(p.balance_residual_j[-1]),
    }
    params = rows + _thermal_rows(omega_b, fitted, damage_process)
    params.append(
        _row("baseline tumor temperature", kb.value("baseline.tumor_temperature"), "degC")
        if baseline_c is None
        else {
            "name": "baseline tumor temperature",
            "value": base,
            "unit": "degC",
            "source": "user",
            "status": "given",
        }
    )
    return TreatmentResult(
        modality=modality,
        design=design.name,
        concentration_mg_per_ml=concentration,
        setting=setting,
        site={"tumor_radius_mm": site.radius_mm, "tumor_top_depth_mm": site.depth_mm},
        baseline_c=base,
        t_s=t,
        tumor_max_c=base + run.tumor_max_rise_k,
        tumor_mean_c=base + run.tumor_mean_rise_k,
        skin_max_c=base + run.surface_max_rise_k,
        tumor_cem43_min=Cem43Summary(
            volume_mean=float(np.average(dose_map[mask], weights=weights)),
            t90=float(cem43_min(t, t90)),
            maximum=float(np.max(dose_map[mask])),
        ),
        tumor_damage_fraction=float(np.average(damage_map[mask], weights=weights)),
        skin_burn=skin_beside.burn,
        skin=skin_beside,
        skin_over_tumor=skin_over,
        warnings=tuple(warn),
        r_mm=r_mm,
        z_mm=source.z_m * 1e3,
        final_temperature_c=temp[-1],
        damage_fraction=damage_map,
        tumor_mask=mask,
        energy_j=energy,
        heating=heating,
        provenance={
            "parameters": params,
            "fitted": ["tumor perfusion (calibrate_ptt)"] if fitted else [],
            "assumptions": [
                "uniform particle concentration in a spherical tumor",
                "baseline temperature uniform over the modelled region; rise by linear Pennes",
                f"tumor damage by the {damage_process} Arrhenius pair; skin by "
                f"{SKIN_DAMAGE_PROCESS}",
                f"host tissue {HOST_TISSUE}",
            ],
            "solver": {
                "step_mm": float(r_mm[1] - r_mm[0]),
                "dt_s": dt,
                "scheme": "Crank-Nicolson",
                "domain_radius_mm": float(r_mm[-1]),
                "domain_depth_mm": float(source.z_m[-1] * 1e3),
            },
            "nanocloak_version": __version__,
        },
        delivery=delivery,
    )


def _concentration(value: float) -> float:
    if not (math.isfinite(value) and value >= 0.0):
        raise SpecificationError("concentration", f"{value} mg/mL", "a concentration >= 0 mg/mL")
    return float(value)


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
    conc = _concentration(tumor_concentration_mg_per_ml)
    material = design.core.material
    ext, share, rows, notes = core_optics(material, laser.wavelength_nm)
    mua, musp, tissue_rows, tissue_notes = tissue_optics(laser.wavelength_nm)
    radius, depth = _domain_mm(site, laser.spot_radius_mm, step_mm)
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
    return _simulate(
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


def magnetic_particle(
    design: Design, immobilized: bool = True
) -> tuple[MagneticParticle, float, list[dict[str, Any]]]:
    """Rosensweig parameters and magnetic-crystal diameter (nm) of a design's core."""
    material = design.core.material
    entry = loader.core_materials()[material]
    props = entry.properties
    if "saturation_magnetization" not in props or "anisotropy_constant" not in props:
        magnetic = sorted(
            k
            for k, e in loader.core_materials().items()
            if "saturation_magnetization" in e.properties
        )
        raise SpecificationError("core.material", material, f"a magnetic core: one of {magnetic}")
    shape = design.core.geometry
    if isinstance(shape, Cluster):
        diameter = float(shape.crystal_diameter.to("nm").magnitude)
    elif isinstance(shape, Sphere):
        diameter = float(shape.diameter.to("nm").magnitude)
    else:
        raise SpecificationError(
            "core.geometry.kind", shape.kind, "a sphere or a cluster of crystals"
        )
    mag = physics.magnetic_constants()
    particle = MagneticParticle(
        magnetization_a_per_m=props["saturation_magnetization"].to("A/m"),
        anisotropy_j_per_m3=props["anisotropy_constant"].to("J/m^3"),
        density_kg_per_m3=entry.density.to("kg/m^3"),
        shell_nm=mag.magnetite["surfactant_shell"].to("nm"),
        attempt_time_s=mag.magnetite["attempt_time"].to("s"),
        # particles bound in tissue cannot rotate: Brownian relaxation is blocked
        viscosity_pa_s=math.inf if immobilized else mag.water["viscosity_37c"].to("Pa*s"),
    )
    rows = [
        _row(f"{material} saturation magnetization", props["saturation_magnetization"], "A/m"),
        _row(f"{material} anisotropy constant", props["anisotropy_constant"], "J/m^3"),
        _row(f"{material} density", entry.density, "kg/m^3"),
        _row("Néel attempt time", mag.magnetite["attempt_time"], "s"),
        _row("crystal size dispersion σ_ln", kb.value("magnetic.size_dispersion"), "dimensionless"),
    ]
    return particle, diameter, rows


def field_limit_warnings(amplitude_a_per_m: float, frequency_hz: float) -> list[str]:
    """Warnings for H·f above Brezovich's and Hergt–Dutz's limits (magnetic_constants.yaml)."""
    limits = physics.magnetic_constants().field_limits
    product = amplitude_a_per_m * frequency_hz
    out = []
    for name, label in (
        ("brezovich", "Brezovich (large body regions)"),
        ("hergt_dutz", "Hergt–Dutz (small regions)"),
    ):
        limit = limits[name].to("A/(m*s)")
        if product > limit:
            out.append(
                f"H·f = {product:.3g} A/(m s) exceeds the {label} limit {limit:.3g} A/(m s): "
                "eddy-current heating of tissue becomes unsafe"
            )
    return out


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
    conc = _concentration(tumor_concentration_mg_per_ml)
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
    radius, depth = _domain_mm(site, site.radius_mm, step_mm)
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
    return _simulate(
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


def tumor_delivery_after(
    design: Design,
    dose_mg_per_kg: float,
    after_h: float,
    species: str = "mouse",
    tumor_radius_mm: float | None = None,
    tumor_line: str | None = None,
    *,
    mechanisms: Any = None,
) -> TumorDelivery:
    """Tumor content of a design ``after_h`` after an IV bolus, from its PBPK model.

    The PBPK tumor's µg/g is taken as the concentration of the treated tumor (an intensive
    quantity: the model's tumor blood flow scales with its volume); a note records when the
    treated tumor's radius differs from the PBPK tumor's by more than 25 %.

    Parameters
    ----------
    design
        The design (manufacture → coverage → membrane mechanisms).
    dose_mg_per_kg
        Injected core dose (mg/kg).
    after_h
        Time from injection to treatment (h), > 0.
    species
        ``"mouse"`` or ``"rat"``.
    tumor_radius_mm
        Radius of the treated tumor (mm), for the size check only.
    tumor_line
        Tumor cell line for homotypic targeting (e.g. ``"4T1"``).
    mechanisms
        Membrane mechanisms switched on (default all), see ``simulate_design_pk``.
    """
    _positive("--after", after_h, "h")
    _positive("--dose", dose_mg_per_kg, "mg/kg")
    pk = simulate_design_pk(
        design,
        dose_mg_per_kg,
        species,
        until_h=after_h + 1.0,
        tumor_line=tumor_line,
        mechanisms=mechanisms,
    )
    ug_per_g = float(np.interp(after_h, pk.t_h, pk.series("tumor", "ug/g")))
    pct = float(np.interp(after_h, pk.t_h, pk.series("tumor", "%ID")))
    mass_g = float(pk.mass_g[0, pk.outputs.index("tumor")])
    pbpk_radius = (3.0 * mass_g * 1e3 / (4.0 * math.pi)) ** (1.0 / 3.0)  # 1 g = 1000 mm³
    subs = pk.solver["membrane_layer"]["subpopulations"]
    shares = [(float(s["coverage"]), float(s["share"])) for s in subs]
    names = sorted({k for s in subs for k in s["factors"]})
    factors = {n: float(sum(s["share"] * s["factors"].get(n, 1.0) for s in subs)) for n in names}
    notes = []
    if tumor_radius_mm is not None and abs(tumor_radius_mm / pbpk_radius - 1.0) > RADIUS_MISMATCH:
        notes.append(
            f"the treated tumor (radius {tumor_radius_mm:g} mm) differs from the PBPK tumor "
            f"({mass_g:.3g} g, radius {pbpk_radius:.2f} mm); its µg/g is used as the concentration"
        )
    return TumorDelivery(
        design=design.name,
        dose_mg_per_kg=float(dose_mg_per_kg),
        after_h=float(after_h),
        species=species,
        concentration_mg_per_ml=ug_per_g / 1000.0,
        tumor_ug_per_g=ug_per_g,
        tumor_percent_id=pct,
        pbpk_tumor_mass_g=mass_g,
        pbpk_tumor_radius_mm=pbpk_radius,
        mean_coverage=float(sum(c * w for c, w in shares)),
        coverage_shares=tuple(shares),
        mechanism_factors=factors,
        notes=tuple(notes),
    )


def tumor_concentration_after(
    design: Design,
    dose_mg_per_kg: float,
    after_h: float,
    species: str = "mouse",
    tumor_radius_mm: float | None = None,
    tumor_line: str | None = None,
) -> float:
    """Core concentration in the tumor (mg/mL) ``after_h`` after an IV dose (PBPK model)."""
    return tumor_delivery_after(
        design, dose_mg_per_kg, after_h, species, tumor_radius_mm, tumor_line
    ).concentration_mg_per_ml


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
