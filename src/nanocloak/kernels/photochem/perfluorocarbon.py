"""Perfluorocarbon oxygen carrier: loading at a partial pressure and release into tissue.

Model (stated for reviewers)
----------------------------
Liquid perfluorocarbons (PFC, e.g. perfluorohexane) dissolve O₂ physically, about twenty
times more than water per mmHg (Riess 2005, doi:10.1081/BIO-200046659), with no binding
(no sigmoid as for haemoglobin): ``C_PFC = S_PFC pO₂``. A carrier loaded at ``pO₂,load``
(pure O₂ bubbling: 760 mmHg) exchanges with tissue toward partition equilibrium
``C_PFC = K [³O₂]`` with ``K = S_PFC/S_tissue``. Per tissue volume, with ``f`` the PFC volume
fraction and ``Q = f C_PFC`` the carried O₂,

.. math::

    \\frac{dQ}{dt} = -k\\,(Q - f K [^3O_2]), \\qquad k = \\frac{π^2 D}{a^2},

``k`` being the slowest diffusion mode of a sphere of radius ``a`` (Crank 1975, eq. 6.20).
For droplets of tens of nanometres ``k`` is ~10⁶ s⁻¹: release is limited by the tissue's
consumption, never by the droplet.

Units: concentrations µM, pO₂ mmHg, solubility µM/mmHg, radius nm, diffusivity m²/s, time s.
"""

from __future__ import annotations

import math

import numpy as np

from nanocloak.kernels.arrays import FloatArray


def pfc_oxygen_um(po2_mmhg: FloatArray | float, solubility_um_per_mmhg: float) -> FloatArray:
    """O₂ dissolved in the PFC liquid at partial pressure ``pO₂`` (µM of PFC volume).

    Parameters
    ----------
    po2_mmhg
        Loading partial pressure (mmHg), ≥ 0.
    solubility_um_per_mmhg
        O₂ solubility of the PFC (µM/mmHg), > 0.
    """
    po2 = np.asarray(po2_mmhg, dtype=float)
    if np.any(po2 < 0.0) or solubility_um_per_mmhg <= 0.0:
        raise ValueError("pO2 must be non-negative and the solubility positive")
    return np.asarray(solubility_um_per_mmhg * po2, dtype=float)


def partition_coefficient(
    pfc_solubility_um_per_mmhg: float, tissue_solubility_um_per_mmhg: float
) -> float:
    """Equilibrium ratio ``K = S_PFC / S_tissue`` of O₂ in the PFC to O₂ in tissue water.

    Parameters
    ----------
    pfc_solubility_um_per_mmhg, tissue_solubility_um_per_mmhg
        Henry solubilities (µM/mmHg), > 0.
    """
    if pfc_solubility_um_per_mmhg <= 0.0 or tissue_solubility_um_per_mmhg <= 0.0:
        raise ValueError("solubilities must be positive")
    return pfc_solubility_um_per_mmhg / tissue_solubility_um_per_mmhg


def release_rate_constant_per_s(radius_nm: float, diffusivity_m2_per_s: float) -> float:
    """Slowest diffusion mode of a sphere, ``k = π² D / a²`` (s⁻¹).

    Parameters
    ----------
    radius_nm
        Droplet (or PFC-filled cavity) radius ``a`` (nm), > 0.
    diffusivity_m2_per_s
        O₂ diffusivity in the PFC (m²/s), > 0.
    """
    if radius_nm <= 0.0 or diffusivity_m2_per_s <= 0.0:
        raise ValueError("radius and diffusivity must be positive")
    return math.pi**2 * diffusivity_m2_per_s / (radius_nm * 1e-9) ** 2


def pfc_release_um_per_s(
    carried_um: FloatArray | float,
    tissue_oxygen_um: FloatArray | float,
    volume_fraction: float,
    partition: float,
    rate_per_s: float,
) -> FloatArray:
    """O₂ released from the carrier into tissue, ``k (Q − f K [³O₂])`` (µM of tissue per s).

    Negative when the tissue is richer than the carrier's equilibrium (the carrier reloads).

    Parameters
    ----------
    carried_um
        ``Q``, O₂ held in the PFC per tissue volume (µM).
    tissue_oxygen_um
        Tissue ``[³O₂]`` (µM).
    volume_fraction
        ``f``, PFC volume per tissue volume.
    partition
        ``K = S_PFC/S_tissue``.
    rate_per_s
        Exchange rate constant ``k`` (s⁻¹).
    """
    q = np.asarray(carried_um, dtype=float)
    o = np.asarray(tissue_oxygen_um, dtype=float)
    return np.asarray(rate_per_s * (q - volume_fraction * partition * o), dtype=float)
