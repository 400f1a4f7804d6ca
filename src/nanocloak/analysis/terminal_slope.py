"""Terminal elimination slope λz by PKNCA's / Phoenix WinNonlin's "best fit" rule.

OLS fits of ln C on t over the last k positive concentrations after Tmax; the fit with the
highest adjusted R² (within a tolerance, ties toward more points) is chosen (PKNCA, Denney et
al. 2015, doi:10.1007/s10928-015-9432-2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from nanocloak.kernels.arrays import FloatArray


@dataclass(frozen=True, slots=True)
class LambdaZFit:
    """The chosen terminal-phase regression of ln C on t.

    ``lambda_z`` in 1/time, ``intercept`` = ln C at t = 0, ``mask`` marks the points used
    among the cleaned samples; ``candidates`` lists every fit that was tried.
    """

    lambda_z: float
    lambda_z_se: float
    intercept: float
    r_squared: float
    adj_r_squared: float
    n_points: int
    time_first: float
    time_last: float
    clast_pred: float
    half_life: float
    span_ratio: float
    mask: NDArray[np.bool_]
    candidates: tuple[dict[str, float], ...]


def best_lambda_z(
    time: FloatArray,
    conc: FloatArray,
    tmax: float,
    tlast: float,
    min_points: int = 3,
    adj_r2_factor: float = 1e-4,
    allow_tmax: bool = False,
) -> LambdaZFit | None:
    """λz by PKNCA's / Phoenix's "best fit": highest adjusted R², ties toward more points.

    Candidates are the last k positive concentrations after Tmax (Tmax itself excluded unless
    ``allow_tmax``), k = ``min_points`` … all. Each is an OLS fit of ln C on t. Fits with
    λz > 0 and adjR² > max(adjR²) − ``adj_r2_factor`` are kept and the one with most points
    wins. Returns None when fewer than ``min_points`` points qualify or no fit has λz > 0.
    """
    after = (time >= tmax) if allow_tmax else (time > tmax)
    usable = np.flatnonzero(after & (conc > 0) & (time > 0))
    if usable.size < min_points:
        return None
    candidates: list[dict[str, float]] = []
    fits: list[tuple[int, Any]] = []
    for k in range(min_points, usable.size + 1):
        idx = usable[-k:]
        t, y = time[idx], np.log(conc[idx])
        if np.ptp(y) == 0:
            continue
        fit = stats.linregress(t, y)
        r2 = float(fit.rvalue**2)
        adj = 1.0 - (1.0 - r2) * (k - 1) / (k - 2) if k > 2 else float("nan")
        candidates.append(
            {
                "n_points": k,
                "time_first": float(t[0]),
                "lambda_z": float(-fit.slope),
                "r_squared": r2,
                "adj_r_squared": adj,
            }
        )
        fits.append((k, fit))
    if not candidates:
        return None
    adjs = np.array([c["adj_r_squared"] for c in candidates])
    lams = np.array([c["lambda_z"] for c in candidates])
    best = np.nanmax(adjs) if np.isfinite(adjs).any() else np.nan
    ok = (lams > 0) & ((adjs > best - adj_r2_factor) | np.isnan(best))
    if not ok.any():
        return None
    chosen = int(np.flatnonzero(ok)[-1])  # candidates are ordered by increasing k
    k, fit = fits[chosen]
    idx = usable[-k:]
    lam = float(-fit.slope)
    mask = np.zeros(time.size, dtype=bool)
    mask[idx] = True
    half_life = math.log(2.0) / lam
    return LambdaZFit(
        lambda_z=lam,
        lambda_z_se=float(fit.stderr) if k > 2 else float("nan"),
        intercept=float(fit.intercept),
        r_squared=candidates[chosen]["r_squared"],
        adj_r_squared=candidates[chosen]["adj_r_squared"],
        n_points=k,
        time_first=float(time[idx[0]]),
        time_last=float(time[idx[-1]]),
        clast_pred=float(math.exp(fit.intercept - lam * tlast)),
        half_life=half_life,
        span_ratio=float((time[idx[-1]] - time[idx[0]]) / half_life),
        mask=mask,
        candidates=tuple(candidates),
    )
