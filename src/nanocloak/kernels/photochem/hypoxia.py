"""Tissue oxygen during PDT: partial pressure, vascular supply and its limit (hypoxia).

Model (stated for reviewers)
----------------------------
Dissolved oxygen follows Henry's law, ``[³O₂] = S pO₂`` with ``S`` ≈ 1.34 µM/mmHg in plasma.
The vascular supply is linear in the deficit (Krogh-cylinder result of Zhu, Liu, Penjweini,
*J. Biomed. Opt.* 2015, 20, 038001, doi:10.1117/1.JBO.20.3.038001),

.. math::

    Γ = g\\,(1 - [^3O_2]/[^3O_2]_0),

so it can never deliver more than ``g`` (µM/s). Under constant illumination consumption and
supply balance at the steady state

.. math::

    ξ φ [S_0] \\frac{O}{O + β} = g\\left(1 - \\frac{O}{O_0}\\right)
    \\;\\Rightarrow\\;
    \\frac{g}{O_0} O^2 + \\left(k + \\frac{g β}{O_0} - g\\right) O - g β = 0,
    \\qquad k = ξ φ [S_0],

whose positive root is the photochemically induced oxygen level (bleaching neglected, i.e. the
state reached before ``[S₀]`` falls). The fluence rate that drives the tissue to a given level
``O`` follows by solving the balance for φ; above the one for the hypoxic level
(pO₂ ≈ 10 mmHg) PDT becomes oxygen-limited and the dose rate saturates at ``g``.

Units: concentrations µM, pO₂ mmHg, fluence rate mW/cm², time s.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray


def oxygen_um_from_po2(po2_mmhg: FloatArray | float, solubility_um_per_mmhg: float) -> FloatArray:
    """Dissolved oxygen ``[³O₂] = S pO₂`` (µM).

    Parameters
    ----------
    po2_mmhg
        Oxygen partial pressure (mmHg), ≥ 0.
    solubility_um_per_mmhg
        Henry solubility ``S`` (µM/mmHg).
    """
    po2 = np.asarray(po2_mmhg, dtype=float)
    if np.any(po2 < 0.0) or solubility_um_per_mmhg <= 0.0:
        raise ValueError("pO2 must be non-negative and the solubility positive")
    return np.asarray(solubility_um_per_mmhg * po2, dtype=float)


def po2_mmhg_from_oxygen(
    oxygen_um: FloatArray | float, solubility_um_per_mmhg: float
) -> FloatArray:
    """Oxygen partial pressure ``pO₂ = [³O₂]/S`` (mmHg).

    Parameters
    ----------
    oxygen_um
        Dissolved oxygen (µM).
    solubility_um_per_mmhg
        Henry solubility ``S`` (µM/mmHg), > 0.
    """
    if solubility_um_per_mmhg <= 0.0:
        raise ValueError("the solubility must be positive")
    return np.asarray(np.asarray(oxygen_um, dtype=float) / solubility_um_per_mmhg, dtype=float)


def oxygen_supply_um_per_s(
    oxygen_um: FloatArray | float, oxygen_initial_um: float, supply_um_per_s: float
) -> FloatArray:
    """Vascular supply ``Γ = g (1 − [³O₂]/[³O₂]₀)`` (µM/s); at most ``g``.

    Parameters
    ----------
    oxygen_um
        Current oxygen (µM).
    oxygen_initial_um
        Unperturbed tissue oxygen ``[³O₂]₀`` (µM), > 0.
    supply_um_per_s
        Maximal supply g (µM/s).
    """
    o2 = np.asarray(oxygen_um, dtype=float)
    return np.asarray(supply_um_per_s * (1.0 - o2 / oxygen_initial_um), dtype=float)


def steady_state_oxygen_um(
    consumption_per_s: FloatArray | float,
    oxygen_initial_um: float,
    supply_um_per_s: float,
    beta_um: float,
) -> FloatArray:
    """Steady oxygen under constant photochemical consumption (µM).

    Positive root of ``(g/O₀) O² + (k + gβ/O₀ − g) O − gβ = 0`` with ``k = ξ φ [S₀]`` (s⁻¹·µM
    of photosensitizer folded in: ``k`` is the consumption rate at saturating oxygen, µM/s).

    Parameters
    ----------
    consumption_per_s
        ``k = ξ φ [S₀]`` (µM/s), ≥ 0; scalar or array.
    oxygen_initial_um
        ``[³O₂]₀`` (µM), > 0.
    supply_um_per_s
        g (µM/s), > 0 (with g = 0 any consumption empties the tissue: the root is 0).
    beta_um
        β (µM), > 0.
    """
    k = np.asarray(consumption_per_s, dtype=float)
    if np.any(k < 0.0):
        raise ValueError("consumption must be non-negative")
    if supply_um_per_s <= 0.0:
        return np.asarray(np.where(k > 0.0, 0.0, oxygen_initial_um), dtype=float)
    a = supply_um_per_s / oxygen_initial_um
    b = k + supply_um_per_s * beta_um / oxygen_initial_um - supply_um_per_s
    c = -supply_um_per_s * beta_um
    # stable form of the positive root (c < 0, so the discriminant exceeds b²)
    disc = np.sqrt(b * b - 4.0 * a * c)
    root = np.where(b >= 0.0, 2.0 * c / (-b - disc), (-b + disc) / (2.0 * a))
    return np.asarray(root, dtype=float)


def fluence_rate_for_oxygen_mw_per_cm2(
    target_oxygen_um: float,
    photosensitizer_um: float,
    xi_cm2_per_mw_s: float,
    oxygen_initial_um: float,
    supply_um_per_s: float,
    beta_um: float,
) -> float:
    """Fluence rate (mW/cm²) that holds tissue oxygen at ``target_oxygen_um`` at steady state.

    .. math::

        φ = \\frac{g (1 - O/O_0)(O + β)}{ξ [S_0] O}

    With ``target`` the hypoxic level this is the fluence rate above which PDT is
    oxygen-supply limited.

    Parameters
    ----------
    target_oxygen_um
        Oxygen level to hold (µM), in (0, O₀].
    photosensitizer_um
        ``[S₀]`` (µM), > 0.
    xi_cm2_per_mw_s
        ξ (cm² mW⁻¹ s⁻¹), > 0.
    oxygen_initial_um, supply_um_per_s, beta_um
        ``[³O₂]₀`` (µM), g (µM/s), β (µM).
    """
    if not 0.0 < target_oxygen_um <= oxygen_initial_um:
        raise ValueError(
            f"target oxygen must lie in (0, {oxygen_initial_um}] uM; got {target_oxygen_um}"
        )
    if photosensitizer_um <= 0.0 or xi_cm2_per_mw_s <= 0.0:
        raise ValueError("photosensitizer and xi must be positive")
    o = target_oxygen_um
    deficit = supply_um_per_s * (1.0 - o / oxygen_initial_um)
    return deficit * (o + beta_um) / (xi_cm2_per_mw_s * photosensitizer_um * o)


def hypoxic_fraction(oxygen_um: FloatArray, hypoxic_level_um: float) -> float:
    """Share of the points (e.g. depths of equal volume) below the hypoxic level.

    Parameters
    ----------
    oxygen_um
        Oxygen at each point (µM).
    hypoxic_level_um
        Threshold (µM), e.g. ``S × 10 mmHg``.
    """
    o2 = np.asarray(oxygen_um, dtype=float)
    if o2.size == 0:
        raise ValueError("no points given")
    return float(np.mean(o2 < hypoxic_level_um))
