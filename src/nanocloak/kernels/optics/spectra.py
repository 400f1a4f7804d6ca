"""Absorption and scattering of each core at a wavelength: rods, shells, cages, spheres, tables.

Mechanisms (each a named function a reviewer can argue with)
-------------------------------------------------------------
* **Gold nanorods — Gans theory** (Gans, *Ann. Phys.* 1912, 342, 881,
  doi:10.1002/andp.19123420503; as used by Link, Mohamed & El-Sayed, *J. Phys. Chem. B* 1999,
  103, 3073, doi:10.1021/jp990183f). A rod is a prolate spheroid of length ``L`` and width ``d``
  (aspect ratio ``R = L/d``); the quasi-static polarizability along axis ``j`` is

  .. math::

      α_j = V \\frac{ε - ε_m}{ε_m + L_j (ε - ε_m)}, \\qquad
      L_\\parallel = \\frac{1 - e^2}{e^2}\\left[\\frac{1}{2e}\\ln\\frac{1+e}{1-e} - 1\\right],
      \\quad L_\\perp = \\frac{1 - L_\\parallel}{2}, \\quad e^2 = 1 - R^{-2}

  with the radiative-reaction correction ``α → α / (1 − i k³ α / 6π)`` (Kelly et al.,
  *J. Phys. Chem. B* 2003, 107, 668, doi:10.1021/jp026731y), ``C_ext = k Im α``,
  ``C_sca = k⁴|α|²/6π``, ``C_abs = C_ext − C_sca`` (without the correction, the plain dipole
  ``C_abs = k Im α``) and the random-orientation average ``(C_∥ + 2 C_⊥)/3``;
  ``k = 2π n_m/λ``, ``ε_m = n_m²``.
* **Size-corrected damping** of the metal's free electrons (Kreibig & Vollmer 1995) with the
  effective length ``L_eff = 4V/S``:
  :func:`~nanocloak.kernels.optics.permittivity.size_corrected_permittivity`.
* **Spheres** (Fe3O4, gold, gallium): Mie theory,
  :func:`~nanocloak.kernels.optics.mie.sphere_cross_sections`.
* **Gold nanoshells**: coated-sphere Mie,
  :func:`~nanocloak.kernels.optics.mie.coated_sphere_cross_sections`.
* **Gold nanocages — stated approximation**: a cubic cage of outer edge ``a`` and wall ``t`` is
  replaced by a hollow gold sphere of the same outer volume (``r_out = a (3/4π)^{1/3}``) and the
  same metal volume, filled with the medium, and solved by coated-sphere Mie. This keeps the
  hollow-shell (nanoshell-like) plasmon that makes cages NIR absorbers and their metal mass, but
  not the corner and edge fields, the pores, or the Au–Ag alloy of galvanic-replacement walls, so
  the predicted resonance is indicative (tens of nm) rather than a fit to a measured cage.
* **Clusters of crystals** (Fe3O4 nanoclusters): Maxwell-Garnett effective medium of the
  crystal fraction ``f`` in the medium
  (:func:`~nanocloak.kernels.optics.permittivity.maxwell_garnett`), then Mie for the cluster
  sphere.
* **Tabulated spectra** (CuS, dyes): where no first-principles model is reliable, the value is
  interpolated linearly between sourced points and never extrapolated
  (:func:`interpolate_tabulated`).

Permittivity models live in :mod:`~nanocloak.kernels.optics.permittivity` and spheroid geometry
in :mod:`~nanocloak.kernels.optics.spheroid`; their functions are re-exported here so that one
import gives every piece of the core spectra.

Conventions: refractive indices ``n + ik`` and permittivities with positive imaginary parts;
lengths in nm; cross-sections in nm²; photon energies in eV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.optics import mie
from nanocloak.kernels.optics.permittivity import (
    HC_EV_NM,
    drude_permittivity,
    interpolate_index,
    maxwell_garnett,
    photon_energy_ev,
    size_corrected_permittivity,
)
from nanocloak.kernels.optics.spheroid import (
    prolate_surface_nm2,
    prolate_volume_nm3,
    spheroid_depolarization,
)

__all__ = [
    "HC_EV_NM",
    "CrossSections",
    "cluster_cross_sections",
    "drude_permittivity",
    "gans_cross_sections",
    "interpolate_index",
    "interpolate_tabulated",
    "mass_coefficient_l_per_g_per_cm",
    "maxwell_garnett",
    "nanocage_cross_sections",
    "nanocage_equivalent_radii",
    "nanoshell_cross_sections",
    "peak_wavelength_nm",
    "photon_energy_ev",
    "prolate_surface_nm2",
    "prolate_volume_nm3",
    "size_corrected_permittivity",
    "sphere_cross_sections",
    "spheroid_depolarization",
]


@dataclass(frozen=True, slots=True)
class CrossSections:
    """Orientation-averaged optical cross-sections of one particle at one wavelength.

    Attributes
    ----------
    c_abs_nm2, c_sca_nm2
        Absorption and scattering cross-sections (nm²).
    model
        The mechanism that produced them (e.g. ``"gans"``, ``"mie_sphere"``).
    """

    c_abs_nm2: float
    c_sca_nm2: float
    model: str

    @property
    def c_ext_nm2(self) -> float:
        """Extinction cross-section (nm²)."""
        return self.c_abs_nm2 + self.c_sca_nm2

    @property
    def absorption_share(self) -> float:
        """``C_abs / C_ext`` (the part of the extinguished light that heats)."""
        return self.c_abs_nm2 / self.c_ext_nm2


def interpolate_tabulated(
    wavelength_nm: float, table_wavelength_nm: FloatArray, table_values: FloatArray
) -> float:
    """A tabulated spectrum at ``wavelength_nm``, linear between points, no extrapolation.

    Parameters
    ----------
    wavelength_nm
        Wavelength (nm).
    table_wavelength_nm, table_values
        Increasing wavelengths (nm) and the spectrum's values (any unit).
    """
    wl = np.asarray(table_wavelength_nm, dtype=float)
    if not wl[0] <= wavelength_nm <= wl[-1]:
        raise ValueError(
            f"wavelength {wavelength_nm} nm lies outside the tabulated {wl[0]:g}-{wl[-1]:g} nm"
        )
    return float(np.interp(wavelength_nm, wl, np.asarray(table_values, dtype=float)))


def gans_cross_sections(
    wavelength_nm: float,
    length_nm: float,
    width_nm: float,
    epsilon_particle: complex,
    n_medium: float = 1.33,
    radiative_correction: bool = True,
) -> CrossSections:
    """Orientation-averaged cross-sections of a prolate spheroid by Gans theory (see module).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    length_nm, width_nm
        Long and short axes (nm), ``length ≥ width``.
    epsilon_particle
        Permittivity of the metal (``Im ≥ 0``), bulk or size-corrected.
    n_medium
        Real refractive index of the medium.
    radiative_correction
        Apply the radiative-reaction correction (needed for rods wider than ~10 nm).
    """
    if width_nm <= 0.0 or length_nm < width_nm:
        raise ValueError(f"need length >= width > 0; got {length_nm} x {width_nm} nm")
    eps_m = n_medium**2
    k = 2.0 * math.pi * n_medium / wavelength_nm
    volume = prolate_volume_nm3(length_nm, width_nm)
    long_factor, trans_factor = spheroid_depolarization(length_nm / width_nm)
    c_abs = c_sca = 0.0
    for factor, weight in ((long_factor, 1.0), (trans_factor, 2.0)):
        alpha = volume * (epsilon_particle - eps_m) / (eps_m + factor * (epsilon_particle - eps_m))
        if radiative_correction:
            # energy-conserving: C_ext = k Im α_rc (optical theorem), C_abs = C_ext − C_sca
            alpha = alpha / (1.0 - 1j * k**3 * alpha / (6.0 * math.pi))
            sca = k**4 * abs(alpha) ** 2 / (6.0 * math.pi)
            absorbed = k * alpha.imag - sca
        else:
            # plain quasi-static dipole: C_abs = k Im α (Bohren & Huffman eq. 5.8)
            sca = k**4 * abs(alpha) ** 2 / (6.0 * math.pi)
            absorbed = k * alpha.imag
        c_abs += weight * absorbed / 3.0
        c_sca += weight * sca / 3.0
    return CrossSections(c_abs, c_sca, "gans")


def sphere_cross_sections(
    wavelength_nm: float, diameter_nm: float, n_particle: complex, n_medium: float = 1.33
) -> CrossSections:
    """Mie cross-sections of a homogeneous sphere (wraps :mod:`~nanocloak.kernels.optics.mie`).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    diameter_nm
        Sphere diameter (nm).
    n_particle
        Complex index ``n + ik``.
    n_medium
        Real index of the medium.
    """
    r = mie.sphere_cross_sections(wavelength_nm, diameter_nm / 2.0, n_particle, n_medium)
    return CrossSections(float(r.c_abs_nm2), float(r.c_sca_nm2), "mie_sphere")


def nanoshell_cross_sections(
    wavelength_nm: float,
    core_radius_nm: float,
    outer_radius_nm: float,
    n_core: complex,
    n_shell: complex,
    n_medium: float = 1.33,
) -> CrossSections:
    """Coated-sphere Mie cross-sections of a core–shell particle (e.g. SiO₂@Au).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    core_radius_nm, outer_radius_nm
        Inner and outer radii (nm).
    n_core, n_shell
        Complex indices of core and shell.
    n_medium
        Real index of the medium.
    """
    r = mie.coated_sphere_cross_sections(
        wavelength_nm, core_radius_nm, outer_radius_nm, n_core, n_shell, n_medium
    )
    return CrossSections(float(r.c_abs_nm2), float(r.c_sca_nm2), "mie_coated_sphere")


def nanocage_equivalent_radii(edge_nm: float, wall_nm: float) -> tuple[float, float]:
    """``(r_in, r_out)`` (nm) of the hollow sphere with the cage's outer and metal volumes.

    Parameters
    ----------
    edge_nm
        Outer edge length of the cubic cage (nm).
    wall_nm
        Wall thickness (nm), less than half the edge.
    """
    if not 0.0 < 2.0 * wall_nm < edge_nm:
        raise ValueError(f"need 0 < 2 x wall < edge; got wall {wall_nm}, edge {edge_nm} nm")
    outer_volume = edge_nm**3
    metal_volume = edge_nm**3 - (edge_nm - 2.0 * wall_nm) ** 3
    r_out = (3.0 * outer_volume / (4.0 * math.pi)) ** (1.0 / 3.0)
    r_in = (3.0 * (outer_volume - metal_volume) / (4.0 * math.pi)) ** (1.0 / 3.0)
    return r_in, r_out


def nanocage_cross_sections(
    wavelength_nm: float,
    edge_nm: float,
    wall_nm: float,
    n_wall: complex,
    n_medium: float = 1.33,
) -> CrossSections:
    """Cross-sections of a gold nanocage by the equal-volume hollow-sphere approximation.

    See the module docstring for what the approximation keeps and loses.

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    edge_nm, wall_nm
        Outer edge and wall thickness of the cube (nm).
    n_wall
        Complex index of the wall (size-corrected for walls of a few nm).
    n_medium
        Real index of the medium, which also fills the cage.
    """
    r_in, r_out = nanocage_equivalent_radii(edge_nm, wall_nm)
    r = mie.coated_sphere_cross_sections(wavelength_nm, r_in, r_out, n_medium, n_wall, n_medium)
    return CrossSections(float(r.c_abs_nm2), float(r.c_sca_nm2), "hollow_sphere_equivalent_cage")


def cluster_cross_sections(
    wavelength_nm: float,
    diameter_nm: float,
    n_crystal: complex,
    packing_fraction: float,
    n_medium: float = 1.33,
) -> CrossSections:
    """Mie cross-sections of a cluster of crystals as a Maxwell-Garnett sphere.

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    diameter_nm
        Cluster diameter (nm).
    n_crystal
        Complex index of the crystals.
    packing_fraction
        Crystal volume fraction of the cluster.
    n_medium
        Real index of the medium, which fills the interstices.
    """
    eps = maxwell_garnett(n_crystal**2, complex(n_medium**2), packing_fraction)
    r = mie.sphere_cross_sections(wavelength_nm, diameter_nm / 2.0, complex(np.sqrt(eps)), n_medium)
    return CrossSections(float(r.c_abs_nm2), float(r.c_sca_nm2), "maxwell_garnett_mie")


def mass_coefficient_l_per_g_per_cm(cross_section_nm2: float, particle_mass_g: float) -> float:
    """Decadic mass coefficient ``C / (m · 1000 cm³/L · ln 10)`` (L g⁻¹ cm⁻¹).

    Parameters
    ----------
    cross_section_nm2
        Cross-section of one particle (nm²).
    particle_mass_g
        Mass of one particle (g) — of the material the coefficient is "per g" of.
    """
    return mie.mass_extinction_l_per_g_per_cm(cross_section_nm2, particle_mass_g)


def peak_wavelength_nm(
    wavelengths_nm: FloatArray, values: FloatArray, refine: bool = True
) -> float:
    """Wavelength of the largest value, refined by a parabola through the top three points.

    Parameters
    ----------
    wavelengths_nm
        Evenly spaced increasing wavelengths (nm).
    values
        Spectrum at those wavelengths.
    refine
        Use the three-point parabola (sub-grid resolution).
    """
    wl = np.asarray(wavelengths_nm, dtype=float)
    y = np.asarray(values, dtype=float)
    i = int(np.argmax(y))
    if not refine or i == 0 or i == y.size - 1:
        return float(wl[i])
    denom = y[i - 1] - 2.0 * y[i] + y[i + 1]
    if denom == 0.0:
        return float(wl[i])
    shift = 0.5 * (y[i - 1] - y[i + 1]) / denom
    return float(wl[i] + shift * (wl[i + 1] - wl[i]))
