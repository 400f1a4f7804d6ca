"""Absorption and scattering of a designed core at a wavelength, by the mechanism of its geometry.

:func:`core_mass_extinction` picks the optics kernel (:mod:`~nanocloak.kernels.optics.spectra`)
that fits the core's material family and shape, reads its optical constants from the knowledge
base (``optical_constants``) and returns the particle's cross-sections and the decadic mass
extinction per gram of the absorbing material:

* iron oxide — Mie for a sphere, Maxwell-Garnett + Mie for a cluster of crystals (packing
  fraction from ``core_materials.yaml``);
* gold — Gans theory for a rod, coated-sphere Mie for a silica–gold shell, the equal-volume
  hollow sphere for a cage, Mie for a sphere; the gold permittivity is size-corrected with the
  effective length ``L_eff = 4V/S`` (the wall thickness for a cage, ``2d/3`` for a sphere);
* liquid metal (gallium) spheres — Mie with the Drude permittivity;
* anything else — the tabulated spectrum of the material, interpolated, never extrapolated.

The medium is water.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nanocloak.domain.core import Cage, Cluster, Core, Geometry, Rod, Shell, Sphere
from nanocloak.errors import KnowledgeBaseError, SpecificationError
from nanocloak.kernels.optics import spectra
from nanocloak.knowledge import loader
from nanocloak.knowledge import optical_constants as oc
from nanocloak.knowledge.schema import Value

Extinction = tuple[spectra.CrossSections, float]


def core_mass_extinction(core: Core, wavelength_nm: float) -> Extinction:
    """Cross-sections of one designed core and its decadic mass extinction (L g⁻¹ cm⁻¹ per g of
    the absorbing material) at ``wavelength_nm``, by the mechanism matching its geometry."""
    material, shape = core.material, core.geometry
    entry = loader.core_materials()[material]
    n_med = oc.medium_index("water")
    rho = entry.density.to("g/cm^3")
    modelled: Extinction | None = None
    if entry.family == "iron_oxide":
        modelled = _iron_oxide(shape, wavelength_nm, rho, entry.properties, n_med)
    elif entry.family == "gold":
        modelled = _gold(shape, wavelength_nm, rho, n_med)
    elif entry.family == "liquid_metal" and isinstance(shape, Sphere):
        modelled = _gallium_sphere(shape, wavelength_nm, rho, n_med)
    if modelled is not None:
        return modelled
    try:
        wl, values = oc.tabulated_mass_extinction(material)
    except KnowledgeBaseError as exc:
        raise SpecificationError(
            "core",
            f"{material} ({shape.kind})",
            "a core with an optical model or a tabulated spectrum",
        ) from exc
    value = spectra.interpolate_tabulated(wavelength_nm, wl, values)
    return spectra.CrossSections(math.nan, math.nan, "tabulated"), value


def _nm(q: Any) -> float:
    return float(q.to("nm").magnitude)


def _iron_oxide(
    shape: Geometry,
    wavelength_nm: float,
    rho: float,
    properties: Mapping[str, Value],
    n_med: float,
) -> Extinction | None:
    table = oc.index_table("magnetite")
    n = spectra.interpolate_index(wavelength_nm, table.wavelength_nm, table.n, table.k)
    if isinstance(shape, Cluster):
        f = properties["packing_fraction"].value
        cs = spectra.cluster_cross_sections(wavelength_nm, _nm(shape.diameter), n, f, n_med)
        return cs, spectra.mass_coefficient_l_per_g_per_cm(
            cs.c_ext_nm2, f * rho * math.pi / 6.0 * _nm(shape.diameter) ** 3 * 1e-21
        )
    if isinstance(shape, Sphere):
        d = _nm(shape.diameter)
        cs = spectra.sphere_cross_sections(wavelength_nm, d, n, n_med)
        return cs, spectra.mass_coefficient_l_per_g_per_cm(
            cs.c_ext_nm2, rho * math.pi / 6 * d**3 * 1e-21
        )
    return None


def _gold_index(wavelength_nm: float, leff_nm: float) -> complex:
    """Complex index of gold with the surface-scattering damping of effective length ``leff``."""
    table, d = oc.index_table("gold"), oc.drude("gold")
    bulk = spectra.interpolate_index(wavelength_nm, table.wavelength_nm, table.n, table.k)
    eps = spectra.size_corrected_permittivity(
        bulk**2,
        wavelength_nm,
        leff_nm,
        d["plasma_ev"],
        d["damping_ev"],
        d["fermi_velocity_m_per_s"],
        d["surface_scattering_a"],
    )
    return complex(np.sqrt(eps))


def _gold(shape: Geometry, wavelength_nm: float, rho: float, n_med: float) -> Extinction | None:
    if isinstance(shape, Rod):
        length, width = _nm(shape.length), _nm(shape.width)
        v = spectra.prolate_volume_nm3(length, width)
        leff = 4.0 * v / spectra.prolate_surface_nm2(length, width)
        eps = _gold_index(wavelength_nm, leff) ** 2
        cs = spectra.gans_cross_sections(wavelength_nm, length, width, eps, n_med)
        return cs, spectra.mass_coefficient_l_per_g_per_cm(cs.c_ext_nm2, rho * v * 1e-21)
    if isinstance(shape, Shell):
        ri, ro = _nm(shape.inner_radius), _nm(shape.outer_radius)
        vs = 4.0 / 3.0 * math.pi * (ro**3 - ri**3)
        leff = 4.0 * vs / (4.0 * math.pi * (ro**2 + ri**2))
        cs = spectra.nanoshell_cross_sections(
            wavelength_nm,
            ri,
            ro,
            oc.medium_index("silica"),
            _gold_index(wavelength_nm, leff),
            n_med,
        )
        return cs, spectra.mass_coefficient_l_per_g_per_cm(cs.c_ext_nm2, rho * vs * 1e-21)
    if isinstance(shape, Cage):
        edge, wall = _nm(shape.edge_length), _nm(shape.wall_thickness)
        wall_index = _gold_index(wavelength_nm, wall)
        cs = spectra.nanocage_cross_sections(wavelength_nm, edge, wall, wall_index, n_med)
        metal = edge**3 - (edge - 2.0 * wall) ** 3
        return cs, spectra.mass_coefficient_l_per_g_per_cm(cs.c_ext_nm2, rho * metal * 1e-21)
    if isinstance(shape, Sphere):
        d = _nm(shape.diameter)
        index = _gold_index(wavelength_nm, 2.0 * d / 3.0)
        cs = spectra.sphere_cross_sections(wavelength_nm, d, index, n_med)
        return cs, spectra.mass_coefficient_l_per_g_per_cm(
            cs.c_ext_nm2, rho * math.pi / 6 * d**3 * 1e-21
        )
    return None


def _gallium_sphere(shape: Sphere, wavelength_nm: float, rho: float, n_med: float) -> Extinction:
    d, g = _nm(shape.diameter), oc.drude("gallium")
    eps = spectra.drude_permittivity(
        wavelength_nm, g["plasma_ev"], g["damping_ev"], g["epsilon_inf"]
    )
    cs = spectra.sphere_cross_sections(wavelength_nm, d, complex(np.sqrt(eps)), n_med)
    return cs, spectra.mass_coefficient_l_per_g_per_cm(
        cs.c_ext_nm2, rho * math.pi / 6 * d**3 * 1e-21
    )
