"""Optics of a treated tumor at the laser line: the core's mass extinction and absorption share,
and the tissue's absorption and reduced scattering, each with its provenance rows.

* Core: ``core_materials.yaml`` tabulates the decadic mass extinction (L g⁻¹ cm⁻¹) and, where
  known, the absorption share ``C_abs/C_ext`` at a few laser lines; a missing share is taken as
  1 (all extinction heats, an upper bound) and said so in a note.
* Tissue: μ_a from the calibration tumor's composition (blood fraction, saturation, water;
  Jacques 2013, eq. 12) with haemoglobin and water absorption at the line; μ_s' from the
  ``soft_tissue`` scattering law. A chromophore not tabulated at the line is left out (μ_a is
  then a lower bound) and said so in a note.
"""

from __future__ import annotations

import math
import re
from typing import Any

from nanocloak.domain.core import Core
from nanocloak.errors import KnowledgeBaseError, SpecificationError
from nanocloak.kernels.optics.tissue import (
    blood_absorption_per_cm,
    reduced_scattering_per_cm,
    tissue_absorption_per_cm,
)
from nanocloak.knowledge import loader, physics
from nanocloak.workflows import calibrate_ptt
from nanocloak.workflows.core_extinction import core_mass_extinction
from nanocloak.workflows.treat_provenance import derived_row, parameter_row


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
    rows = [parameter_row(f"{material} mass extinction at {wl} nm", ext, "L/g/cm")]
    notes: list[str] = []
    share_key = f"absorption_to_extinction_{wl}nm"
    if share_key in entry.properties:
        share = entry.properties[share_key].to("dimensionless")
        rows.append(
            parameter_row(
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


def designed_core_optics(
    core: Core, wavelength_nm: float
) -> tuple[float, float, list[dict[str, Any]], list[str]]:
    """Mass extinction (L g⁻¹ cm⁻¹) and absorption share of a designed core at any line.

    The tabulated line of ``core_materials.yaml`` when there is one (:func:`core_optics`);
    otherwise the optical model of the core's geometry (Gans rods, coated-sphere shells, hollow
    cages, Mie spheres, effective-medium clusters, tabulated dye and CuS spectra; see
    :func:`~nanocloak.workflows.core_extinction.core_mass_extinction`), with the absorption
    share C_abs/C_ext where the model gives it (else 1, an upper bound).
    """
    try:
        return core_optics(core.material, wavelength_nm)
    except SpecificationError:
        pass
    cross, mass_ext = core_mass_extinction(core, wavelength_nm)
    # tabulated spectra give no cross-sections (NaN): all extinction is taken as absorbed
    share = cross.absorption_share if math.isfinite(cross.c_ext_nm2) else 1.0
    source = f"optical model '{cross.model}' (kernels/optics/spectra.py, optical_constants)"
    rows = [
        derived_row(
            f"{core.material} mass extinction at {wavelength_nm:g} nm", mass_ext, "L/g/cm", source
        ),
        derived_row(
            f"{core.material} absorption share at {wavelength_nm:g} nm",
            share,
            "dimensionless",
            source,
        ),
    ]
    how = (
        "its tabulated spectrum"
        if cross.model == "tabulated"
        else f"the {cross.model} model of its geometry"
    )
    notes = [f"{core.material} optics at {wavelength_nm:g} nm from {how} (no tabulated line)"]
    return mass_ext, share, rows, notes


def tissue_optics(wavelength_nm: float) -> tuple[float, float, list[dict[str, Any]], list[str]]:
    """Tumor tissue absorption and reduced scattering (mm⁻¹) at a laser line (Jacques 2013)."""
    wl = round(wavelength_nm)
    cal = calibrate_ptt.calibration_values()
    notes: list[str] = []
    used: list[str] = ["jacques2013 composition"]

    def absorber(name: str, unit: str) -> float:
        try:
            value = physics.absorber_value(name, wl)
        except KnowledgeBaseError:
            notes.append(
                f"{name} absorption at {wl} nm is not tabulated; left out (tissue "
                "absorption is a lower bound)"
            )
            return 0.0
        if value.source not in used:
            used.append(value.source)
        return value.to(unit)

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
        derived_row(
            "tissue absorption μa",
            mua_cm / 10.0,
            "1/mm",
            "; ".join(used),
        ),
        derived_row("tissue reduced scattering μs'", musp_cm / 10.0, "1/mm", "jacques2013"),
        parameter_row(
            "tissue anisotropy g", physics.tissue_properties().anisotropy, "dimensionless"
        ),
        parameter_row(
            "tissue refractive index", physics.tissue_properties().refractive_index, "dimensionless"
        ),
    ]
    return mua_cm / 10.0, musp_cm / 10.0, rows, notes
