"""Glucose oxidase: ping-pong kinetics in glucose and oxygen, and the reaction's stoichiometry.

Model (stated for reviewers)
----------------------------
Glucose oxidase (GOx) oxidises β-D-glucose with O₂,

.. math::

    \\mathrm{glucose} + \\mathrm{O_2} + \\mathrm{H_2O}
    \\longrightarrow \\mathrm{gluconic\\ acid} + \\mathrm{H_2O_2},

one of each consumed and produced per turnover. Its mechanism is ping-pong (the reduced flavin
is re-oxidised by O₂ after the lactone leaves), which gives a rate Michaelis–Menten in each
substrate with no cross term:

.. math::

    v = \\frac{k_{cat} [E]}{1 + K_{m,G}/[G] + K_{m,O_2}/[O_2]}.

``K_m`` of A. niger GOx: 20–38 mM for glucose and 0.25 mM for O₂ (Singh & Verma, verified
abstract). Because tissue O₂ (≈ 40 µM) lies far below ``K_{m,O₂}``, GOx in a tumour is
oxygen-limited — the reason the review's nanoreactors carry O₂ (perfluorocarbon) or make it
(MnO₂, catalase).

Units: concentrations µM, rates µM/s, k_cat s⁻¹.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray

#: Moles of each species per mole of glucose turned over (negative: consumed).
STOICHIOMETRY: dict[str, int] = {"glucose": -1, "oxygen": -1, "gluconic_acid": 1, "h2o2": 1}


def gox_rate_um_per_s(
    enzyme_um: FloatArray | float,
    glucose_um: FloatArray | float,
    oxygen_um: FloatArray | float,
    kcat_per_s: float,
    km_glucose_um: float,
    km_oxygen_um: float,
) -> FloatArray:
    """Turnover rate of glucose oxidase (µM/s): glucose and O₂ consumed, acid and H₂O₂ made.

    Parameters
    ----------
    enzyme_um
        Active enzyme (µM of catalytic units as counted by ``kcat``).
    glucose_um, oxygen_um
        Substrate concentrations (µM); the rate is 0 when either is 0.
    kcat_per_s
        Turnover number (s⁻¹).
    km_glucose_um, km_oxygen_um
        Michaelis constants (µM), > 0.
    """
    if km_glucose_um <= 0.0 or km_oxygen_um <= 0.0 or kcat_per_s < 0.0:
        raise ValueError("Michaelis constants must be positive and kcat non-negative")
    e = np.clip(np.asarray(enzyme_um, dtype=float), 0.0, None)
    g = np.clip(np.asarray(glucose_um, dtype=float), 0.0, None)
    o = np.clip(np.asarray(oxygen_um, dtype=float), 0.0, None)
    # v = kcat E G O / (G O + Km_G O + Km_O G): the same law without division by zero
    denominator = g * o + km_glucose_um * o + km_oxygen_um * g
    safe = np.where(denominator > 0.0, denominator, 1.0)
    return np.asarray(np.where(denominator > 0.0, kcat_per_s * e * g * o / safe, 0.0), dtype=float)
