"""AUC and AUMC by linear or lin-up/log-down trapezoids, and interpolation between samples.

The integration rules of PKNCA and Phoenix WinNonlin: a linear trapezoid on rising or flat
intervals and, for ``"lin-up/log-down"``, a log trapezoid where the concentration falls to a
positive value.
"""

from __future__ import annotations

import itertools
import math
from typing import Literal

import numpy as np

from nanocloak.kernels.arrays import FloatArray

AucMethod = Literal["lin-up/log-down", "linear"]


def segment_methods(conc: FloatArray, method: AucMethod) -> list[str]:
    """Integration rule per interval: ``"log"`` where C falls and C2 > 0 (lin-up/log-down)."""
    out = []
    for c1, c2 in itertools.pairwise(conc):
        out.append("log" if method == "lin-up/log-down" and c2 < c1 and c2 > 0 else "linear")
    return out


def auc_segment(t1: float, t2: float, c1: float, c2: float, rule: str) -> tuple[float, float]:
    """AUC and AUMC of one interval [t1, t2] by ``rule`` (``"log"`` or ``"linear"``)."""
    dt = t2 - t1
    if rule == "log":
        ratio = math.log(c2 / c1)
        auc = dt * (c2 - c1) / ratio
        aumc = dt * (c2 * t2 - c1 * t1) / ratio - dt**2 * (c2 - c1) / ratio**2
        return auc, aumc
    return dt * (c1 + c2) / 2.0, dt * (c1 * t1 + c2 * t2) / 2.0


def integrate(time: FloatArray, conc: FloatArray, method: AucMethod) -> tuple[float, float]:
    """AUC and AUMC over the samples given (all consecutive intervals)."""
    auc = aumc = 0.0
    for i, rule in enumerate(segment_methods(conc, method)):
        a, m = auc_segment(time[i], time[i + 1], conc[i], conc[i + 1], rule)
        auc, aumc = auc + a, aumc + m
    return auc, aumc


def interpolate(time: FloatArray, conc: FloatArray, t_out: float, method: AucMethod) -> float:
    """Concentration at ``t_out`` inside the sampled range (log-linear on falling intervals)."""
    i = int(np.searchsorted(time, t_out, side="right")) - 1
    if time[i] == t_out:
        return float(conc[i])
    c1, c2, t1, t2 = conc[i], conc[i + 1], time[i], time[i + 1]
    if segment_methods(np.array([c1, c2]), method)[0] == "log":
        return float(math.exp(math.log(c1) + (t_out - t1) / (t2 - t1) * math.log(c2 / c1)))
    return float(c1 + (t_out - t1) / (t2 - t1) * (c2 - c1))
