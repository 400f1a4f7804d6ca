r"""Exposure metrics of PBPK curves: AUC, blood half-lives, tumor delivery efficiency.

Tumor delivery efficiency follows Cheng et al., ACS Nano 2020 (doi:10.1021/acsnano.9b08142) and
its code (UFPBPK/Nano-AI-PBPK-G1): :math:`DE(t) = 100\,(A_{T,b} + A_{T,t} + A_{T,RES})/Dose`
in %ID, *including* the tumor's vascular blood. DE24 and DE168 are DE at 24 h and 168 h; DEmax
the largest DE on the simulated grid (the code uses 0-180 h every 0.1 h); DEtlast DE at the last
sampling time of the study.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray


@dataclass(frozen=True, slots=True)
class DeliveryEfficiency:
    """Tumor delivery efficiencies, %ID (NaN where the curve does not reach the time)."""

    de24: float
    de168: float
    demax: float
    t_max_h: float
    detlast: float
    t_last_h: float


def value_at(t_h: FloatArray, y: FloatArray, at_h: float) -> float:
    """Linear interpolation of ``y`` at ``at_h`` (NaN outside ``[t_h[0], t_h[-1]]``)."""
    if at_h < t_h[0] or at_h > t_h[-1]:
        return float("nan")
    return float(np.interp(at_h, t_h, y))


def delivery_efficiency(
    t_h: FloatArray, de_percent: FloatArray, t_last_h: float | None = None
) -> DeliveryEfficiency:
    """DE24, DE168, DEmax and DEtlast of a tumor %ID curve (Cheng 2020).

    Parameters
    ----------
    t_h
        Increasing times, h.
    de_percent
        Tumor amount (capillary blood + tissue + phagocytes) as % of the injected dose.
    t_last_h
        Last sampling time of the study, h; default the last time of the curve.
    """
    t_last = float(t_h[-1]) if t_last_h is None else float(t_last_h)
    i_max = int(np.argmax(de_percent))
    return DeliveryEfficiency(
        de24=value_at(t_h, de_percent, 24.0),
        de168=value_at(t_h, de_percent, 168.0),
        demax=float(de_percent[i_max]),
        t_max_h=float(t_h[i_max]),
        detlast=value_at(t_h, de_percent, t_last),
        t_last_h=t_last,
    )


def auc_trapezoid(t_h: FloatArray, c: FloatArray) -> float:
    """Area under ``c`` over ``t_h`` by the linear trapezoidal rule (units of c times h)."""
    return float(np.trapezoid(c, t_h))


@dataclass(frozen=True, slots=True)
class HalfLives:
    """Distribution and elimination half-lives of a blood curve, h (NaN if not estimable).

    ``elimination_h`` is :math:`\\ln 2/\\lambda_z` from a log-linear least-squares fit over the
    last third of the curve; ``distribution_h`` is :math:`\\ln 2/\\lambda_1` from the early
    residual :math:`C - C_z e^{-\\lambda_z t}` (curve stripping) over the first tenth of the
    curve after the peak. A distribution phase exists only if it is faster than the terminal
    one: a curve that falls faster late than early (e.g. once a lagged Hill uptake starts) is not
    biexponential, and ``distribution_h`` is then NaN.
    """

    distribution_h: float
    elimination_h: float


def blood_half_lives(t_h: FloatArray, c: FloatArray) -> HalfLives:
    """Two-phase half-lives of a blood concentration curve after a single dose by curve stripping.

    Parameters
    ----------
    t_h
        Increasing times, h.
    c
        Blood concentration (any unit), positive after the peak.
    """
    nan = float("nan")
    peak = int(np.argmax(c))
    t, y = t_h[peak:], c[peak:]
    if t.size < 6 or np.any(y <= 0.0):
        return HalfLives(nan, nan)
    span = t[-1] - t[0]
    late = t >= t[0] + 2.0 * span / 3.0
    if late.sum() < 3:
        return HalfLives(nan, nan)
    slope, intercept = np.polyfit(t[late], np.log(y[late]), 1)
    lam_z = -slope
    elim = float(np.log(2.0) / lam_z) if lam_z > 0.0 else nan
    early = t <= t[0] + span / 10.0
    residual = y[early] - np.exp(intercept + slope * t[early])
    ok = residual > 0.0
    dist = nan
    if ok.sum() >= 3:
        s1, _ = np.polyfit(t[early][ok], np.log(residual[ok]), 1)
        if s1 < 0.0 and -s1 > lam_z:
            dist = float(np.log(2.0) / -s1)
    return HalfLives(dist, elim)
