r"""``calibrate_pk``: fit chosen PBPK parameters to biodistribution time courses.

What is fitted, and how (stated for reviewers)
----------------------------------------------
* **Parameters** are any keys :func:`~nanocloak.workflows.simulate_pk.simulate_pk` accepts
  (``"liver.k_max"``, ``"spleen.permeability"``, ``"body_weight"``, ...). They are fitted as
  :math:`\theta = \ln p` within bounds (default: a factor 100 either side of the starting
  value, the knowledge-base default unless ``initial`` says otherwise), so they stay positive
  and steps are relative. Every other parameter keeps its knowledge-base value or ``fixed``.
* **Residual model.** With an SD on every observation (``residuals="weighted"``, the default
  then): weighted least squares, :math:`r_i = (P_i - O_i)/SE_i` with
  :math:`SE_i = SD_i/\sqrt{n_i}` (the SD itself when ``n`` is not given), the SDs taken as known
  (covariance not rescaled). Otherwise (``residuals="log"``): a proportional error model,
  :math:`r_i = \ln P_i - \ln O_i`, with the residual variance estimated from the fit
  (covariance scaled by the reduced :math:`\chi^2`).
* **Optimizer**: lmfit ``least_squares`` (trust-region reflective, bounds respected). The
  Jacobian is a forward difference in :math:`\theta` (step ``fd_step``) computed from **one
  batched simulation** of the base point and every perturbed point: the batch is solved as one
  system with shared steps, so solver noise largely cancels from the differences.
* **Confidence intervals** at ``ci_level``: ``"profile"`` likelihood (one fitted parameter: a
  scan of :math:`\chi^2` along the parameter in one batch; two or more: lmfit
  ``conf_interval``, F-test, which costs hundreds of simulations) or ``"covariance"``
  (:math:`\theta \pm q\,SE_\theta`, back-transformed, so asymmetric; :math:`q` the normal
  quantile for known SDs, Student-t with the residual degrees of freedom otherwise).
  ``"auto"`` profiles one parameter and uses the covariance for more.
* **Goodness of fit**: :math:`\chi^2`, reduced :math:`\chi^2`, AIC
  :math:`= n\ln(\chi^2/n) + 2k`, BIC :math:`= n\ln(\chi^2/n) + k\ln n` (lmfit's definitions),
  :math:`R^2` of :math:`\ln O` by :math:`\ln P`, the geometric mean fold error
  :math:`10^{\overline{|\log_{10}(P/O)|}}` and the share of predictions within 2-fold.
* **Predictions** at the observation times come from the simulation's output grid, whose step
  is chosen so that every observation time lies on it (the greatest common divisor of the
  times, at 1-s resolution, when that gives at most 20,000 points); otherwise they are linearly
  interpolated on a 20,000-point grid, and the result says so.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from functools import reduce
from typing import Any, Literal

import lmfit
import numpy as np
from scipy import stats

from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.pk_data import PkObservations, read_pk_data
from nanocloak.kernels.arrays import FloatArray
from nanocloak.knowledge import pbpk
from nanocloak.results.analysis import Estimate
from nanocloak.results.pk import PkResult
from nanocloak.results.pk_fit import FittedCurve, PkFitResult
from nanocloak.units import parse_quantity
from nanocloak.workflows.simulate_pk import DoseSchedule, Mode, ParamValue, simulate_pk

Residuals = Literal["auto", "weighted", "log"]
CiMethod = Literal["auto", "profile", "covariance"]
MAX_GRID_POINTS = 20_000
DEFAULT_BOUND_FACTOR = 100.0
FRACTION_FIELDS = frozenset(
    {"volume_fraction", "flow_fraction", "blood_fraction", "arterial_share"}
)
LOG_FLOOR = 1e-12
FORMULAS_COMMON = (
    "parameters fitted as theta = ln(p) within bounds; others at knowledge-base or fixed values",
    "AIC = n ln(chi2/n) + 2k; BIC = n ln(chi2/n) + k ln(n) (lmfit)",
    "R2_log = 1 - sum (ln O - ln P)^2 / sum (ln O - mean ln O)^2",
    "GMFE = 10^mean|log10(P/O)|; within 2-fold: max(P/O, O/P) <= 2",
    "Jacobian: forward differences in theta from one batched simulation (shared solver steps)",
)

Progress = Callable[[int, int], None]


def calibrate_pk(
    data: PkObservations | str | os.PathLike[str],
    fit: Sequence[str],
    *,
    species: str = "mouse",
    dose_mg_per_kg: float,
    schedule: DoseSchedule | str | None = None,
    fixed: Mapping[str, ParamValue] | None = None,
    bounds: Mapping[str, tuple[ParamValue, ParamValue]] | None = None,
    initial: Mapping[str, ParamValue] | None = None,
    mode: Mode = "physiological",
    uptake_laws: Mapping[str, str] | None = None,
    residuals: Residuals = "auto",
    ci: CiMethod = "auto",
    ci_level: float = 0.95,
    rtol: float = 1e-7,
    fd_step: float = 1e-3,
    max_nfev: int = 60,
    progress: Progress | None = None,
) -> PkFitResult:
    """Fit PBPK parameters to observed biodistribution time courses.

    Parameters
    ----------
    data
        Observations (:class:`~nanocloak.io.pk_data.PkObservations`) or the path of a
        long-format table (:func:`~nanocloak.io.pk_data.read_pk_data`).
    fit
        Parameter keys to fit, e.g. ``["liver.k_max", "spleen.k_max"]`` (model units:
        :data:`nanocloak.knowledge.pbpk.FIELD_UNITS`).
    species
        ``"mouse"`` or ``"rat"``.
    dose_mg_per_kg
        Each IV dose, mg/kg body weight.
    schedule
        Dosing schedule (:class:`~nanocloak.workflows.simulate_pk.DoseSchedule` or its text).
    fixed
        Parameters held at given values (numbers in model units or strings with units).
    bounds
        Per fitted key, (lower, upper) in model units (> 0); default initial / 100 to
        initial × 100 (fractions capped below 1).
    initial
        Per fitted key, the starting value; default the knowledge-base value.
    mode, uptake_laws
        As in :func:`~nanocloak.workflows.simulate_pk.simulate_pk`.
    residuals
        ``"weighted"``, ``"log"`` or ``"auto"`` (weighted when every row has an SD > 0).
    ci
        ``"profile"``, ``"covariance"`` or ``"auto"`` (module docstring).
    ci_level
        Confidence level of the intervals, e.g. 0.95.
    rtol
        Relative tolerance of the PBPK solver.
    fd_step
        Forward-difference step in ln p for the Jacobian.
    max_nfev
        Most Jacobian/residual evaluations of the optimizer.
    progress
        Called as ``progress(simulations_done, expected_total)`` after every simulation.
    """
    observations = data if isinstance(data, PkObservations) else read_pk_data(data)
    keys = _fit_keys(fit)
    if not 0.0 < ci_level < 1.0:
        raise SpecificationError("ci_level", ci_level, "a probability between 0 and 1", "0.95")
    if residuals not in ("auto", "weighted", "log"):
        raise SpecificationError("residuals", residuals, "'auto', 'weighted' or 'log'")
    if ci not in ("auto", "profile", "covariance"):
        raise SpecificationError("ci", ci, "'auto', 'profile' or 'covariance'")
    model = "weighted" if residuals == "auto" and observations.has_sd else residuals
    model = "log" if model == "auto" else model
    if model == "weighted" and not observations.has_sd:
        raise SpecificationError(
            "residuals",
            "weighted",
            "an SD > 0 on every observation",
            "Use residuals='log' (proportional errors) for data without SDs.",
        )
    schedule = DoseSchedule.parse(schedule) if isinstance(schedule, str) else schedule
    schedule = schedule or DoseSchedule()
    overlap = set(keys) & set(fixed or {})
    if overlap:
        raise SpecificationError("fixed", sorted(overlap), "parameters that are not also fitted")
    problem = _Problem(
        observations,
        keys,
        species=species,
        dose_mg_per_kg=dose_mg_per_kg,
        schedule=schedule,
        fixed=dict(fixed or {}),
        mode=mode,
        uptake_laws=uptake_laws,
        rtol=rtol,
        model=model,
        progress=progress,
        expected=(max_nfev + 1) * (len(keys) + 2),
    )
    start = problem.start_values(initial)
    limits = _bounds(keys, start, bounds)
    params = lmfit.Parameters()
    for i, key in enumerate(keys):
        low, high = limits[key]
        if not low < start[key] < high:
            raise SpecificationError(
                f"initial.{key}", start[key], f"a value inside the bounds ({low:g}, {high:g})"
            )
        params.add(f"p{i}", value=math.log(start[key]), min=math.log(low), max=math.log(high))
    minimizer = lmfit.Minimizer(
        problem.residual,
        params,
        scale_covar=model == "log",
        jac=problem.jacobian,
        max_nfev=max_nfev,
    )
    problem.fd_step = fd_step
    result = minimizer.minimize(method="least_squares")
    problem.fd_step = None  # profile refits use lmfit's own finite differences
    best = np.array([result.params[f"p{i}"].value for i in range(len(keys))])
    final = problem.best(best)
    predicted = problem.predict(final, 0)
    method = "profile" if ci == "profile" or (ci == "auto" and len(keys) == 1) else "covariance"
    cov = _covariance(result, len(keys))
    intervals, warnings = _intervals(method, problem, result, best, cov, limits, ci_level)
    warnings += problem.warnings
    gof = _goodness(result, observations.value, predicted, len(keys))
    if model == "weighted" and gof["redchi"] > 2.0:
        warnings.append(
            f"reduced chi2 = {gof['redchi']:.3g} > 2: the model misses the data by more than "
            "the SDs allow (or the SDs are underestimated); the intervals may be too narrow"
        )
    at_bound = [
        k
        for k, v in zip(keys, best, strict=True)
        if min(abs(v - math.log(b)) for b in limits[k]) < 1e-6
    ]
    if at_bound:
        warnings.append(f"estimates at a bound: {', '.join(at_bound)}; widen the bounds")
    estimates = tuple(
        Estimate(
            name=key,
            value=float(math.exp(best[i])),
            unit=pbpk.FIELD_UNITS[key.rsplit(".", 1)[-1]],
            stderr=None if not np.isfinite(cov[i, i]) else math.exp(best[i]) * math.sqrt(cov[i, i]),
            ci=intervals[i],
            ci_level=ci_level,
            note=f"{method} interval; SE by the delta method from SE(ln p)",
        )
        for i, key in enumerate(keys)
    )
    sd_cov = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = cov / np.outer(sd_cov, sd_cov)
    return PkFitResult(
        species=species,
        dose_mg_per_kg=float(dose_mg_per_kg),
        schedule=schedule.describe(),
        mode=mode,
        estimates=estimates,
        fitted=keys,
        initial=start,
        bounds=limits,
        fixed=dict(fixed or {}),
        correlation=correlation,
        residual_model=model,
        ci_method=method,
        ci_level=ci_level,
        gof=gof,
        observations=problem.rows(predicted),
        curves=problem.curves(final),
        converged=bool(result.success),
        message=str(result.message),
        n_simulations=problem.n_simulations,
        formulas=(_residual_formula(model), *FORMULAS_COMMON),
        warnings=tuple(warnings),
        provenance={
            "data": observations.source,
            "n_observations": len(observations),
            "optimizer": "lmfit least_squares (trf)",
            "fd_step_ln": fd_step,
            "rtol": rtol,
            "grid_step_h": problem.step_h,
            "on_grid": problem.on_grid,
            "uptake_laws": dict(uptake_laws or {}),
        },
    )


class _Problem:
    """Observations + model settings: residuals, batched Jacobian, predictions."""

    def __init__(
        self,
        observations: PkObservations,
        keys: tuple[str, ...],
        *,
        species: str,
        dose_mg_per_kg: float,
        schedule: DoseSchedule,
        fixed: dict[str, ParamValue],
        mode: Mode,
        uptake_laws: Mapping[str, str] | None,
        rtol: float,
        model: str,
        progress: Progress | None,
        expected: int,
    ) -> None:
        self.obs = observations
        self.keys = keys
        self.species = species
        self.dose = dose_mg_per_kg
        self.schedule = schedule
        self.fixed = fixed
        self.mode: Mode = mode
        self.laws = uptake_laws
        self.rtol = rtol
        self.model = model
        self.progress = progress
        self.expected = expected
        self.n_simulations = 0
        self.fd_step: float | None = None
        self.cache: dict[
            tuple[bytes, tuple[int, ...]], tuple[FloatArray, FloatArray | None, PkResult]
        ] = {}
        self.warnings: list[str] = []
        self.until_h = float(self.obs.time_h.max())
        if max(schedule.times_h) >= self.until_h:
            raise SpecificationError(
                "schedule",
                schedule.times_h,
                f"doses before the last observation ({self.until_h:g} h)",
            )
        self.step_h, self.on_grid = grid_step(self.obs.time_h, self.until_h)
        if not self.on_grid:
            self.warnings.append(
                "observation times are not on a common grid; predictions are interpolated "
                f"linearly on a {self.step_h:.3g}-h grid"
            )
        self.se = self.obs.standard_error() if model == "weighted" else None
        self.log_obs = np.log(self.obs.value)

    def simulate(self, sets: Sequence[Mapping[str, ParamValue]]) -> PkResult:
        result = simulate_pk(
            self.species,
            self.dose,
            self.schedule,
            self.until_h,
            [{**self.fixed, **s} for s in sets],
            mode=self.mode,
            uptake_laws=self.laws,
            step_h=self.step_h,
            rtol=self.rtol,
        )
        self.n_simulations += 1
        if self.progress is not None:
            self.progress(self.n_simulations, max(self.expected, self.n_simulations))
        return result

    def start_values(self, initial: Mapping[str, ParamValue] | None) -> dict[str, float]:
        """Starting values: ``initial`` or the knowledge-base defaults (checked by a run)."""
        unknown = set(initial or {}) - set(self.keys)
        if unknown:
            raise SpecificationError("initial", sorted(unknown), f"keys among {list(self.keys)}")
        first = self.simulate([dict(initial or {})])
        self.check_outputs(first)
        values = first.parameters[0]
        missing = [key for key in self.keys if key not in values]
        if missing:
            raise SpecificationError(
                "fit",
                missing,
                "parameters of this model",
                "An organ without an uptake law has no k_max; known keys: "
                f"{', '.join(sorted(values))}.",
            )
        start = {key: float(values[key]) for key in self.keys}
        for key, value in start.items():
            if not (math.isfinite(value) and value > 0.0):
                raise SpecificationError(
                    f"fit.{key}",
                    value,
                    "a parameter with a positive starting value (it is fitted on a log scale)",
                    f"Give initial={{'{key}': ...}}.",
                )
        return start

    def check_outputs(self, result: PkResult) -> None:
        for organ, quantity in self.obs.series_keys:
            if organ not in result.outputs:
                raise DataFormatError(
                    f"{self.obs.source}: organ {organ!r} is not a model output; outputs are "
                    f"{', '.join(result.outputs)}"
                )
            if quantity != "%ID" and not np.isfinite(result.mass_g[0, result.outputs.index(organ)]):
                raise DataFormatError(
                    f"{self.obs.source}: {organ} has no mass, so {quantity} is undefined; use %ID"
                )

    def values(self, theta: FloatArray) -> dict[str, float]:
        return {k: float(math.exp(t)) for k, t in zip(self.keys, theta, strict=True)}

    def predict(self, result: PkResult, subject: int) -> FloatArray:
        out = np.empty(len(self.obs))
        for organ, quantity in self.obs.series_keys:
            rows = [
                i
                for i in range(len(self.obs))
                if self.obs.organ[i] == organ and self.obs.quantity[i] == quantity
            ]
            curve = _series(result, organ, quantity, subject)
            out[rows] = np.interp(self.obs.time_h[rows], result.t_h, curve)
        return out

    def residual_of(self, predicted: FloatArray) -> FloatArray:
        if self.se is not None:
            return np.asarray((predicted - self.obs.value) / self.se, dtype=float)
        return np.log(np.maximum(predicted, LOG_FLOOR)) - self.log_obs

    def theta(self, params: lmfit.Parameters) -> FloatArray:
        return np.array([params[f"p{i}"].value for i in range(len(self.keys))])

    def residual(self, params: lmfit.Parameters) -> FloatArray:
        """Residuals at ``params``; with ``fd_step`` set, the Jacobian comes in the same batch."""
        return self.evaluate(params)[0]

    def jacobian(self, params: lmfit.Parameters) -> FloatArray:
        """d residual / d theta of the varying parameters (cached from :meth:`evaluate`)."""
        jac = self.evaluate(params)[1]
        if jac is None:
            raise RuntimeError("jacobian requested from a problem without fd_step")
        return jac

    def best(self, theta: FloatArray) -> PkResult:
        """The simulation at ``theta`` (cached when the optimizer evaluated it)."""
        key = theta.tobytes()
        for (point, _), entry in self.cache.items():
            if point == key:
                return entry[2]
        return self.simulate([self.values(theta)])

    def evaluate(self, params: lmfit.Parameters) -> tuple[FloatArray, FloatArray | None, PkResult]:
        """Residuals, forward-difference Jacobian and simulation at ``params``.

        The base point and every perturbed point (``theta_i + fd_step``, or ``- fd_step`` at
        the upper bound) are one batched simulation: the batch shares its solver steps, so
        solver noise largely cancels from the differences, and the Jacobian costs no extra
        simulation when the optimizer asks for it at a point it has just evaluated.
        """
        theta = self.theta(params)
        varying = [i for i in range(len(self.keys)) if params[f"p{i}"].vary]
        key = (theta.tobytes(), tuple(varying))
        if key in self.cache:
            return self.cache[key]
        sets = [self.values(theta)]
        steps = []
        if self.fd_step is not None:
            for i in varying:
                h = (
                    self.fd_step
                    if theta[i] + self.fd_step <= params[f"p{i}"].max
                    else -self.fd_step
                )
                shifted = theta.copy()
                shifted[i] += h
                sets.append(self.values(shifted))
                steps.append(h)
        result = self.simulate(sets)
        base = self.residual_of(self.predict(result, 0))
        jac = None
        if self.fd_step is not None:
            columns = [
                (self.residual_of(self.predict(result, j + 1)) - base) / h
                for j, h in enumerate(steps)
            ]
            jac = np.array(columns).T.reshape(len(self.obs), len(varying))
        if len(self.cache) >= 32:
            self.cache.pop(next(iter(self.cache)))
        self.cache[key] = (base, jac, result)
        return self.cache[key]

    def chi2_scan(self, index: int, theta: FloatArray, grid: FloatArray) -> FloatArray:
        """chi^2 along parameter ``index`` (others at ``theta``), one batched simulation."""
        sets = []
        for value in grid:
            point = theta.copy()
            point[index] = value
            sets.append(self.values(point))
        result = self.simulate(sets)
        return np.array(
            [
                float(np.sum(self.residual_of(self.predict(result, j)) ** 2))
                for j in range(len(sets))
            ]
        )

    def rows(self, predicted: FloatArray) -> tuple[dict[str, Any], ...]:
        residual = self.residual_of(predicted)
        return tuple(
            {
                "organ": self.obs.organ[i],
                "quantity": self.obs.quantity[i],
                "time_h": float(self.obs.time_h[i]),
                "observed": float(self.obs.value[i]),
                "sd": None if math.isnan(self.obs.sd[i]) else float(self.obs.sd[i]),
                "n": int(self.obs.n[i]) or None,
                "predicted": float(predicted[i]),
                "residual": float(residual[i]),
                "fold": float(predicted[i] / self.obs.value[i]),
            }
            for i in range(len(self.obs))
        )

    def curves(self, result: PkResult) -> tuple[FittedCurve, ...]:
        return tuple(
            FittedCurve(organ, quantity, result.t_h, _series(result, organ, quantity, 0))
            for organ, quantity in self.obs.series_keys
        )


def grid_step(times_h: FloatArray, until_h: float) -> tuple[float, bool]:
    """Output-grid step (h) putting every time on the grid, and whether that was possible.

    The step is the greatest common divisor of the times at 1-s resolution; when that gives
    more than :data:`MAX_GRID_POINTS` points (or a time is not a whole number of seconds) the
    step is ``until_h / MAX_GRID_POINTS`` and predictions are interpolated.
    """
    fractions = [Fraction(float(t)).limit_denominator(3600) for t in times_h]
    exact = all(
        abs(float(f) - t) <= 1e-9 * max(1.0, t) for f, t in zip(fractions, times_h, strict=True)
    )
    if exact:
        denominator = reduce(math.lcm, (f.denominator for f in fractions), 1)
        numerators = [int(f * denominator) for f in fractions]
        step = Fraction(reduce(math.gcd, numerators), denominator)
        if until_h / float(step) <= MAX_GRID_POINTS:
            return float(step), True
    return until_h / MAX_GRID_POINTS, False


def _series(result: PkResult, organ: str, quantity: str, subject: int) -> FloatArray:
    if quantity == "ng/g":
        return result.series(organ, "ug/g", subject) * 1000.0
    return result.series(organ, quantity, subject)


def _fit_keys(fit: Sequence[str] | str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in (fit.split(",") if isinstance(fit, str) else fit) if k.strip())
    if not keys:
        raise SpecificationError("fit", fit, "one or more parameter keys", "e.g. 'liver.k_max'")
    if len(set(keys)) != len(keys):
        raise SpecificationError("fit", list(keys), "distinct parameter keys")
    for key in keys:
        if key.rsplit(".", 1)[-1] not in pbpk.FIELD_UNITS:
            raise SpecificationError(
                "fit",
                key,
                "a model parameter such as 'liver.k_max' or 'body_weight'",
                f"Fields: {', '.join(sorted(pbpk.FIELD_UNITS))}.",
            )
    return keys


def _to_number(key: str, raw: ParamValue) -> float:
    unit = pbpk.FIELD_UNITS[key.rsplit(".", 1)[-1]]
    if isinstance(raw, str):
        return float(parse_quantity(raw, unit, key).to(unit.replace("µ", "u")).magnitude)
    return float(raw)


def _bounds(
    keys: tuple[str, ...],
    start: Mapping[str, float],
    given: Mapping[str, tuple[ParamValue, ParamValue]] | None,
) -> dict[str, tuple[float, float]]:
    unknown = set(given or {}) - set(keys)
    if unknown:
        raise SpecificationError("bounds", sorted(unknown), f"keys among {list(keys)}")
    out = {}
    for key in keys:
        if given and key in given:
            low, high = (_to_number(key, v) for v in given[key])
        else:
            low, high = start[key] / DEFAULT_BOUND_FACTOR, start[key] * DEFAULT_BOUND_FACTOR
            if key.rsplit(".", 1)[-1] in FRACTION_FIELDS:
                high = min(high, 0.999)
        if not (0.0 < low < high and math.isfinite(high)):
            raise SpecificationError(
                f"bounds.{key}", (low, high), "0 < lower < upper (finite; fitted on a log scale)"
            )
        out[key] = (low, high)
    return out


def _covariance(result: lmfit.minimizer.MinimizerResult, k: int) -> FloatArray:
    cov = getattr(result, "covar", None)
    if cov is None or np.shape(cov) != (k, k):
        return np.full((k, k), np.nan)
    return np.asarray(cov, dtype=float)


def _quantile(level: float, model: str, dof: int) -> float:
    if model == "weighted" or dof <= 0:
        return float(stats.norm.ppf(0.5 + level / 2.0))
    return float(stats.t.ppf(0.5 + level / 2.0, dof))


def _intervals(
    method: str,
    problem: _Problem,
    result: lmfit.minimizer.MinimizerResult,
    best: FloatArray,
    cov: FloatArray,
    limits: Mapping[str, tuple[float, float]],
    level: float,
) -> tuple[list[tuple[float, float] | None], list[str]]:
    k = len(best)
    n = len(problem.obs)
    warnings: list[str] = []
    covariance: list[tuple[float, float] | None] = []
    q = _quantile(level, problem.model, n - k)
    for i in range(k):
        se = math.sqrt(cov[i, i]) if np.isfinite(cov[i, i]) else math.nan
        covariance.append(
            None
            if not math.isfinite(se)
            else (math.exp(best[i] - q * se), math.exp(best[i] + q * se))
        )
    if any(c is None for c in covariance):
        warnings.append(
            "the covariance could not be estimated (parameters not identifiable from these "
            "data); no covariance intervals"
        )
    if method == "covariance":
        return covariance, warnings
    try:
        if k == 1:
            return [_profile_one(problem, result, best, cov, limits, level)], warnings
        return _profile_many(problem, result, limits, level), warnings
    except (lmfit.minimizer.MinimizerException, ValueError, RuntimeError) as exc:
        warnings.append(f"profile likelihood failed ({exc}); covariance intervals reported")
        return covariance, warnings


def _profile_threshold(chi2_min: float, level: float, model: str, dof: int) -> float:
    """chi^2 at the profile interval's ends: likelihood ratio (known SDs) or F-test."""
    if model == "weighted" or dof <= 0:
        return chi2_min + float(stats.chi2.ppf(level, 1))
    return chi2_min * (1.0 + float(stats.f.ppf(level, 1, dof)) / dof)


def _profile_one(
    problem: _Problem,
    result: lmfit.minimizer.MinimizerResult,
    best: FloatArray,
    cov: FloatArray,
    limits: Mapping[str, tuple[float, float]],
    level: float,
) -> tuple[float, float]:
    """Profile interval of the single fitted parameter by a batched chi^2 scan."""
    key = problem.keys[0]
    lo, hi = (math.log(b) for b in limits[key])
    se = math.sqrt(cov[0, 0]) if np.isfinite(cov[0, 0]) and cov[0, 0] > 0 else 0.5
    dof = len(problem.obs) - 1
    chi2_min = float(np.sum(np.asarray(result.residual) ** 2))
    threshold = _profile_threshold(chi2_min, level, problem.model, dof)
    ends = []
    for side in (-1.0, 1.0):
        # 25 points out to 5 SE (clipped at the bound): one batched simulation per side
        grid = np.unique(np.clip(best[0] + side * np.linspace(0.2, 5.0, 25) * se, lo, hi))
        grid = grid[::-1] if side < 0 else grid
        chi2 = problem.chi2_scan(0, best, grid)
        path_x = np.concatenate([[best[0]], grid])
        path_y = np.concatenate([[chi2_min], chi2])
        above = np.flatnonzero(path_y >= threshold)
        if above.size == 0:
            problem.warnings.append(
                f"the profile of {key} stays below the {level:.0%} threshold up to its "
                f"{'lower' if side < 0 else 'upper'} bound; the interval ends at the bound"
            )
            ends.append(math.exp(path_x[-1]))
            continue
        j = int(above[0])
        x = np.interp(threshold, [path_y[j - 1], path_y[j]], [path_x[j - 1], path_x[j]])
        ends.append(math.exp(float(x)))
    return (ends[0], ends[1])


def _profile_many(
    problem: _Problem,
    result: lmfit.minimizer.MinimizerResult,
    limits: Mapping[str, tuple[float, float]],
    level: float,
) -> list[tuple[float, float] | None]:
    """Profile intervals by lmfit ``conf_interval`` (F-test; refits the others at each step).

    lmfit's profile uses its Levenberg–Marquardt driver, so this minimizer takes a
    finite-difference step (``epsfcn``) well above the solver's tolerance.
    """
    profiler = lmfit.Minimizer(
        problem.residual, result.params.copy(), scale_covar=problem.model == "log", epsfcn=1e-6
    )
    ci = lmfit.conf_interval(profiler, result, sigmas=[level])
    out: list[tuple[float, float] | None] = []
    for i, key in enumerate(problem.keys):
        entries = ci[f"p{i}"]
        low = min(v for p, v in entries if p > 0)
        high = max(v for p, v in entries if p > 0)
        lo_bound, hi_bound = (math.log(b) for b in limits[key])
        out.append((math.exp(max(low, lo_bound)), math.exp(min(high, hi_bound))))
    return out


def _goodness(
    result: lmfit.minimizer.MinimizerResult, observed: FloatArray, predicted: FloatArray, k: int
) -> dict[str, float]:
    n = observed.size
    log_o = np.log(observed)
    log_p = np.log(np.maximum(predicted, LOG_FLOOR))
    total = float(np.sum((log_o - log_o.mean()) ** 2))
    fold = np.abs(log_p - log_o) / math.log(10.0)
    chi2 = float(np.sum(np.asarray(result.residual) ** 2))
    return {
        "n_obs": float(n),
        "n_params": float(k),
        "dof": float(n - k),
        "chi2": chi2,
        "redchi": chi2 / (n - k) if n > k else math.nan,
        "aic": float(result.aic),
        "bic": float(result.bic),
        "r2_log": 1.0 - float(np.sum((log_o - log_p) ** 2)) / total if total > 0 else math.nan,
        "gmfe": float(10.0 ** fold.mean()),
        "within_2fold": float(np.mean(fold <= math.log10(2.0) + 1e-12)),
    }


def _residual_formula(model: str) -> str:
    if model == "weighted":
        return (
            "weighted least squares: r = (P - O) / SE, SE = SD / sqrt(n) (SD when n is not "
            "given); SDs taken as known (covariance not rescaled)"
        )
    return (
        "proportional errors: r = ln P - ln O; residual variance estimated from the fit "
        "(covariance scaled by reduced chi2)"
    )
