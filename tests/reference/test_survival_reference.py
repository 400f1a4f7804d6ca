"""Survival analyses against published R survival / lifelines / Stata results on classic data.

The Rossi and lung data ship with lifelines (``lifelines.datasets``); the Freireich 6-MP data
(21 + 21 remission times, Freireich et al., Blood 1963;21:699; as tabulated by Gehan,
Biometrika 1965;52:203) are written out below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_lung, load_rossi

from nanocloak.analysis.survival import analyze_survival
from nanocloak.io.tables import table_from_rows


def _table(frame: pd.DataFrame, source: str):  # type: ignore[no-untyped-def]
    return table_from_rows([list(frame.columns), *frame.values.tolist()], source)


def test_rossi_cox_coefficients_match_r_coxph() -> None:
    """Rossi recidivism, ``coxph(Surv(week, arrest) ~ fin+age+race+wexp+mar+paro+prio)``.

    Coefficients and SEs as printed by R's survival::coxph in Fox J & Weisberg S, "Cox
    Proportional-Hazards Regression for Survival Data in R", appendix to *An R Companion to
    Applied Regression* (3rd ed., 2018); the same fit is the worked example of lifelines'
    "Survival Regression" docs (partial log-likelihood −658.75, LR test 33.27 on 7 df,
    concordance 0.64). Published to 5 decimals, so the tolerance is 1e-4 absolute.
    """
    covariates = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
    result = analyze_survival(
        _table(load_rossi(), "rossi"), time_unit="week", covariates=covariates
    )
    published = {
        "fin": (-0.37942, 0.19138),
        "age": (-0.05744, 0.02200),
        "race": (0.31390, 0.30799),
        "wexp": (-0.14980, 0.21222),
        "mar": (-0.43370, 0.38187),
        "paro": (-0.08487, 0.19576),
        "prio": (0.09150, 0.02865),
    }
    for name, (coef, se) in published.items():
        estimate = result[f"coef[{name}]"]
        assert estimate.value == pytest.approx(coef, abs=1e-4), name
        assert estimate.stderr == pytest.approx(se, abs=1e-4), name
    assert result.value("hr[fin]") == pytest.approx(0.68426, abs=1e-4)
    assert result["hr[fin]"].ci == pytest.approx((0.4702, 0.9957), abs=1e-4)
    assert result.value("cox_lrt_chi2") == pytest.approx(33.27, abs=0.005)
    assert result.value("cox_loglik") == pytest.approx(-658.75, abs=0.005)
    assert result.value("concordance") == pytest.approx(0.64, abs=0.005)


def test_lung_logrank_by_sex_matches_r_survdiff() -> None:
    """NCCTG lung, ``survdiff(Surv(time, status) ~ sex, data = lung)``.

    R prints χ² = 10.3267 on 1 df, p = 0.00131116 (output reproduced in Chiu Y-W, *Machine
    Learning with R Cookbook*, 2nd ed., Packt 2017, "Using the log-rank test"). lifelines
    recodes R's status 2/1 as 1/0. Tolerance: the printed digits (rtol 1e-5).
    """
    lung = load_lung()[["time", "status", "sex", "age"]]
    lung["sex"] = lung["sex"].map({1: "male", 2: "female"})
    lung = lung.rename(columns={"sex": "group"})
    result = analyze_survival(_table(lung, "lung"), reference="male")
    assert result.value("logrank_chi2") == pytest.approx(10.3267, rel=1e-5)
    assert result.value("logrank_p") == pytest.approx(0.00131116, rel=1e-5)


def test_lung_cox_age_sex_matches_r_summary_coxph() -> None:
    """``coxph(Surv(time, status) ~ age + sex, lung)`` from the example of R survival's
    ``summary.coxph`` help page (survival 2.37): age 0.017 (SE 0.00922), sex −0.513
    (SE 0.16745), likelihood-ratio test 14.1 on 2 df. Tolerance: one unit of the last printed
    digit (R prints 0.16745 for 0.167458).
    """
    lung = load_lung()[["time", "status", "age", "sex"]]
    result = analyze_survival(_table(lung, "lung"), covariates=["age", "sex"])
    assert result.value("coef[age]") == pytest.approx(0.017, abs=5e-4)
    assert result["coef[age]"].stderr == pytest.approx(0.00922, abs=1e-5)
    assert result.value("coef[sex]") == pytest.approx(-0.513, abs=5e-4)
    assert result["coef[sex]"].stderr == pytest.approx(0.16745, abs=1e-5)
    assert result.value("cox_lrt_chi2") == pytest.approx(14.1, abs=0.05)


SIX_MP = "6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+"
PLACEBO = "1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23"


def _freireich():  # type: ignore[no-untyped-def]
    rows: list[list[object]] = [["group", "time (week)", "event"]]
    for group, text in (("6-MP", SIX_MP), ("placebo", PLACEBO)):
        for item in text.split():
            rows.append([group, float(item.rstrip("+")), 0 if item.endswith("+") else 1])
    return table_from_rows(rows, "freireich")


def test_freireich_kaplan_meier_and_logrank() -> None:
    """Freireich 6-MP vs placebo (remission, weeks).

    KM of the 6-MP arm: 0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482 at weeks 6, 7,
    10, 13, 16, 22, 23 (the textbook product-limit table, e.g. Klein & Moeschberger, *Survival
    Analysis*, 2nd ed. 2003, §4.2; Kleinbaum & Klein, *Survival Analysis: A Self-Learning Text*,
    ch. 2), medians 23 and 8 weeks, log-rank χ² = 16.79 (Kleinbaum & Klein ch. 2). The placebo
    arm at week 1: S = 0.9048, SE 0.0641, 95% CI lower 0.6700 by the log(−log) transform, as
    Stata's ``sts list`` prints it (G. Rodríguez, WWS 509 notes, Princeton,
    https://grodri.github.io/survival/gehan).
    """
    result = analyze_survival(_freireich(), time_unit="week", reference="placebo")
    km = pd.DataFrame(result.tables["kaplan_meier"])
    six = km[km["group"] == "6-MP"].set_index("time")["survival"]
    expected = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378, 23: 0.4482}
    for week, s in expected.items():
        assert six.loc[float(week)] == pytest.approx(s, abs=5e-5), week
    assert result.value("median[6-MP]") == 23.0
    assert result.value("median[placebo]") == 8.0
    assert result.value("logrank_chi2") == pytest.approx(16.79, abs=0.005)
    placebo = km[km["group"] == "placebo"].set_index("time")
    assert placebo.loc[1.0, "survival"] == pytest.approx(0.9048, abs=5e-5)
    assert placebo.loc[1.0, "ci_low"] == pytest.approx(0.6700, abs=5e-5)
    # Greenwood SE at week 1: S·sqrt(d/(n(n−d))) with n = 21, d = 2.
    assert 0.9048 * math.sqrt(2 / (21 * 19)) == pytest.approx(0.0641, abs=5e-5)
    hr = result.value("hr[group=6-MP]")
    assert np.isfinite(hr)
    assert hr < 1.0
