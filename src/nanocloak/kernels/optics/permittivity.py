"""Permittivities of core materials at a wavelength: tabulated, Drude, size-corrected, mixed.

* **Tabulated indices** ``n + ik`` interpolated linearly in n and k (:func:`interpolate_index`).
* **Drude metal** ``ε = ε_∞ − ω_p²/(ω² + iωγ)`` (:func:`drude_permittivity`).
* **Size-corrected damping** (Kreibig & Vollmer, *Optical Properties of Metal Clusters*,
  Springer 1995, ISBN 978-3-540-57836-9): the free-electron part of the tabulated permittivity
  is given the extra surface-scattering rate ``A v_F / L_eff``,

  .. math::

      ε(ω) = ε_\\mathrm{bulk}(ω) + \\frac{ω_p^2}{ω^2 + iωγ}
             - \\frac{ω_p^2}{ω^2 + iω(γ + A v_F/L_\\mathrm{eff})}

  with ``L_eff = 4V/S`` (Coronado & Schatz, *J. Chem. Phys.* 2003, 119, 3926,
  doi:10.1063/1.1587686).
* **Maxwell-Garnett effective medium** of spherical inclusions at volume fraction ``f``
  (Maxwell Garnett, *Phil. Trans. R. Soc. A* 1904, 203, 385, doi:10.1098/rsta.1904.0024):

  .. math::

      ε_\\mathrm{eff} = ε_m \\frac{ε + 2ε_m + 2f(ε - ε_m)}{ε + 2ε_m - f(ε - ε_m)}

Conventions: refractive indices ``n + ik`` and permittivities with positive imaginary parts;
lengths in nm; photon energies in eV.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray

#: ``hc`` in eV·nm (CODATA 2018, exact SI constants).
HC_EV_NM = 1239.8419843320026


def interpolate_index(
    wavelength_nm: float, table_wavelength_nm: FloatArray, table_n: FloatArray, table_k: FloatArray
) -> complex:
    """Complex index ``n + ik`` at ``wavelength_nm`` by linear interpolation of n and k.

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm), inside the table's range.
    table_wavelength_nm, table_n, table_k
        Increasing wavelengths (nm) with their n and k.
    """
    lo, hi = float(table_wavelength_nm[0]), float(table_wavelength_nm[-1])
    if not lo <= wavelength_nm <= hi:
        raise ValueError(f"wavelength {wavelength_nm} nm lies outside the table ({lo}-{hi} nm)")
    n = float(np.interp(wavelength_nm, table_wavelength_nm, table_n))
    k = float(np.interp(wavelength_nm, table_wavelength_nm, table_k))
    return complex(n, k)


def photon_energy_ev(wavelength_nm: float) -> float:
    """``E = hc/λ`` (eV) of a vacuum wavelength (nm)."""
    if wavelength_nm <= 0.0:
        raise ValueError(f"wavelength must be positive; got {wavelength_nm}")
    return HC_EV_NM / wavelength_nm


def drude_permittivity(
    wavelength_nm: float, plasma_ev: float, damping_ev: float, epsilon_inf: float = 1.0
) -> complex:
    """Drude permittivity ``ε_∞ − ω_p²/(ω² + iωγ)`` (energies in eV, ``Im ε ≥ 0``).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm).
    plasma_ev, damping_ev
        ``ħω_p`` and ``ħγ`` (eV).
    epsilon_inf
        Background permittivity of bound electrons.
    """
    w = photon_energy_ev(wavelength_nm)
    return complex(epsilon_inf - plasma_ev**2 / (w**2 + 1j * w * damping_ev))


def size_corrected_permittivity(
    epsilon_bulk: complex,
    wavelength_nm: float,
    effective_length_nm: float,
    plasma_ev: float,
    damping_ev: float,
    fermi_velocity_m_per_s: float,
    surface_scattering_a: float = 1.0,
) -> complex:
    """Bulk permittivity with the surface-scattering damping ``γ + A v_F/L_eff`` (see module).

    Parameters
    ----------
    epsilon_bulk
        Tabulated permittivity ``(n + ik)²`` at the wavelength.
    wavelength_nm
        Vacuum wavelength (nm).
    effective_length_nm
        Mean free path limit ``L_eff = 4V/S`` (nm).
    plasma_ev, damping_ev
        Bulk ``ħω_p`` and ``ħγ`` (eV).
    fermi_velocity_m_per_s
        Fermi velocity (m/s).
    surface_scattering_a
        Dimensionless ``A``.
    """
    if effective_length_nm <= 0.0:
        raise ValueError(f"effective length must be positive; got {effective_length_nm} nm")
    hbar_ev_s = 6.582119569e-16
    extra_ev = (
        hbar_ev_s * surface_scattering_a * fermi_velocity_m_per_s / (effective_length_nm * 1e-9)
    )
    w = photon_energy_ev(wavelength_nm)
    free_bulk = plasma_ev**2 / (w**2 + 1j * w * damping_ev)
    free_small = plasma_ev**2 / (w**2 + 1j * w * (damping_ev + extra_ev))
    return complex(epsilon_bulk + free_bulk - free_small)


def maxwell_garnett(epsilon_inclusion: complex, epsilon_host: complex, fraction: float) -> complex:
    """Maxwell-Garnett effective permittivity of spherical inclusions at volume ``fraction``.

    Parameters
    ----------
    epsilon_inclusion, epsilon_host
        Permittivities of inclusions and host.
    fraction
        Inclusion volume fraction in [0, 1].
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"volume fraction must lie in [0, 1]; got {fraction}")
    diff = epsilon_inclusion - epsilon_host
    return complex(
        epsilon_host
        * (epsilon_inclusion + 2.0 * epsilon_host + 2.0 * fraction * diff)
        / (epsilon_inclusion + 2.0 * epsilon_host - fraction * diff)
    )
