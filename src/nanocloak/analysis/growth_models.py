"""Longitudinal tumor growth: linear mixed model on log volume and growth-rate comparisons.

Fits per-group growth rates of log volume with random effects per animal (statsmodels MixedLM),
compares them pairwise with a multiplicity correction and tests time × group with a likelihood
ratio, as TumGrowth does (Enot et al., OncoImmunology 2018, doi:10.1080/2162402X.2018.1462431).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from nanocloak.analysis.group_tests import CORRECTION_TEXT, Correction, adjust_pvalues
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.results.analysis import Estimate

RandomEffects = Literal["auto", "intercept", "slope"]


def add_log_volume(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Add ``log_volume``; zeros become half the smallest positive volume (TumGrowth's rule)."""
    v = frame["volume_mm3"].to_numpy(float)
    positive = v[v > 0]
    if positive.size == 0:
        raise DataFormatError("all tumor volumes are zero; log volume is undefined")
    zeros = int(np.sum(v <= 0))
    out = frame.copy()
    out["log_volume"] = np.log(np.where(v > 0, v, positive.min() / 2.0))
    warns = []
    if zeros:
        warns.append(
            f"{zeros} zero volume(s) were set to half the smallest positive volume "
            f"({positive.min() / 2.0:.4g} mm³) before taking logs."
        )
    return out, warns


@dataclass(frozen=True)
class GrowthModelFit:
    """Growth rates of log volume per group from a linear mixed model."""

    structure: str
    rate_rows: list[dict[str, Any]]
    comparison_rows: list[dict[str, Any]]
    curves: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]]
    formulas: tuple[str, ...]
    warnings: tuple[str, ...]
    ci_level: float
    interaction_chi2: float | None
    interaction_p: float | None


def _design(
    frame: pd.DataFrame, groups: Sequence[str], control: str, day0: float, interaction: bool
) -> pd.DataFrame:
    t = frame["day"].to_numpy(float) - day0
    columns: dict[str, NDArray[np.float64]] = {"Intercept": np.ones(len(t)), "day": t}
    for group in groups:
        if group != control:
            columns[f"group[{group}]"] = (frame["group"] == group).to_numpy(float)
    if interaction:
        for group in groups:
            if group != control:
                columns[f"day:group[{group}]"] = t * (frame["group"] == group).to_numpy(float)
    return pd.DataFrame(columns, index=frame.index)


def _fit_mixed(
    frame: pd.DataFrame, exog: pd.DataFrame, structure: str, reml: bool, day0: float
) -> tuple[Any, list[str]]:
    """Fit MixedLM; returns (result or None, warning messages)."""
    import statsmodels.api as sm

    t = frame["day"].to_numpy(float) - day0
    exog_re = pd.DataFrame({"Intercept": np.ones(len(t))}, index=frame.index)
    if structure == "slope":
        exog_re["day"] = t
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = sm.MixedLM(frame["log_volume"], exog, groups=frame["animal"], exog_re=exog_re)
            result = model.fit(reml=reml, method=["lbfgs", "bfgs", "cg"])
        except (np.linalg.LinAlgError, ValueError) as exc:
            return None, [f"mixed model ({structure}) failed: {exc}"]
    for item in caught:
        text = str(item.message).split("\n")[0]
        if text not in messages:
            messages.append(text)
    if not np.all(np.isfinite(np.asarray(result.fe_params, float))):
        return None, [*messages, f"mixed model ({structure}) gave non-finite estimates"]
    return result, messages


DEGENERATE_MESSAGES = ("not positive definite", "singular", "converge")
"""Fragments of statsmodels' MixedLM warnings that mark a degenerate (unreliable) fit. The
"MLE may be on the boundary" warning alone is not one of them: statsmodels also issues it for
fits whose variance components are clearly positive; with a non-positive-definite Hessian (as
for the shipped example) the fit is degenerate."""


def degenerate(result: Any, messages: Sequence[str]) -> str | None:
    """Why a MixedLM fit is degenerate (boundary MLE, Hessian not positive definite, no
    convergence, a random-effects covariance not positive definite), or None if it is not."""
    if result is None:
        return "the fit failed"
    found = [m for m in messages if any(k in m.lower() for k in DEGENERATE_MESSAGES)]
    if found:
        return "; ".join(found)
    if not bool(getattr(result, "converged", True)):
        return "the optimiser did not converge"
    cov_re = np.atleast_2d(np.asarray(result.cov_re, dtype=float))
    if cov_re.size and (not np.all(np.isfinite(cov_re)) or np.min(np.linalg.eigvalsh(cov_re)) <= 0):
        return "the random-effects covariance is not positive definite"
    return None


def fit_growth_model(
    frame: pd.DataFrame,
    groups: Sequence[str],
    control: str,
    day0: float,
    random_effects: RandomEffects = "auto",
    correction: Correction = "holm",
    ci_level: float = 0.95,
) -> GrowthModelFit:
    r"""Linear mixed model on log volume with per-group growth rates (statsmodels MixedLM).

    .. math:: \log V_{ij} = \beta_0 + \beta_g + (k + \delta k_g)(t_{ij} - t_0)
              + b_{0i} + b_{1i}(t_{ij} - t_0) + \varepsilon_{ij}

    ``frame`` needs the columns animal, group, day (days) and log_volume. The growth rate of
    group g is :math:`k_g = k + \delta k_g` per day; pairwise rate differences are Wald z tests
    with the REML covariance, adjusted by ``correction``.
    """
    from scipy import stats

    if random_effects not in ("auto", "intercept", "slope"):
        raise SpecificationError("random_effects", random_effects, "'auto', 'intercept' or 'slope'")
    warns: list[str] = []
    full = _design(frame, groups, control, day0, interaction=True)
    candidates = ["slope", "intercept"] if random_effects == "auto" else [random_effects]
    ml_fits: dict[str, Any] = {}
    fallback_note = ""
    for structure in candidates:
        result, ml_messages = _fit_mixed(frame, full, structure, False, day0)
        problem = degenerate(result, ml_messages)
        if result is not None and not (
            random_effects == "auto" and structure == "slope" and problem
        ):
            ml_fits[structure] = result
        elif random_effects == "auto" and structure == "slope":
            fallback_note = (
                f"the random-slope ML fit was degenerate ({problem}) and was not compared by AIC"
            )
    if random_effects == "auto" and ml_fits:
        structure = min(ml_fits, key=lambda s: float(ml_fits[s].aic))
    else:
        structure = candidates[0]
    result, messages = _fit_mixed(frame, full, structure, True, day0)
    problem = degenerate(result, messages)
    if problem is not None and structure == "slope":
        # a boundary MLE (random-slope variance → 0) or a non-positive-definite Hessian: the
        # richer structure is not supported by the data; the random intercept is the simpler
        # model nested in it
        fallback_note = (
            f"the random-slope model was degenerate ({problem}); fell back to a random "
            "intercept per animal"
        )
        structure = "intercept"
        result, messages = _fit_mixed(frame, full, structure, True, day0)
    if fallback_note:
        warns.append(
            fallback_note[0].upper() + fallback_note[1:] + " (the simpler random-effects "
            "structure; growth rates are then compared with between-animal slope variation "
            "absorbed in the residual)."
        )
    warns += [f"mixed model: {m}" for m in messages]
    if degenerate(result, messages) is not None and result is not None:
        warns.append(
            "The random-intercept mixed model is itself degenerate: its standard errors and "
            "p-values are unreliable."
        )
    z = float(stats.norm.ppf(0.5 + ci_level / 2.0))
    re_text = "b0_i + b1_i·(t − t0)" if structure == "slope" else "b0_i"
    formulas = [
        "Mixed model (statsmodels MixedLM, REML): log V_ij = β0 + β_g + (k + δk_g)·(t_ij − t0) "
        f"+ {re_text} + ε_ij, random effects per animal; growth rate of group g: "
        "k_g = k + δk_g (per day; control is the reference).",
        "Growth-rate CIs and pairwise rate differences: Wald z with the REML covariance of the "
        "fixed effects (statsmodels has no Kenward–Roger df, so p is anticonservative with few "
        f"animals); pairwise p adjusted by {CORRECTION_TEXT[correction]}.",
        "Volume doubling time = ln 2/k_g; model T/C = 100·exp((k_T − k_C)·(t − t0)) is the ratio "
        "of fitted geometric-mean RTVs; regression-based TGI = 100·(1 − k_T/k_C).",
    ]
    if random_effects == "auto":
        formulas.append(
            "Random effects chosen by ML AIC between (1|animal) and (1 + t|animal) "
            f"(TumGrowth compares AIC the same way): {structure}."
        )
    formulas.append(
        "A degenerate random-slope fit (Hessian not positive definite, e.g. with a boundary "
        "MLE; no convergence; or a singular random-effects covariance) is replaced by the "
        "random-intercept model." + (f" Here: {fallback_note}." if fallback_note else "")
    )
    if result is None:
        warns.append("the mixed model could not be fitted; growth rates are not reported")
        return GrowthModelFit(
            structure, [], [], {}, tuple(formulas), tuple(warns), ci_level, None, None
        )
    fe = pd.Series(np.asarray(result.fe_params, float), index=full.columns)
    cov = pd.DataFrame(np.asarray(result.cov_params(), float)).iloc[: len(fe), : len(fe)]
    cov.index = cov.columns = full.columns

    def contrast(group: str, name: str) -> pd.Series:
        c = pd.Series(0.0, index=full.columns)
        c[name] = 1.0
        if group != control:
            c[f"{name}:group[{group}]" if name == "day" else f"group[{group}]"] = 1.0
        return c

    rate_rows: list[dict[str, Any]] = []
    vectors: dict[str, pd.Series] = {}
    curves: dict[str, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
    for group in groups:
        c = contrast(group, "day")
        vectors[group] = c
        rate = float(c @ fe)
        se = float(math.sqrt(max(c @ cov @ c, 0.0)))
        rate_rows.append(
            {
                "group": group,
                "rate_per_day": rate,
                "se": se,
                "ci_low": rate - z * se,
                "ci_high": rate + z * se,
                "n_animals": int(frame.loc[frame["group"] == group, "animal"].nunique()),
            }
        )
        intercept = float(contrast(group, "Intercept") @ fe)
        days = frame.loc[frame["group"] == group, "day"].to_numpy(float)
        grid = np.linspace(day0, days.max(), 50)
        curves[group] = (grid, np.exp(intercept + rate * (grid - day0)))
    comparison_rows: list[dict[str, Any]] = []
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            c = vectors[b] - vectors[a]
            diff = float(c @ fe)
            se = float(math.sqrt(max(c @ cov @ c, 0.0)))
            zval = diff / se if se > 0 else math.nan
            comparison_rows.append(
                {
                    "comparison": f"{b} − {a}",
                    "rate_difference_per_day": diff,
                    "se": se,
                    "z": zval,
                    "p": float(2.0 * stats.norm.sf(abs(zval))) if se > 0 else math.nan,
                }
            )
    adjusted = adjust_pvalues([r["p"] for r in comparison_rows], correction)
    for row, p in zip(comparison_rows, adjusted, strict=True):
        row["p_adj"] = float(p)
    chi2: float | None = None
    p_inter: float | None = None
    if len(groups) > 1:
        full_ml = ml_fits.get(structure)
        if full_ml is None:
            full_ml = _fit_mixed(frame, full, structure, False, day0)[0]
        reduced = _design(frame, groups, control, day0, interaction=False)
        reduced_ml, _ = _fit_mixed(frame, reduced, structure, False, day0)
        if full_ml is not None and reduced_ml is not None:
            chi2 = max(2.0 * (float(full_ml.llf) - float(reduced_ml.llf)), 0.0)
            p_inter = float(stats.chi2.sf(chi2, len(groups) - 1))
            formulas.append(
                "Time × group test: likelihood-ratio χ² between ML fits with and without the "
                f"δk_g terms, {len(groups) - 1} df."
            )
    return GrowthModelFit(
        structure,
        rate_rows,
        comparison_rows,
        curves,
        tuple(formulas),
        tuple(warns),
        ci_level,
        chi2,
        p_inter,
    )


def model_estimates(
    model: GrowthModelFit,
    groups: list[str],
    ctrl: str,
    treated: list[str],
    day0: float,
    day: float,
) -> list[Estimate]:
    """Estimates derived from the fitted growth rates: k, doubling time, TGI_rate, model T/C.

    ``day0`` and ``day`` are the baseline and evaluation days, days.
    """
    out: list[Estimate] = []
    for row in model.rate_rows:
        out.append(
            Estimate(
                f"growth_rate[{row['group']}]",
                row["rate_per_day"],
                "1/day",
                stderr=row["se"],
                ci=(row["ci_low"], row["ci_high"]),
                ci_level=model.ci_level,
                label=f"growth rate k of log V (mixed model), {row['group']}",
            )
        )
        if row["rate_per_day"] > 0:
            out.append(
                Estimate(
                    f"doubling_time[{row['group']}]",
                    math.log(2.0) / row["rate_per_day"],
                    "day",
                    label=f"volume doubling time ln2/k, {row['group']}",
                )
            )
    rates = {r["group"]: r["rate_per_day"] for r in model.rate_rows}
    for group in treated:
        if ctrl not in rates or group not in rates:
            continue  # the mixed model could not be fitted (its warning says so)
        kc, kt = rates[ctrl], rates[group]
        out.append(
            Estimate(
                f"TGI_rate[{group}]",
                100.0 * (1.0 - kt / kc) if kc > 0 else math.nan,
                "%",
                label=f"regression-based TGI = 100·(1 − k_T/k_C), {group}",
            )
        )
        out.append(
            Estimate(
                f"T/C_model[{group}]",
                100.0 * math.exp((kt - kc) * (day - day0)),
                "%",
                label=f"model T/C = 100·exp((k_T − k_C)·(t − t0)), {group}, day {day:g}",
            )
        )
    if model.interaction_p is not None:
        out.append(
            Estimate(
                "p_time_x_group",
                model.interaction_p,
                "",
                label="p, time × group (LRT on ML fits)",
                note=f"χ² = {model.interaction_chi2:.4g} on {len(groups) - 1} df",
            )
        )
    return out


__all__ = [
    "GrowthModelFit",
    "RandomEffects",
    "add_log_volume",
    "fit_growth_model",
    "model_estimates",
]
