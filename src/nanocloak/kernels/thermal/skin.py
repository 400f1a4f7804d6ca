"""Skin-burn check of a surface temperature history: thermal dose, Arrhenius damage, peak.

For every skin node the check accumulates the thermal dose (Sapareto & Dewey 1984)

.. math::

    \\mathrm{CEM43} = \\sum_i Δt_i\\, R^{43 - \\bar T_i}, \\quad R = 0.5\\ (\\bar T_i ≥ 43\\,°C),
    \\ 0.25\\ \\text{otherwise}

and the Henriques–Moritz damage integral :math:`Ω = \\int A e^{-E_a/(R_g T)}\\, dt` with the skin
pair (A, E_a) given by the caller, then takes the worst node. The skin is **burnt** when

* Ω ≥ ``omega_burn`` (Henriques & Moritz: 0.53 first-degree, 1.0 second-degree at the surface), or
* CEM43 ≥ ``cem43_necrosis_min`` (the necrosis dose of soft tissue, 240 min);

and the check **warns** (no burn) when CEM43 exceeds the no-damage safety limit
``cem43_limit_min`` (van Rhoon 2013: 2–9 min) or the peak temperature reaches
``injury_onset_c`` (44 °C, the epidermal injury onset, Martin & Falder 2017).

The thresholds are arguments: the workflow reads them from ``treatment.yaml`` with their sources.

Units: time in s, temperatures in °C, CEM43 in min, Ω dimensionless, A in s⁻¹, E_a in J/mol.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal.damage import arrhenius_damage, cem43_min


@dataclass(frozen=True, slots=True)
class SkinThresholds:
    """Thresholds of the skin check.

    Attributes
    ----------
    omega_burn
        Arrhenius damage at which the skin counts as burnt (dimensionless).
    cem43_necrosis_min
        Thermal dose at which the skin counts as burnt (min).
    cem43_limit_min
        No-damage thermal-dose safety limit (min); exceeding it is a warning.
    injury_onset_c
        Temperature from which skin is injured given enough time (°C); reaching it is a warning.
    frequency_factor_per_s, activation_j_per_mol
        Arrhenius pair of skin (s⁻¹, J/mol).
    """

    omega_burn: float
    cem43_necrosis_min: float
    cem43_limit_min: float
    injury_onset_c: float
    frequency_factor_per_s: float
    activation_j_per_mol: float


@dataclass(frozen=True, slots=True)
class SkinCheck:
    """Outcome of the skin check on one skin region.

    Attributes
    ----------
    peak_c
        Highest temperature of the region over the history (°C).
    cem43_min
        Largest thermal dose of any node (min).
    omega
        Largest Arrhenius damage of any node.
    burn
        True when Ω or CEM43 reaches its burn threshold.
    over_limit
        True when CEM43 exceeds the safety limit or the peak reaches the injury onset.
    reasons
        One sentence per threshold crossed (empty when none).
    """

    peak_c: float
    cem43_min: float
    omega: float
    burn: bool
    over_limit: bool
    reasons: tuple[str, ...]


def skin_burn_check(
    t_s: FloatArray, skin_temperature_c: FloatArray, thresholds: SkinThresholds
) -> SkinCheck:
    """Check a skin temperature history against burn thresholds.

    Parameters
    ----------
    t_s
        Times (s), shape (nt,), non-decreasing.
    skin_temperature_c
        Absolute skin temperatures (°C), shape (nt,) for one point or (nt, n) for n nodes.
    thresholds
        The thresholds and the skin's Arrhenius pair.
    """
    temp = np.asarray(skin_temperature_c, dtype=float)
    if temp.ndim == 1:
        temp = temp[:, None]
    if temp.ndim != 2 or temp.shape[1] == 0:
        raise ValueError("skin_temperature_c must have shape (nt,) or (nt, n) with n ≥ 1")
    dose = float(np.max(cem43_min(t_s, temp)))
    omega = float(
        np.max(
            arrhenius_damage(
                t_s, temp, thresholds.frequency_factor_per_s, thresholds.activation_j_per_mol
            )
        )
    )
    peak = float(np.max(temp))
    reasons: list[str] = []
    if omega >= thresholds.omega_burn:
        reasons.append(
            f"Arrhenius skin damage Ω = {omega:.3g} ≥ {thresholds.omega_burn:g} (burn threshold)"
        )
    if dose >= thresholds.cem43_necrosis_min:
        reasons.append(
            f"thermal dose {dose:.3g} CEM43 ≥ {thresholds.cem43_necrosis_min:g} min (necrosis)"
        )
    burn = bool(reasons)
    if dose > thresholds.cem43_limit_min:
        reasons.append(
            f"thermal dose {dose:.3g} CEM43 > {thresholds.cem43_limit_min:g} min (safety limit)"
        )
    if peak >= thresholds.injury_onset_c:
        reasons.append(
            f"peak skin temperature {peak:.1f} °C ≥ {thresholds.injury_onset_c:g} °C (injury onset)"
        )
    over = dose > thresholds.cem43_limit_min or peak >= thresholds.injury_onset_c
    return SkinCheck(
        peak_c=peak,
        cem43_min=dose,
        omega=omega,
        burn=burn,
        over_limit=over,
        reasons=tuple(reasons),
    )
