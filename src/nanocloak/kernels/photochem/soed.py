"""Macroscopic singlet-oxygen model of type-II PDT (singlet-oxygen explicit dosimetry, SOED).

Model (stated for reviewers)
----------------------------
The photochemical rate equations of Foster et al. (*Radiat. Res.* 1991, 126, 296,
doi:10.2307/3577919), reduced by the Penn group to four macroscopic constants (Wang, Finlay,
Busch, Hahn, Zhu, *J. Biophotonics* 2010, 3, 304, doi:10.1002/jbio.200900101; Zhu, Liu,
Penjweini, *J. Biomed. Opt.* 2015, 20, 038001, doi:10.1117/1.JBO.20.3.038001):

.. math::

    \\frac{d[S_0]}{dt} &= -ξ σ φ\\,([S_0] + δ)\\,[S_0]\\,\\frac{[^3O_2]}{[^3O_2] + β} \\\\
    \\frac{d[^3O_2]}{dt} &= -ξ φ\\,[S_0]\\,\\frac{[^3O_2]}{[^3O_2] + β}
        + g\\left(1 - \\frac{[^3O_2]}{[^3O_2]_0}\\right) \\\\
    \\frac{d[^1O_2]_{rx}}{dt} &= ξ φ\\,[S_0]\\,\\frac{[^3O_2]}{[^3O_2] + β}

* ``[S_0]`` ground-state photosensitizer, ``[³O₂]`` ground-state oxygen, ``[¹O₂]_rx`` the
  cumulative singlet oxygen that has *reacted* with tissue (the cytotoxic dose), all in µM.
* ``φ`` local fluence rate (mW/cm²). ``ξ`` (cm² mW⁻¹ s⁻¹): oxygen consumption per fluence
  rate per photosensitizer, ``ξ = S_Δ γ η α/(1+α)`` with ``η = ε/hν``
  (:func:`xi_from_photophysics`).
* ``σ`` (µM⁻¹) photobleaching by singlet oxygen (``k₁/k₆``), ``δ`` (µM) its low-concentration
  correction, ``β`` (µM) the oxygen level at which half the triplets meet oxygen (``k₄/k₂``).
* ``g`` (µM/s) the maximal vascular oxygen supply; ``g(1 − [³O₂]/[³O₂]₀)`` is linear in the
  deficit (Krogh-cylinder result of Zhu 2015). ``g = 0`` is a closed (avascular) volume.

Every reacted singlet oxygen consumed one ground-state oxygen, so with ``g = 0``
``[³O₂] + [¹O₂]_rx = [³O₂]₀`` at all times; with oxygen not limiting
(``[³O₂] ≫ β``) and no bleaching (``σ = 0``) the dose grows linearly,
``[¹O₂]_rx = ξ φ [S₀] t``.

Units: concentrations µM, time s, fluence rate mW/cm², ξ cm² mW⁻¹ s⁻¹, σ µM⁻¹, g µM/s.
Points (depths) are independent: arrays of fluence rate and initial concentrations are solved
as one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp
from scipy.sparse import csr_matrix, identity, kron

from nanocloak.kernels.arrays import FloatArray

AVOGADRO_PER_MOL = 6.02214076e23
PLANCK_J_S = 6.62607015e-34
LIGHT_M_PER_S = 299_792_458.0


@dataclass(frozen=True, slots=True)
class SoedConstants:
    """Macroscopic photochemical constants of one photosensitizer in one tissue.

    Attributes
    ----------
    xi_cm2_per_mw_s
        ξ, oxygen consumption per fluence rate per photosensitizer (cm² mW⁻¹ s⁻¹).
    sigma_per_um
        σ, photobleaching per reacted singlet oxygen (µM⁻¹).
    beta_um
        β, oxygen level of half-maximal triplet quenching (µM).
    delta_um
        δ, low-concentration correction of bleaching (µM).
    oxygen_initial_um
        ``[³O₂]₀``, the unperturbed tissue oxygen (µM).
    supply_um_per_s
        g, maximal vascular oxygen supply (µM/s); 0 for a closed volume.
    """

    xi_cm2_per_mw_s: float
    sigma_per_um: float
    beta_um: float
    delta_um: float
    oxygen_initial_um: float
    supply_um_per_s: float

    def __post_init__(self) -> None:
        for name in ("xi_cm2_per_mw_s", "sigma_per_um", "delta_um", "supply_um_per_s"):
            if not getattr(self, name) >= 0.0:
                raise ValueError(f"{name} must be non-negative; got {getattr(self, name)}")
        for name in ("beta_um", "oxygen_initial_um"):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"{name} must be positive; got {getattr(self, name)}")


@dataclass(frozen=True, slots=True)
class SoedSolution:
    """Time courses of the macroscopic model at ``n`` independent points.

    Arrays are (n_times, n_points); concentrations in µM, time in s.
    """

    t_s: FloatArray
    photosensitizer_um: FloatArray
    oxygen_um: FloatArray
    reacted_um: FloatArray


def photon_energy_j_per_umol(wavelength_nm: float) -> float:
    """Energy of one micromole of photons, ``N_A h c / λ`` × 10⁻⁶ (J/µmol).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength (nm), > 0.
    """
    if wavelength_nm <= 0.0:
        raise ValueError(f"wavelength must be positive; got {wavelength_nm} nm")
    return AVOGADRO_PER_MOL * PLANCK_J_S * LIGHT_M_PER_S / (wavelength_nm * 1e-9) * 1e-6


def xi_from_photophysics(
    singlet_oxygen_yield: float,
    reacted_fraction_alpha: float,
    extinction_per_cm_per_um: float,
    wavelength_nm: float,
) -> float:
    """ξ (cm² mW⁻¹ s⁻¹) from photophysical constants.

    .. math::

        ξ = Φ_Δ \\frac{α}{1 + α} \\frac{ε}{h ν}, \\qquad
        \\frac{ε}{hν} = \\frac{ε\\,[\\mathrm{cm^{-1} µM^{-1}}] \\cdot 10^{-3}}
                             {E_\\mathrm{photon}\\,[\\mathrm{J/µmol}]} \\cdot 10^{3}

    ``ε φ [S₀]/hν`` is the photon absorption rate per volume: with φ in mW/cm² and
    ``μ_a = ε [S₀]`` in cm⁻¹ it is in µmol cm⁻³ s⁻¹ × 10⁻³/E, and 1 µmol/cm³ = 10³ µM.

    Parameters
    ----------
    singlet_oxygen_yield
        ``Φ_Δ = S_Δ γ``: singlet oxygen per absorbed photon when oxygen is not limiting.
    reacted_fraction_alpha
        ``α = k₇[A]/k₆`` (reacting over decaying singlet oxygen).
    extinction_per_cm_per_um
        ε with ``μ_a = ε [S₀]`` (cm⁻¹ µM⁻¹, natural base).
    wavelength_nm
        Excitation wavelength (nm).
    """
    if not 0.0 <= singlet_oxygen_yield <= 1.0:
        raise ValueError(f"singlet-oxygen yield must lie in [0, 1]; got {singlet_oxygen_yield}")
    if reacted_fraction_alpha < 0.0 or extinction_per_cm_per_um < 0.0:
        raise ValueError("alpha and the extinction must be non-negative")
    eta = extinction_per_cm_per_um * 1e-3 / photon_energy_j_per_umol(wavelength_nm) * 1e3
    return singlet_oxygen_yield * reacted_fraction_alpha / (1.0 + reacted_fraction_alpha) * eta


def reaction_rate_um_per_s(
    fluence_rate_mw_per_cm2: FloatArray | float,
    photosensitizer_um: FloatArray | float,
    oxygen_um: FloatArray | float,
    constants: SoedConstants,
) -> FloatArray:
    """Instantaneous reacted singlet-oxygen rate ``ξ φ [S₀] [³O₂]/([³O₂] + β)`` (µM/s).

    Parameters
    ----------
    fluence_rate_mw_per_cm2
        Local fluence rate φ (mW/cm²).
    photosensitizer_um
        Ground-state photosensitizer ``[S₀]`` (µM).
    oxygen_um
        Ground-state oxygen ``[³O₂]`` (µM).
    constants
        Macroscopic constants.
    """
    phi = np.asarray(fluence_rate_mw_per_cm2, dtype=float)
    s0 = np.clip(np.asarray(photosensitizer_um, dtype=float), 0.0, None)
    o2 = np.clip(np.asarray(oxygen_um, dtype=float), 0.0, None)
    return np.asarray(
        constants.xi_cm2_per_mw_s * phi * s0 * o2 / (o2 + constants.beta_um), dtype=float
    )


def _rhs(phi: FloatArray, c: SoedConstants) -> Callable[[float, FloatArray], FloatArray]:
    n = phi.size

    def rhs(_t: float, y: FloatArray) -> FloatArray:
        s0 = np.clip(y[:n], 0.0, None)
        o2 = np.clip(y[n : 2 * n], 0.0, None)
        rate = c.xi_cm2_per_mw_s * phi * s0 * o2 / (o2 + c.beta_um)
        supply = c.supply_um_per_s * (1.0 - o2 / c.oxygen_initial_um)
        return np.concatenate((-c.sigma_per_um * (s0 + c.delta_um) * rate, -rate + supply, rate))

    return rhs


def simulate_soed(
    fluence_rate_mw_per_cm2: FloatArray | float,
    photosensitizer_um: FloatArray | float,
    constants: SoedConstants,
    t_s: FloatArray,
    oxygen_um: FloatArray | float | None = None,
    rtol: float = 1e-8,
    progress: Callable[[int, int], None] | None = None,
) -> SoedSolution:
    """Solve the macroscopic model at ``n`` points under constant illumination.

    Parameters
    ----------
    fluence_rate_mw_per_cm2
        Fluence rate φ at each point (mW/cm²), scalar or shape (n,); held constant (CW light).
    photosensitizer_um
        Initial ``[S₀]`` (µM), scalar or (n,).
    constants
        Macroscopic constants (:class:`SoedConstants`).
    t_s
        Output times (s), increasing, starting at the light's switch-on (t[0] is the initial
        state).
    oxygen_um
        Initial ``[³O₂]`` (µM), scalar or (n,); default ``[³O₂]₀``.
    rtol
        Relative tolerance of the stiff (BDF) integrator; the absolute tolerance is
        ``rtol × 10⁻³ µM``.
    progress
        Called with ``(done, total)`` after each output interval.

    Returns
    -------
    SoedSolution
        Time courses at the output times.
    """
    t = np.asarray(t_s, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0.0):
        raise ValueError("t_s must be an increasing 1-D array of at least two times")
    phi, s0, o2 = np.broadcast_arrays(
        np.atleast_1d(np.asarray(fluence_rate_mw_per_cm2, dtype=float)),
        np.atleast_1d(np.asarray(photosensitizer_um, dtype=float)),
        np.atleast_1d(
            np.asarray(constants.oxygen_initial_um if oxygen_um is None else oxygen_um, dtype=float)
        ),
    )
    if phi.ndim != 1:
        raise ValueError("fluence rates and concentrations must be scalars or 1-D arrays")
    if np.any(phi < 0.0) or np.any(s0 < 0.0) or np.any(o2 < 0.0):
        raise ValueError("fluence rates and concentrations must be non-negative")
    n = phi.size
    y = np.concatenate((s0, o2, np.zeros(n)))
    out = np.empty((t.size, 3 * n))
    out[0] = y
    # each point couples only its own three states: a block-diagonal Jacobian pattern
    pattern = kron(np.ones((3, 3)), identity(n), format="csr")
    rhs = _rhs(phi.copy(), constants)
    for i in range(1, t.size):
        sol = solve_ivp(
            rhs,
            (t[i - 1], t[i]),
            y,
            method="BDF",
            rtol=rtol,
            atol=rtol * 1e-3,
            jac_sparsity=csr_matrix(pattern),
        )
        if not sol.success:  # pragma: no cover - BDF does not fail on this smooth system
            raise ArithmeticError(f"SOED integration failed: {sol.message}")
        y = sol.y[:, -1]
        out[i] = y
        if progress is not None:
            progress(i, t.size - 1)
    clipped = np.clip(out, 0.0, None)
    return SoedSolution(
        t_s=t,
        photosensitizer_um=clipped[:, :n],
        oxygen_um=clipped[:, n : 2 * n],
        reacted_um=clipped[:, 2 * n :],
    )


def linear_dose_um(
    fluence_rate_mw_per_cm2: FloatArray | float,
    photosensitizer_um: FloatArray | float,
    oxygen_um: FloatArray | float,
    constants: SoedConstants,
    t_s: FloatArray | float,
) -> FloatArray:
    """Closed-form dose without bleaching at constant oxygen (µM).

    ``[¹O₂]_rx = ξ φ [S₀] [³O₂]/([³O₂] + β) t``: exact when ``σ = 0`` and oxygen is held
    (supply balances consumption), and the early-time slope otherwise.

    Parameters
    ----------
    fluence_rate_mw_per_cm2, photosensitizer_um, oxygen_um
        φ (mW/cm²), ``[S₀]`` and ``[³O₂]`` (µM).
    constants
        Macroscopic constants.
    t_s
        Times (s).
    """
    rate = reaction_rate_um_per_s(fluence_rate_mw_per_cm2, photosensitizer_um, oxygen_um, constants)
    return np.asarray(rate * np.asarray(t_s, dtype=float), dtype=float)
