r"""Accelerated blood clearance (ABC) on repeat dosing: an immune-state variable.

A dose whose surface carries foreign, repetitive epitopes (anti-PEG; allogeneic or xenogeneic
membrane antigens) induces IgM from splenic marginal-zone B cells, a T-independent response
that needs densely arrayed epitopes (Bachmann 1993). The titre of antibody *a* rises and falls
after each dose *j* (a Bateman pulse normalised to 1 at its peak):

.. math::

    T_a(t) = \sum_{j:\,t_j < t} s_{a}\,g(t - t_j),\qquad
    g(\Delta) = \frac{e^{-k_d\Delta} - e^{-k_r\Delta}}{e^{-k_d t_p} - e^{-k_r t_p}},\qquad
    s_a = \gamma_a\,\overline{D(\rho_a)}

with :math:`\gamma_a` the immunogenicity of the antigen (donor relation), :math:`\rho_a` its
epitope density on a particle relative to the native membrane (area share × coating degree) and
:math:`D(\rho) = \rho^n / (\rho_{50}^n + \rho^n)` the cooperative (multivalent) engagement of an
epitope array. A particle of a later dose *k* is recognised with probability

.. math:: R_k = 1 - \exp\Big(-\sum_a T_a(t_k)\,D(\rho_a)\Big)

and IgM/complement-opsonised particles are cleared at once by liver and spleen macrophages:
:math:`K_{max} \times (1 + (m - 1) R)` and :math:`K_{50} \times (1 - (1 - \ell) R)`. Every
constant at its default (:math:`\gamma = 0`) has no effect; a single dose is never affected.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from scipy.optimize import brentq


def epitope_engagement(density: float, half_density: float = 0.5, hill_n: float = 1.0) -> float:
    r"""Cooperative engagement of an epitope array, :math:`D = \rho^n/(\rho_{50}^n + \rho^n)`.

    Parameters
    ----------
    density
        ρ, epitope density relative to the native membrane (>= 0).
    half_density
        ρ_50, density of half-maximal engagement (> 0).
    hill_n
        n, cooperativity (>= 1 for multivalent IgM binding).
    """
    if density < 0.0 or half_density <= 0.0 or hill_n <= 0.0:
        raise ValueError("need density >= 0, half_density > 0 and hill_n > 0")
    if density == 0.0:
        return 0.0
    x = float((density / half_density) ** hill_n)
    return x / (1.0 + x)


def rise_rate(peak_h: float, decay_half_life_h: float) -> float:
    r"""Rise rate :math:`k_r` (1/h) of the Bateman pulse peaking at ``peak_h``.

    Solves :math:`t_p = \ln(k_r/k_d)/(k_r - k_d)` for :math:`k_r > k_d`,
    :math:`k_d = \ln 2 / t_{1/2}`; a peak exists only for :math:`t_p < 1/k_d`.

    Parameters
    ----------
    peak_h
        t_p, time of the titre peak after a dose, h.
    decay_half_life_h
        Half-life of the titre's decline, h.
    """
    k_d = math.log(2.0) / decay_half_life_h
    if not 0.0 < peak_h < 1.0 / k_d:
        raise ValueError(
            f"the IgM peak ({peak_h} h) must come before 1/k_d = {1.0 / k_d:.4g} h "
            "(a longer decay half-life allows a later peak)"
        )

    def gap(log_ratio: float) -> float:
        k_r = k_d * math.exp(log_ratio)
        return math.log(k_r / k_d) / (k_r - k_d) - peak_h

    return k_d * math.exp(brentq(gap, 1e-9, 60.0, xtol=1e-14))


def igm_pulse(delta_h: float, peak_h: float, decay_half_life_h: float) -> float:
    r"""Normalised titre :math:`g(\Delta)` a time ``delta_h`` after one dose (0 before it).

    Parameters
    ----------
    delta_h
        Δ, time since the inducing dose, h.
    peak_h
        Time of the peak, h.
    decay_half_life_h
        Half-life of the decline, h.
    """
    if delta_h <= 0.0:
        return 0.0
    k_d = math.log(2.0) / decay_half_life_h
    k_r = rise_rate(peak_h, decay_half_life_h)
    peak = math.exp(-k_d * peak_h) - math.exp(-k_r * peak_h)
    return (math.exp(-k_d * delta_h) - math.exp(-k_r * delta_h)) / peak


def titres_at_doses(
    dose_times_h: Sequence[float],
    induction: Sequence[float],
    peak_h: float,
    decay_half_life_h: float,
) -> list[list[float]]:
    r"""Titre of each antibody at each dose time, :math:`T_a(t_k)` (induced by earlier doses).

    Parameters
    ----------
    dose_times_h
        t_k, dose times, h (increasing).
    induction
        s_a, induction strength of each antigen per dose (>= 0).
    peak_h, decay_half_life_h
        Pulse shape (:func:`igm_pulse`), h.

    Returns
    -------
    list of list of float
        ``out[k][a]``; the first dose always sees 0.
    """
    times = list(dose_times_h)
    if any(b <= a for a, b in itertools.pairwise(times)):
        raise ValueError("dose times must increase")
    if any(s < 0.0 for s in induction):
        raise ValueError("induction strengths must be >= 0")
    return [
        [
            math.fsum(s * igm_pulse(t_k - t_j, peak_h, decay_half_life_h) for t_j in times[:k])
            for s in induction
        ]
        for k, t_k in enumerate(times)
    ]


def recognition(titres: Sequence[float], engagement: Sequence[float]) -> float:
    r"""Share of a dose's particles recognised, :math:`R = 1 - \exp(-\sum_a T_a D_a)`.

    Parameters
    ----------
    titres
        T_a at the dose time (>= 0).
    engagement
        D_a, engagement of antigen a on these particles (0–1).
    """
    load = math.fsum(t * d for t, d in zip(titres, engagement, strict=True))
    if load < 0.0:
        raise ValueError("titres and engagements must be >= 0")
    return 1.0 - math.exp(-load)


def abc_multipliers(
    recognised: float, k_max_fold: float = 1.0, lag_floor: float = 1.0
) -> tuple[float, float]:
    r"""Multipliers of the phagocytic K_max and K_50 for a recognised share R.

    .. math:: f_{K_{max}} = 1 + (m - 1) R,\qquad f_{K_{50}} = 1 - (1 - \ell) R

    Parameters
    ----------
    recognised
        R (0–1).
    k_max_fold
        m, K_max multiplier of fully recognised particles (>= 1; 1 = no effect).
    lag_floor
        ℓ, K_50 multiplier of fully recognised particles (0–1; 1 = no effect): opsonised
        particles need no lag before uptake.
    """
    if not 0.0 <= recognised <= 1.0:
        raise ValueError(f"recognised share must lie in [0, 1]; got {recognised}")
    if k_max_fold < 1.0 or not 0.0 < lag_floor <= 1.0:
        raise ValueError("need k_max_fold >= 1 and lag_floor in (0, 1]")
    return 1.0 + (k_max_fold - 1.0) * recognised, 1.0 - (1.0 - lag_floor) * recognised
