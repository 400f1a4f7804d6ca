r"""Body weight (% of the starting weight) as the toxicity readout of systemic drug exposure.

A turnover model of weight loss. The loss L (% of the starting weight) builds up with the
systemic exposure rate and is regained at a first-order rate, on top of the normal weight
gain of the mouse:

.. math::

    \frac{dL}{dt} = s\, C_p(t) - k_\mathrm{rec} L, \qquad
    \mathrm{BW}(t) = 100 + g\, t - L(t)

with the plasma free-drug concentration :math:`C_p` (µg/mL), the sensitivity s (% per
µg·h/mL of plasma AUC), the recovery rate :math:`k_\mathrm{rec}` (1/day) and the weight gain g
(%/day). For a bolus cleared within hours, L jumps by :math:`s\,\mathrm{AUC}` and then
recovers, so s follows from a sourced typical loss after a reference dose
(:func:`sensitivity_from_reference`). Particles that keep the drug out of plasma lower
:math:`C_p` and hence the loss; that is the whole mechanism of "less weight loss than free
DOX" in the model.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray

__all__ = ["body_weight_pct", "sensitivity_from_reference"]


def sensitivity_from_reference(loss_pct: float, reference_auc_ug_h_per_ml: float) -> float:
    """Sensitivity s (% per µg·h/mL) that gives ``loss_pct`` after a reference plasma AUC.

    Parameters
    ----------
    loss_pct
        Peak weight loss (%) after the reference dose.
    reference_auc_ug_h_per_ml
        Plasma AUC of the reference dose (µg·h/mL).
    """
    if loss_pct < 0.0 or reference_auc_ug_h_per_ml <= 0.0:
        raise ValueError("need loss_pct >= 0 and a positive reference AUC")
    return loss_pct / reference_auc_ug_h_per_ml


def body_weight_pct(
    t_day: FloatArray,
    plasma_ug_per_ml: FloatArray,
    sensitivity_pct_per_ug_h_per_ml: float,
    recovery_per_day: float,
    *,
    weight_gain_pct_per_day: float = 0.0,
) -> FloatArray:
    """Body weight (% of the starting weight), shape (n, nt).

    The loss equation is linear, so it is stepped exactly for a concentration taken as the
    interval mean (trapezoid) in each grid interval; refine the grid around doses so the
    plasma peak is resolved.

    Parameters
    ----------
    t_day
        Times (day), shape (nt,), increasing.
    plasma_ug_per_ml
        Plasma free-drug concentration (µg/mL), shape (n, nt) or (nt,).
    sensitivity_pct_per_ug_h_per_ml
        s (% per µg·h/mL).
    recovery_per_day
        Recovery rate k_rec (1/day).
    weight_gain_pct_per_day
        Normal weight gain g (%/day).
    """
    t = np.asarray(t_day, dtype=float)
    c = np.atleast_2d(np.asarray(plasma_ug_per_ml, dtype=float))
    if c.shape[1] != t.size:
        raise ValueError("plasma_ug_per_ml must have nt columns matching t_day")
    if recovery_per_day < 0.0 or sensitivity_pct_per_ug_h_per_ml < 0.0:
        raise ValueError("sensitivity and recovery rate must be non-negative")
    dt = np.diff(t)
    mean_c = 0.5 * (c[:, 1:] + c[:, :-1])
    # input per day: s (%/(µg h/mL)) * C (µg/mL) * 24 h/day
    source = sensitivity_pct_per_ug_h_per_ml * mean_c * 24.0
    decay = np.exp(-recovery_per_day * dt)
    gain = np.where(
        recovery_per_day * dt > 1e-12,
        -np.expm1(-recovery_per_day * dt) / max(recovery_per_day, 1e-300),
        dt,
    )
    loss = np.zeros_like(c)
    for i in range(dt.size):
        loss[:, i + 1] = loss[:, i] * decay[i] + source[:, i] * gain[i]
    return np.asarray(100.0 + weight_gain_pct_per_day * (t - t[0])[None, :] - loss, dtype=float)
