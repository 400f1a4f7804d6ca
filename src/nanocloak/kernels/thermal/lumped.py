"""Lumped heating model of a well-mixed sample: one temperature, linear (Newton) heat loss.

The sample (solvent, particles and whatever part of the vessel heats with them) has a total heat
capacity ``C = Σ mᵢ cᵢ`` and loses heat to surroundings at ``T_surr`` through a conductance
``hS`` (heat-transfer coefficient × area):

.. math::

    C \\frac{dT}{dt} = P(t) - hS\\,(T - T_\\mathrm{surr})

With constant heating power ``P`` the temperature relaxes exponentially, with the time constant
``τ = C / hS``, towards ``T_surr + P / hS``; with the source off it relaxes back to ``T_surr``
with the same ``τ``. These are the curves used by Roper's photothermal efficiency (Roper, Ahn,
Hoepfner, *J. Phys. Chem. C* 2007, 111, 3636, doi:10.1021/jp064341w) and the Box–Lucas fit of
magnetic heating curves.

Units: time s, temperature °C, temperature differences K, power W, heat capacity J/K,
conductance W/K. The scalar formulas use plain arithmetic, so they also accept
``uncertainties`` numbers and propagate their errors.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nanocloak.kernels.arrays import FloatArray


def time_constant_s(heat_capacity_j_per_k: float, loss_w_per_k: float) -> Any:
    """Thermal time constant ``τ = C / hS`` (s).

    Parameters
    ----------
    heat_capacity_j_per_k
        Total heat capacity of what heats, ``Σ mᵢ cᵢ`` (J/K).
    loss_w_per_k
        Heat-loss conductance ``hS`` (W/K).
    """
    return heat_capacity_j_per_k / loss_w_per_k


def loss_coefficient_w_per_k(heat_capacity_j_per_k: float, tau_s: float) -> Any:
    """Heat-loss conductance ``hS = C / τ`` (W/K) from the time constant of a cooling curve.

    Parameters
    ----------
    heat_capacity_j_per_k
        Total heat capacity ``Σ mᵢ cᵢ`` (J/K).
    tau_s
        Time constant of the exponential cooling (s).
    """
    return heat_capacity_j_per_k / tau_s


def steady_rise_k(power_w: float, loss_w_per_k: float) -> Any:
    """Steady-state temperature rise over the surroundings, ``ΔT_max = P / hS`` (K).

    Parameters
    ----------
    power_w
        Heat deposited in the sample (W).
    loss_w_per_k
        Heat-loss conductance ``hS`` (W/K).
    """
    return power_w / loss_w_per_k


def heating_curve_c(t_s: FloatArray, start_c: float, rise_k: float, tau_s: float) -> FloatArray:
    """Heating from ``start_c`` towards ``start_c + rise_k``: ``T = T_s + ΔT (1 − e^(−t/τ))``.

    Parameters
    ----------
    t_s
        Time since the heating started (s); times before it give ``start_c``.
    start_c
        Temperature when the heating starts (°C).
    rise_k
        Rise from ``start_c`` to the plateau (K).
    tau_s
        Time constant (s).
    """
    t = np.clip(np.asarray(t_s, dtype=float), 0.0, None)
    return np.asarray(start_c + rise_k * -np.expm1(-t / tau_s), dtype=float)


def cooling_curve_c(t_s: FloatArray, ambient_c: float, start_c: float, tau_s: float) -> FloatArray:
    """Cooling from ``start_c`` towards ``ambient_c``: ``T = T_surr + (T_0 − T_surr) e^(−t/τ)``.

    Parameters
    ----------
    t_s
        Time since the source was switched off (s); times before it give ``start_c``.
    ambient_c
        Temperature of the surroundings, the asymptote (°C).
    start_c
        Temperature when the source was switched off (°C).
    tau_s
        Time constant (s).
    """
    t = np.clip(np.asarray(t_s, dtype=float), 0.0, None)
    return np.asarray(ambient_c + (start_c - ambient_c) * np.exp(-t / tau_s), dtype=float)


def lumped_temperature_c(
    t_s: FloatArray,
    power_w: float,
    heat_capacity_j_per_k: float,
    loss_w_per_k: float,
    ambient_c: float,
    initial_c: float | None = None,
    on_s: float = 0.0,
    off_s: float = math.inf,
) -> FloatArray:
    """Exact solution of ``C dT/dt = P·[on ≤ t < off] − hS (T − T_surr)`` from ``T(0) = T_i``.

    Parameters
    ----------
    t_s
        Times (s), from 0.
    power_w
        Heating power while the source is on (W).
    heat_capacity_j_per_k
        Total heat capacity ``C`` (J/K).
    loss_w_per_k
        Heat-loss conductance ``hS`` (W/K).
    ambient_c
        Temperature of the surroundings (°C).
    initial_c
        Temperature at ``t = 0`` (°C); the ambient temperature if None.
    on_s, off_s
        Times the source is switched on and off (s), ``0 ≤ on_s ≤ off_s``.
    """
    if not 0.0 <= on_s <= off_s:
        raise ValueError(f"need 0 <= on_s <= off_s; got on_s={on_s}, off_s={off_s}")
    t = np.asarray(t_s, dtype=float)
    tau = heat_capacity_j_per_k / loss_w_per_k
    start = ambient_c if initial_c is None else initial_c
    plateau = ambient_c + power_w / loss_w_per_k
    at_on = ambient_c + (start - ambient_c) * math.exp(-on_s / tau)
    at_off = plateau + (at_on - plateau) * math.exp(-(off_s - on_s) / tau)
    before = ambient_c + (start - ambient_c) * np.exp(-np.clip(t, 0.0, on_s) / tau)
    during = plateau + (at_on - plateau) * np.exp(-np.clip(t - on_s, 0.0, None) / tau)
    after_time = np.clip(t - off_s, 0.0, None) if math.isfinite(off_s) else np.zeros_like(t)
    after = ambient_c + (at_off - ambient_c) * np.exp(-after_time / tau)
    return np.asarray(np.where(t < on_s, before, np.where(t < off_s, during, after)), dtype=float)


def absorbed_power_w(power_w: float, absorbance: float) -> Any:
    """Laser power taken out of the beam by the sample, ``I (1 − 10^(−A))`` (W).

    Parameters
    ----------
    power_w
        Laser power reaching the sample (W), not the power density.
    absorbance
        Decadic absorbance (optical density) of the sample at the laser wavelength along the
        beam path.
    """
    return power_w * (1.0 - 10.0 ** (-absorbance))


def photothermal_efficiency(
    loss_w_per_k: float,
    rise_k: float,
    blank_heat_w: float,
    power_w: float,
    absorbance: float,
) -> Any:
    """Roper's photothermal conversion efficiency (dimensionless).

    .. math::

        η = \\frac{hS\\,(T_\\max - T_\\mathrm{surr}) - Q_\\mathrm{dis}}{I\\,(1 - 10^{-A})}

    Parameters
    ----------
    loss_w_per_k
        Heat-loss conductance ``hS`` (W/K).
    rise_k
        Steady-state rise ``T_max − T_surr`` (K).
    blank_heat_w
        Heat from the solvent and vessel under the same beam, ``Q_dis`` (W).
    power_w
        Laser power reaching the sample (W).
    absorbance
        Decadic absorbance at the laser wavelength.
    """
    return (loss_w_per_k * rise_k - blank_heat_w) / absorbed_power_w(power_w, absorbance)


def heating_power_w(
    heat_capacity_j_per_k: float,
    slope_k_per_s: float,
    loss_w_per_k: float = 0.0,
    excess_k: float = 0.0,
) -> Any:
    """Heating power from the energy balance, ``P = C dT/dt + hS (T − T_surr)`` (W).

    With ``loss_w_per_k = 0`` (or at ``T = T_surr``) this is the initial-slope power ``C dT/dt``.

    Parameters
    ----------
    heat_capacity_j_per_k
        Total heat capacity ``C`` (J/K).
    slope_k_per_s
        Rate of temperature rise (K/s).
    loss_w_per_k
        Heat-loss conductance ``hS`` (W/K).
    excess_k
        Temperature over the surroundings at which the slope was taken (K).
    """
    return heat_capacity_j_per_k * slope_k_per_s + loss_w_per_k * excess_k


def intrinsic_loss_power_h_m2_per_kg(
    sar_w_per_kg: float, field_a_per_m: float, frequency_hz: float
) -> Any:
    """Intrinsic loss power ``ILP = SAR / (H² f)`` (H m² kg⁻¹; ×10⁹ for nH m² kg⁻¹).

    Parameters
    ----------
    sar_w_per_kg
        Specific absorption rate of the magnetic material (W/kg).
    field_a_per_m
        Amplitude of the alternating magnetic field ``H`` (A/m).
    frequency_hz
        Field frequency (Hz).
    """
    return sar_w_per_kg / (field_a_per_m**2 * frequency_hz)
