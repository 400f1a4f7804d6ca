"""Uptake laws and exposure metrics of the PBPK kernel, against hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.pk.metrics import (
    auc_trapezoid,
    blood_half_lives,
    delivery_efficiency,
    value_at,
)
from nanocloak.kernels.pk.uptake import capacity_limited, capacity_slope, hill_in_time

one = np.array([1.0])


def test_hill_in_time_half_max_at_k50_and_zero_at_start() -> None:
    assert hill_in_time(0.0, 2 * one, 10 * one, 5 * one)[0] == 0.0
    assert hill_in_time(10.0, 2 * one, 10 * one, 5 * one)[0] == pytest.approx(1.0)
    # closed form at 20 h: 2 * 20^5 / (10^5 + 20^5) = 2 * 32/33
    assert hill_in_time(20.0, 2 * one, 10 * one, 5 * one)[0] == pytest.approx(64 / 33)


def test_capacity_law_saturates_and_clips() -> None:
    assert capacity_limited(2 * one, 0.25 * one, one)[0] == pytest.approx(1.5)
    assert capacity_limited(2 * one, 2 * one, one)[0] == 0.0
    assert capacity_slope(2 * one, 0.25 * one, one)[0] == pytest.approx(-2.0)
    assert capacity_slope(2 * one, 2 * one, one)[0] == 0.0


def test_delivery_efficiency_on_a_hand_made_curve() -> None:
    """Triangle rising to 4 %ID at 10 h, falling linearly to 0 at 210 h: DE24 = 4 - 14/50
    = 3.72, DE168 = 4 - 158/50 = 0.84, DEmax = 4 at 10 h, DEtlast at 48 h = 3.24."""
    t = np.arange(0.0, 210.05, 0.1)
    de = np.where(t <= 10.0, 0.4 * t, 4.0 - (t - 10.0) / 50.0)
    out = delivery_efficiency(t, de, t_last_h=48.0)
    assert out.de24 == pytest.approx(3.72)
    assert out.de168 == pytest.approx(0.84)
    assert out.demax == pytest.approx(4.0)
    assert out.t_max_h == pytest.approx(10.0)
    assert out.detlast == pytest.approx(3.24)
    short = delivery_efficiency(t[t <= 48.0], de[t <= 48.0])
    assert np.isnan(short.de168)
    assert short.t_last_h == pytest.approx(48.0)


def test_auc_and_interpolation() -> None:
    t = np.linspace(0.0, 2.0, 201)
    assert auc_trapezoid(t, 3.0 * t) == pytest.approx(6.0)
    assert value_at(t, t, 0.505) == pytest.approx(0.505)
    assert np.isnan(value_at(t, t, 3.0))


def test_half_lives_of_a_biexponential() -> None:
    """C = 10 exp(-ln2 t / 0.5) + 1 exp(-ln2 t / 20): stripping recovers 0.5 h and 20 h."""
    t = np.linspace(0.0, 168.0, 1681)
    c = 10 * np.exp(-np.log(2) * t / 0.5) + np.exp(-np.log(2) * t / 20.0)
    hl = blood_half_lives(t, c)
    assert hl.elimination_h == pytest.approx(20.0, rel=1e-6)
    # the early window (first 16.8 h) holds the fast phase; the residual is exact
    assert hl.distribution_h == pytest.approx(0.5, rel=1e-3)


def test_half_lives_nan_when_not_estimable() -> None:
    hl = blood_half_lives(np.array([0.0, 1.0]), np.array([1.0, 0.5]))
    assert np.isnan(hl.elimination_h)
    assert np.isnan(hl.distribution_h)


def test_no_distribution_phase_slower_than_the_terminal_one() -> None:
    """C = exp(-0.03 t) + 0.3 exp(-0.02 t) s(t), s a smooth step down at 60 h (a slow early
    component that a saturable process ends): the late third gives λ_z = 0.03 /h, and the early
    residual is positive but decays at 0.02 /h, slower than λ_z. Curve stripping would call that
    a 34.7-h "distribution" phase longer than the 23-h terminal one; it is not one, so NaN."""
    t = np.linspace(0.0, 168.0, 1681)
    step = 1.0 / (1.0 + np.exp((t - 60.0) / 3.0))
    c = np.exp(-0.03 * t) + 0.3 * np.exp(-0.02 * t) * step
    hl = blood_half_lives(t, c)
    assert hl.elimination_h == pytest.approx(np.log(2) / 0.03, rel=1e-3)
    assert np.isnan(hl.distribution_h)
