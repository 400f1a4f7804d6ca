"""MRI relaxation by iron-oxide particles: relaxation rates, signal, and an r2 estimate.

Relaxation rates are linear in the iron concentration, ``R_i = R_i,0 + r_i [Fe]`` (s⁻¹, with
``r_i`` in s⁻¹ mM⁻¹ and [Fe] in mM). Signals:

.. math::

    S_\\mathrm{SE} = S_0 (1 - e^{-TR\\,R_1}) e^{-TE\\,R_2}, \\qquad
    S_\\mathrm{GRE} = S_0 (1 - e^{-TR\\,R_1}) e^{-TE\\,R_2^*}\\ (90° \\text{ flip})

and the "tumour darkening" is the percent drop ``100 (S_pre − S_post)/S_pre``.

The outer-sphere r2 of a magnetised sphere in the motional-averaging regime
(``Δω τ_D < 1``; Gillis, Moiny & Brooks, *Magn. Reson. Med.* 2002, 47, 257,
doi:10.1002/mrm.10059; Brooks, Moiny & Gillis, *Magn. Reson. Med.* 2001, 45, 1014,
doi:10.1002/mrm.1135):

.. math::

    R_2 = \\frac{16}{45} f\\, τ_D\\, Δω^2, \\qquad Δω = \\frac{γ μ_0 M_s}{3},
    \\qquad τ_D = \\frac{r^2}{D}

with ``f`` the volume fraction of magnetic cores; dividing by [Fe] gives r2.

Units: s, s⁻¹, mM, nm, A/m, m²/s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray

PROTON_GYROMAGNETIC_RAD_PER_S_T = 2.6752218744e8
MU0_H_PER_M = 1.25663706212e-6


def relaxation_rate_per_s(
    baseline_per_s: float | FloatArray, relaxivity_per_mm_s: float, iron_mm: float | FloatArray
) -> FloatArray:
    """``R = R₀ + r [Fe]`` (s⁻¹).

    Parameters
    ----------
    baseline_per_s
        Rate without the agent R₀ (s⁻¹).
    relaxivity_per_mm_s
        Relaxivity r (s⁻¹ mM⁻¹).
    iron_mm
        Iron concentration (mM), ≥ 0.
    """
    fe = np.asarray(iron_mm, dtype=float)
    if np.any(fe < 0.0):
        raise ValueError("iron concentrations must be non-negative")
    return np.asarray(
        np.asarray(baseline_per_s, dtype=float) + relaxivity_per_mm_s * fe, dtype=float
    )


def spin_echo_signal(
    s0: float | FloatArray,
    tr_s: float,
    te_s: float,
    r1_per_s: float | FloatArray,
    r2_per_s: float | FloatArray,
) -> FloatArray:
    """Spin-echo signal ``S₀ (1 − e^(−TR R₁)) e^(−TE R₂)`` (units of S₀).

    Parameters
    ----------
    s0
        Proton-density signal S₀.
    tr_s, te_s
        Repetition and echo times (s).
    r1_per_s, r2_per_s
        Longitudinal and transverse relaxation rates (s⁻¹).
    """
    if tr_s <= 0.0 or te_s < 0.0:
        raise ValueError(f"need TR > 0 and TE ≥ 0; got TR={tr_s} s, TE={te_s} s")
    r1 = np.asarray(r1_per_s, dtype=float)
    r2 = np.asarray(r2_per_s, dtype=float)
    return np.asarray(
        np.asarray(s0, dtype=float) * -np.expm1(-tr_s * r1) * np.exp(-te_s * r2), dtype=float
    )


def gradient_echo_signal(
    s0: float | FloatArray,
    tr_s: float,
    te_s: float,
    r1_per_s: float | FloatArray,
    r2star_per_s: float | FloatArray,
) -> FloatArray:
    """Gradient-echo signal with a 90° flip, ``S₀ (1 − e^(−TR R₁)) e^(−TE R₂*)``.

    Parameters
    ----------
    s0
        Proton-density signal.
    tr_s, te_s
        Repetition and echo times (s).
    r1_per_s, r2star_per_s
        R₁ and R₂* (s⁻¹).
    """
    return spin_echo_signal(s0, tr_s, te_s, r1_per_s, r2star_per_s)


def percent_signal_drop(pre: float | FloatArray, post: float | FloatArray) -> FloatArray:
    """Relative darkening ``100 (S_pre − S_post)/S_pre`` (%).

    Parameters
    ----------
    pre, post
        Signals before and after the agent (same units).
    """
    p = np.asarray(pre, dtype=float)
    if np.any(p <= 0.0):
        raise ValueError("the pre-contrast signal must be positive")
    return np.asarray(100.0 * (p - np.asarray(post, dtype=float)) / p, dtype=float)


def iron_from_delta_r2_mm(delta_r2_per_s: float | FloatArray, r2_per_mm_s: float) -> FloatArray:
    """Iron concentration ``[Fe] = ΔR₂ / r₂`` (mM); valid only in the linear regime.

    Parameters
    ----------
    delta_r2_per_s
        ``R₂,post − R₂,pre`` (s⁻¹).
    r2_per_mm_s
        Transverse relaxivity (s⁻¹ mM⁻¹).
    """
    return np.asarray(np.asarray(delta_r2_per_s, dtype=float) / r2_per_mm_s, dtype=float)


def volume_fraction_per_mm_iron(
    density_kg_per_m3: float, molar_mass_g_per_mol: float, iron_per_formula: float
) -> float:
    """Volume fraction of magnetic material per mM of iron (mM⁻¹).

    For magnetite (5180 kg/m³, 231.53 g/mol, 3 Fe) this is 1.49×10⁻⁵.

    Parameters
    ----------
    density_kg_per_m3
        Density of the core material.
    molar_mass_g_per_mol
        Molar mass of one formula unit.
    iron_per_formula
        Iron atoms per formula unit.
    """
    mol_formula_per_m3 = 1.0 / iron_per_formula  # 1 mM Fe = 1 mol/m³ Fe
    return mol_formula_per_m3 * molar_mass_g_per_mol * 1e-3 / density_kg_per_m3


@dataclass(frozen=True, slots=True)
class OuterSphereR2:
    """Motional-averaging r2 estimate.

    Attributes
    ----------
    r2_per_mm_s
        Transverse relaxivity (s⁻¹ mM⁻¹ Fe).
    delta_omega_rad_per_s
        Equatorial frequency shift ``Δω = γ μ₀ M_s/3``.
    tau_d_s
        Diffusion time ``τ_D = r²/D``.
    regime_parameter
        ``Δω τ_D``; the formula holds for values below 1.
    motional_averaging_valid
        ``Δω τ_D < 1``.
    """

    r2_per_mm_s: float
    delta_omega_rad_per_s: float
    tau_d_s: float
    regime_parameter: float
    motional_averaging_valid: bool


def outer_sphere_r2(
    core_diameter_nm: float,
    magnetization_a_per_m: float,
    diffusion_m2_per_s: float,
    volume_fraction_per_mm: float,
) -> OuterSphereR2:
    """Outer-sphere r2 in the motional-averaging regime (s⁻¹ mM⁻¹).

    Parameters
    ----------
    core_diameter_nm
        Diameter of the magnetised sphere (nm); for clusters, the cluster diameter.
    magnetization_a_per_m
        Saturation magnetization of the sphere M_s (A/m).
    diffusion_m2_per_s
        Water self-diffusion coefficient D (m²/s).
    volume_fraction_per_mm
        Magnetic volume fraction per mM Fe (mM⁻¹), see :func:`volume_fraction_per_mm_iron`.
    """
    if core_diameter_nm <= 0.0 or diffusion_m2_per_s <= 0.0:
        raise ValueError("diameter and diffusion coefficient must be positive")
    radius = 0.5 * core_diameter_nm * 1e-9
    delta_omega = PROTON_GYROMAGNETIC_RAD_PER_S_T * MU0_H_PER_M * magnetization_a_per_m / 3.0
    tau_d = radius**2 / diffusion_m2_per_s
    r2 = 16.0 / 45.0 * volume_fraction_per_mm * tau_d * delta_omega**2
    regime = delta_omega * tau_d
    return OuterSphereR2(
        r2_per_mm_s=r2,
        delta_omega_rad_per_s=delta_omega,
        tau_d_s=tau_d,
        regime_parameter=regime,
        motional_averaging_valid=regime < 1.0,
    )
