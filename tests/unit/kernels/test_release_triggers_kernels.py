"""Triggered release: first-order closed form, bursts, pH, heat, ROS and CaCO3 gates, loading."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.release import laws, triggers


def test_release_triggers_constant_rate_is_the_shared_first_order_law() -> None:
    t = np.linspace(0.0, 48.0, 97)
    f = triggers.triggered_release(t, 0.1, fmax=0.8)
    np.testing.assert_allclose(f, laws.first_order(t, 0.1, 80.0) / 100.0, rtol=1e-12)
    np.testing.assert_allclose(triggers.constant_rate_release(t, 0.1, 0.8), f)


def test_release_triggers_piecewise_rate_and_burst() -> None:
    t = np.array([0.0, 1.0, 2.0, 3.0])
    rate = np.array([0.0, 0.0, 1.0, 1.0])  # integral: 0, 0, 0.5, 1.5
    f = triggers.triggered_release(t, rate, burst_times_h=[1.0], burst_fractions=[0.5])
    expected = 1.0 - np.array([1.0, 0.5, 0.5 * np.exp(-0.5), 0.5 * np.exp(-1.5)])
    np.testing.assert_allclose(f, expected, rtol=1e-12)


def test_release_triggers_ph_multiplier_is_one_at_blood_ph_and_hits_the_fold() -> None:
    a = triggers.ph_amplitude_for_fold(4.0, 5.0, 6.0)
    m = triggers.ph_rate_multiplier(np.array([7.4, 6.8, 5.0]), 6.0, a)
    assert m[0] == pytest.approx(1.0)
    assert m[2] == pytest.approx(4.0)
    assert 1.0 < m[1] < m[2]
    with pytest.raises(ValueError, match="not reachable"):
        triggers.ph_amplitude_for_fold(1000.0, 7.0, 6.0)


def test_release_triggers_phase_change_gate_opens_at_the_melting_point() -> None:
    g = triggers.phase_change_gate(np.array([37.0, 38.5, 45.0]), 38.5, 0.5)
    assert g[0] < 0.05
    assert g[1] == pytest.approx(0.5)
    assert g[2] > 0.999
    k = triggers.gated_rate_per_h(g, 2.0, 0.01)
    assert k[2] == pytest.approx(2.0, rel=1e-3)
    assert float(triggers.arrhenius_rate_multiplier(37.0, 5e4)) == pytest.approx(1.0)
    assert float(triggers.arrhenius_rate_multiplier(45.0, 5e4)) > 1.0


def test_release_triggers_ros_and_gatekeeper() -> None:
    assert float(triggers.ros_burst_fraction(0.3, 0.3)) == pytest.approx(0.5)
    t = np.linspace(0.0, 10.0, 11)
    open_74 = triggers.gatekeeper_open_fraction(t, 7.4, 0.01)
    np.testing.assert_allclose(open_74, -np.expm1(-0.01 * t), rtol=1e-12)
    open_55 = triggers.gatekeeper_open_fraction(t, 5.5, 0.01)
    assert np.all(open_55 >= open_74)
    assert open_55[-1] > 0.99


def test_release_triggers_loading_capacity() -> None:
    assert triggers.check_loading_fraction(0.3) == 0.3
    with pytest.raises(ValueError, match="outside what MSN can hold"):
        triggers.check_loading_fraction(0.6)
