"""Shared pieces of heating-curve analysis: reading, cleaning, splitting and fitting curves.

Used by the photothermal (:mod:`nanocloak.analysis.photothermal`) and magnetic-heating
(:mod:`nanocloak.analysis.magnetic_heating`) analyses:

- reading time (s) and temperature (°C) columns, and an optional on/off column, from a table;
- cleaning a curve (finite points sorted by time) and splitting it at the source's switch-on
  and switch-off, detecting the switch-off from the curve's shape when it is not given;
- the nonlinear (lmfit) fit of an exponential relaxation ``T = T_∞ + (T_0 − T_∞) e^(−t/τ)``
  with correlated standard errors carried as ``uncertainties`` numbers;
- converting such numbers to ``Estimate`` objects with a normal confidence interval (through
  :func:`nanocloak.analysis.uncertainty.estimate_from_ufloat`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import lmfit
import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import uniform_filter1d

from nanocloak.analysis.uncertainty import estimate_from_ufloat, nominal, stderr, uncertain
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal import lumped
from nanocloak.results.analysis import Estimate


@dataclass(frozen=True, slots=True)
class RelaxationFit:
    """A fitted exponential relaxation ``T = T_∞ + (T_0 − T_∞) e^(−(t − t0)/τ)``.

    ``start`` (``T_0``, °C), ``asymptote`` (``T_∞``, °C) and ``tau_s`` (s) are ``uncertainties``
    numbers carrying the fit's standard errors and correlations; ``noise_c`` is the residual
    standard deviation (°C); ``errors_ok`` is False when lmfit could not estimate the covariance.
    """

    t: FloatArray
    temperature: FloatArray
    t0_s: float
    start: Any
    asymptote: Any
    tau_s: Any
    noise_c: float
    errors_ok: bool

    @property
    def span_s(self) -> float:
        """Duration of the fitted segment (s)."""
        return float(self.t[-1] - self.t0_s)

    def curve(self, t_s: FloatArray) -> FloatArray:
        """The fitted curve at times ``t_s`` (s), in °C."""
        return lumped.cooling_curve_c(
            np.asarray(t_s, dtype=float) - self.t0_s,
            nominal(self.asymptote),
            nominal(self.start),
            nominal(self.tau_s),
        )


def _relax(x: FloatArray, asymptote: float, start: float, tau: float) -> FloatArray:
    return np.asarray(asymptote + (start - asymptote) * np.exp(-x / tau), dtype=float)


def fit_relaxation(
    t_s: FloatArray, temperature_c: FloatArray, t0_s: float, asymptote_c: float | None = None
) -> RelaxationFit:
    """Nonlinear least-squares fit (lmfit) of an exponential approach to an asymptote.

    A heating curve ``T = T_s + ΔT (1 − e^(−t/τ))`` is the case ``T_0 = T_s``,
    ``T_∞ = T_s + ΔT``; a cooling curve has ``T_∞ = T_surr``. The starting values come from a
    grid over ``τ`` on which the model is linear in ``T_0`` and ``T_∞``, so no guess is needed.

    Parameters
    ----------
    t_s, temperature_c
        The segment's times (s) and temperatures (°C).
    t0_s
        Time origin of the segment (s): laser/field on for heating, off for cooling.
    asymptote_c
        Fix ``T_∞`` to this value (°C) instead of fitting it.
    """
    x = np.asarray(t_s, dtype=float) - t0_s
    y = np.asarray(temperature_c, dtype=float)
    span = float(x[-1]) if x[-1] > 0 else 1.0
    best: tuple[float, float, float, float] | None = None
    for tau in np.geomspace(span / 300, span * 300, 121):
        decay = np.exp(-x / tau)
        if asymptote_c is None:
            coef = np.linalg.lstsq(np.column_stack([np.ones_like(x), decay]), y, rcond=None)[0]
            inf, amp = float(coef[0]), float(coef[1])
        else:
            inf = asymptote_c
            amp = float(np.dot(decay, y - inf) / np.dot(decay, decay))
        rss = float(np.sum((y - inf - amp * decay) ** 2))
        if best is None or rss < best[0]:
            best = (rss, inf, inf + amp, float(tau))
    assert best is not None  # the grid is never empty
    model = lmfit.Model(_relax)
    params = model.make_params(asymptote=best[1], start=best[2], tau=best[3])
    params["tau"].set(min=span * 1e-6)
    if asymptote_c is not None:
        params["asymptote"].set(value=asymptote_c, vary=False)
    result = model.fit(y, params, x=x)
    nvarys = int(result.nvarys)
    noise = math.sqrt(float(np.sum(result.residual**2)) / max(x.size - nvarys, 1))
    fitted: dict[str, Any] | None = getattr(result, "uvars", None)
    errors_ok = fitted is not None and bool(result.errorbars)
    uvars: dict[str, Any] = (
        fitted
        if fitted is not None and errors_ok
        else {k: float(p.value) for k, p in result.params.items()}
    )
    return RelaxationFit(
        x + t0_s, y, t0_s, uvars["start"], uvars["asymptote"], uvars["tau"], noise, bool(errors_ok)
    )


def running_mean(values: FloatArray, points: int) -> FloatArray:
    """Centred running mean over ``points`` samples (edges padded with the end values)."""
    return np.asarray(uniform_filter1d(np.asarray(values, dtype=float), points, mode="nearest"))


def noise_sd(values: FloatArray) -> float:
    """Robust noise SD from second differences (unaffected by a smooth trend)."""
    if values.size < 5:
        return 0.0
    second = np.diff(np.asarray(values, dtype=float), 2)
    mad = float(np.median(np.abs(second - np.median(second))))
    return 1.4826 * mad / math.sqrt(6.0)


def find_switch_off(t_s: FloatArray, temperature_c: FloatArray) -> int:
    """Index at which the heating source was switched off, from the shape of the curve.

    After the peak of a running mean, the first point where the mean has clearly dropped (by
    8 noise SDs of the mean, or 2 % of the fall) marks the cooling; the switch-off is the kink
    of a continuous two-piece quadratic fitted around it (heating or plateau before, cooling
    after). A curve that never drops was not switched off: the last index.
    """
    temp = np.asarray(temperature_c, dtype=float)
    k = int(max(1, min(11, temp.size // 50)) | 1)
    smooth = running_mean(temp, k)
    peak = int(np.argmax(smooth))
    fall = float(smooth[peak] - np.min(smooth[peak:]))
    drop = max(8.0 * noise_sd(temp) / math.sqrt(k), 0.02 * fall)
    below = np.flatnonzero(smooth[peak:] < smooth[peak] - drop) if fall > 0 else np.array([])
    if below.size == 0:
        return temp.size - 1
    cooling = peak + int(below[0])
    half = max(3 * k, 10)
    low, high = max(0, cooling - 3 * half), min(temp.size, cooling + half + 1)
    return _hinge(np.asarray(t_s, dtype=float), temp, low, high)


def _hinge(t: FloatArray, temp: FloatArray, low: int, high: int) -> int:
    """Best kink of a continuous two-piece quadratic fitted to points ``low … high − 1``."""
    best, best_rss = low, math.inf
    for c in range(low + 1, high - 1):
        dt = t[low:high] - t[c]
        before, after = np.minimum(dt, 0.0), np.maximum(dt, 0.0)
        design = np.column_stack([np.ones_like(dt), before, after, before**2, after**2])
        coef, *_ = np.linalg.lstsq(design, temp[low:high], rcond=None)
        rss = float(np.sum((temp[low:high] - design @ coef) ** 2))
        if rss < best_rss:
            best, best_rss = c, rss
    return best


def _curve_column(
    table: LabTable, names: Sequence[str], symbol: str, unit: str, what: str
) -> FloatArray:
    """The column known by ``names``, else the one named exactly ``symbol`` (case matters,
    so ``t`` and ``T`` are told apart), converted to ``unit``."""
    found = table.find(names)
    if found is None and symbol in table.columns:
        alone = LabTable(table.frame[[symbol]], {symbol: table.units[symbol]}, table.source)
        return alone.column([symbol], unit, what=what)
    return table.column([found or names[0]], unit, what=what)


def read_curve(
    table: LabTable, switch_names: Sequence[str] = ()
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_] | None]:
    """Time (s), temperature (°C) and, if a column is named by ``switch_names``, on/off flags.

    Time is the column ``time`` (or ``elapsed time``, or exactly ``t``); temperature is
    ``temperature`` (or ``temp``, or exactly ``T``). Units come from the header or units row.
    """
    t = _curve_column(table, ["time", "elapsed time"], "t", "s", "time")
    temp = _curve_column(table, ["temperature", "temp"], "T", "degC", "temperature")
    switch = table.find(switch_names) if switch_names else None
    if switch is None:
        return t, temp, None
    words = [str(v).strip().lower() for v in table.frame[switch]]
    on = {"on", "1", "1.0", "true", "yes", "y"}
    off = {"off", "0", "0.0", "false", "no", "n"}
    bad = sorted({w for w in words if w not in on | off})
    if bad:
        raise DataFormatError(
            f"{table.source}: column {switch!r} must say on/off (or 1/0); found {bad[:5]}"
        )
    return t, temp, np.array([w in on for w in words])


@dataclass(frozen=True, slots=True)
class CurveSegments:
    """Indices of the first point with the source on and of the switch-off point."""

    on: int
    off: int
    detected: bool


def clean_curve(
    time_s: FloatArray, temperature_c: FloatArray, what: str
) -> tuple[FloatArray, FloatArray]:
    """Finite points sorted by time (s, °C); at least 10 at distinct times, else an error."""
    t = np.asarray(time_s, dtype=float)
    temp = np.asarray(temperature_c, dtype=float)
    if t.shape != temp.shape or t.ndim != 1:
        raise DataFormatError(f"{what}: time and temperature must be 1-D of equal length")
    keep = np.isfinite(t) & np.isfinite(temp)
    t, temp = t[keep], temp[keep]
    order = np.argsort(t, kind="stable")
    t, temp = t[order], temp[order]
    if t.size < 10 or np.any(np.diff(t) <= 0):
        raise DataFormatError(
            f"{what}: needs at least 10 points at distinct times; got {t.size} "
            "(check for repeated time stamps)"
        )
    return t, temp


def split_curve(
    t: FloatArray,
    temp: FloatArray,
    on_s: float | None,
    off_s: float | None,
    need_cooling: bool,
    what: str,
) -> CurveSegments:
    """Source-on and switch-off indices: given times (s), or the first point and the peak."""
    # the sample nearest a given time: times written in minutes round (0.33333 min ≠ 20 s)
    on = 0 if on_s is None else int(np.argmin(np.abs(t - on_s)))
    detected = off_s is None
    if off_s is None:
        off = on + find_switch_off(t[on:], temp[on:])
    else:
        off = int(np.argmin(np.abs(t - off_s)))
    off = min(off, t.size - 1)
    if off - on + 1 < 5:
        raise DataFormatError(
            f"{what}: fewer than 5 points while the source was on (on {t[min(on, t.size - 1)]:g} s,"
            f" off {t[off]:g} s); check the on/off times"
        )
    if need_cooling and t.size - off < 5:
        raise DataFormatError(
            f"{what}: no cooling segment after the source was switched off at {t[off]:g} s; "
            "record the cooling (≥ 2 τ, typically 10–20 min) to get the time constant, or give "
            "the switch-off time if the peak was not detected"
        )
    return CurveSegments(on, off, detected)


def to_estimate(
    name: str,
    value: Any,
    unit: str,
    label: str,
    level: float,
    note: str = "",
) -> Estimate:
    """An ``Estimate`` with SE and a normal CI at ``level`` (:func:`estimate_from_ufloat`)."""
    return estimate_from_ufloat(name, value, unit, level, label=label, note=note)


__all__ = [
    "CurveSegments",
    "RelaxationFit",
    "clean_curve",
    "find_switch_off",
    "fit_relaxation",
    "noise_sd",
    "nominal",
    "read_curve",
    "running_mean",
    "split_curve",
    "stderr",
    "to_estimate",
    "uncertain",
]
