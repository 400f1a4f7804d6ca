"""f1/f2, the applicability rules (which one failed) and the bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nanocloak.analysis.release import RULES, bootstrap_f2, compare_profiles, expected_f2, f1, f2
from nanocloak.errors import SpecificationError

T_MIN = np.array([10.0, 20.0, 30.0, 45.0])


def _units(means: list[float], cv_pct: float, n: int = 12, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = np.array(means)
    return m * (1 + rng.normal(0.0, cv_pct / 100, (n, m.size)))


def test_f1_f2_by_hand() -> None:
    """Identical profiles: f2 = 100, f1 = 0; a uniform 10-point gap: f2 = 50·log10(100/√101)."""
    r = np.array([20.0, 40.0, 60.0])
    assert f2(r, r) == pytest.approx(100.0)
    assert f1(r, r) == 0.0
    assert f2(r, r + 10) == pytest.approx(50 * math.log10(100 / math.sqrt(101)))
    assert f1(r, r + 10) == pytest.approx(100 * 30 / 120)


def test_expected_f2_adds_the_variance_term() -> None:
    ref = np.array([[10.0, 20], [12.0, 22]])
    test = np.array([[11.0, 21], [13.0, 23]])
    # mean diff² = 1 at each point; variances 2 each, /n = 1 each → D = 1 + 1 + 1 = 3.
    assert expected_f2(ref, test) == pytest.approx(50 * math.log10(100 / math.sqrt(4)))


def test_rules_report_which_check_failed() -> None:
    ref = _units([30, 50, 70, 80], 3)
    test = _units([32, 52, 72, 82], 3, n=6, seed=2)
    test[:, 1] = test[:, 1] * np.linspace(0.7, 1.3, 6)  # CV ≈ 23 % at 20 min
    result = compare_profiles(T_MIN, ref, test, rule="EMA", n_resamples=0)
    failed = {row["rule"] for row in result.tables["rules"] if not row["passed"]}
    assert failed == {"units (test)", "CV (test)"}
    assert any("CV (test)" in w and "20 min" in w for w in result.warnings)


def test_fda_allows_twenty_percent_cv_to_fifteen_minutes() -> None:
    ref = _units([30, 50, 70, 80], 3)
    test = _units([32, 52, 72, 82], 3, seed=2)
    test[:, 0] = test[:, 0] * np.linspace(0.75, 1.25, 12)  # CV ≈ 16 % at 10 min
    ema = compare_profiles(T_MIN, ref, test, rule="EMA", n_resamples=0)
    fda = compare_profiles(T_MIN, ref, test, rule="FDA", n_resamples=0)
    assert all(row["passed"] for row in ema.tables["rules"])  # first point: ≤ 20 %
    assert all(row["passed"] for row in fda.tables["rules"])


def test_too_few_points_after_the_85_percent_cut() -> None:
    ref = _units([50, 90, 95, 98], 2)
    test = _units([55, 92, 96, 99], 2, seed=3)
    result = compare_profiles(T_MIN, ref, test, rule="EMA", n_resamples=0, min_points=3)
    rows = {row["rule"]: row for row in result.tables["rules"]}
    assert not rows["85 % rule"]["passed"]  # 3 points kept, 2 above 85 %
    assert "at most 1" in rows["85 % rule"]["detail"]


def test_rapid_dissolution_is_noted() -> None:
    t = np.array([5.0, 10.0, 15.0, 30.0])
    ref = _units([70, 86, 95, 99], 2)
    test = _units([72, 88, 96, 99], 2, seed=4)
    result = compare_profiles(t, ref, test, n_resamples=0)
    assert any("15 min" in w and "without f2" in w for w in result.warnings)


def test_bootstrap_is_seeded_and_brackets_f2() -> None:
    ref = _units([30, 50, 70, 80], 4)
    test = _units([34, 55, 74, 83], 4, seed=5)
    rule = RULES["EMA"]
    a = bootstrap_f2(T_MIN, ref, test, rule, "estimated", 999, 0.90, 7)
    b = bootstrap_f2(T_MIN, ref, test, rule, "estimated", 999, 0.90, 7)
    assert a.ci == b.ci
    value = f2(ref.mean(axis=0), test.mean(axis=0))
    assert a.ci[0] < value < a.ci[1]


def test_input_errors() -> None:
    ref = _units([30, 50, 70, 80], 3)
    with pytest.raises(SpecificationError, match="rule"):
        compare_profiles(T_MIN, ref, ref, rule="USP")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="same time points"):
        compare_profiles(T_MIN[:3], ref, ref)
