"""Imaging verbs: NIR fluorescence and T2-weighted MRI over time from a PBPK result, IR images.

* :func:`fluorescence_time_course` — organ concentrations from a :class:`PkResult` (µg core per
  g) → fluorophore absorption (a dye loaded at ``loading_ug_per_mg`` per mg of core, or the
  upconverting core itself) → :func:`~nanocloak.kernels.imaging.fluorescence.fluorescence_signal`
  with tissue optics at the excitation and emission wavelengths.
* :func:`mri_darkening` — organ concentrations → iron (mM) → spin-echo darkening, with r2 from the
  knowledge base (``core_materials.yaml``, scaled to the field) or the outer-sphere estimate for
  the core size, so formulations that put different amounts of iron in the tumor give different
  numbers.
* :func:`thermal_image` — an axisymmetric skin temperature → IR-camera image.
* :func:`~nanocloak.workflows.core_extinction.core_mass_extinction` — absorption/scattering of a
  designed core at a wavelength by the mechanism fitting its geometry (its own module,
  re-exported here).

Tissue optics: μ_s' from the Jacques 2013 ``soft_tissue`` law at any wavelength; μ_a from the
composition in ``imaging.yaml`` (blood, saturation, water; eq. 12) at the tabulated lines 660,
808 and 980 nm, interpolated linearly in between and taken from the nearest line outside (said
so in the result's provenance).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nanocloak.domain.core import Cluster, Core, Sphere
from nanocloak.domain.formulation import Formulation
from nanocloak.errors import KnowledgeBaseError, SpecificationError
from nanocloak.kernels.imaging import fluorescence as fl
from nanocloak.kernels.imaging.mri_map import iron_mm_from_core_ug_per_g, t2_weighted_map
from nanocloak.kernels.imaging.thermal_camera import thermal_image as camera_image
from nanocloak.kernels.magnetic.mri import outer_sphere_r2, volume_fraction_per_mm_iron
from nanocloak.kernels.optics import spectra
from nanocloak.kernels.optics.diffusion import delta_p1_medium
from nanocloak.kernels.optics.tissue import (
    blood_absorption_per_cm,
    reduced_scattering_per_cm,
    tissue_absorption_per_cm,
)
from nanocloak.knowledge import imaging as kb
from nanocloak.knowledge import loader, physics
from nanocloak.knowledge.schema import Value
from nanocloak.results.imaging import FluorescenceResult, MriResult, ThermalImageResult
from nanocloak.results.pk import PkResult
from nanocloak.workflows.core_extinction import core_mass_extinction

__all__ = [
    "core_mass_extinction",
    "fluorescence_time_course",
    "mri_darkening",
    "r2_for_core",
    "thermal_image",
    "tissue_optics_per_mm",
]

ABSORPTION_LINES_NM = (660, 808, 980)
DEFAULT_DEPTHS_MM = {"tumor": 2.0, "liver": 4.0, "spleen": 5.0, "kidney": 6.0, "lung": 6.0}


def tissue_optics_per_mm(wavelength_nm: float) -> tuple[float, float, str]:
    """``(μ_a, μ_s', note)`` of soft tissue (mm⁻¹) at ``wavelength_nm`` (see module)."""
    comp = kb.imaging_constants().optics_composition
    values = []
    for line in ABSORPTION_LINES_NM:
        oxy = physics.absorber_value("oxyhemoglobin", line).to("1/(cm*M)")
        deoxy = physics.absorber_value("deoxyhemoglobin", line).to("1/(cm*M)")
        water = physics.tissue_properties().absorbers["water"].get(line)
        values.append(
            tissue_absorption_per_cm(
                blood_fraction=comp["blood_fraction"].value,
                saturation=comp["saturation"].value,
                mua_oxy_blood_per_cm=blood_absorption_per_cm(oxy, deoxy, 1.0),
                mua_deoxy_blood_per_cm=blood_absorption_per_cm(oxy, deoxy, 0.0),
                water_fraction=comp["water_fraction"].value,
                mua_water_per_cm=0.0 if water is None else water.to("1/cm"),
            )
        )
    lo, hi = ABSORPTION_LINES_NM[0], ABSORPTION_LINES_NM[-1]
    note = "interpolated between tabulated lines"
    if not lo <= wavelength_nm <= hi:
        nearest = lo if wavelength_nm < lo else hi
        note = f"absorption taken from the nearest tabulated line ({nearest} nm)"
    mua_cm = float(np.interp(wavelength_nm, ABSORPTION_LINES_NM, values))
    a, b = physics.scattering_law("soft_tissue")
    musp_cm = float(reduced_scattering_per_cm(wavelength_nm, a, b))
    return mua_cm / 10.0, musp_cm / 10.0, note


def _medium(wavelength_nm: float) -> tuple[Any, str]:
    mua, musp, note = tissue_optics_per_mm(wavelength_nm)
    props = physics.tissue_properties()
    medium = delta_p1_medium(mua, musp, props.anisotropy.value, props.refractive_index.value)
    return medium, note


def _required(value: Value | None, label: str) -> Value:
    if value is None:
        raise KnowledgeBaseError(f"imaging.yaml: fluorophore {label!r} lacks a needed constant")
    return value


def _times(pk: PkResult, times_h: Sequence[float] | None) -> np.ndarray:
    t = np.asarray(pk.t_h if times_h is None else list(times_h), dtype=float)
    if t.size == 0 or np.any(t < pk.t_h[0]) or np.any(t > pk.t_h[-1]):
        raise SpecificationError(
            "times", list(t), f"times within the simulation, {pk.t_h[0]:g}-{pk.t_h[-1]:g} h"
        )
    return t


def _organ_ug_per_g(
    pk: PkResult, organs: Sequence[str], t: np.ndarray, subject: int = 0
) -> dict[str, np.ndarray]:
    if not 0 <= subject < pk.n_subjects:
        raise SpecificationError("subject", subject, f"0 to {pk.n_subjects - 1}")
    out = {}
    for organ in organs:
        if organ not in pk.outputs:
            raise SpecificationError("organs", organ, f"one of {list(pk.outputs)}")
        out[organ] = np.interp(t, pk.t_h, pk.series(organ, "ug/g", subject))
    return out


def fluorescence_time_course(
    pk: PkResult,
    label: str,
    organs: Sequence[str] = ("tumor", "liver", "spleen"),
    depth_mm: float | Mapping[str, float] | None = None,
    *,
    times_h: Sequence[float] | None = None,
    loading_ug_per_mg: float = 10.0,
    thickness_mm: float = 3.0,
    irradiance_w_per_cm2: float = 0.1,
    ucnp_diameter_nm: float = 25.0,
    formulation: str = "",
    subject: int = 0,
) -> FluorescenceResult:
    """NIR fluorescence of ``organs`` over time after the dose simulated in ``pk``.

    Parameters
    ----------
    pk
        Biodistribution (core mass in organs over time).
    label
        Fluorophore in ``imaging.yaml`` (``icg``, ``ir780``, ``dir``, ``cy55``, ``ucnp_er``).
    organs
        PBPK outputs to image.
    depth_mm
        Depth of each organ's top below the skin (mm): one number for all, a mapping, or None
        for the defaults (tumor 2, liver 4, spleen 5 mm).
    times_h
        Imaging times (h) within the simulation; default every output time.
    loading_ug_per_mg
        Dye per core mass (µg/mg); ignored for an upconverting core.
    thickness_mm
        Thickness of the fluorescent organ layer (mm).
    irradiance_w_per_cm2
        Excitation irradiance (W/cm²); sets the upconversion yield.
    ucnp_diameter_nm
        Diameter of upconverting cores (nm).
    formulation
        Name carried into the result.
    subject
        Which PBPK subject (animal) of ``pk`` to image.
    """
    dye = kb.fluorophore(label)
    t = _times(pk, times_h)
    depths = {
        o: float(
            depth_mm[o]
            if isinstance(depth_mm, Mapping)
            else depth_mm
            if depth_mm is not None
            else DEFAULT_DEPTHS_MM.get(o, 3.0)
        )
        for o in organs
    }
    ex_nm, em_nm = dye.excitation_peak.to("nm"), dye.emission_peak.to("nm")
    excitation, ex_note = _medium(ex_nm)
    emission, em_note = _medium(em_nm)
    auto = kb.imaging_constants().autofluorescence
    anti_stokes = em_nm < ex_nm
    density = kb.imaging_constants().mri.tissue_density.to("g/mL")
    core_ug_per_g = _organ_ug_per_g(pk, organs, t, subject)
    if dye.kind == "ucnp":
        unit = "particles_per_ml"
        core_density = loader.core_materials()["ucnp_yb_er"].density.to("g/cm^3")
        volume_nm3 = math.pi * ucnp_diameter_nm**3 / 6.0
        particle_ug = core_density * volume_nm3 * 1e-21 * 1e6
        sigma_cm2 = (
            _required(dye.yb_fraction, label).value
            * _required(dye.rare_earth_sites_per_nm3, label).to("1/nm^3")
            * volume_nm3
            * _required(dye.yb_absorption_cross_section, label).to("cm^2")
        )
        conc = {o: c * density / particle_ug for o, c in core_ug_per_g.items()}
        mu = {o: c * sigma_cm2 / 10.0 for o, c in conc.items()}
        critical = _required(dye.critical_power_density, label).to("W/cm^2")
    else:
        unit = "uM"
        wl, eps = kb.extinction_spectrum(label)
        epsilon = spectra.interpolate_tabulated(ex_nm, wl, eps)
        molar = _required(dye.molar_mass, label).to("g/mol")
        conc = {
            o: c * loading_ug_per_mg / 1000.0 * density / molar * 1000.0
            for o, c in core_ug_per_g.items()
        }
        mu = {
            o: np.array([fl.dye_absorption_per_mm(x, epsilon) for x in c]) for o, c in conc.items()
        }
        critical = None
    signal, background, sbr = {}, {}, {}
    for organ in organs:
        values = [
            fl.fluorescence_signal(
                excitation,
                emission,
                float(m),
                dye.quantum_yield.value,
                depths[organ],
                thickness_mm,
                critical_w_per_cm2=critical,
                irradiance_w_per_cm2=irradiance_w_per_cm2,
                autofluorescence_yield=(
                    auto["yield_anti_stokes"] if anti_stokes else auto["yield_nir1"]
                ).value,
                filter_leakage=auto["filter_leakage"].value,
            )
            for m in mu[organ]
        ]
        signal[organ] = np.array([v.signal for v in values])
        background[organ] = np.array([v.background for v in values])
        sbr[organ] = np.array([v.signal_to_background for v in values])
    return FluorescenceResult(
        formulation=formulation or pk.species,
        label=label,
        organs=tuple(organs),
        t_h=t,
        depth_mm=depths,
        signal=signal,
        background=background,
        sbr=sbr,
        concentration=conc,
        concentration_unit=unit,
        settings={
            "excitation_nm": ex_nm,
            "emission_nm": em_nm,
            "irradiance_w_per_cm2": irradiance_w_per_cm2,
            "thickness_mm": thickness_mm,
            "loading_ug_per_mg": None if dye.kind == "ucnp" else loading_ug_per_mg,
            "dose_mg_per_kg": pk.dose_mg_per_kg,
        },
        provenance={
            "excitation_absorption": ex_note,
            "emission_absorption": em_note,
            "sources": {
                "quantum_yield": dye.quantum_yield.source,
                "autofluorescence": auto["yield_nir1"].source,
            },
        },
    )


def r2_for_core(core: Core, field_t: float, method: str = "auto") -> tuple[float, float, str]:
    """``(r2, r1, origin)`` in s⁻¹ mM⁻¹ of an iron-oxide core at ``field_t``.

    ``method``: ``"knowledge"`` (``core_materials.yaml`` r2 × field ratio), ``"outer_sphere"``
    (motional-averaging estimate for the crystal or sphere size), or ``"auto"`` (knowledge when
    tabulated, else outer sphere).
    """
    entry = loader.core_materials()[core.material]
    if entry.family != "iron_oxide":
        raise SpecificationError(
            "core.material", core.material, "an iron-oxide core for T2 MRI contrast"
        )
    props = entry.properties
    r1 = props["r1_relaxivity"].to("1/mM/s") if "r1_relaxivity" in props else 0.0
    if method not in ("auto", "knowledge", "outer_sphere"):
        raise SpecificationError("r2", method, "'auto', 'knowledge' or 'outer_sphere'")
    if method != "outer_sphere" and "r2_relaxivity" in props:
        ratio = kb.r2_field_ratio(field_t)
        value = props["r2_relaxivity"]
        return (
            value.to("1/mM/s") * ratio,
            r1,
            f"core_materials.yaml ({value.source}) x field ratio {ratio:g}",
        )
    if method == "knowledge":
        raise SpecificationError("r2", method, f"a tabulated r2 for {core.material}")
    shape = core.geometry
    if isinstance(shape, (Cluster, Sphere)):
        diameter = float(shape.diameter.to("nm").magnitude)
    else:
        raise SpecificationError("core.geometry", shape.kind, "a sphere or cluster of iron oxide")
    mag = physics.magnetic_constants()
    fraction = volume_fraction_per_mm_iron(
        mag.magnetite["density"].to("kg/m^3"), mag.magnetite["molar_mass"].to("g/mol"), 3.0
    )
    ms = props["saturation_magnetization"].to("A/m")
    if isinstance(shape, Cluster):
        packing = props["packing_fraction"].value
        fraction, ms = fraction / packing, ms * packing  # the cluster is the magnetised sphere
    est = outer_sphere_r2(diameter, ms, mag.water["self_diffusion_37c"].to("m^2/s"), fraction)
    regime = "valid" if est.motional_averaging_valid else "outside motional averaging"
    return est.r2_per_mm_s, r1, f"outer-sphere estimate, {diameter:g} nm ({regime})"


def mri_darkening(
    pk: PkResult,
    design: Formulation,
    field_t: float = 3.0,
    te_ms: float = 40.0,
    tr_ms: float = 3000.0,
    organs: Sequence[str] = ("tumor", "liver", "spleen"),
    *,
    times_h: Sequence[float] | None = None,
    r2: str = "auto",
    subject: int = 0,
) -> MriResult:
    """Percent T2-weighted (spin-echo) signal drop of ``organs`` over time.

    Parameters
    ----------
    pk
        Biodistribution of ``design`` (core mass in organs).
    design
        The formulation (its iron-oxide core sets r2 and r1).
    field_t
        Main field (1.5, 3 or 7 T).
    te_ms, tr_ms
        Echo and repetition times (ms).
    organs
        PBPK outputs with tabulated relaxation times (tumor, liver, spleen, muscle).
    times_h
        Imaging times (h); default every output time.
    r2
        ``"auto"``, ``"knowledge"`` or ``"outer_sphere"`` (see :func:`r2_for_core`).
    subject
        Which PBPK subject (animal) of ``pk`` to image.
    """
    if te_ms <= 0.0 or tr_ms <= te_ms:
        raise SpecificationError("te/tr", (te_ms, tr_ms), "0 < TE < TR (ms)")
    r2_value, r1_value, origin = r2_for_core(design.core, field_t, r2)
    t = _times(pk, times_h)
    mri = kb.imaging_constants().mri
    wfe = mri.iron_mass_fraction_fe3o4.value
    density, molar = mri.tissue_density.to("g/mL"), mri.iron_molar_mass.to("g/mol")
    iron, delta, drop = {}, {}, {}
    for organ, c in _organ_ug_per_g(pk, organs, t, subject).items():
        t1, t2 = kb.tissue_relaxation_ms(field_t, "muscle" if organ == "muscle" else organ)
        fe = iron_mm_from_core_ug_per_g(c, wfe, density, molar)
        result = t2_weighted_map(fe, t1, t2, r1_value, r2_value, tr_ms, te_ms)
        iron[organ], delta[organ], drop[organ] = fe, r2_value * fe, result.percent_drop
    return MriResult(
        formulation=design.name,
        organs=tuple(organs),
        t_h=t,
        iron_mm=iron,
        delta_r2_per_s=delta,
        percent_drop=drop,
        r2_per_mm_s=r2_value,
        r2_origin=origin,
        settings={"field_t": field_t, "te_ms": te_ms, "tr_ms": tr_ms, "r1_per_mm_s": r1_value},
        provenance={
            "relaxation_source": "imaging.yaml mri.relaxation",
            "dose_mg_per_kg": pk.dose_mg_per_kg,
        },
    )


def thermal_image(
    r_mm: Sequence[float] | np.ndarray,
    surface_temperature_c: Sequence[float] | np.ndarray,
    *,
    half_width_mm: float = 10.0,
    pixel_mm: float | None = None,
    emissivity: float | None = None,
    netd_k: float | None = None,
    seed: int | None = None,
) -> ThermalImageResult:
    """IR-camera image of an axisymmetric skin temperature; defaults from ``imaging.yaml``."""
    cam = kb.imaging_constants().thermal_camera
    pixel = cam["pixel_size"].to("mm") if pixel_mm is None else pixel_mm
    eps = cam["skin_emissivity"].value if emissivity is None else emissivity
    netd = cam["netd"].to("K") if netd_k is None else netd_k
    ambient = cam["ambient_temperature"].value
    image = camera_image(
        np.asarray(r_mm, dtype=float),
        np.asarray(surface_temperature_c, dtype=float),
        pixel,
        half_width_mm,
        emissivity=eps,
        ambient_c=ambient,
        netd_k=netd,
        seed=seed,
    )
    return ThermalImageResult(
        image.x_mm,
        image.y_mm,
        image.temperature_c,
        pixel,
        settings={"pixel_mm": pixel, "emissivity": eps, "netd_k": netd, "seed": seed},
        provenance={"sources": {k: v.source for k, v in cam.items()}},
    )
