"""Fit one release law (with its lag, burst or plateau variant) to cumulative release data.

The fit is weighted least squares with lmfit (trust-region reflective, bounded), started from
several data-driven guesses (linearisations of each law) and kept at the lowest WSSR, so that
the result does not depend on one starting point. Standard errors come from the covariance
matrix scaled by the reduced chi-square (lmfit's ``scale_covar``); confidence intervals are
Wald intervals with Student's t on n − p degrees of freedom, or lmfit's profile-likelihood
intervals (``ci_method="profile"``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import lmfit
import numpy as np
from scipy import stats
from scipy.special import logit, ndtri

from nanocloak.analysis.release.goodness import Goodness, goodness_of_fit
from nanocloak.analysis.uncertainty import fit_line, nominal
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.release.laws import LAWS, ReleaseLaw, baker_lonsdale_lhs, release_curve

Weighting = Literal["none", "1/y", "1/y2"]
CIMethod = Literal["wald", "profile"]


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A release law and the DDSolver variants fitted with it.

    Attributes
    ----------
    law
        Name in ``nanocloak.kernels.release.LAWS``.
    lag
        Fit a lag time ``tlag`` (h): F = F0 + f(t − tlag) for t > tlag.
    burst
        Fit a burst ``f0`` (%) added at time zero.
    plateau
        Fit the plateau ``fmax`` (%) in place of 100 % (laws that tend to completion only).
    constants
        Held-fixed settings of the law, e.g. ``{"n_geom": 1.0}`` for a Hopfenberg slab.
    """

    law: str
    lag: bool = False
    burst: bool = False
    plateau: bool = False
    constants: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def __post_init__(self) -> None:
        if self.law not in LAWS:
            raise SpecificationError(
                "model", self.law, f"one of {', '.join(LAWS)}", "Spell the law as listed."
            )
        if self.plateau and not LAWS[self.law].plateau:
            raise SpecificationError(
                "model",
                self.name,
                "a plateau (Fmax) variant only for laws that tend to 100 %",
                f"{LAWS[self.law].label} has no 100 % to replace; drop '+Fmax'.",
            )
        unknown = set(self.constants) - set(LAWS[self.law].constants)
        if unknown:
            raise SpecificationError(
                "model constants",
                sorted(unknown),
                f"settings of {self.law}: {sorted(LAWS[self.law].constants) or 'none'}",
            )

    @property
    def name(self) -> str:
        """Name such as ``first_order+Tlag+Fmax``."""
        flags = (("Tlag", self.lag), ("F0", self.burst), ("Fmax", self.plateau))
        return "+".join([self.law, *(tag for tag, on in flags if on)])

    @property
    def label(self) -> str:
        """Readable name, e.g. ``First-order + Tlag + Fmax``."""
        return " + ".join([LAWS[self.law].label, *self.name.split("+")[1:]])

    @property
    def equation(self) -> str:
        """The fitted equation in plain text."""
        base = LAWS[self.law].equation
        if not self.plateau:
            base = base.replace("Fmax", "100")
        if self.lag:
            base += "  with t → t − Tlag (F = F0 for t ≤ Tlag)"
        if self.burst:
            base += "  plus F0"
        return base

    @property
    def param_names(self) -> tuple[str, ...]:
        """Fitted parameters, in order."""
        flags = (("tlag", self.lag), ("f0", self.burst), ("fmax", self.plateau))
        return LAWS[self.law].params + tuple(name for name, on in flags if on)

    def units(self) -> dict[str, str]:
        """Unit of each fitted parameter (t in h, F in %)."""
        law = LAWS[self.law]
        out = dict(zip(law.params, law.units, strict=True))
        out.update({"tlag": "h", "f0": "%", "fmax": "%"})
        return {k: out[k] for k in self.param_names}

    def predict(self, t_h: FloatArray, values: Mapping[str, float]) -> FloatArray:
        """Cumulative release (%) at ``t_h`` (h) for parameter ``values``."""
        params = {k: v for k, v in values.items() if k not in ("tlag", "f0")}
        params.update(self.constants)
        return release_curve(self.law, t_h, params, values.get("tlag", 0.0), values.get("f0", 0.0))


def parse_model(text: str) -> ModelSpec:
    """A ``ModelSpec`` from a name such as ``weibull+Tlag+Fmax`` (case of tags ignored)."""
    law, *tags = [part.strip() for part in text.split("+")]
    flags = {t.lower() for t in tags}
    unknown = flags - {"tlag", "ti", "f0", "fmax"}
    if unknown:
        raise SpecificationError(
            "model", text, "a law name with optional +Tlag, +F0, +Fmax", "e.g. 'weibull+Tlag'."
        )
    return ModelSpec(
        law.lower(),
        lag=bool(flags & {"tlag", "ti"}),
        burst="f0" in flags,
        plateau="fmax" in flags,
    )


def _lib(*names: str) -> tuple[ModelSpec, ...]:
    return tuple(parse_model(n) for n in names)


BASE_LIBRARY = _lib(*LAWS)
"""Every law in its plain form."""

DDSOLVER_LIBRARY = _lib(
    "zero_order",
    "zero_order+Tlag",
    "zero_order+F0",
    "first_order",
    "first_order+Tlag",
    "first_order+Fmax",
    "first_order+Tlag+Fmax",
    "higuchi",
    "higuchi+Tlag",
    "higuchi+F0",
    "korsmeyer_peppas",
    "korsmeyer_peppas+Tlag",
    "korsmeyer_peppas+F0",
    "hixson_crowell",
    "hixson_crowell+Tlag",
    "hopfenberg",
    "hopfenberg+Tlag",
    "baker_lonsdale",
    "baker_lonsdale+Tlag",
    "makoid_banakar",
    "makoid_banakar+Tlag",
    "peppas_sahlin",
    "peppas_sahlin+Tlag",
    "peppas_sahlin_2",
    "peppas_sahlin_2+Tlag",
    "quadratic",
    "weibull",
    "weibull+Tlag",
    "weibull+Fmax",
    "weibull+Tlag+Fmax",
    "logistic",
    "logistic+Fmax",
    "gompertz",
    "gompertz+Fmax",
    "probit",
    "probit+Fmax",
)
"""The law families with the variants DDSolver offers (36 models)."""


@dataclass(frozen=True, slots=True)
class ParameterEstimate:
    """A fitted parameter with its standard error and confidence interval."""

    name: str
    value: float
    unit: str
    stderr: float
    ci: tuple[float, float]
    at_bound: bool = False


@dataclass(frozen=True, slots=True)
class ModelFit:
    """One fitted model: estimates, goodness of fit, the data it saw and how it was fitted."""

    spec: ModelSpec
    params: tuple[ParameterEstimate, ...]
    goodness: Goodness
    t_h: FloatArray
    f_pct: FloatArray
    weighting: Weighting
    ci_level: float
    ci_method: CIMethod
    success: bool
    message: str

    @property
    def values(self) -> dict[str, float]:
        """Parameter values by name."""
        return {p.name: p.value for p in self.params}

    def __getitem__(self, name: str) -> ParameterEstimate:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{name!r}; {self.spec.name} has {[p.name for p in self.params]}")

    def predict(self, t_h: FloatArray) -> FloatArray:
        """Fitted cumulative release (%) at ``t_h`` (h)."""
        return self.spec.predict(np.asarray(t_h, dtype=float), self.values)


def weights_for(f_pct: FloatArray, weighting: Weighting) -> FloatArray:
    """Weights wᵢ on squared residuals: 1, 1/Fᵢ or 1/Fᵢ² (Fᵢ must be positive for the latter)."""
    if weighting == "none":
        return np.ones_like(f_pct)
    if weighting == "1/y":
        return 1.0 / f_pct
    if weighting == "1/y2":
        return 1.0 / f_pct**2
    raise SpecificationError("weighting", weighting, "'none', '1/y' or '1/y2'")


def _ols(x: FloatArray, y: FloatArray) -> tuple[float, float] | None:
    """(intercept, slope) of the shared OLS line (:func:`fit_line`), None if degenerate."""
    line = fit_line(x, y)
    if line is None:
        return None
    return nominal(line.intercept), nominal(line.slope)


def _through_origin(x: FloatArray, y: FloatArray) -> float:
    return float(np.sum(x * y) / np.sum(x * x)) if np.sum(x * x) > 0 else 1.0


def _law_starts(
    law: ReleaseLaw, t: FloatArray, f: FloatArray, fmax: float, log_base: float
) -> list[dict[str, float]]:
    """Starting values of the law's own parameters from linearisations of the data."""
    pos = (t > 0) & (f > 0)
    tp, fp = t[pos], f[pos]
    scale = float(np.median(tp)) if tp.size else 1.0
    frac = np.clip(fp / fmax, 1e-6, 1 - 1e-6)
    lt = np.log(tp) / math.log(log_base) if tp.size else tp
    rates = [r / scale for r in (0.03, 0.1, 0.3, 1.0, 3.0)]
    name = law.name
    starts: list[dict[str, float]] = []
    if name == "zero_order":
        starts.append({"k0": _through_origin(t, f)})
    elif name == "first_order":
        starts += [{"k1": r} for r in rates]
    elif name == "higuchi":
        starts.append({"kh": _through_origin(np.sqrt(t), f)})
    elif name in ("korsmeyer_peppas", "makoid_banakar"):
        line = _ols(np.log(tp), np.log(fp))
        a, n = line if line else (math.log(max(float(np.mean(f)), 1.0)), 0.5)
        if name == "korsmeyer_peppas":
            starts += [{"kkp": math.exp(a), "n": min(max(n, 0.05), 3.0)}, {"kkp": 10.0, "n": 0.5}]
        else:
            starts += [
                {"kmb": math.exp(a), "n": min(max(n, 0.05), 3.0), "k": k}
                for k in (1e-3 / scale, 0.1 / scale, 1.0 / scale)
            ]
    elif name in ("hixson_crowell", "hopfenberg"):
        key = "khc" if name == "hixson_crowell" else "khb"
        starts += [{key: r / 3.0} for r in rates]
    elif name == "baker_lonsdale":
        y = baker_lonsdale_lhs(np.minimum(f, 99.9))
        starts += [{"kbl": max(_through_origin(t, y), 1e-6)}] + [{"kbl": r / 10} for r in rates]
    elif name in ("peppas_sahlin", "peppas_sahlin_2", "quadratic"):
        for m in (0.3, 0.45, 0.6, 0.8) if name == "peppas_sahlin" else (0.5,):
            if name == "quadratic":
                basis = 100.0 * np.column_stack([t**2, t])
            else:
                basis = np.column_stack([t**m, t ** (2 * m)])
            c1, c2 = (float(c) for c in np.linalg.lstsq(basis, f, rcond=None)[0])
            start = {"k1": c1, "k2": c2}
            if name == "peppas_sahlin":
                start["m"] = m
            starts.append(start)
    elif name == "weibull":
        line = _ols(np.log(tp), np.log(-np.log1p(-frac)))
        if line:
            starts.append({"alpha": math.exp(-line[0]), "beta": min(max(line[1], 0.05), 10.0)})
        starts += [{"alpha": scale**b, "beta": b} for b in (0.5, 1.0, 2.0)]
    elif name in ("logistic", "probit", "gompertz"):
        transform: dict[str, Callable[[FloatArray], FloatArray]] = {
            "logistic": logit,
            "probit": ndtri,
            "gompertz": lambda q: -np.log(-np.log(q)),
        }
        line = _ols(lt, transform[name](frac))
        if name == "gompertz" and line:
            starts.append({"alpha": math.exp(-line[0]), "beta": max(line[1], 1e-3)})
        elif line:
            starts.append({"alpha": line[0], "beta": max(line[1], 1e-3)})
        mid = math.log(scale) / math.log(log_base)
        starts += [
            {"alpha": math.exp(b * mid) if name == "gompertz" else -b * mid, "beta": b}
            for b in (1.0, 3.0)
        ]
    return starts


_FREE = (-math.inf, math.inf)
_RATE = (0.0, math.inf)
_EXPONENT = (1e-4, 10.0)
_SHAPE = (1e-6, 100.0)
_SCALE = (1e-12, math.inf)
BOUNDS: dict[str, dict[str, tuple[float, float]]] = {
    "zero_order": {"k0": _RATE},
    "first_order": {"k1": _RATE},
    "higuchi": {"kh": _RATE},
    "korsmeyer_peppas": {"kkp": _RATE, "n": _EXPONENT},
    "hixson_crowell": {"khc": _RATE},
    "hopfenberg": {"khb": _RATE},
    "baker_lonsdale": {"kbl": _RATE},
    "makoid_banakar": {"kmb": _RATE, "n": _EXPONENT, "k": _FREE},
    "peppas_sahlin": {"k1": _FREE, "k2": _FREE, "m": _EXPONENT},
    "peppas_sahlin_2": {"k1": _FREE, "k2": _FREE},
    "quadratic": {"k1": _FREE, "k2": _FREE},
    "weibull": {"alpha": _SCALE, "beta": _SHAPE},
    "logistic": {"alpha": _FREE, "beta": _SHAPE},
    "gompertz": {"alpha": _SCALE, "beta": _SHAPE},
    "probit": {"alpha": _FREE, "beta": _SHAPE},
}
"""Bounds of each law's parameters during the fit (release must not decrease where it
matters: positive rates, exponents and shapes)."""


def fit_model(
    t_h: FloatArray,
    f_pct: FloatArray,
    spec: ModelSpec | str,
    weighting: Weighting = "none",
    ci_level: float = 0.95,
    ci_method: CIMethod = "wald",
) -> ModelFit:
    """Fit ``spec`` to cumulative release ``f_pct`` (%) at times ``t_h`` (h).

    Parameters
    ----------
    t_h
        Sampling times (h); replicates may share a time.
    f_pct
        Cumulative release (% of the loaded dose).
    spec
        The model, or its name (e.g. ``"weibull+Tlag"``).
    weighting
        ``"none"``, ``"1/y"`` or ``"1/y2"`` (weights on squared residuals, as DDSolver).
    ci_level
        Confidence level of the parameter intervals.
    ci_method
        ``"wald"``: value ± t(1 − α/2, n − p)·SE; ``"profile"``: lmfit's profile likelihood.

    Returns
    -------
    ModelFit
        Estimates with SE and CI, and goodness of fit.
    """
    model = parse_model(spec) if isinstance(spec, str) else spec
    t = np.asarray(t_h, dtype=float)
    f = np.asarray(f_pct, dtype=float)
    if t.shape != f.shape or t.ndim != 1:
        raise SpecificationError("data", f"{t.shape} vs {f.shape}", "two 1-D arrays of one length")
    names = model.param_names
    if t.size <= len(names):
        raise SpecificationError(
            "data",
            f"{t.size} points",
            f"more points than the {len(names)} parameters of {model.name}",
        )
    w = weights_for(f, weighting)
    sqrt_w = np.sqrt(w)
    law = LAWS[model.law]
    log_base = float(model.constants.get("log_base", law.constants.get("log_base", 10.0)))
    positive_t = t[f > 0.5] if np.any(f > 0.5) else t
    first_release = float(np.min(positive_t)) if positive_t.size else float(np.max(t))
    before = t[(f <= 0.5) & (t < first_release)]
    last_zero = float(np.max(before)) if before.size else 0.0
    lag_starts = [0.0, last_zero, 0.5 * (last_zero + first_release)] if model.lag else [0.0]
    f_first = float(np.min(f[t == np.min(t[t > 0])])) if np.any(t > 0) else 0.0
    burst_starts = [0.0, 0.5 * max(f_first, 0.0)] if model.burst else [0.0]
    fmax_start = max(float(np.max(f)) * 1.02, 1.0) if model.plateau else 100.0

    def residual(params: lmfit.Parameters) -> FloatArray:
        values = {k: float(params[k].value) for k in names}
        out: FloatArray = (model.predict(t, values) - f) * sqrt_w
        return out

    best: Any = None
    for tlag0 in dict.fromkeys(lag_starts):
        for f00 in dict.fromkeys(burst_starts):
            shifted = np.maximum(t - tlag0, 0.0)
            for start in _law_starts(law, shifted, f - f00, fmax_start, log_base):
                params = lmfit.Parameters()
                for key in law.params:
                    low, high = BOUNDS[model.law][key]
                    value = (
                        float(np.clip(start[key], low, high)) if math.isfinite(start[key]) else 1.0
                    )
                    params.add(key, value=value, min=low, max=high)
                if model.lag:
                    params.add("tlag", value=min(tlag0, first_release), min=0.0, max=first_release)
                if model.burst:
                    params.add("f0", value=f00, min=0.0, max=100.0)
                if model.plateau:
                    params.add("fmax", value=fmax_start, min=1e-3, max=200.0)
                try:
                    # A noise-free fit has zero residual variance: lmfit's correlations
                    # divide 0 by 0, harmlessly.
                    with np.errstate(invalid="ignore", divide="ignore"):
                        minimizer = lmfit.Minimizer(residual, params, nan_policy="raise")
                        result = minimizer.minimize(method="least_squares")
                except (ValueError, FloatingPointError):
                    continue
                if best is None or result.chisqr < best[1].chisqr:
                    best = (minimizer, result)
    if best is None:
        raise SpecificationError(
            "data", model.name, "data the model can be evaluated on", "Check the time column."
        )
    minimizer, result = best
    values = {k: float(result.params[k].value) for k in names}
    goodness = goodness_of_fit(f, model.predict(t, values), len(names), w)
    estimates = _estimates(model, result, minimizer, ci_level, ci_method, t.size)
    return ModelFit(
        model,
        estimates,
        goodness,
        t,
        f,
        weighting,
        ci_level,
        ci_method,
        bool(result.success),
        str(result.message),
    )


def _estimates(
    model: ModelSpec,
    result: Any,
    minimizer: lmfit.Minimizer,
    ci_level: float,
    ci_method: CIMethod,
    n: int,
) -> tuple[ParameterEstimate, ...]:
    names = model.param_names
    dof = max(n - len(names), 1)
    quantile = float(stats.t.ppf(0.5 + ci_level / 2, dof))
    profile: dict[str, Any] = {}
    if ci_method == "profile":
        try:
            profile = lmfit.conf_interval(minimizer, result, sigmas=[ci_level])
        except (ValueError, RuntimeError, lmfit.minimizer.MinimizerException):
            profile = {}
    units = model.units()
    out = []
    for key in names:
        par = result.params[key]
        value = float(par.value)
        stderr = math.nan if par.stderr is None else float(par.stderr)
        span = max(abs(par.max - par.min), 1.0) if math.isfinite(par.max - par.min) else 1.0
        at_bound = bool(
            (math.isfinite(par.min) and abs(value - par.min) < 1e-9 * span)
            or (math.isfinite(par.max) and abs(value - par.max) < 1e-9 * span)
        )
        if key in profile:
            rows = profile[key]
            ci = (float(rows[0][1]), float(rows[-1][1]))
        else:
            ci = (value - quantile * stderr, value + quantile * stderr)
        out.append(ParameterEstimate(key, value, units[key], stderr, ci, at_bound))
    return tuple(out)
