"""Survival analysis of in-vivo endpoints: Kaplan–Meier, log-rank tests and Cox hazard ratios.

Reads a table with one row per animal (``time``, ``event``, optional ``group`` and covariates)
and returns per-group Kaplan–Meier curves with at-risk tables and medians, the k-group
log-rank test, pairwise log-rank tests with a multiplicity correction, and a Cox
proportional-hazards model of the groups (and covariates) against a reference group, all
computed with lifelines (Davidson-Pilon, JOSS 2019, doi:10.21105/joss.01317).

Endpoints derived from tumor-volume thresholds come from
``nanocloak.analysis.tumor_growth.derive_endpoints``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from nanocloak.analysis.assumed_units import AssumedUnit, column_or_default, with_assumed_units
from nanocloak.analysis.group_tests import CORRECTION_TEXT, Correction, adjust_pvalues
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

TIME_NAMES = ("time", "duration", "survival_time", "days", "day", "week", "weeks")
EVENT_NAMES = ("event", "status", "dead", "death", "died", "observed", "arrest")
GROUP_NAMES = ("group", "grp", "treatment", "arm")
EVENT_WORDS = {"1", "dead", "death", "died", "event", "yes", "true", "progressed", "relapse"}
CENSOR_WORDS = {"0", "alive", "censored", "no", "false", "survived"}


def parse_events(values: Sequence[Any], source: str) -> tuple[NDArray[np.float64], str]:
    """Event indicator (1 event, 0 censored) from 0/1, R's 1/2 coding, booleans or words.

    Returns the indicator and a sentence saying how it was read.
    """
    series = pd.Series(list(values), dtype=object)
    numeric = pd.to_numeric(series, errors="coerce")
    if numeric.notna().all():
        seen = set(numeric.unique().tolist())
        if seen <= {0, 1}:
            return numeric.to_numpy(float), "Event coded 1 = event, 0 = censored."
        if seen <= {1, 2}:
            return (numeric - 1).to_numpy(float), (
                "Event coded as in R survival: 2 = event, 1 = censored."
            )
        raise DataFormatError(
            f"{source}: the event column holds {sorted(seen)}; expected 1/0 (event/censored) "
            "or R's 2/1"
        )
    words = series.astype(str).str.strip().str.lower()
    unknown = sorted(set(words) - EVENT_WORDS - CENSOR_WORDS)
    if unknown:
        raise DataFormatError(
            f"{source}: event values {unknown[:5]} are not understood; write 1/0, "
            "dead/alive, event/censored or yes/no"
        )
    return words.isin(EVENT_WORDS).to_numpy(float), "Event read from words (dead/event = 1)."


def nice_times(t_max: float, count: int = 6) -> NDArray[np.float64]:
    """Round tick times 0, s, 2s, … ≤ t_max with s a 1-2-2.5-5 multiple of a power of ten."""
    if not t_max > 0:
        return np.array([0.0])
    raw = t_max / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    return np.arange(0.0, t_max + 1e-9 * t_max, step)


def at_risk_table(
    time: NDArray[np.float64], event: NDArray[np.float64], ticks: NDArray[np.float64]
) -> list[dict[str, Any]]:
    """Numbers at risk (T ≥ t), cumulative events and censored (T ≤ t) at each tick."""
    return [
        {
            "time": float(t),
            "at_risk": int(np.sum(time >= t)),
            "events": int(np.sum((time <= t) & (event == 1))),
            "censored": int(np.sum((time <= t) & (event == 0))),
        }
        for t in ticks
    ]


def _read(
    table: LabTable, time_unit: str, covariates: Sequence[str]
) -> tuple[pd.DataFrame, list[str], list[AssumedUnit]]:
    assumed: list[AssumedUnit] = []
    time = column_or_default(table, TIME_NAMES, time_unit, time_unit, "time to event", assumed)
    event_column = table.find(EVENT_NAMES)
    if event_column is None:
        raise DataFormatError(
            f"{table.source}: no event column (looked for {', '.join(EVENT_NAMES)}); "
            f"columns are: {table.columns}"
        )
    raw = table.frame[event_column]
    keep = raw.notna().to_numpy() & np.isfinite(time)
    notes: list[str] = []
    event, how = parse_events(raw[keep].tolist(), table.source)
    notes.append(how)
    groups = table.labels(GROUP_NAMES)
    frame = pd.DataFrame(
        {
            "time": time[keep],
            "event": event,
            "group": np.asarray(groups, dtype=object)[keep] if groups else "all",
        }
    )
    for name in covariates:
        values = table.column([name], None, what=f"covariate {name}")[keep]
        if not np.all(np.isfinite(values)):
            raise DataFormatError(f"{table.source}: covariate {name!r} has missing values")
        frame[name] = values
    if frame.empty:
        raise DataFormatError(f"{table.source}: no rows with a time and an event")
    if (frame["time"] < 0).any():
        raise DataFormatError(f"{table.source}: negative survival times")
    dropped = int((~keep).sum())
    if dropped:
        notes.append(f"{dropped} row(s) without a time or event were dropped.")
    return frame, notes, assumed


def analyze_survival(
    table: LabTable,
    *,
    time_unit: str = "day",
    reference: str | None = None,
    covariates: Sequence[str] = (),
    at_risk_times: Sequence[float] | None = None,
    correction: Correction = "holm",
    ci_level: float = 0.95,
    title: str | None = None,
    extra_formulas: Sequence[str] = (),
) -> AnalysisResult:
    """Kaplan–Meier, log-rank (k groups and pairwise) and Cox hazard ratios.

    Parameters
    ----------
    table
        One row per animal: time, event (1/0, R's 2/1, or words), optional group, covariates.
    time_unit
        Unit of the analysis time (``"day"``, ``"week"``, …); a time column without a unit
        in its header is taken to be in it.
    reference
        Reference group of the hazard ratios; default a group named like a control, else the
        first group.
    covariates
        Numeric columns added to the Cox model.
    at_risk_times
        Times of the at-risk table, in ``time_unit``; default round steps over the follow-up.
    correction
        Multiplicity correction of pairwise log-rank p: ``"holm"`` (default), ``"bh"``,
        ``"bonferroni"`` or ``"none"``.
    ci_level
        Confidence level of intervals.
    title
        Result title; default the table's source.
    extra_formulas
        Conventions to add to the report (e.g. how endpoints were derived).
    """
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    from nanocloak.analysis.tumor_growth import choose_control

    if not 0.0 < ci_level < 1.0:
        raise SpecificationError("ci_level", ci_level, "a probability between 0 and 1")
    frame, notes, assumed = _read(table, time_unit, covariates)
    groups = list(dict.fromkeys(frame["group"]))
    ref = choose_control(groups, reference)
    alpha = 1.0 - ci_level
    formulas = list(extra_formulas) + notes
    formulas += [
        f"Time unit: {time_unit}.",
        "Kaplan–Meier S(t) = Π_{t_i ≤ t}(1 − d_i/n_i) (lifelines KaplanMeierFitter); "
        "pointwise CI by the exponential Greenwood (log(−log S)) transform, as Stata and "
        "lifelines do (R survfit's default is conf.type='log').",
        "Median survival = first t with S(t) < 0.5 (lifelines; where S stays exactly 0.5 over "
        "an interval R's survfit reports its midpoint), CI where the CI bands cross 0.5; median "
        "follow-up by the reverse Kaplan–Meier (censoring as the event).",
        "At-risk table: at risk = number with T ≥ t; events and censored are cumulative to t.",
    ]
    warns: list[str] = []
    ticks = (
        np.asarray(at_risk_times, float)
        if at_risk_times is not None
        else nice_times(float(frame["time"].max()))
    )
    estimates: list[Estimate] = []
    group_rows: list[dict[str, Any]] = []
    km_rows: list[dict[str, Any]] = []
    risk_rows: list[dict[str, Any]] = []
    series: list[Series] = []
    for group in groups:
        part = frame[frame["group"] == group]
        t, e = part["time"].to_numpy(float), part["event"].to_numpy(float)
        kmf = KaplanMeierFitter(alpha=alpha).fit(t, e, label=str(group))
        sf = kmf.survival_function_.iloc[:, 0]
        ci = kmf.confidence_interval_
        median = float(kmf.median_survival_time_)
        median_ci = median_survival_times(ci)
        low, high = float(median_ci.iloc[0, 0]), float(median_ci.iloc[0, 1])
        follow = float(KaplanMeierFitter().fit(t, 1 - e).median_survival_time_)
        estimates.append(
            Estimate(
                f"median[{group}]",
                median,
                time_unit,
                ci=(low, high),
                ci_level=ci_level,
                label=f"median survival, {group}",
                note="inf: not reached" if math.isinf(median) else "",
            )
        )
        group_rows.append(
            {
                "group": group,
                "n": len(t),
                "events": int(e.sum()),
                "censored": int(len(t) - e.sum()),
                "median": median,
                "median_ci_low": low,
                "median_ci_high": high,
                "median_follow_up": follow,
            }
        )
        table_ = kmf.event_table
        for time_, row in table_.iterrows():
            if row["observed"] == 0 and row["censored"] == 0:
                continue
            km_rows.append(
                {
                    "group": group,
                    "time": float(time_),
                    "at_risk": int(row["at_risk"]),
                    "events": int(row["observed"]),
                    "censored": int(row["censored"]),
                    "survival": float(sf.loc[time_]),
                    "ci_low": float(ci.loc[time_].iloc[0]),
                    "ci_high": float(ci.loc[time_].iloc[1]),
                }
            )
        risk_rows += [{"group": group, **r} for r in at_risk_table(t, e, ticks)]
        series.append(Series(sf.index.to_numpy(float), sf.to_numpy(float), str(group), "step"))
        if e.sum() == 0:
            warns.append(
                f"group {group!r} has no events; its hazard ratio is not estimable (TumGrowth "
                "uses Firth's penalised Cox here, which lifelines lacks); rely on the log-rank."
            )
    tables: dict[str, list[dict[str, Any]]] = {
        "groups": group_rows,
        "at_risk": risk_rows,
        "kaplan_meier": km_rows,
    }
    if len(groups) > 1:
        logrank = _logrank(frame, groups, correction)
        estimates += logrank[0]
        tables["pairwise_logrank"] = logrank[1]
        formulas += [
            f"Log-rank test across the {len(groups)} groups (lifelines multivariate_logrank_test, "
            f"χ² on {len(groups) - 1} df); pairwise log-rank tests adjusted by "
            f"{CORRECTION_TEXT[correction]}."
        ]
    if len(groups) > 1 or covariates:
        cox_estimates, cox_rows, cox_formulas, cox_warnings = _cox(
            frame, groups, ref, covariates, alpha
        )
        estimates += cox_estimates
        tables["cox"] = cox_rows
        formulas += cox_formulas
        warns += cox_warnings
    panel = Panel(
        tuple(series),
        f"time ({time_unit})",
        "survival probability",
        "Kaplan–Meier",
    )
    result = AnalysisResult(
        kind="survival",
        title=title or table.source,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warns),
        panels=(panel,),
        tables=tables,
        provenance={
            "source": table.source,
            "time_unit": time_unit,
            "reference": ref,
            "covariates": list(covariates),
            "correction": correction,
            "subjects": len(frame),
            "events": int(frame["event"].sum()),
        },
    )
    return with_assumed_units(result, assumed)


def _exp(value: float) -> float:
    """exp that gives inf instead of overflowing (a Cox coefficient diverges without events)."""
    return math.exp(value) if value < 700.0 else math.inf


def _logrank(
    frame: pd.DataFrame, groups: list[str], correction: Correction
) -> tuple[list[Estimate], list[dict[str, Any]]]:
    from lifelines.statistics import logrank_test, multivariate_logrank_test

    overall = multivariate_logrank_test(frame["time"], frame["group"], frame["event"])
    estimates = [
        Estimate(
            "logrank_chi2",
            float(overall.test_statistic),
            "",
            label=f"log-rank χ² ({len(groups) - 1} df)",
        ),
        Estimate("logrank_p", float(overall.p_value), "", label="log-rank p"),
    ]
    rows: list[dict[str, Any]] = []
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            pa, pb = frame[frame["group"] == a], frame[frame["group"] == b]
            result = logrank_test(pa["time"], pb["time"], pa["event"], pb["event"])
            rows.append(
                {
                    "comparison": f"{a} vs {b}",
                    "chi2": float(result.test_statistic),
                    "p": float(result.p_value),
                }
            )
    for row, p in zip(rows, adjust_pvalues([r["p"] for r in rows], correction), strict=True):
        row["p_adj"] = float(p)
    return estimates, rows


def _cox(
    frame: pd.DataFrame,
    groups: list[str],
    reference: str,
    covariates: Sequence[str],
    alpha: float,
) -> tuple[list[Estimate], list[dict[str, Any]], list[str], list[str]]:
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError

    data = pd.DataFrame({"T": frame["time"], "E": frame["event"]})
    names: dict[str, str] = {}
    for group in groups:
        if group != reference:
            column = f"group={group}"
            data[column] = (frame["group"] == group).to_numpy(float)
            names[column] = f"{group} vs {reference}"
    for name in covariates:
        data[name] = frame[name]
        names[name] = f"per unit of {name}"
    warns: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cph = CoxPHFitter(alpha=alpha).fit(data, "T", "E")
        except ConvergenceError as exc:
            return [], [], [], [f"Cox model did not converge: {str(exc).splitlines()[0]}"]
        lrt = cph.log_likelihood_ratio_test()
    for item in caught:
        text = str(item.message).strip().splitlines()[0].split(" For example")[0]
        if text and f"Cox model: {text}" not in warns:
            warns.append(f"Cox model: {text}")
    summary = cph.summary
    ci = cph.confidence_intervals_
    estimates: list[Estimate] = []
    rows: list[dict[str, Any]] = []
    level = 1.0 - alpha
    for column, label in names.items():
        coef = float(summary.loc[column, "coef"])
        se = float(summary.loc[column, "se(coef)"])
        low, high = float(ci.loc[column].iloc[0]), float(ci.loc[column].iloc[1])
        p = float(summary.loc[column, "p"])
        estimates += [
            Estimate(
                f"hr[{column}]",
                _exp(coef),
                "",
                ci=(_exp(low), _exp(high)),
                ci_level=level,
                label=f"hazard ratio, {label}",
                note=f"Wald p = {p:.4g}",
            ),
            Estimate(
                f"coef[{column}]",
                coef,
                "",
                stderr=se,
                ci=(low, high),
                ci_level=level,
                label=f"Cox log hazard ratio, {label}",
            ),
        ]
        rows.append(
            {
                "term": column,
                "coef": coef,
                "se": se,
                "hazard_ratio": _exp(coef),
                "hr_ci_low": _exp(low),
                "hr_ci_high": _exp(high),
                "z": float(summary.loc[column, "z"]),
                "p": p,
            }
        )
    estimates += [
        Estimate(
            "cox_lrt_chi2",
            float(lrt.test_statistic),
            "",
            label=f"Cox likelihood-ratio χ² ({int(lrt.degrees_freedom)} df)",
            note=f"p = {float(lrt.p_value):.4g}",
        ),
        Estimate("cox_loglik", float(cph.log_likelihood_), "", label="partial log-likelihood"),
        Estimate("concordance", float(cph.concordance_index_), "", label="concordance (C)"),
    ]
    formulas = [
        f"Cox proportional hazards h(t|x) = h0(t)·exp(βᵀx) (lifelines CoxPHFitter, Efron ties, "
        f"as R coxph); group indicators against the reference {reference!r}"
        + (f" plus covariates {list(covariates)}" if covariates else "")
        + "; HR = exp(β), Wald CI exp(β ± z·SE); global likelihood-ratio test.",
    ]
    try:
        from lifelines.statistics import proportional_hazard_test

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ph = proportional_hazard_test(cph, data, time_transform="rank")
        bad = [str(i) for i, p in zip(ph.summary.index, ph.summary["p"], strict=True) if p < 0.05]
        formulas.append("Proportional hazards checked by the Schoenfeld-residual test (rank time).")
        if bad:
            warns.append(
                f"proportional hazards look violated for {', '.join(bad)} (Schoenfeld test p < "
                "0.05); the hazard ratio is then an average over follow-up."
            )
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError):
        pass
    return estimates, rows, formulas, warns


__all__ = ["analyze_survival", "at_risk_table", "nice_times", "parse_events"]
