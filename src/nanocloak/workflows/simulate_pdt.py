"""``simulate_pdt``: singlet-oxygen dose in a subcutaneous tumour; ``simulate_nanoreactor``.

PDT (:func:`simulate_pdt`, :func:`simulate_design_pdt`)
-------------------------------------------------------
1. **Photosensitizer in the tumour**: given directly (µM), or from a design: the PBPK tumour
   concentration of the particles (µg core/g, :func:`~nanocloak.workflows.simulate_design_pk.
   simulate_design_pk`) at the drug–light interval × the photosensitizer loaded per core mass
   (:func:`~nanocloak.workflows.design.cargo_loadings`) ÷ its molar mass, with 1 g tissue =
   1 mL. The photosensitizer is taken to travel with the particle (no premature release).
2. **Light**: tumour tissue optics at the laser line from the knowledge base (Jacques 2013
   scattering of soft tissue, haemoglobin and water absorption of the tumour composition in
   ``photochem.yaml``) plus the photosensitizer's own absorption ``ε [S₀]``; fluence rate by
   the δ-P1 diffusion approximation (:mod:`nanocloak.kernels.optics`), broad beam or on the
   axis of a flat-top spot. Bleaching's effect on the optics is neglected.
3. **Photochemistry**: the macroscopic model (:mod:`nanocloak.kernels.photochem.soed`) at each
   depth; ξ from the table or from the photophysics (Φ_Δ, ε, λ, α).

Nanoreactor (:func:`simulate_nanoreactor`, :func:`simulate_design_nanoreactor`)
-------------------------------------------------------------------------------
Glucose, O₂, H₂O₂, pH and chemiexcited singlet oxygen of GOx/CPPO/PFC/Ce6 particles in the
tumour (:mod:`nanocloak.kernels.photochem.cret`), from cargo amounts given directly or from a
design's cargos (glucose_oxidase, cppo, perfluorohexane, chlorin_e6) through the PBPK model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.errors import SpecificationError
from nanocloak.kernels.optics import (
    blood_absorption_per_cm,
    broad_beam_fluence,
    delta_p1_medium,
    reduced_scattering_per_cm,
    spot_fluence,
    tissue_absorption_per_cm,
)
from nanocloak.kernels.photochem import (
    NanoreactorParameters,
    SoedConstants,
    buffered_ph,
    partition_coefficient,
    pfc_oxygen_um,
    release_rate_constant_per_s,
    simulate_soed,
    xi_from_photophysics,
)
from nanocloak.kernels.photochem import (
    simulate_nanoreactor as run_nanoreactor,
)
from nanocloak.knowledge import loader, physics
from nanocloak.knowledge.photochem import photochem_constants, photosensitizer
from nanocloak.results.pdt import NanoreactorResult, PdtResult
from nanocloak.workflows.design import cargo_loadings
from nanocloak.workflows.simulate_design_pk import simulate_design_pk

#: How far (nm) the laser may sit from the photosensitizer's activation peak.
WAVELENGTH_TOLERANCE_NM = 15.0
Progress = Callable[[int, int], None]


def _positive(field: str, value: float, unit: str) -> None:
    if not (math.isfinite(value) and value > 0.0):
        raise SpecificationError(field, value, f"a positive number in {unit}")


def tumor_cargo(
    design: Design, dose_mg_per_kg: float, after_h: float, species: str = "mouse"
) -> dict[str, dict[str, float]]:
    """Each cargo of ``design`` in the tumour ``after_h`` after an IV dose.

    Returns, per cargo id, ``tumor_core_ug_per_g`` (particle core), ``loading_mg_per_mg``,
    ``ug_per_g`` and ``um`` (µM, with 1 g tissue = 1 mL).
    """
    _positive("dose", dose_mg_per_kg, "mg/kg")
    _positive("after", after_h, "h")
    pk = simulate_design_pk(design, dose_mg_per_kg, species, until_h=after_h)
    core = float(np.interp(after_h, pk.t_h, pk.series("tumor", "ug/g")))
    membrane = float(design.preparation.membrane_to_core_ratio.to("mg/mg").magnitude)
    cargos = loader.cargos()
    out = {}
    for name, loading in cargo_loadings(design, membrane).items():
        ug_per_g = core * loading.per_core_mass
        molar_mass = cargos[name].molar_mass.to("g/mol")
        out[name] = {
            "tumor_core_ug_per_g": core,
            "loading_mg_per_mg": loading.per_core_mass,
            "ug_per_g": ug_per_g,
            "um": ug_per_g / molar_mass * 1000.0,
        }
    return out


def tumor_optics_per_cm(wavelength_nm: float) -> tuple[float, float]:
    """Tumour ``(μ_a, μ_s')`` in cm⁻¹ at a tabulated laser line, without the photosensitizer."""
    line = round(wavelength_nm)
    tissue = photochem_constants().tumor_tissue
    try:
        oxy = physics.absorber_value("oxyhemoglobin", line).to("1/(cm*M)")
        deoxy = physics.absorber_value("deoxyhemoglobin", line).to("1/(cm*M)")
    except LookupError as exc:
        raise SpecificationError(
            "laser", f"{wavelength_nm:g} nm", "a laser line with sourced tissue optics", str(exc)
        ) from None
    water = (
        tissue.water_absorption_660nm.to("1/cm")
        if line == 660
        else physics.absorber_value("water", line).to("1/cm")
    )
    mua = tissue_absorption_per_cm(
        blood_fraction=tissue.blood_fraction.value,
        saturation=tissue.saturation.value,
        mua_oxy_blood_per_cm=blood_absorption_per_cm(oxy, deoxy, 1.0),
        mua_deoxy_blood_per_cm=blood_absorption_per_cm(oxy, deoxy, 0.0),
        water_fraction=tissue.water_fraction.value,
        mua_water_per_cm=water,
    )
    a, b = physics.scattering_law("soft_tissue")
    return mua, float(reduced_scattering_per_cm(wavelength_nm, a, b))


def soed_constants(
    name: str,
    wavelength_nm: float,
    oxygen_initial_um: float | None = None,
    supply_um_per_s: float | None = None,
) -> tuple[SoedConstants, dict[str, str]]:
    """Macroscopic constants of photosensitizer ``name`` and the source key of each."""
    ps = photosensitizer(name)
    kb = photochem_constants()
    alpha = kb.singlet_oxygen.reacted_fraction_alpha
    if ps.xi is not None:
        xi, xi_source = ps.xi.to("cm^2/(mW*s)"), ps.xi.source
    else:
        xi = xi_from_photophysics(
            ps.singlet_oxygen_yield.value,
            alpha.value,
            ps.extinction.to("1/(cm*uM)"),
            wavelength_nm,
        )
        xi_source = f"derived: {ps.singlet_oxygen_yield.source}, {alpha.source}"
    oxygen = kb.oxygen
    constants = SoedConstants(
        xi_cm2_per_mw_s=xi,
        sigma_per_um=ps.bleaching_sigma.to("1/uM"),
        beta_um=ps.beta.to("uM"),
        delta_um=ps.delta.to("uM"),
        oxygen_initial_um=oxygen.tissue_initial.to("uM")
        if oxygen_initial_um is None
        else oxygen_initial_um,
        supply_um_per_s=oxygen.supply_rate.to("uM/s")
        if supply_um_per_s is None
        else supply_um_per_s,
    )
    sources = {
        "xi_cm2_per_mw_s": xi_source,
        "sigma_per_um": ps.bleaching_sigma.source,
        "beta_um": ps.beta.source,
        "delta_um": ps.delta.source,
        "oxygen_initial_um": oxygen.tissue_initial.source if oxygen_initial_um is None else "given",
        "supply_um_per_s": oxygen.supply_rate.source if supply_um_per_s is None else "given",
    }
    return constants, sources


def simulate_pdt(
    concentration_um: float,
    photosensitizer_name: str = "chlorin_e6",
    *,
    wavelength_nm: float = 660.0,
    irradiance_w_per_cm2: float = 0.1,
    duration_s: float = 600.0,
    max_depth_mm: float = 5.0,
    n_depths: int = 26,
    n_times: int = 61,
    spot_radius_mm: float | None = None,
    oxygen_initial_um: float | None = None,
    supply_um_per_s: float | None = None,
    concentration_source: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> PdtResult:
    """Singlet-oxygen dose over time and depth in a tumour under a CW laser.

    Parameters
    ----------
    concentration_um
        Photosensitizer in the tumour (µM), ≥ 0, uniform over depth.
    photosensitizer_name
        A ``photochem.yaml`` photosensitizer (``chlorin_e6``, ``znpc``, ``mc540``,
        ``photofrin``).
    wavelength_nm
        Laser line (nm); must lie within 15 nm of the activation peak and be a line with
        sourced tissue optics (660 nm for the red photosensitizers).
    irradiance_w_per_cm2
        Incident irradiance (W/cm²).
    duration_s
        Irradiation time (s).
    max_depth_mm, n_depths
        Depth grid 0…max (mm) and its number of points.
    n_times
        Output times over the irradiation.
    spot_radius_mm
        None: broad beam; else a flat-top spot of this radius, evaluated on its axis.
    oxygen_initial_um, supply_um_per_s
        Override the knowledge base's ``[³O₂]₀`` (µM) and supply g (µM/s), e.g. for hypoxia.
    concentration_source
        Provenance of the concentration (set by :func:`simulate_design_pdt`).
    progress
        Called with ``(done, total)`` while the photochemistry is integrated.
    """
    if not (math.isfinite(concentration_um) and concentration_um >= 0.0):
        raise SpecificationError("concentration", concentration_um, "a non-negative number of µM")
    _positive("irradiance", irradiance_w_per_cm2, "W/cm²")
    _positive("minutes", duration_s, "s")
    _positive("depth", max_depth_mm, "mm")
    if n_depths < 2 or n_times < 2:
        raise SpecificationError("grid", (n_depths, n_times), "at least 2 depths and 2 times")
    if photosensitizer_name not in photochem_constants().photosensitizers:
        raise SpecificationError(
            "photosensitizer",
            photosensitizer_name,
            f"one of {', '.join(sorted(photochem_constants().photosensitizers))}",
        )
    ps = photosensitizer(photosensitizer_name)
    peak = ps.activation_wavelength.to("nm")
    if abs(wavelength_nm - peak) > WAVELENGTH_TOLERANCE_NM:
        raise SpecificationError(
            "laser",
            f"{wavelength_nm:g} nm",
            f"a wavelength within {WAVELENGTH_TOLERANCE_NM:g} nm of {photosensitizer_name}'s "
            f"activation peak at {peak:g} nm",
        )
    tissue_mua, musp = tumor_optics_per_cm(wavelength_nm)
    ps_mua = ps.extinction.to("1/(cm*uM)") * concentration_um
    props = physics.tissue_properties()
    medium = delta_p1_medium(
        (tissue_mua + ps_mua) / 10.0,
        musp / 10.0,
        anisotropy=props.anisotropy.value,
        n_tissue=props.refractive_index.value,
    )
    depth = np.linspace(0.0, max_depth_mm, n_depths)
    if spot_radius_mm is None:
        relative = broad_beam_fluence(medium, depth)
    else:
        _positive("spot radius", spot_radius_mm, "mm")
        power = irradiance_w_per_cm2 * math.pi * (spot_radius_mm / 10.0) ** 2  # W
        per_mm2 = spot_fluence(medium, np.array([0.0]), depth, spot_radius_mm, "flat_top", power)
        relative = per_mm2[0] * 100.0 / irradiance_w_per_cm2  # W/mm² → W/cm², per E₀
    fluence = relative * irradiance_w_per_cm2 * 1000.0  # mW/cm²
    constants, sources = soed_constants(
        photosensitizer_name, wavelength_nm, oxygen_initial_um, supply_um_per_s
    )
    t = np.linspace(0.0, duration_s, n_times)
    rtol = 1e-7
    sol = simulate_soed(fluence, concentration_um, constants, t, rtol=rtol, progress=progress)
    kb = photochem_constants()
    threshold = (
        kb.singlet_oxygen.necrosis_threshold_default
        if ps.necrosis_threshold is None
        else ps.necrosis_threshold
    )
    rupture = kb.shell_rupture
    sources.update(
        threshold_mm=threshold.source,
        shell_dose_50_mm=rupture.dose_50.source,
        extinction=ps.extinction.source,
        tissue_optics="jacques2013, prahl_hemoglobin, hale_querry1973 (photochem.yaml)",
    )
    return PdtResult(
        photosensitizer=photosensitizer_name,
        concentration_um=concentration_um,
        concentration_source=concentration_source or {"mode": "given"},
        wavelength_nm=wavelength_nm,
        irradiance_w_per_cm2=irradiance_w_per_cm2,
        duration_s=duration_s,
        spot_radius_mm=spot_radius_mm,
        tissue={
            "tissue_mua_per_cm": tissue_mua,
            "photosensitizer_mua_per_cm": ps_mua,
            "musp_per_cm": musp,
            "mueff_per_cm": medium.mueff_per_mm * 10.0,
        },
        constants={
            "xi_cm2_per_mw_s": constants.xi_cm2_per_mw_s,
            "sigma_per_um": constants.sigma_per_um,
            "beta_um": constants.beta_um,
            "delta_um": constants.delta_um,
            "oxygen_initial_um": constants.oxygen_initial_um,
            "supply_um_per_s": constants.supply_um_per_s,
        },
        threshold_mm=threshold.to("mM"),
        shell_rupture={
            "dose_50_mm": rupture.dose_50.to("mM"),
            "shape": rupture.shape.value,
        },
        depth_mm=depth,
        fluence_rate_mw_per_cm2=fluence,
        t_s=t,
        photosensitizer_um=sol.photosensitizer_um,
        oxygen_um=sol.oxygen_um,
        reacted_um=sol.reacted_um,
        parameter_sources=sources,
        solver={"method": "scipy BDF", "rtol": rtol, "light": "delta-P1 diffusion"},
    )


def design_photosensitizer(design: Design, name: str | None = None) -> str:
    """The photosensitizer cargo of ``design`` (``name`` picks one when there are several)."""
    known = set(photochem_constants().photosensitizers)
    found = [c.name for c in design.cargos if c.name in known]
    if name is not None:
        found = [c for c in found if c == name]
    if not found:
        raise SpecificationError(
            "cargos",
            [c.name for c in design.cargos],
            f"a photosensitizer cargo ({', '.join(sorted(known))})"
            + ("" if name is None else f" named {name!r}"),
            "Add it under [[cargos]] or give --concentration instead of a design.",
        )
    return found[0]


def simulate_design_pdt(
    design: Design,
    dose_mg_per_kg: float,
    after_h: float = 24.0,
    species: str = "mouse",
    photosensitizer_name: str | None = None,
    **kwargs: Any,
) -> PdtResult:
    """:func:`simulate_pdt` with the photosensitizer concentration from a design's PBPK.

    Parameters
    ----------
    design
        Design with a photosensitizer cargo.
    dose_mg_per_kg
        IV dose (mg core per kg).
    after_h
        Drug–light interval (h).
    species
        ``"mouse"`` or ``"rat"``.
    photosensitizer_name
        Which photosensitizer cargo, when the design carries several.
    kwargs
        Laser, grid and oxygen options of :func:`simulate_pdt`.
    """
    name = design_photosensitizer(design, photosensitizer_name)
    cargo = tumor_cargo(design, dose_mg_per_kg, after_h, species)[name]
    source = {
        "mode": "design",
        "design": design.name,
        "dose_mg_per_kg": dose_mg_per_kg,
        "after_h": after_h,
        "species": species,
        **cargo,
    }
    return simulate_pdt(cargo["um"], name, concentration_source=source, **kwargs)


def simulate_nanoreactor(
    enzyme_um: float,
    cppo_um: float = 0.0,
    pfc_volume_fraction: float = 0.0,
    photosensitizer_name: str | None = "chlorin_e6",
    duration_s: float = 3600.0,
    n_times: int = 121,
    pfc_radius_nm: float = 50.0,
    description: str = "given cargo amounts",
) -> NanoreactorResult:
    """Glucose, O₂, H₂O₂, pH and chemiexcited singlet oxygen in the tumour over time.

    Parameters
    ----------
    enzyme_um
        Glucose oxidase in the tumour (µM of dimer).
    cppo_um
        Peroxyoxalate in the tumour (µM); 0 = starvation only.
    pfc_volume_fraction
        Perfluorocarbon volume per tissue volume (pre-oxygenated at the knowledge base's
        loading pO₂).
    photosensitizer_name
        Photosensitizer receiving the chemiluminescence (None: no singlet oxygen).
    duration_s, n_times
        Simulated time (s) and output points.
    pfc_radius_nm
        Radius of the PFC domain inside a particle (nm), for its O₂ exchange rate.
    description
        Label for the report.
    """
    for field, value in (("enzyme", enzyme_um), ("cppo", cppo_um), ("pfc", pfc_volume_fraction)):
        if not (math.isfinite(value) and value >= 0.0):
            raise SpecificationError(field, value, "a non-negative amount")
    _positive("duration", duration_s, "s")
    kb = photochem_constants()
    gox, chem, pfc, cret, oxy = (
        kb.glucose_oxidase,
        kb.tumor_chemistry,
        kb.perfluorocarbon,
        kb.cret,
        kb.oxygen,
    )
    alpha = kb.singlet_oxygen.reacted_fraction_alpha.value
    ps = None if photosensitizer_name is None else photosensitizer(photosensitizer_name)
    clearance = chem.h2o2_clearance_rate.to("1/s")
    h2o2 = chem.h2o2.to("uM")
    glucose = chem.glucose.to("uM")
    oxygen = oxy.tissue_initial.to("uM")
    partition = partition_coefficient(
        pfc.o2_solubility.to("uM/mmHg"), oxy.solubility_tissue.to("uM/mmHg")
    )
    params = NanoreactorParameters(
        enzyme_um=enzyme_um,
        kcat_per_s=gox.kcat.to("1/s"),
        km_glucose_um=gox.km_glucose.to("uM"),
        km_oxygen_um=gox.km_oxygen.to("uM"),
        glucose_initial_um=glucose,
        glucose_baseline_um=glucose,
        glucose_resupply_per_s=chem.glucose_resupply_rate.to("1/s"),
        oxygen_initial_um=oxygen,
        oxygen_baseline_um=oxygen,
        oxygen_supply_um_per_s=oxy.supply_rate.to("uM/s"),
        pfc_oxygen_initial_um=pfc_volume_fraction
        * float(pfc_oxygen_um(pfc.loading_po2.to("mmHg"), pfc.o2_solubility.to("uM/mmHg"))),
        pfc_volume_fraction=pfc_volume_fraction,
        partition=partition,
        pfc_exchange_per_s=release_rate_constant_per_s(
            pfc_radius_nm, pfc.o2_diffusivity.to("m^2/s")
        ),
        h2o2_initial_um=h2o2,
        h2o2_production_um_per_s=clearance * h2o2,
        h2o2_clearance_per_s=clearance,
        cppo_initial_um=cppo_um,
        cppo_rate_per_um_s=cret.cppo_h2o2_rate_constant.to("1/(uM*s)"),
        chemiexcitation_yield=cret.chemiexcitation_yield.value,
        transfer_efficiency=cret.energy_transfer_efficiency.value,
        singlet_oxygen_yield=0.0 if ps is None else ps.singlet_oxygen_yield.value,
        reacted_fraction=alpha / (1.0 + alpha),
        beta_um=11.9 if ps is None else ps.beta.to("uM"),
    )
    # the PFC exchange (~10⁶ s⁻¹) is far faster than anything else: stiff, so BDF
    t = np.linspace(0.0, duration_s, n_times)
    sol = run_nanoreactor(params, t)
    ph = buffered_ph(
        sol["gluconic_acid"] / 1000.0,
        chem.ph.value,
        chem.bicarbonate.to("mM"),
        chem.bicarbonate_pka.value,
        gox.gluconic_acid_pka.value,
    )
    sources = {
        "glucose_oxidase": gox.kcat.source,
        "km": gox.km_glucose.source,
        "tumor_chemistry": chem.glucose.source,
        "h2o2": chem.h2o2.source,
        "pfc": pfc.o2_solubility.source,
        "cret": cret.chemiexcitation_yield.source,
        "oxygen": oxy.supply_rate.source,
    }
    return NanoreactorResult(
        t_s=t,
        states=dict(sol.states),
        ph=ph,
        parameters={k: float(getattr(params, k)) for k in params.__slots__},
        parameter_sources=sources,
        description=description,
    )


def simulate_design_nanoreactor(
    design: Design,
    dose_mg_per_kg: float,
    after_h: float = 24.0,
    species: str = "mouse",
    duration_s: float = 3600.0,
) -> NanoreactorResult:
    """:func:`simulate_nanoreactor` with the cargo amounts from a design's PBPK tumour level.

    Uses the design's ``glucose_oxidase``, ``cppo``, ``perfluorohexane`` and ``chlorin_e6``
    cargos (each optional, GOx required).
    """
    cargo = tumor_cargo(design, dose_mg_per_kg, after_h, species)
    if "glucose_oxidase" not in cargo:
        raise SpecificationError(
            "cargos", list(cargo), "a glucose_oxidase cargo for a starvation nanoreactor"
        )
    pfc = 0.0
    if "perfluorohexane" in cargo:
        density = loader.cargos()["perfluorohexane"].properties["density"].to("g/mL")
        pfc = cargo["perfluorohexane"]["ug_per_g"] * 1e-6 / density  # mL PFC per mL tissue
    return simulate_nanoreactor(
        cargo["glucose_oxidase"]["um"],
        cargo["cppo"]["um"] if "cppo" in cargo else 0.0,
        pfc,
        "chlorin_e6" if "chlorin_e6" in cargo else None,
        duration_s=duration_s,
        description=f"{design.name}, {dose_mg_per_kg:g} mg/kg, {after_h:g} h after injection",
    )
