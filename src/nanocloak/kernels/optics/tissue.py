"""Optical properties of tissue from its composition (Jacques 2013).

Scattering follows a power law in wavelength and absorption is the volume-weighted sum of the
absorbers (Jacques SL, *Phys. Med. Biol.* 2013, 58, R37, doi:10.1088/0031-9155/58/11/R37,
eqs. 1 and 12):

.. math::

    μ_s'(λ) = a\\,(λ / 500\\,\\mathrm{nm})^{-b}

    μ_a = B S μ_{a,\\mathrm{oxy}} + B (1 - S) μ_{a,\\mathrm{deoxy}} + W μ_{a,\\mathrm{water}}
          + F μ_{a,\\mathrm{fat}} + M μ_{a,\\mathrm{mel}}

and the diffusion theory's effective attenuation coefficient and penetration depth are
``μ_eff = √(3 μ_a (μ_a + μ_s'))`` and ``δ = 1/μ_eff``.

Units: wavelengths in nm, coefficients in cm⁻¹ (any one inverse length works for the formulas
that only combine coefficients), molar extinction in cm⁻¹ M⁻¹ (decadic), concentrations in g/L.
"""

from __future__ import annotations

import math

import numpy as np

from nanocloak.kernels.arrays import FloatArray

#: Molar mass of haemoglobin used by Jacques 2013 for whole blood (g/mol).
HEMOGLOBIN_MOLAR_MASS_G_PER_MOL = 64_458.0
#: Haemoglobin concentration of whole blood used by Jacques 2013 (g/L).
BLOOD_HEMOGLOBIN_G_PER_L = 150.0


def reduced_scattering_per_cm(
    wavelength_nm: FloatArray | float, a_per_cm: float, b: float
) -> FloatArray:
    """Reduced scattering coefficient ``μ_s' = a (λ/500 nm)^(−b)`` (cm⁻¹).

    Parameters
    ----------
    wavelength_nm
        Wavelength (nm).
    a_per_cm
        ``μ_s'`` at 500 nm (cm⁻¹), Jacques 2013 Table 2.
    b
        Scattering power (dimensionless), Jacques 2013 Table 2.
    """
    lam = np.asarray(wavelength_nm, dtype=float)
    if np.any(lam <= 0.0):
        raise ValueError(f"wavelength must be positive; got {wavelength_nm} nm")
    return np.asarray(a_per_cm * (lam / 500.0) ** (-b), dtype=float)


def scattering_per_cm(reduced_scattering_per_cm: float, anisotropy: float) -> float:
    """Scattering coefficient ``μ_s = μ_s' / (1 − g)`` (cm⁻¹).

    Parameters
    ----------
    reduced_scattering_per_cm
        Reduced scattering coefficient ``μ_s'`` (cm⁻¹).
    anisotropy
        Mean cosine of the scattering angle ``g``, in [0, 1).
    """
    if not 0.0 <= anisotropy < 1.0:
        raise ValueError(f"anisotropy g must lie in [0, 1); got {anisotropy}")
    return reduced_scattering_per_cm / (1.0 - anisotropy)


def blood_absorption_per_cm(
    epsilon_oxy_per_cm_per_m: float,
    epsilon_deoxy_per_cm_per_m: float,
    saturation: float,
    hemoglobin_g_per_l: float = BLOOD_HEMOGLOBIN_G_PER_L,
) -> float:
    """Absorption coefficient of whole blood (cm⁻¹) from the haemoglobin extinction.

    .. math::

        μ_{a,\\mathrm{blood}} = \\ln(10)\\,\\frac{c_\\mathrm{Hb}}{M_\\mathrm{Hb}}
            [S ε_\\mathrm{HbO_2} + (1 - S) ε_\\mathrm{Hb}]

    With 150 g/L and 64 458 g/mol the prefactor is 0.0536 M (Jacques 2013).

    Parameters
    ----------
    epsilon_oxy_per_cm_per_m, epsilon_deoxy_per_cm_per_m
        Decadic molar extinction of oxy- and deoxyhaemoglobin (cm⁻¹ M⁻¹), e.g. Prahl's table.
    saturation
        Oxygen saturation ``S`` in [0, 1].
    hemoglobin_g_per_l
        Haemoglobin concentration of the blood (g/L).
    """
    if not 0.0 <= saturation <= 1.0:
        raise ValueError(f"saturation must lie in [0, 1]; got {saturation}")
    molar = hemoglobin_g_per_l / HEMOGLOBIN_MOLAR_MASS_G_PER_MOL
    epsilon = (
        saturation * epsilon_oxy_per_cm_per_m + (1.0 - saturation) * epsilon_deoxy_per_cm_per_m
    )
    return math.log(10.0) * molar * epsilon


def tissue_absorption_per_cm(
    blood_fraction: float,
    saturation: float,
    mua_oxy_blood_per_cm: float,
    mua_deoxy_blood_per_cm: float,
    water_fraction: float = 0.0,
    mua_water_per_cm: float = 0.0,
    fat_fraction: float = 0.0,
    mua_fat_per_cm: float = 0.0,
    melanin_fraction: float = 0.0,
    mua_melanosome_per_cm: float = 0.0,
) -> float:
    """Absorption coefficient of tissue (cm⁻¹) by Jacques 2013 eq. 12.

    Parameters
    ----------
    blood_fraction
        Blood volume fraction ``B``.
    saturation
        Oxygen saturation ``S``.
    mua_oxy_blood_per_cm, mua_deoxy_blood_per_cm
        Absorption of fully oxygenated and fully deoxygenated whole blood (cm⁻¹).
    water_fraction, fat_fraction, melanin_fraction
        Volume fractions ``W``, ``F`` and ``M`` (melanosome volume fraction).
    mua_water_per_cm, mua_fat_per_cm, mua_melanosome_per_cm
        Absorption of pure water, fat and melanosome interior (cm⁻¹).
    """
    fractions = {
        "blood_fraction": blood_fraction,
        "saturation": saturation,
        "water_fraction": water_fraction,
        "fat_fraction": fat_fraction,
        "melanin_fraction": melanin_fraction,
    }
    for name, value in fractions.items():
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1]; got {value}")
    if blood_fraction + water_fraction + fat_fraction + melanin_fraction > 1.0 + 1e-12:
        raise ValueError(
            "the volume fractions of blood, water, fat and melanin add up to more than 1"
        )
    return (
        blood_fraction * saturation * mua_oxy_blood_per_cm
        + blood_fraction * (1.0 - saturation) * mua_deoxy_blood_per_cm
        + water_fraction * mua_water_per_cm
        + fat_fraction * mua_fat_per_cm
        + melanin_fraction * mua_melanosome_per_cm
    )


def melanosome_absorption_per_cm(wavelength_nm: FloatArray | float) -> FloatArray:
    """Absorption of the melanosome interior, ``519 (λ/500 nm)^(−3.5)`` (cm⁻¹), Jacques 2013.

    Parameters
    ----------
    wavelength_nm
        Wavelength (nm).
    """
    lam = np.asarray(wavelength_nm, dtype=float)
    return np.asarray(519.0 * (lam / 500.0) ** (-3.5), dtype=float)


def effective_attenuation(mua: FloatArray | float, musp: FloatArray | float) -> FloatArray:
    """Effective attenuation ``μ_eff = √(3 μ_a (μ_a + μ_s'))`` (same inverse length as inputs).

    Parameters
    ----------
    mua
        Absorption coefficient ``μ_a`` (inverse length, e.g. cm⁻¹ or mm⁻¹).
    musp
        Reduced scattering coefficient ``μ_s'`` (same unit).
    """
    a = np.asarray(mua, dtype=float)
    s = np.asarray(musp, dtype=float)
    if np.any(a < 0.0) or np.any(s < 0.0):
        raise ValueError("absorption and reduced scattering must be non-negative")
    return np.asarray(np.sqrt(3.0 * a * (a + s)), dtype=float)


def penetration_depth(mua: FloatArray | float, musp: FloatArray | float) -> FloatArray:
    """Optical penetration depth ``δ = 1/μ_eff`` (inverse of the inputs' unit, e.g. cm).

    Parameters
    ----------
    mua
        Absorption coefficient (inverse length).
    musp
        Reduced scattering coefficient (same unit).
    """
    return np.asarray(1.0 / effective_attenuation(mua, musp), dtype=float)
