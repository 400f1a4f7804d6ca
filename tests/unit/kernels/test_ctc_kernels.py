"""Kernels of CTC capture: drag, magnetophoresis, encounter rates and the separator criterion."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import poisson

from nanocloak.kernels.capture import (
    berg_purcell_factor,
    capture_share,
    expected_capture,
    jamming_capacity,
    labels_needed,
    linear_force_n,
    magnetic_force_n,
    magnetophoretic_velocity_m_per_s,
    particle_moment_a_m2,
    poisson_capture,
    purity,
    residence_time_s,
    shear_collision_rate_m3_per_s,
    smoluchowski_rate_m3_per_s,
    stokes_drag_coefficient_n_s_per_m,
    stokes_einstein_m2_per_s,
)

MU0 = 1.25663706212e-6


def test_ctc_stokes_drag_is_six_pi_eta_r() -> None:
    # 10 µm radius cell in 1 mPa s: 6π × 1e-3 × 1e-5 = 1.884955592e-7 N s/m (closed form).
    assert stokes_drag_coefficient_n_s_per_m(1e-5, 1e-3) == pytest.approx(1.884955592e-7, rel=1e-9)
    with pytest.raises(ValueError, match="positive"):
        stokes_drag_coefficient_n_s_per_m(0.0, 1e-3)


def test_ctc_stokes_einstein_matches_kt_over_drag() -> None:
    kt = 1.380649e-23 * 310.15
    d = stokes_einstein_m2_per_s(1e-7, 1.2e-3, 310.15)
    assert d == pytest.approx(kt / stokes_drag_coefficient_n_s_per_m(1e-7, 1.2e-3), rel=1e-12)


def test_ctc_magnetophoretic_velocity_balances_drag() -> None:
    moment = particle_moment_a_m2(1e-7, 3.0, 2.5e5, 0.4)
    force = magnetic_force_n(1000, moment, 50.0)
    drag = stokes_drag_coefficient_n_s_per_m(7.5e-6, 4e-3)
    v = magnetophoretic_velocity_m_per_s(force, drag)
    # Terminal velocity: drag force equals the magnetic force.
    assert drag * v == pytest.approx(force, rel=1e-12)
    # Saturated here (chi B / mu0 = 9.5e5 A/m > 2.5e5 A/m): m = V M_sat.
    assert moment == pytest.approx(4 / 3 * math.pi * 1e-21 * 2.5e5, rel=1e-12)


def test_ctc_linear_regime_force_equals_moment_times_gradient() -> None:
    # Below saturation, N m ∇B and N (V chi / mu0) B ∇B are the same force.
    b, grad, chi, n = 0.01, 20.0, 2.0, 50
    moment = particle_moment_a_m2(1e-7, chi, 1e9, b)
    assert magnetic_force_n(n, moment, grad) == pytest.approx(
        linear_force_n(n, 1e-7, chi, b, grad), rel=1e-12
    )
    assert moment == pytest.approx(4 / 3 * math.pi * 1e-21 * chi * b / MU0, rel=1e-12)


def test_ctc_encounter_rates_closed_forms() -> None:
    assert smoluchowski_rate_m3_per_s(1e-7, 5e-6, 2e-12, 0.0) == pytest.approx(
        4 * math.pi * 2e-12 * 5.1e-6, rel=1e-12
    )
    assert shear_collision_rate_m3_per_s(1e-7, 5e-6, 2.0) == pytest.approx(
        4 / 3 * 2.0 * (5.1e-6) ** 3, rel=1e-12
    )
    assert shear_collision_rate_m3_per_s(1e-7, 5e-6, 0.0) == 0.0


def test_ctc_berg_purcell_limits() -> None:
    assert berg_purcell_factor(0, 1e-9, 5e-6) == 0.0
    # N s = π R gives one half (Berg & Purcell 1977).
    assert berg_purcell_factor(math.pi * 5e-6 / 1e-9, 1e-9, 5e-6) == pytest.approx(0.5)
    assert berg_purcell_factor(1e12, 1e-9, 5e-6) == pytest.approx(1.0, abs=1e-6)


def test_ctc_jamming_capacity() -> None:
    assert jamming_capacity(5e-6, 1e-7, 0.547) == pytest.approx(0.547 * 4 * 2500)


def test_ctc_poisson_capture_equals_brute_force_sum() -> None:
    for mu, need in ((0.3, 20.4), (5.0, 3.7), (40.0, 30.0), (2.0, 0.5)):
        n = np.arange(0, 400)
        brute = float((poisson.pmf(n, mu) * np.minimum(1.0, n / need)).sum())
        assert float(poisson_capture(mu, need)) == pytest.approx(brute, rel=1e-10, abs=1e-15)


def test_ctc_capture_is_zero_without_field_and_one_with_strong_field() -> None:
    tau = residence_time_s(0.05, 0.002, 0.0005, 1e-6 / 3600)
    assert tau == pytest.approx(180.0)
    none = labels_needed(0.0, tau, 0.0005)
    assert math.isinf(none)
    assert expected_capture(2000.0, 0.7, none) == 0.0
    assert float(capture_share(5.0, none)) == 0.0
    # As the gradient (velocity per label) grows, capture tends to P(N ≥ 1) → 1 for many labels.
    values = [
        expected_capture(2000.0, 0.7, labels_needed(v, tau, 0.0005)) for v in (1e-12, 1e-9, 1e-6)
    ]
    assert values[0] < values[1] < values[2]
    assert values[2] == pytest.approx(1.0, abs=1e-9)
    # And as the residence time grows (flow → 0).
    long = labels_needed(1e-9, 1e9, 0.0005)
    assert expected_capture(2000.0, 0.7, long) == pytest.approx(1.0, abs=1e-9)


def test_ctc_purity() -> None:
    assert purity(90.0, 10.0) == pytest.approx(0.9)
    assert math.isnan(purity(0.0, 0.0))


def test_ctc_binding_matches_langmuir_solution_when_particles_are_in_excess() -> None:
    from nanocloak.kernels.capture import BindingTarget, solve_binding

    # With a vanishing cell density the free pool stays at P0 and, without detachment,
    # n(t) = n_max (1 - exp(-k P0 t / n_max)) exactly.
    k, p0, cap = 3e-16, 4e15, 1e4
    t = np.linspace(0.0, 3600.0, 7)
    sol = solve_binding(t, p0, (BindingTarget(1.0, k, cap),), 0.0)
    exact = cap * (1.0 - np.exp(-k * p0 * t / cap))
    np.testing.assert_allclose(sol.bound_per_cell[:, 0], exact, rtol=1e-6, atol=1e-9)
