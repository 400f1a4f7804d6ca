"""One- and two-compartment IV bolus fits with micro-constants (PKSolver-style).

.. math::

    C(t) = C_0 e^{-k t} \\quad\\text{(one compartment)}, \\qquad
    C(t) = A e^{-\\alpha t} + B e^{-\\beta t} \\quad\\text{(two compartments)}

fitted by weighted least squares with lmfit (Levenberg–Marquardt), starting from curve
stripping (method of residuals). Micro-constants follow Gibaldi & Perrier, *Pharmacokinetics*
(2nd ed., 1982): V1 = D/(A+B), k21 = (Aβ+Bα)/(A+B), k10 = αβ/k21, k12 = α+β−k21−k10; their
standard errors are propagated from the fit covariance (uncertainties package).
"""

from __future__ import annotations

import math
import os
from typing import Any, Literal

import lmfit
import numpy as np
from numpy.typing import ArrayLike, NDArray
from uncertainties import correlated_values

from nanocloak.analysis.assumed_units import with_assumed_units
from nanocloak.analysis.nca import ratio_unit
from nanocloak.analysis.nca_data import (
    DEFAULT_DOSE_UNIT,
    DOSE_NAMES,
    TIME_NAMES,
    assumed_units,
    read_concentrations,
)
from nanocloak.analysis.uncertainty import estimate_from_ufloat
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

Weighting = Literal["1", "1/y", "1/y2"]
WEIGHTINGS: tuple[Weighting, ...] = ("1", "1/y", "1/y2")


def one_compartment(t: FloatArray, c0: float, k: float) -> FloatArray:
    """C = C0·exp(−k·t) (t and k in reciprocal units)."""
    return c0 * np.exp(-k * t)


def two_compartment(t: FloatArray, a: float, alpha: float, b: float, beta: float) -> FloatArray:
    """C = A·exp(−α·t) + B·exp(−β·t)."""
    return a * np.exp(-alpha * t) + b * np.exp(-beta * t)


def _loglinear(t: FloatArray, c: FloatArray) -> tuple[float, float]:
    """(intercept C, rate k) of ln C = ln C − k t by OLS."""
    slope, intercept = np.polyfit(t, np.log(c), 1)
    return float(math.exp(intercept)), float(-slope)


def strip_two_compartment(t: FloatArray, c: FloatArray) -> tuple[float, float, float, float]:
    """Initial A, α, B, β by the method of residuals.

    β and B from the log-linear fit of the last half of the samples (at least 3); α and A
    from the log-linear fit of the positive residuals C − B·e^(−βt) of the earlier samples.
    """
    n_tail = max(3, t.size // 2)
    b, beta = _loglinear(t[-n_tail:], c[-n_tail:])
    early = slice(0, t.size - n_tail)
    resid = c[early] - b * np.exp(-beta * t[early])
    ok = resid > 0
    if ok.sum() >= 2 and beta > 0:
        a, alpha = _loglinear(t[early][ok], resid[ok])
        if alpha > beta and a > 0:
            return a, alpha, b, beta
    beta = beta if beta > 0 else 0.1 / max(float(t[-1]), 1e-12)
    return max(float(c[0]) - b, 0.1 * b), 5.0 * beta, b, beta


def residual_weights(c: FloatArray, weighting: Weighting) -> FloatArray:
    """lmfit residual multipliers √w for WLS weights w = 1, 1/y or 1/y² (y = observed)."""
    if weighting == "1":
        return np.ones_like(c)
    if weighting == "1/y":
        return np.asarray(1.0 / np.sqrt(c), dtype=float)
    if weighting == "1/y2":
        return np.asarray(1.0 / c, dtype=float)
    raise SpecificationError("weighting", weighting, "one of 1, 1/y, 1/y2")


def fit_iv_bolus(
    time: ArrayLike,
    conc: ArrayLike,
    dose: float | None = None,
    *,
    compartments: Literal[1, 2] = 2,
    weighting: Weighting = "1",
    ci_level: float = 0.95,
    time_unit: str = "h",
    conc_unit: str = "mg/L",
    dose_unit: str = "mg",
    title: str = "IV bolus fit",
    provenance: dict[str, Any] | None = None,
) -> AnalysisResult:
    """Fit a one- or two-compartment IV bolus model to one concentration–time profile.

    Parameters
    ----------
    time
        Times after the bolus, in ``time_unit``; samples with C ≤ 0 or NaN are dropped.
    conc
        Concentrations, in ``conc_unit``.
    dose
        Dose, in ``dose_unit``; needed for V1, CL and Vss.
    compartments
        1 or 2.
    weighting
        WLS weights ``"1"``, ``"1/y"`` or ``"1/y2"`` (y = observed concentration).
    ci_level
        Level of the Wald confidence intervals, value ± t(ν)·SE with ν = n − p.
    """
    if compartments not in (1, 2):
        raise SpecificationError("compartments", compartments, "1 or 2")
    if not 0 < ci_level < 1:
        raise SpecificationError("ci_level", ci_level, "a level between 0 and 1, e.g. 0.95")
    t_all = np.asarray(time, dtype=float)
    c_all = np.asarray(conc, dtype=float)
    if t_all.shape != c_all.shape or t_all.ndim != 1:
        raise DataFormatError(f"{title}: time and concentration must be 1-D and equally long")
    keep = np.isfinite(t_all) & np.isfinite(c_all) & (c_all > 0) & (t_all > 0)
    warnings: list[str] = []
    if (~keep).any():
        warnings.append(
            f"{int((~keep).sum())} sample(s) with t ≤ 0, C ≤ 0 (BLQ) or missing values excluded"
        )
    order = np.argsort(t_all[keep])
    t, c = t_all[keep][order], c_all[keep][order]
    n_par = 2 * compartments
    if t.size < n_par + 1:
        raise DataFormatError(
            f"{title}: {t.size} usable samples; a {compartments}-compartment fit needs at "
            f"least {n_par + 1} (positive concentrations after the dose)"
        )
    params = lmfit.Parameters()
    if compartments == 1:
        c0, k = _loglinear(t, c)
        model = lmfit.Model(one_compartment)
        params.add("c0", value=c0, min=0.0)
        params.add("k", value=max(k, 1e-6 / float(t[-1])), min=0.0)
    else:
        a, alpha, b, beta = strip_two_compartment(t, c)
        model = lmfit.Model(two_compartment)
        params.add("a", value=a, min=0.0)
        params.add("b", value=b, min=0.0)
        params.add("beta", value=beta, min=0.0)
        params.add("delta", value=alpha - beta, min=0.0)  # keeps α > β: α is the fast phase
        params.add("alpha", expr="beta + delta")
    weights = residual_weights(c, weighting)
    result = model.fit(c, params, t=t, weights=weights)
    if not result.success:
        warnings.append(f"the fit did not converge: {result.message}")
    dof = max(t.size - n_par, 1)
    names = ["c0", "k"] if compartments == 1 else ["a", "alpha", "b", "beta"]
    values = [float(result.params[n].value) for n in names]
    if result.covar is not None and compartments == 2:
        cov = _covariance_abab(result)
    else:
        cov = result.covar
    if cov is not None and np.all(np.isfinite(cov)):
        u = correlated_values(values, cov)
    else:
        u = None
        warnings.append("the fit covariance could not be estimated: no standard errors")
    derived = (
        _one_compartment_derived(u if u is not None else values, dose)
        if compartments == 1
        else _two_compartment_derived(u if u is not None else values, dose)
    )
    units = _units(time_unit, conc_unit, dose_unit)
    est: list[Estimate] = []
    for name, (label, unit_key, value) in derived.items():
        unit, factor = units[unit_key]
        est.append(
            estimate_from_ufloat(name, value, unit, ci_level, dof, label=label, scale=factor)
        )
    r2 = 1.0 - float(np.sum((c - result.best_fit) ** 2) / np.sum((c - c.mean()) ** 2))
    est += [
        Estimate("aic", float(result.aic), "", label="AIC", note="n·ln(WSS/n) + 2p (lmfit)"),
        Estimate(
            "bic", float(result.bic), "", label="BIC (SC)", note="n·ln(WSS/n) + p·ln n (lmfit)"
        ),
        Estimate("r_squared", r2, "", label="R² (unweighted)"),
        Estimate("wss", float(result.chisqr), "", label="weighted SS"),
    ]
    warnings += _fit_warnings(est, compartments, t.size)
    return AnalysisResult(
        kind=f"iv_bolus_{compartments}cpt",
        title=title,
        estimates=tuple(est),
        formulas=_formulas(compartments, weighting, ci_level),
        warnings=tuple(warnings),
        panels=_panels(t, c, result, compartments, time_unit, conc_unit, title),
        tables={
            "fit": [
                {
                    "time": float(a),
                    "observed": float(b),
                    "predicted": float(p),
                    "weighted_residual": float(r),
                }
                for a, b, p, r in zip(t, c, result.best_fit, result.residual, strict=True)
            ]
        },
        provenance={
            "compartments": compartments,
            "weighting": weighting,
            "optimizer": "lmfit leastsq (Levenberg–Marquardt)",
            "initial_values": {
                k: float(v.init_value or math.nan)
                for k, v in result.params.items()
                if v.expr is None
            },
            "nfev": int(result.nfev),
            "dose": dose,
            "dose_unit": dose_unit,
            **(provenance or {}),
        },
    )


def _covariance_abab(result: Any) -> NDArray[np.float64] | None:
    """Covariance of (A, α, B, β) from lmfit's covariance of (A, B, β, δ), α = β + δ."""
    order = list(result.var_names)
    if sorted(order) != ["a", "b", "beta", "delta"]:
        return None
    idx = {n: i for i, n in enumerate(order)}
    jac = np.zeros((4, 4))
    jac[0, idx["a"]] = 1.0
    jac[1, idx["beta"]] = 1.0
    jac[1, idx["delta"]] = 1.0
    jac[2, idx["b"]] = 1.0
    jac[3, idx["beta"]] = 1.0
    return np.asarray(jac @ result.covar @ jac.T, dtype=float)


def _one_compartment_derived(p: Any, dose: float | None) -> dict[str, tuple[str, str, Any]]:
    c0, k = p
    out: dict[str, tuple[str, str, Any]] = {
        "c0": ("C0", "conc", c0),
        "k": ("k (k10)", "rate", k),
        "half_life": ("t½", "time", math.log(2.0) / k),
        "auc": ("AUC0–∞ = C0/k", "auc", c0 / k),
        "mrt": ("MRT = 1/k", "time", 1.0 / k),
    }
    if dose is not None:
        v = dose / c0
        out |= {"v": ("V = Dose/C0", "volume", v), "cl": ("CL = k·V", "clearance", k * v)}
    return out


def _two_compartment_derived(p: Any, dose: float | None) -> dict[str, tuple[str, str, Any]]:
    a, alpha, b, beta = p
    k21 = (a * beta + b * alpha) / (a + b)
    k10 = alpha * beta / k21
    k12 = alpha + beta - k21 - k10
    auc = a / alpha + b / beta
    aumc = a / alpha**2 + b / beta**2
    out: dict[str, tuple[str, str, Any]] = {
        "a": ("A", "conc", a),
        "alpha": ("α", "rate", alpha),
        "b": ("B", "conc", b),
        "beta": ("β", "rate", beta),
        "half_life_alpha": ("t½α", "time", math.log(2.0) / alpha),
        "half_life_beta": ("t½β", "time", math.log(2.0) / beta),
        "k10": ("k10", "rate", k10),
        "k12": ("k12", "rate", k12),
        "k21": ("k21", "rate", k21),
        "auc": ("AUC0–∞ = A/α + B/β", "auc", auc),
        "mrt": ("MRT = AUMC/AUC", "time", aumc / auc),
    }
    if dose is not None:
        v1 = dose / (a + b)
        cl = dose / auc
        out |= {
            "v1": ("V1 = Dose/(A+B)", "volume", v1),
            "cl": ("CL = Dose/AUC", "clearance", cl),
            "vss": ("Vss = V1·(1 + k12/k21)", "volume", v1 * (1.0 + k12 / k21)),
            "vz": ("Vβ = CL/β", "volume", cl / beta),
            "v2": ("V2 = V1·k12/k21", "volume", v1 * k12 / k21),
        }
    return out


def _units(time_unit: str, conc_unit: str, dose_unit: str) -> dict[str, tuple[str, float]]:
    """Unit and scale factor of each kind of derived quantity."""
    return {
        "conc": (conc_unit, 1.0),
        "rate": (f"1/{time_unit}", 1.0),
        "time": (time_unit, 1.0),
        "auc": (f"{conc_unit}·{time_unit}", 1.0),
        "volume": ratio_unit(dose_unit, conc_unit, time_unit, per_time=False),
        "clearance": ratio_unit(dose_unit, conc_unit, time_unit, per_time=True),
    }


def _fit_warnings(est: list[Estimate], compartments: int, n: int) -> list[str]:
    out = []
    for e in est:
        if (
            e.stderr is not None
            and e.value != 0
            and e.stderr > abs(e.value)
            and e.name in ("c0", "k", "a", "alpha", "b", "beta")
        ):
            out.append(f"{e.label} is poorly determined (SE {e.stderr:.3g} > |value|)")
    values = {e.name: e.value for e in est}
    if compartments == 2 and values["alpha"] < 2.0 * values["beta"]:
        out.append(
            "α < 2β: the two phases are hard to separate; compare with the 1-compartment fit by AIC"
        )
    if n < 3 * compartments:
        out.append(f"only {n} samples for {2 * compartments} parameters")
    return out


def _formulas(compartments: int, weighting: Weighting, level: float) -> tuple[str, ...]:
    w = {"1": "w = 1 (OLS)", "1/y": "w = 1/y_obs", "1/y2": "w = 1/y_obs²"}[weighting]
    common = (
        f"Weighted least squares Σ w·(y − ŷ)², {w}; lmfit Levenberg–Marquardt, covariance "
        "scaled by the reduced χ²",
        f"CI: value ± t(n−p; {0.5 + level / 2:.3f})·SE (Wald); SEs of derived quantities by "
        "first-order propagation of the parameter covariance",
    )
    if compartments == 1:
        return (
            "C(t) = C0·exp(−k·t); initial values from the log-linear fit of all samples",
            "V = Dose/C0; CL = k·V; AUC = C0/k; t½ = ln2/k; MRT = 1/k",
            *common,
        )
    return (
        "C(t) = A·exp(−α·t) + B·exp(−β·t), α > β; initial values by curve stripping "
        "(method of residuals)",
        "k21 = (A·β + B·α)/(A + B); k10 = α·β/k21; k12 = α + β − k21 − k10",
        "V1 = Dose/(A + B); AUC = A/α + B/β; CL = Dose/AUC; Vss = V1·(1 + k12/k21); "
        "V2 = V1·k12/k21; Vβ = CL/β; MRT = (A/α² + B/β²)/AUC",
        "t½α = ln2/α; t½β = ln2/β",
        *common,
    )


def _panels(
    t: FloatArray,
    c: FloatArray,
    result: Any,
    compartments: int,
    time_unit: str,
    conc_unit: str,
    title: str,
) -> tuple[Panel, ...]:
    title = os.path.basename(title)  # panel titles: the file name, not its path
    grid = np.linspace(0.0, float(t[-1]), 200)
    p = result.params
    series = [Series(t, c, "observed", "points")]
    if compartments == 1:
        series.append(
            Series(grid, one_compartment(grid, p["c0"].value, p["k"].value), "1-compartment fit")
        )
    else:
        series += [
            Series(
                grid,
                two_compartment(
                    grid, p["a"].value, p["alpha"].value, p["b"].value, p["beta"].value
                ),
                "2-compartment fit",
            ),
            Series(grid, p["b"].value * np.exp(-p["beta"].value * grid), "B·e^(−βt)", "dashed"),
        ]
    fit_panel = Panel(
        tuple(series), f"time ({time_unit})", f"concentration ({conc_unit})", title, yscale="log"
    )
    resid = Panel(
        (Series(t, np.asarray(result.residual), "weighted residual", "points"),),
        f"time ({time_unit})",
        "weighted residual",
        f"{title}: residuals",
    )
    return fit_panel, resid


def fit_iv_bolus_table(
    table: LabTable,
    *,
    dose: Any = None,
    time_unit: str = "h",
    conc_unit: str | None = None,
    title: str | None = None,
    **options: Any,
) -> AnalysisResult:
    """:func:`fit_iv_bolus` on a ``LabTable`` (time, conc, optional dose column)."""
    t = table.column(TIME_NAMES, time_unit, what="time after dose")
    c, _, c_unit = read_concentrations(table, conc_unit)
    dose_value: float | None = None
    dose_unit = DEFAULT_DOSE_UNIT
    if dose is not None:
        dose_value, dose_unit = float(dose.magnitude), f"{dose.units:~P}"
    else:
        column = table.find(DOSE_NAMES)
        if column is not None:
            values = table.column(DOSE_NAMES, None)
            values = values[np.isfinite(values)]
            if values.size:
                dose_value = float(values[0])
                dose_unit = table.units.get(column) or DEFAULT_DOSE_UNIT
    result = fit_iv_bolus(
        t,
        c,
        dose_value,
        time_unit=time_unit,
        conc_unit=c_unit,
        dose_unit=dose_unit,
        title=title or table.source,
        provenance={"source": table.source},
        **options,
    )
    return with_assumed_units(result, assumed_units(table, conc_unit, dose is not None))
