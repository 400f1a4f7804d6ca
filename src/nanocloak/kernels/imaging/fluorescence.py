"""NIR fluorescence of a dye or upconverter layer seen through tissue (epi-illumination).

Model (each factor named so it can be argued with)
--------------------------------------------------
A broad excitation beam of irradiance ``E₀`` falls on a homogeneous tissue; a fluorophore
layer lies between depths ``z₁`` and ``z₂``. The emitted exitance per unit ``E₀`` is

.. math::

    S = \\int_{z_1}^{z_2} \\frac{φ_x(z)}{E_0}\\; μ_{a,f}\\; η(z)\\; T_m(z)\\, dz

* **Excitation at depth** ``φ_x(z)/E₀``: δ-P1 diffusion of the excitation wavelength,
  :func:`~nanocloak.kernels.optics.diffusion.broad_beam_fluence`.
* **Fluorophore absorption** ``μ_{a,f} = ln(10) ε c`` (natural, mm⁻¹) for a dye of decadic
  molar extinction ``ε`` at molar concentration ``c``; for particles ``n σ``.
* **Emission efficiency** ``η``: the quantum yield of a dye, or for upconverters the
  power-density-dependent yield ``η = Φ_sat (P/P_c)/(1 + P/P_c)`` with the local fluence rate
  ``P = E₀ φ_x/E₀`` (linear, i.e. two-photon, emission at low ``P``, saturation above ``P_c``;
  Joseph et al., *J. Phys. Chem. A* 2019, 123, 6799, doi:10.1021/acs.jpca.9b03851).
* **Escape of the emission** ``T_m(z)``: fraction of isotropic emission at depth ``z`` that
  leaves the surface, by diffusion theory with the extrapolated boundary
  ``z_b = 2 A_b D`` (image source; Farrell, Patterson & Wilson, *Med. Phys.* 1992, 19, 879,
  doi:10.1118/1.596777): integrating the point-source fluence over the surface plane and taking
  the Fick flux gives

  .. math::

      T_m(z) = \\tfrac12\\left[e^{-μ_\\mathrm{eff} z} + e^{-μ_\\mathrm{eff}(z + 2 z_b)}\\right]

  which is 1 for a non-absorbing half-space (every photon eventually leaves). Without scattering
  the escape is the Beer–Lambert law integrated over the downward hemisphere of directions,
  ``T = ½ E₂(μ_a z)`` (:func:`ballistic_escape_fraction`).
* **Background**: tissue autofluorescence, a yield ``η_af`` times the excitation power the
  tissue absorbs, escaping at the emission wavelength, plus the excitation light that leaks
  through the emission filter (``leakage × diffuse reflectance``):

  .. math::

      B = η_\\mathrm{af} \\int_0^∞ \\frac{φ_x}{E_0} μ_{a,x} T_m\\, dz + f_\\mathrm{leak} R_d

Assumptions and limits: one homogeneous tissue for both wavelengths (the organ's own optics
are not distinguished from the overlying tissue); the fluorophore does not perturb the light
(flagged when ``μ_{a,f} > 0.1 μ_a``); diffusion is poor within ~1 transport mean free path of
the surface; broad-beam excitation and whole-field collection (no lateral resolution).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import expn

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.optics.diffusion import (
    DeltaP1Medium,
    broad_beam_fluence,
    diffuse_reflectance,
)

LN10 = math.log(10.0)


@dataclass(frozen=True, slots=True)
class FluorescenceSignal:
    """Fluorescence of one layer per unit excitation irradiance (dimensionless, W/W).

    Attributes
    ----------
    signal
        Fluorescence exitance of the layer over ``E₀``.
    background
        Autofluorescence plus filter leakage over ``E₀``.
    autofluorescence, leakage
        The two parts of ``background``.
    excitation_fluence
        ``φ_x/E₀`` at the layer's mid-depth.
    escape
        Emission escape fraction from the layer's mid-depth.
    perturbative
        True if the fluorophore absorbs less than 10 % of the tissue (model valid).
    """

    signal: float
    background: float
    autofluorescence: float
    leakage: float
    excitation_fluence: float
    escape: float
    perturbative: bool

    @property
    def signal_to_background(self) -> float:
        """``(S + B)/B``, the contrast of the layer's region against a label-free region."""
        if self.background <= 0.0:
            return math.inf if self.signal > 0.0 else 1.0
        return (self.signal + self.background) / self.background


def dye_absorption_per_mm(concentration_um: float, molar_extinction_per_m_per_cm: float) -> float:
    """Natural absorption coefficient ``ln(10) ε c`` of a dye (mm⁻¹).

    Parameters
    ----------
    concentration_um
        Dye concentration (µM), ≥ 0.
    molar_extinction_per_m_per_cm
        Decadic molar extinction ε (M⁻¹ cm⁻¹).
    """
    if concentration_um < 0.0:
        raise ValueError(f"concentration must be non-negative; got {concentration_um} uM")
    return LN10 * molar_extinction_per_m_per_cm * concentration_um * 1e-6 / 10.0


def upconversion_yield(
    power_density_w_per_cm2: FloatArray | float,
    saturated_yield: float,
    critical_w_per_cm2: float,
) -> FloatArray:
    """Power-density-dependent upconversion yield ``Φ_sat (P/P_c)/(1 + P/P_c)``.

    Parameters
    ----------
    power_density_w_per_cm2
        Local excitation fluence rate P (W/cm²).
    saturated_yield
        Yield at saturation ``Φ_sat``.
    critical_w_per_cm2
        Balancing (critical) power density ``P_c`` (W/cm²), > 0.
    """
    if critical_w_per_cm2 <= 0.0:
        raise ValueError(f"critical power density must be positive; got {critical_w_per_cm2}")
    x = np.asarray(power_density_w_per_cm2, dtype=float) / critical_w_per_cm2
    return np.asarray(saturated_yield * x / (1.0 + x), dtype=float)


def diffusion_escape_fraction(medium: DeltaP1Medium, depth_mm: FloatArray | float) -> FloatArray:
    """Escape ``½[e^(−μ_eff z) + e^(−μ_eff (z + 2 z_b))]`` of isotropic emission at depth z.

    Parameters
    ----------
    medium
        δ-P1 coefficients of the tissue at the emission wavelength.
    depth_mm
        Depth of the emitter (mm), ≥ 0.
    """
    z = np.asarray(depth_mm, dtype=float)
    if np.any(z < 0.0):
        raise ValueError("depths must be non-negative")
    z_b = 2.0 * medium.boundary_ab * medium.diffusion_mm
    mu = medium.mueff_per_mm
    return np.asarray(0.5 * (np.exp(-mu * z) + np.exp(-mu * (z + 2.0 * z_b))), dtype=float)


def ballistic_escape_fraction(
    attenuation_per_mm: float, depth_mm: FloatArray | float
) -> FloatArray:
    """Escape of isotropic emission through a non-scattering absorber, ``½ E₂(μ z)``.

    The Beer–Lambert law ``e^(−μ z/cos θ)`` averaged over the downward hemisphere.

    Parameters
    ----------
    attenuation_per_mm
        Attenuation coefficient μ (mm⁻¹), ≥ 0.
    depth_mm
        Depth (mm), ≥ 0.
    """
    z = np.asarray(depth_mm, dtype=float)
    if attenuation_per_mm < 0.0 or np.any(z < 0.0):
        raise ValueError("attenuation and depth must be non-negative")
    return np.asarray(0.5 * expn(2, attenuation_per_mm * z), dtype=float)


def fluorescence_signal(
    excitation: DeltaP1Medium,
    emission: DeltaP1Medium,
    fluorophore_absorption_per_mm: float,
    quantum_yield: float,
    top_mm: float,
    thickness_mm: float,
    *,
    critical_w_per_cm2: float | None = None,
    irradiance_w_per_cm2: float = 1.0,
    autofluorescence_yield: float = 0.0,
    filter_leakage: float = 0.0,
    n_nodes: int = 32,
) -> FluorescenceSignal:
    """Fluorescence and background of a fluorophore layer (see the module for the model).

    Parameters
    ----------
    excitation, emission
        δ-P1 coefficients of the tissue at the excitation and emission wavelengths.
    fluorophore_absorption_per_mm
        ``μ_{a,f}`` of the fluorophore in the layer (mm⁻¹), ≥ 0.
    quantum_yield
        Fluorescence quantum yield (dyes) or saturated upconversion yield (UCNPs).
    top_mm, thickness_mm
        Depth of the layer's top below the skin and its thickness (mm).
    critical_w_per_cm2
        Critical power density of an upconverter (W/cm²); None for a dye (constant yield).
    irradiance_w_per_cm2
        Excitation irradiance ``E₀`` (W/cm²); only the upconverter's yield depends on it.
    autofluorescence_yield
        ``η_af``, fraction of tissue-absorbed excitation re-emitted into the detection band.
    filter_leakage
        Fraction of diffusely reflected excitation passing the emission filter.
    n_nodes
        Gauss–Legendre nodes across the layer (and Gauss–Laguerre nodes for the background).
    """
    if fluorophore_absorption_per_mm < 0.0 or quantum_yield < 0.0:
        raise ValueError("fluorophore absorption and quantum yield must be non-negative")
    if top_mm < 0.0 or thickness_mm <= 0.0:
        raise ValueError(f"need top >= 0 and thickness > 0; got {top_mm}, {thickness_mm} mm")
    nodes, weights = np.polynomial.legendre.leggauss(n_nodes)
    z = top_mm + 0.5 * thickness_mm * (nodes + 1.0)
    w = 0.5 * thickness_mm * weights
    phi = broad_beam_fluence(excitation, z)
    if critical_w_per_cm2 is None:
        eta = np.full_like(z, quantum_yield)
    else:
        eta = upconversion_yield(irradiance_w_per_cm2 * phi, quantum_yield, critical_w_per_cm2)
    escape = diffusion_escape_fraction(emission, z)
    signal = float(np.sum(w * phi * fluorophore_absorption_per_mm * eta * escape))

    lag_x, lag_w = np.polynomial.laguerre.laggauss(n_nodes)
    scale = excitation.mueff_per_mm
    zb = lag_x / scale
    integrand = broad_beam_fluence(excitation, zb) * diffusion_escape_fraction(emission, zb)
    absorbed_escaping = (
        excitation.mua_per_mm * float(np.sum(lag_w * integrand * np.exp(lag_x))) / scale
    )
    autofluorescence = autofluorescence_yield * absorbed_escaping
    leakage = filter_leakage * max(diffuse_reflectance(excitation), 0.0)
    mid = top_mm + 0.5 * thickness_mm
    return FluorescenceSignal(
        signal=signal,
        background=autofluorescence + leakage,
        autofluorescence=autofluorescence,
        leakage=leakage,
        excitation_fluence=float(broad_beam_fluence(excitation, np.array([mid]))[0]),
        escape=float(diffusion_escape_fraction(emission, mid)),
        perturbative=fluorophore_absorption_per_mm <= 0.1 * excitation.mua_per_mm,
    )
