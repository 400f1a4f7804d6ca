"""Capture of labelled cells in a magnetic flow separator; capture efficiency and purity.

Geometry and criterion
----------------------
Blood flows at ``Q`` through a channel of length ``L``, width ``w`` and height ``h``; the magnet
pulls labelled cells across the height at the magnetophoretic velocity ``v`` (uniform gradient).
A cell is captured if it reaches the magnet-side wall before it leaves. For a plug flow, and
also for a Poiseuille profile with cells entering in proportion to the local flux (a closed-form
integral of the trajectory gives the same result), the captured share is

.. math::

    p_\\mathrm{cap}(N) = \\min\\Big(1,\\; \\frac{v(N)\\, τ}{h}\\Big), \\qquad τ = \\frac{L w h}{Q}

with ``v(N) = N v_1`` for a cell carrying ``N`` particles (``v_1`` per particle).

Labels per cell
---------------
``N`` is Poisson about a cell-specific mean ``λ X`` where ``λ`` is the population mean from the
binding kinetics and ``X`` a log-normal heterogeneity factor with mean 1 and log-SD ``σ``
(antigen-expression spread). The expected capture of the population is
:math:`E[p_\\mathrm{cap}] = E_X\\big[\\sum_N \\mathrm{Pois}(N; λX)\\, p_\\mathrm{cap}(N)\\big]`,
evaluated with Gauss–Hermite quadrature over ``ln X`` and the closed form
:math:`\\sum_{N<n_c} N\\,\\mathrm{Pois}(N; μ) = μ\\, F(n_c - 2; μ)` of the Poisson sum.

Efficiency and purity
---------------------
Efficiency = captured CTCs / CTCs in the sample; purity = captured CTCs / (captured CTCs +
captured leukocytes).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import poisson

from nanocloak.kernels.arrays import FloatArray

_HERMITE_NODES, _HERMITE_WEIGHTS = np.polynomial.hermite_e.hermegauss(48)
_HERMITE_WEIGHTS = _HERMITE_WEIGHTS / _HERMITE_WEIGHTS.sum()


def residence_time_s(
    length_m: float, width_m: float, height_m: float, flow_m3_per_s: float
) -> float:
    """Mean residence time in the channel, :math:`τ = L w h / Q` (s).

    Parameters
    ----------
    length_m, width_m, height_m
        Channel dimensions (m), > 0; ``height_m`` is along the magnetic force.
    flow_m3_per_s
        Volumetric flow rate (m³/s), > 0.
    """
    if min(length_m, width_m, height_m, flow_m3_per_s) <= 0.0:
        raise ValueError("channel dimensions and flow rate must be positive")
    return length_m * width_m * height_m / flow_m3_per_s


def labels_needed(velocity_per_label_m_per_s: float, residence_s: float, height_m: float) -> float:
    """Labels ``n* = h / (v_1 τ)`` for which a cell from the far wall just reaches the magnet."""
    reach = velocity_per_label_m_per_s * residence_s
    return math.inf if reach <= 0.0 else height_m / reach


def capture_share(labels: FloatArray | float, labels_needed_: float) -> FloatArray:
    """Captured share of cells carrying ``labels`` particles, :math:`\\min(1, N / n^*)`."""
    n = np.asarray(labels, dtype=float)
    if math.isinf(labels_needed_):
        return np.zeros_like(n)
    return np.minimum(1.0, n / labels_needed_)


def poisson_capture(mean_labels: FloatArray | float, labels_needed_: float) -> FloatArray:
    """Expected :math:`\\min(1, N/n^*)` for ``N ~ Poisson(mean_labels)`` (closed form)."""
    mu = np.asarray(mean_labels, dtype=float)
    if np.any(mu < 0.0):
        raise ValueError("mean labels must be non-negative")
    if math.isinf(labels_needed_):
        return np.zeros_like(mu)
    n_c = math.ceil(labels_needed_)  # smallest label count captured with certainty
    partial = mu * poisson.cdf(n_c - 2, mu) / labels_needed_ if n_c >= 2 else np.zeros_like(mu)
    return np.asarray(partial + poisson.sf(n_c - 1, mu), dtype=float)


def expected_capture(mean_labels: float, spread_ln: float, labels_needed_: float) -> float:
    """Population capture probability with Poisson labels about a log-normal mean.

    Parameters
    ----------
    mean_labels
        Population mean of particles per cell ``λ`` (≥ 0).
    spread_ln
        Log-SD ``σ`` of the cell-to-cell factor (0: Poisson only).
    labels_needed_
        ``n*`` from :func:`labels_needed` (``inf`` without field or flow time).
    """
    if spread_ln < 0.0:
        raise ValueError(f"spread must be non-negative; got {spread_ln}")
    factors = np.exp(spread_ln * _HERMITE_NODES - 0.5 * spread_ln**2)
    return float(_HERMITE_WEIGHTS @ poisson_capture(mean_labels * factors, labels_needed_))


def purity(captured_targets: float, captured_background: float) -> float:
    """Share of targets among captured cells (NaN when nothing is captured)."""
    total = captured_targets + captured_background
    return math.nan if total <= 0.0 else captured_targets / total
