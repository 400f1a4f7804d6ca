"""Upconversion excitation: emission versus excitation power density.

Model (stated for reviewers)
----------------------------
An ``n``-photon upconversion emission grows as ``Pⁿ`` at low excitation power density and,
once the intermediate states saturate (depletion by upconversion outcompetes their decay),
only linearly (Pollnau et al., *Phys. Rev. B* 2000, 61, 3337, doi:10.1103/PhysRevB.61.3337).
The quantum yield (photons out per photon absorbed) therefore rises as ``P^(n−1)`` and
saturates; nanocloak uses the balancing-power-density form

.. math::

    Φ_{UC}(P) = Φ_\\mathrm{sat} \\frac{(P/P_b)^{n-1}}{1 + (P/P_b)^{n-1}},

which for ``n = 2`` is the physics notes' ``Φ_sat (P/P_c)/(1 + P/P_c)`` (Kaiser et al.,
*Nanoscale* 2017, doi:10.1039/C7NR02449E, measured Φ_UC over four decades of P).
``P_b`` is where Φ reaches half of ``Φ_sat``. The emitted power density is

.. math::

    I_{UC} = Φ_{UC}(P)\\, μ_{a,UC}\\, P\\, \\frac{λ_\\mathrm{exc}}{λ_\\mathrm{em}},

which goes as ``Pⁿ`` well below ``P_b`` and as ``P`` well above it (log–log slope n → 1).
Photosensitizer excitations per volume and time are ``η_T`` times the emitted photon rate
(FRET plus re-absorption, efficiency ``η_T``).

Units: power density W/cm², absorption cm⁻¹, emitted power W/cm³, wavelengths nm, photon
rates µmol cm⁻³ s⁻¹ converted to µM/s (1 µmol/cm³ = 10³ µM).
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.photochem.soed import photon_energy_j_per_umol


def upconversion_quantum_yield(
    power_density_w_per_cm2: FloatArray | float,
    saturation_yield: float,
    balancing_w_per_cm2: float,
    photon_order: float = 2.0,
) -> FloatArray:
    """Power-dependent upconversion quantum yield Φ_UC(P) (photons out per photon absorbed).

    Parameters
    ----------
    power_density_w_per_cm2
        Excitation power density P (W/cm²), ≥ 0.
    saturation_yield
        Φ_sat, the high-power limit, in [0, 1].
    balancing_w_per_cm2
        P_b, power density of half-saturation (W/cm²), > 0.
    photon_order
        n, photons per emitted photon (≥ 1; 2 for green/red Er³⁺).
    """
    p = np.asarray(power_density_w_per_cm2, dtype=float)
    if np.any(p < 0.0):
        raise ValueError("power density must be non-negative")
    if not 0.0 <= saturation_yield <= 1.0:
        raise ValueError(f"saturation yield must lie in [0, 1]; got {saturation_yield}")
    if balancing_w_per_cm2 <= 0.0 or photon_order < 1.0:
        raise ValueError("the balancing power density must be positive and n at least 1")
    x = (p / balancing_w_per_cm2) ** (photon_order - 1.0)
    return np.asarray(saturation_yield * x / (1.0 + x), dtype=float)


def upconversion_emission_w_per_cm3(
    power_density_w_per_cm2: FloatArray | float,
    absorption_per_cm: float,
    saturation_yield: float,
    balancing_w_per_cm2: float,
    photon_order: float = 2.0,
    excitation_nm: float = 980.0,
    emission_nm: float = 660.0,
) -> FloatArray:
    """Emitted upconversion power per volume ``Φ_UC(P) μ_a P λ_exc/λ_em`` (W/cm³).

    Parameters
    ----------
    power_density_w_per_cm2
        Local excitation power density (fluence rate) P (W/cm²).
    absorption_per_cm
        Absorption coefficient of the UCNPs at the excitation wavelength (cm⁻¹).
    saturation_yield, balancing_w_per_cm2, photon_order
        See :func:`upconversion_quantum_yield`.
    excitation_nm, emission_nm
        Wavelengths (nm): each emitted photon carries ``λ_exc/λ_em`` times the energy of an
        absorbed one.
    """
    if absorption_per_cm < 0.0 or excitation_nm <= 0.0 or emission_nm <= 0.0:
        raise ValueError("absorption must be non-negative and wavelengths positive")
    p = np.asarray(power_density_w_per_cm2, dtype=float)
    yield_ = upconversion_quantum_yield(p, saturation_yield, balancing_w_per_cm2, photon_order)
    return np.asarray(yield_ * absorption_per_cm * p * excitation_nm / emission_nm, dtype=float)


def photosensitizer_excitation_um_per_s(
    emission_w_per_cm3: FloatArray | float, transfer_efficiency: float, emission_nm: float
) -> FloatArray:
    """Photosensitizer excitations per volume and time from upconverted light (µM/s).

    ``η_T I_UC / (N_A h c/λ_em)``, with 1 µmol/cm³ = 10³ µM.

    Parameters
    ----------
    emission_w_per_cm3
        Emitted upconversion power per volume (W/cm³).
    transfer_efficiency
        η_T, share of emitted photons that excite the photosensitizer, in [0, 1].
    emission_nm
        Emission wavelength (nm).
    """
    if not 0.0 <= transfer_efficiency <= 1.0:
        raise ValueError(f"transfer efficiency must lie in [0, 1]; got {transfer_efficiency}")
    emitted = np.asarray(emission_w_per_cm3, dtype=float)
    photons = emitted / photon_energy_j_per_umol(emission_nm)  # µmol cm⁻³ s⁻¹
    return np.asarray(transfer_efficiency * photons * 1e3, dtype=float)
