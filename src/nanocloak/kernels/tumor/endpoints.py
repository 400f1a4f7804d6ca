r"""Efficacy endpoints from simulated tumor volumes: survival by a volume endpoint, T/C, TGI.

Survival in tumor studies is usually time to a humane volume endpoint: the animal is
counted as an event when its caliper volume first reaches the endpoint, linearly
interpolated between the two measurements around the crossing, and censored at the last
time when it never does (as TumGrowth derives overall survival from growth data; Enot et
al., OncoImmunology 2018, doi:10.1080/2162402X.2018.1462431).

T/C and TGI follow the conventions of the analysis notes: T/C (%) = 100 · mean(T)/mean(C)
at a day; TGI (%) = 100 · (1 − ΔT/ΔC) with Δ the change from the first time.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import BoolArray, FloatArray

__all__ = ["survival_endpoint", "tc_ratio_pct", "tgi_pct"]


def survival_endpoint(
    t_day: FloatArray, total_mm3: FloatArray, endpoint_mm3: float
) -> tuple[FloatArray, BoolArray]:
    """Time to the volume endpoint (day) and whether it was reached, per animal.

    Parameters
    ----------
    t_day
        Times (day), shape (nt,), increasing.
    total_mm3
        Caliper volume (mm³), shape (n, nt).
    endpoint_mm3
        Endpoint volume (mm³).

    Returns
    -------
    time_day, event
        Shape (n,) each; ``event`` is False (censored at ``t_day[-1]``) when the endpoint
        is never reached.
    """
    t = np.asarray(t_day, dtype=float)
    v = np.atleast_2d(np.asarray(total_mm3, dtype=float))
    if v.shape[1] != t.size:
        raise ValueError("total_mm3 must have shape (n, nt) matching t_day")
    if endpoint_mm3 <= 0.0:
        raise ValueError("endpoint_mm3 must be positive")
    above = v >= endpoint_mm3
    event = np.any(above, axis=1)
    first = np.argmax(above, axis=1)
    time = np.full(v.shape[0], t[-1])
    for i in np.flatnonzero(event):
        j = int(first[i])
        if j == 0:
            time[i] = t[0]
            continue
        v0, v1 = v[i, j - 1], v[i, j]
        time[i] = t[j - 1] + (endpoint_mm3 - v0) / (v1 - v0) * (t[j] - t[j - 1])
    return time, np.asarray(event, dtype=bool)


def tc_ratio_pct(treated_mm3: FloatArray, control_mm3: FloatArray) -> FloatArray:
    """T/C (%) of group means at each time, from volumes of shape (n_animals, nt)."""
    t = np.mean(np.atleast_2d(np.asarray(treated_mm3, dtype=float)), axis=0)
    c = np.mean(np.atleast_2d(np.asarray(control_mm3, dtype=float)), axis=0)
    return np.asarray(100.0 * t / c, dtype=float)


def tgi_pct(treated_mm3: FloatArray, control_mm3: FloatArray) -> FloatArray:
    """TGI (%) = 100 · (1 − ΔT/ΔC) of group means against the first time, shape (nt,).

    Undefined (NaN) where the control has not grown (ΔC = 0).
    """
    t = np.mean(np.atleast_2d(np.asarray(treated_mm3, dtype=float)), axis=0)
    c = np.mean(np.atleast_2d(np.asarray(control_mm3, dtype=float)), axis=0)
    dc = c - c[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(dc != 0.0, 100.0 * (1.0 - (t - t[0]) / dc), np.nan)
    return np.asarray(out, dtype=float)
