"""Per-sample MRI relaxation fits: T1 from inversion recovery, T2 from multi-echo decays.

Each curve is fitted with lmfit (Levenberg–Marquardt); the standard error of T comes from the
fit covariance. The relaxation rates 1/T feed the concentration regression in
:mod:`nanocloak.analysis.relaxivity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import lmfit
import numpy as np
from numpy.typing import ArrayLike, NDArray

from nanocloak.errors import DataFormatError

FORMULA_IR_MAGNITUDE = (
    "Inversion recovery (magnitude data): S(TI) = |S0·(1 − 2·inv·exp(−TI/T1))|, fitted by "
    "lmfit (Levenberg–Marquardt) for S0, inv (inversion efficiency, 1 = perfect) and T1; "
    "assumes TR ≫ T1 (full relaxation between inversions)."
)
FORMULA_IR_SIGNED = (
    "Inversion recovery (phase-corrected, signed data): S(TI) = S0·(1 − 2·inv·exp(−TI/T1)), "
    "fitted by lmfit for S0, inv and T1; assumes TR ≫ T1."
)
FORMULA_ME = "Multi-echo decay: S(TE) = S0·exp(−TE/T2), fitted by lmfit for S0 and T2."
FORMULA_ME_OFFSET = (
    "Multi-echo decay with offset: S(TE) = S0·exp(−TE/T2) + C, fitted by lmfit for S0, T2 and "
    "the noise floor C."
)


@dataclass(frozen=True, slots=True)
class RelaxationFit:
    """The fit of one sample's relaxation curve.

    Attributes
    ----------
    time_s
        Relaxation time T1 or T2 (s).
    time_se_s
        Its standard error from the fit covariance (s); None where lmfit could not estimate it.
    s0
        Fitted equilibrium signal (signal units).
    nuisance
        The third parameter: inversion efficiency ``inv`` (T1) or offset ``C`` (T2), else None.
    x_s, signal, model
        The sampled times (s), the data and the fitted curve at those times.
    warnings
        Problems with the sampling of this curve.
    """

    kind: Literal["T1", "T2"]
    time_s: float
    time_se_s: float | None
    s0: float
    nuisance: float | None
    x_s: NDArray[np.float64]
    signal: NDArray[np.float64]
    model: NDArray[np.float64]
    warnings: tuple[str, ...] = ()

    @property
    def rate_per_s(self) -> float:
        """The relaxation rate 1/T (1/s)."""
        return 1.0 / self.time_s

    @property
    def rate_se_per_s(self) -> float | None:
        """Standard error of 1/T by first-order propagation, SE(T)/T² (1/s)."""
        return None if self.time_se_s is None else self.time_se_s / self.time_s**2


def _ir_magnitude(x: NDArray[np.float64], s0: float, inv: float, t1: float) -> Any:
    return np.abs(s0 * (1.0 - 2.0 * inv * np.exp(-x / t1)))


def _ir_signed(x: NDArray[np.float64], s0: float, inv: float, t1: float) -> Any:
    return s0 * (1.0 - 2.0 * inv * np.exp(-x / t1))


def _decay(x: NDArray[np.float64], s0: float, t2: float) -> Any:
    return s0 * np.exp(-x / t2)


def _decay_offset(x: NDArray[np.float64], s0: float, t2: float, offset: float) -> Any:
    return s0 * np.exp(-x / t2) + offset


def _check_curve(x: ArrayLike, y: ArrayLike, n_params: int, what: str) -> tuple[Any, Any]:
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    keep = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[keep], ys[keep]
    order = np.argsort(xs)
    xs, ys = xs[order], ys[order]
    if xs.size <= n_params:
        raise DataFormatError(
            f"{what}: {xs.size} points cannot determine {n_params} parameters; "
            f"measure at least {n_params + 2} time points"
        )
    if np.any(xs < 0):
        raise DataFormatError(f"{what}: times must be ≥ 0; got minimum {xs.min():g} s")
    return xs, ys


def _stderr(params: lmfit.Parameters, name: str) -> float | None:
    se = params[name].stderr
    return None if se is None or not np.isfinite(se) else float(se)


def fit_inversion_recovery(
    ti_s: ArrayLike, signal: ArrayLike, *, magnitude: bool = True
) -> RelaxationFit:
    """Fit T1 to an inversion-recovery curve.

    .. math:: S(TI) = \\left|S_0\\,(1 - 2\\,\\mathrm{inv}\\,e^{-TI/T_1})\\right|

    (without the absolute value for phase-corrected ``magnitude=False`` data).

    Parameters
    ----------
    ti_s
        Inversion times (s).
    signal
        Signal at each inversion time (any unit).
    magnitude
        True for magnitude images (the usual scanner output), False for signed data.
    """
    x, y = _check_curve(ti_s, signal, 3, "inversion recovery")
    func = _ir_magnitude if magnitude else _ir_signed
    model = lmfit.Model(func)
    if magnitude:
        s0_guess = float(np.max(np.abs(y)))
        null = float(x[int(np.argmin(np.abs(y)))])
    else:
        s0_guess = float(y[-1])
        crossing = np.flatnonzero(np.diff(np.sign(y)) != 0)
        null = float(x[crossing[0]]) if crossing.size else float(np.median(x))
    t1_guess = null / np.log(2.0) if null > 0 else float(np.median(x[x > 0]))
    attempts = []
    # |.| makes the cost non-smooth at the null; start from three T1s and keep the best fit.
    for factor in (1.0, 0.5, 2.0):
        params = model.make_params(s0=s0_guess, inv=1.0, t1=t1_guess * factor)
        params["t1"].set(min=1e-12 * max(float(x.max()), 1.0))
        params["inv"].set(min=0.0, max=2.0)
        if magnitude:
            params["s0"].set(min=0.0)
        attempts.append(model.fit(y, params, x=x, fit_kws={"xtol": 1e-12, "ftol": 1e-12}))
    best = min(attempts, key=lambda result: float(result.chisqr))
    t1 = float(best.params["t1"].value)
    notes = []
    if x.max() < 3.0 * t1:
        notes.append(
            f"the longest TI is {x.max() / t1:.1f}·T1; S0 and T1 are poorly separated — "
            "sample TI up to ≥ 5·T1"
        )
    if x.min() > t1:
        notes.append("the shortest TI is longer than T1; the inversion is not sampled")
    return RelaxationFit(
        "T1",
        t1,
        _stderr(best.params, "t1"),
        float(best.params["s0"].value),
        float(best.params["inv"].value),
        x,
        y,
        np.asarray(best.best_fit, dtype=float),
        tuple(notes),
    )


def fit_multi_echo(te_s: ArrayLike, signal: ArrayLike, *, offset: bool = False) -> RelaxationFit:
    """Fit T2 to a multi-echo (CPMG) decay.

    .. math:: S(TE) = S_0\\,e^{-TE/T_2} \\; (+\\, C)

    Parameters
    ----------
    te_s
        Echo times (s).
    signal
        Signal at each echo (any unit).
    offset
        Fit a constant noise floor ``C`` (magnitude data decaying into Rician noise).
    """
    x, y = _check_curve(te_s, signal, 3 if offset else 2, "multi-echo decay")
    positive = y > 0
    if positive.sum() >= 2:
        slope, intercept = np.polyfit(x[positive], np.log(y[positive]), 1)
        t2_guess = -1.0 / slope if slope < 0 else float(x.max())
        s0_guess = float(np.exp(intercept))
    else:
        t2_guess, s0_guess = float(x.max()), float(np.max(np.abs(y)))
    if offset:
        model = lmfit.Model(_decay_offset)
        params = model.make_params(s0=s0_guess, t2=t2_guess, offset=0.0)
    else:
        model = lmfit.Model(_decay)
        params = model.make_params(s0=s0_guess, t2=t2_guess)
    params["t2"].set(min=1e-12 * max(float(x.max()), 1.0))
    result = model.fit(y, params, x=x, fit_kws={"xtol": 1e-12, "ftol": 1e-12})
    t2 = float(result.params["t2"].value)
    notes = []
    if x.max() < 1.5 * t2:
        notes.append(
            f"the last echo is at {x.max() / t2:.2f}·T2; the decay is not sampled — "
            "extend the echo train to ≥ 3·T2"
        )
    if x.min() > t2:
        notes.append("the first echo is later than T2; most of the decay was missed")
    return RelaxationFit(
        "T2",
        t2,
        _stderr(result.params, "t2"),
        float(result.params["s0"].value),
        float(result.params["offset"].value) if offset else None,
        x,
        y,
        np.asarray(result.best_fit, dtype=float),
        tuple(notes),
    )
