"""Tumor growth and the viable/dead simulator: closed forms, volume balance, kill events."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.tumor.growth import (
    GrowthParams,
    analytic_volume,
    gompertz_rate_from_doubling,
    growth_rate_mm3_per_day,
)
from nanocloak.kernels.tumor.simulate import (
    apply_kill,
    simulate_tumor,
    simulate_tumor_with_events,
)

T = np.linspace(0.0, 21.0, 43)


def _params(law: str) -> GrowthParams:
    return GrowthParams(law, np.array([0.1, 0.25, 0.4]), np.array([3000.0, 2000.0, 5000.0]))


@pytest.mark.parametrize("law", ["exponential", "logistic", "gompertz"])
def test_tumor_simulation_matches_closed_form_without_kill(law: str) -> None:
    params = _params(law)
    v0 = np.array([50.0, 100.0, 5.0])
    course = simulate_tumor(T, v0, np.zeros(3), params)
    exact = analytic_volume(T, v0, params)
    # DOP853 at rtol 1e-9: the relative error stays far below 1e-6
    np.testing.assert_allclose(course.viable_mm3, exact, rtol=1e-6)
    np.testing.assert_allclose(course.dead_mm3, 0.0, atol=1e-9)


def test_tumor_constant_multiplier_scales_the_rate() -> None:
    params = _params("gompertz")
    v0 = np.full(3, 80.0)
    course = simulate_tumor(T, v0, np.zeros(3), params, growth_multiplier=np.full((3, T.size), 0.5))
    np.testing.assert_allclose(course.viable_mm3, analytic_volume(T, v0, params, 0.5), rtol=1e-6)


def test_tumor_constant_kill_on_exponential_growth_is_exponential() -> None:
    params = GrowthParams("exponential", np.array([0.3]), np.array([1.0]))
    course = simulate_tumor(
        T,
        np.array([100.0]),
        np.zeros(1),
        params,
        kill_rate_per_day=np.full((1, T.size), 0.5),
        dead_clearance_per_day=0.7,
    )
    np.testing.assert_allclose(course.viable_mm3[0], 100.0 * np.exp(-0.2 * T), rtol=1e-7)
    # dead pool: dD/dt = 0.5 V - c D with V = 100 e^{-0.2 t}
    c = 0.7
    dead = 50.0 / (c - 0.2) * (np.exp(-0.2 * T) - np.exp(-c * T))
    np.testing.assert_allclose(course.dead_mm3[0], dead, rtol=1e-6)


def test_tumor_volume_balance_closes() -> None:
    params = _params("logistic")
    kill = np.abs(np.sin(T))[None, :] * np.array([[0.1], [0.5], [1.0]])
    course = simulate_tumor(T, np.full(3, 100.0), np.full(3, 10.0), params, kill_rate_per_day=kill)
    assert course.grown_mm3 is not None
    assert course.cleared_mm3 is not None
    lhs = course.viable_mm3 + course.dead_mm3 + course.cleared_mm3
    np.testing.assert_allclose(lhs, 110.0 + course.grown_mm3, rtol=1e-8)
    np.testing.assert_allclose(course.total_mm3, course.viable_mm3 + course.dead_mm3)


def test_tumor_apply_kill_moves_viable_to_dead() -> None:
    v, d = apply_kill(np.array([100.0, 50.0]), np.array([0.0, 5.0]), np.array([0.2, 1.0]))
    np.testing.assert_allclose(v, [20.0, 50.0])
    np.testing.assert_allclose(d, [80.0, 5.0])
    with pytest.raises(ValueError, match="surviving_fraction"):
        apply_kill(np.ones(1), np.ones(1), 1.5)


def test_tumor_events_split_the_course_and_keep_the_balance() -> None:
    params = _params("gompertz")
    v0 = np.full(3, 100.0)
    course = simulate_tumor_with_events(
        T,
        v0,
        np.zeros(3),
        params,
        event_times_day=np.array([5.0]),
        surviving_fractions=np.array([0.1]),
    )
    before = T < 5.0
    exact = analytic_volume(T[before], v0, params)
    np.testing.assert_allclose(course.viable_mm3[:, before], exact, rtol=1e-6)
    at = int(np.searchsorted(T, 5.0))
    pre = analytic_volume(np.array([5.0]), v0, params)[:, 0]
    np.testing.assert_allclose(course.viable_mm3[:, at], 0.1 * pre, rtol=1e-6)
    np.testing.assert_allclose(course.dead_mm3[:, at], 0.9 * pre, rtol=1e-6)
    assert course.grown_mm3 is not None
    assert course.cleared_mm3 is not None
    np.testing.assert_allclose(
        course.total_mm3 + course.cleared_mm3, 100.0 + course.grown_mm3, rtol=1e-7
    )


def test_tumor_gompertz_rate_gives_the_doubling_time() -> None:
    rate = float(gompertz_rate_from_doubling(2.0, 4000.0, 200.0))
    params = GrowthParams("gompertz", np.array([rate]), np.array([4000.0]))
    specific = growth_rate_mm3_per_day(np.array([200.0]), params)[0] / 200.0
    assert specific == pytest.approx(np.log(2.0) / 2.0)


def test_tumor_growth_params_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="growth law"):
        GrowthParams("bertalanffy", np.ones(1), np.ones(1))
    with pytest.raises(ValueError, match="capacity"):
        GrowthParams("gompertz", np.ones(1), np.zeros(1))
    with pytest.raises(ValueError, match="shape"):
        simulate_tumor(
            T, np.ones(3), np.zeros(3), _params("gompertz"), kill_rate_per_day=np.ones((2, 3))
        )
