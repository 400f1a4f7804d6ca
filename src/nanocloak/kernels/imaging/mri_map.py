"""T2-weighted darkening from an iron concentration map (reuses :mod:`kernels.magnetic.mri`).

Iron in tissue from the core concentration (µg core per g tissue):

.. math::

    [\\mathrm{Fe}] = \\frac{c_\\mathrm{core} w_\\mathrm{Fe} ρ_\\mathrm{tissue}}{M_\\mathrm{Fe}}

(mM from µg/g, g/mL and g/mol)

then ``R_i = R_{i,0} + r_i [Fe]``, the spin-echo signal
``S = S₀ (1 − e^{−TR R₁}) e^{−TE R₂}`` before (``[Fe] = 0``) and after, and the percent drop
``100 (S_pre − S_post)/S_pre``. The linear relaxivity model assumes fast water exchange and an
in-tissue r2 equal to the in-vitro one; clustering in cells changes r2 (usually up for small
particles, down in the static-dephasing regime), which is the model's main uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.magnetic.mri import (
    percent_signal_drop,
    relaxation_rate_per_s,
    spin_echo_signal,
)


@dataclass(frozen=True, slots=True)
class MriMap:
    """Relaxation and signal maps (arrays shaped like the iron map).

    Attributes
    ----------
    iron_mm
        Iron concentration (mM).
    r1_per_s, r2_per_s
        Relaxation rates with the agent (s⁻¹).
    signal_pre, signal_post
        Spin-echo signal without and with the agent (units of S₀).
    percent_drop
        Darkening ``100 (S_pre − S_post)/S_pre`` (%).
    """

    iron_mm: FloatArray
    r1_per_s: FloatArray
    r2_per_s: FloatArray
    signal_pre: FloatArray
    signal_post: FloatArray
    percent_drop: FloatArray


def iron_mm_from_core_ug_per_g(
    core_ug_per_g: FloatArray | float,
    iron_mass_fraction: float,
    tissue_density_g_per_ml: float,
    iron_molar_mass_g_per_mol: float,
) -> FloatArray:
    """Iron concentration (mM) from the core concentration in tissue (µg/g).

    Parameters
    ----------
    core_ug_per_g
        Core mass per tissue mass (µg/g), ≥ 0.
    iron_mass_fraction
        Mass fraction of iron in the core (0.7236 for Fe₃O₄).
    tissue_density_g_per_ml
        Tissue density (g/mL).
    iron_molar_mass_g_per_mol
        55.845 g/mol.
    """
    c = np.asarray(core_ug_per_g, dtype=float)
    if np.any(c < 0.0):
        raise ValueError("core concentrations must be non-negative")
    if not 0.0 <= iron_mass_fraction <= 1.0:
        raise ValueError(f"iron mass fraction must lie in [0, 1]; got {iron_mass_fraction}")
    # µg/g × g/mL = mg/L; / (g/mol) = mmol/L
    return np.asarray(
        c * iron_mass_fraction * tissue_density_g_per_ml / iron_molar_mass_g_per_mol, dtype=float
    )


def t2_weighted_map(
    iron_mm: FloatArray | float,
    t1_ms: float,
    t2_ms: float,
    r1_per_mm_s: float,
    r2_per_mm_s: float,
    tr_ms: float,
    te_ms: float,
) -> MriMap:
    """Spin-echo signal and darkening of tissue with iron concentration ``iron_mm``.

    Parameters
    ----------
    iron_mm
        Iron concentration map (mM), any shape, ≥ 0.
    t1_ms, t2_ms
        Intrinsic relaxation times of the tissue (ms).
    r1_per_mm_s, r2_per_mm_s
        Relaxivities (s⁻¹ mM⁻¹).
    tr_ms, te_ms
        Repetition and echo times (ms).
    """
    if t1_ms <= 0.0 or t2_ms <= 0.0:
        raise ValueError(f"relaxation times must be positive; got T1={t1_ms}, T2={t2_ms} ms")
    fe = np.asarray(iron_mm, dtype=float)
    r1 = relaxation_rate_per_s(1000.0 / t1_ms, r1_per_mm_s, fe)
    r2 = relaxation_rate_per_s(1000.0 / t2_ms, r2_per_mm_s, fe)
    tr_s, te_s = tr_ms / 1000.0, te_ms / 1000.0
    pre = spin_echo_signal(1.0, tr_s, te_s, 1000.0 / t1_ms, 1000.0 / t2_ms)
    post = spin_echo_signal(1.0, tr_s, te_s, r1, r2)
    pre_map = np.broadcast_to(pre, post.shape).astype(float)
    return MriMap(fe, r1, r2, pre_map, post, percent_signal_drop(pre_map, post))
