"""Fit the envelopment chance of mechanical coating to the Liu 2021/2022 coating-integrity data.

Data: ``liu_coating_integrity.csv`` (shares of fully coated, partially coated and bare
particles after extrusion or sonication; sources and status in the file and in README.md).

Model: the coating kernel's exact Poisson mixture for equal particles
(``analytic_coverage_pmf``): λ productive events per particle, each envelops with probability
*w*, else adds a rupture patch; patches jam at θ_J below the 0.95 "fully coated" threshold, so

* bare share    = e^(−λ)              (no event),
* full share    = 1 − e^(−λw)         (at least one envelopment),
* partial share = the rest.

λ and *w* are fitted by ``scipy.optimize.least_squares`` on the three shares. *w* is the
resealing probability of one event of the mechanical methods (``methods.yaml``); λ is the
experiment's own event count and is only reported. Run ``python fit_coating_integrity.py``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from nanocloak.kernels.manufacture.coating import analytic_coverage_pmf

HERE = Path(__file__).resolve().parent
DATA = HERE / "liu_coating_integrity.csv"
FULL_THRESHOLD = 0.95  # membrane_physics.yaml: full_coating_threshold
PATCH_LIMIT = 0.7  # methods.yaml: coating.patch_jamming_coverage (any value < FULL_THRESHOLD)
PATCH_SHARE = 0.5  # methods.yaml: coating.patch_spread_mean (does not enter the three shares)
MAX_PATCHES = 80


@dataclass(frozen=True)
class IntegrityFit:
    """Fitted events per particle λ, envelopment chance w, and the residuals (share units)."""

    mean_events: float
    wrap_probability: float
    residuals: tuple[float, ...]


def read_shares(path: Path = DATA) -> dict[str, float]:
    """``{"full": ..., "partial": ..., "bare": ...}`` from the CSV."""
    with path.open(encoding="utf-8") as handle:
        return {row["class"]: float(row["share"]) for row in csv.DictReader(handle)}


def predicted_shares(mean_events: float, wrap_probability: float) -> dict[str, float]:
    """Bare, partial and full shares of the exact mixture (full: coverage ≥ 0.95)."""
    levels, pmf = analytic_coverage_pmf(
        mean_events, wrap_probability, PATCH_SHARE, PATCH_LIMIT, MAX_PATCHES
    )
    full = float(pmf[levels >= FULL_THRESHOLD].sum())
    bare = float(pmf[levels <= 0.0].sum())
    return {"full": full, "partial": 1.0 - full - bare, "bare": bare}


def fit(shares: dict[str, float] | None = None) -> IntegrityFit:
    """Least-squares fit of (λ, w) to the class shares."""
    observed = read_shares() if shares is None else shares
    names = sorted(observed)

    def residuals(x: np.ndarray) -> np.ndarray:
        predicted = predicted_shares(float(x[0]), float(x[1]))
        return np.array([predicted[n] - observed[n] for n in names])

    result = least_squares(residuals, x0=[1.0, 0.1], bounds=([0.0, 0.0], [30.0, 1.0]), xtol=1e-12)
    return IntegrityFit(float(result.x[0]), float(result.x[1]), tuple(float(r) for r in result.fun))


if __name__ == "__main__":
    fitted = fit()
    print(f"events per particle in the experiment  lambda = {fitted.mean_events:.3f}")
    print(f"envelopment chance per event           w      = {fitted.wrap_probability:.4f}")
    print("residuals (share):", ", ".join(f"{r:+.2e}" for r in fitted.residuals))
