"""Thermal dose (CEM43) and Arrhenius damage of temperature histories.

CEM43 (Sapareto & Dewey, *Int. J. Radiat. Oncol. Biol. Phys.* 1984, 10, 787,
doi:10.1016/0360-3016(84)90379-1):

.. math::

    \\mathrm{CEM43} = \\sum_i Δt_i\\, R^{43 - \\bar T_i}, \\qquad
    R = 0.5\\ (\\bar T_i ≥ 43\\,°C),\\ 0.25\\ (\\bar T_i < 43\\,°C)

in minutes, with ``T̄_i`` the mean temperature of interval ``i``.

Arrhenius damage (Henriques & Moritz 1947; review Pearce, *Crit. Rev. Biomed. Eng.* 2010,
doi:10.1615/CritRevBiomedEng.v38.i1.20):

.. math::

    Ω(t) = \\int_0^t A\\, e^{-E_a / (R_g T(t'))}\\, dt', \\qquad \\text{surviving fraction} = e^{-Ω}

integrated by the trapezoid rule on the rate, with ``T`` in kelvin.

Time is the first axis of ``temperature_c``; further axes (a temperature map) are kept.
Exact for constant temperature histories.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray

#: Molar gas constant (J mol⁻¹ K⁻¹), exact in the 2019 SI (CODATA 2018).
GAS_CONSTANT_J_PER_MOL_K = 8.314462618
KELVIN_OFFSET = 273.15


def _check(t_s: FloatArray, temperature_c: FloatArray) -> tuple[FloatArray, FloatArray]:
    t = np.asarray(t_s, dtype=float)
    temp = np.asarray(temperature_c, dtype=float)
    if t.ndim != 1 or t.size < 2:
        raise ValueError("t_s must be 1-D with at least two times")
    if temp.shape[0] != t.size:
        raise ValueError(f"temperature_c has {temp.shape[0]} times along axis 0; t_s has {t.size}")
    if np.any(np.diff(t) < 0):
        raise ValueError("t_s must be non-decreasing")
    return t, temp


def cem43_increments_min(t_s: FloatArray, temperature_c: FloatArray) -> FloatArray:
    """CEM43 accumulated in each interval (min), shape ``(nt − 1, ...)``.

    Parameters
    ----------
    t_s
        Times (s), shape (nt,).
    temperature_c
        Temperatures (°C), shape (nt, ...).
    """
    t, temp = _check(t_s, temperature_c)
    mean = 0.5 * (temp[1:] + temp[:-1])
    base = np.where(mean >= 43.0, 0.5, 0.25)
    dt_min = (np.diff(t) / 60.0).reshape((-1,) + (1,) * (temp.ndim - 1))
    return np.asarray(dt_min * base ** (43.0 - mean), dtype=float)


def cem43_min(t_s: FloatArray, temperature_c: FloatArray) -> FloatArray:
    """Total thermal dose CEM43 (equivalent minutes at 43 °C), shape ``temperature_c.shape[1:]``.

    Parameters
    ----------
    t_s
        Times (s), shape (nt,).
    temperature_c
        Temperatures (°C), shape (nt, ...).
    """
    return np.asarray(np.sum(cem43_increments_min(t_s, temperature_c), axis=0), dtype=float)


def arrhenius_rate_per_s(
    temperature_c: FloatArray | float, frequency_factor_per_s: float, activation_j_per_mol: float
) -> FloatArray:
    """Damage rate ``A e^(−E_a/(R_g T))`` (s⁻¹).

    Parameters
    ----------
    temperature_c
        Temperature (°C).
    frequency_factor_per_s
        Frequency factor A (s⁻¹).
    activation_j_per_mol
        Activation energy E_a (J/mol).
    """
    kelvin = np.asarray(temperature_c, dtype=float) + KELVIN_OFFSET
    if np.any(kelvin <= 0.0):
        raise ValueError("temperatures must be above absolute zero")
    # log form: A can be 1e98, beyond what the product of two floats survives in general
    log_rate = np.log(frequency_factor_per_s) - activation_j_per_mol / (
        GAS_CONSTANT_J_PER_MOL_K * kelvin
    )
    return np.asarray(np.exp(log_rate), dtype=float)


def arrhenius_damage(
    t_s: FloatArray,
    temperature_c: FloatArray,
    frequency_factor_per_s: float,
    activation_j_per_mol: float,
    cumulative: bool = False,
) -> FloatArray:
    """Arrhenius damage integral Ω (dimensionless).

    Parameters
    ----------
    t_s
        Times (s), shape (nt,).
    temperature_c
        Temperatures (°C), shape (nt, ...).
    frequency_factor_per_s
        Frequency factor A (s⁻¹).
    activation_j_per_mol
        Activation energy E_a (J/mol).
    cumulative
        Return Ω at every time (shape (nt, ...)) instead of the final value.
    """
    t, temp = _check(t_s, temperature_c)
    rate = arrhenius_rate_per_s(temp, frequency_factor_per_s, activation_j_per_mol)
    dt = np.diff(t).reshape((-1,) + (1,) * (temp.ndim - 1))
    steps = 0.5 * (rate[1:] + rate[:-1]) * dt
    if cumulative:
        zero = np.zeros((1, *temp.shape[1:]))
        return np.asarray(np.concatenate([zero, np.cumsum(steps, axis=0)]), dtype=float)
    return np.asarray(np.sum(steps, axis=0), dtype=float)


def surviving_fraction(omega: FloatArray | float) -> FloatArray:
    """Fraction of undamaged tissue (or surviving cells), ``e^(−Ω)``.

    Parameters
    ----------
    omega
        Arrhenius damage integral Ω.
    """
    return np.asarray(np.exp(-np.asarray(omega, dtype=float)), dtype=float)


def time_to_damage_s(
    temperature_c: float,
    frequency_factor_per_s: float,
    activation_j_per_mol: float,
    omega: float = 1.0,
) -> float:
    """Exposure at constant temperature that reaches damage ``Ω`` (s): ``Ω / (A e^(−E_a/R_gT))``.

    Parameters
    ----------
    temperature_c
        Constant temperature (°C).
    frequency_factor_per_s
        A (s⁻¹).
    activation_j_per_mol
        E_a (J/mol).
    omega
        Target damage integral (1 ⇒ 63 % damaged).
    """
    rate = float(arrhenius_rate_per_s(temperature_c, frequency_factor_per_s, activation_j_per_mol))
    return omega / rate
