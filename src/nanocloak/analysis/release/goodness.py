"""Goodness of fit as DDSolver reports it, plus the likelihood-scale criteria.

With n points, p fitted parameters and weights w (1, 1/F or 1/F²), every criterion is a
function of the weighted residual sum of squares WSSR. The DDSolver forms (Zhang et al.
2010, doi:10.1208/s12248-010-9185-1) and the likelihood forms (lmfit's, which differ from
DDSolver's AIC by the constant n·ln n) are both given, each with its formula in
``FORMULAS`` so that reports can state them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray

FORMULAS: dict[str, str] = {
    "wssr": "WSSR = Σ wᵢ·(Fᵢ − F̂ᵢ)²  (wᵢ = 1, 1/Fᵢ or 1/Fᵢ²)",
    "r2": "R² = 1 − WSSR/WSST, WSST = Σ wᵢ·(Fᵢ − F̄w)², F̄w = Σ wᵢFᵢ/Σ wᵢ (about the mean, "
    "so R² can be negative for a poor model through the origin)",
    "r2_adj": "R²adj = 1 − (n − 1)/(n − p)·(1 − R²)  (DDSolver form; some tools use n − p − 1)",
    "aic_ddsolver": "AIC(DDSolver) = n·ln(WSSR) + 2p",
    "aic": "AIC = n·ln(WSSR/n) + 2p  (Gaussian likelihood scale, as lmfit; "
    "= AIC(DDSolver) − n·ln n)",
    "aicc": "AICc = AIC + 2p(p + 1)/(n − p − 1)  (undefined when n ≤ p + 1)",
    "bic": "BIC = n·ln(WSSR/n) + p·ln n",
    "msc": "MSC = ln(WSST/WSSR) − 2p/n  (model selection criterion, higher is better)",
    "s": "s = √(WSSR/(n − p))  (residual standard error, %)",
}


@dataclass(frozen=True, slots=True)
class Goodness:
    """Goodness-of-fit statistics of one fit; see ``FORMULAS`` for each definition."""

    n: int
    p: int
    wssr: float
    wsst: float
    r2: float
    r2_adj: float
    aic_ddsolver: float
    aic: float
    aicc: float
    bic: float
    msc: float
    s: float

    def as_row(self) -> dict[str, float | int]:
        """The statistics as a flat row (for ranking tables)."""
        return {
            "n": self.n,
            "p": self.p,
            "WSSR": self.wssr,
            "R2": self.r2,
            "R2_adj": self.r2_adj,
            "AIC_DDSolver": self.aic_ddsolver,
            "AIC": self.aic,
            "AICc": self.aicc,
            "BIC": self.bic,
            "MSC": self.msc,
            "s": self.s,
        }


def goodness_of_fit(
    observed: FloatArray, predicted: FloatArray, n_params: int, weights: FloatArray | None = None
) -> Goodness:
    """Goodness of fit of ``predicted`` to ``observed`` with ``n_params`` fitted parameters.

    Parameters
    ----------
    observed, predicted
        Cumulative release (%), same shape.
    n_params
        Number of fitted parameters p (lag, burst and plateau included when fitted).
    weights
        Weights wᵢ on squared residuals; 1 when None.
    """
    y = np.asarray(observed, dtype=float)
    yhat = np.asarray(predicted, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    n, p = int(y.size), int(n_params)
    wssr = float(np.sum(w * (y - yhat) ** 2))
    mean_w = float(np.sum(w * y) / np.sum(w))
    wsst = float(np.sum(w * (y - mean_w) ** 2))
    r2 = 1.0 - wssr / wsst if wsst > 0 else math.nan
    r2_adj = 1.0 - (n - 1) / (n - p) * (1.0 - r2) if n > p else math.nan
    tiny = np.finfo(float).tiny
    log_wssr = math.log(max(wssr, tiny))
    aic_dd = n * log_wssr + 2 * p
    aic = n * (log_wssr - math.log(n)) + 2 * p
    aicc = aic + 2 * p * (p + 1) / (n - p - 1) if n > p + 1 else math.nan
    bic = n * (log_wssr - math.log(n)) + p * math.log(n)
    msc = math.log(max(wsst, tiny)) - log_wssr - 2 * p / n if wsst > 0 else math.nan
    s = math.sqrt(wssr / (n - p)) if n > p else math.nan
    return Goodness(n, p, wssr, wsst, r2, r2_adj, aic_dd, aic, aicc, bic, msc, s)
