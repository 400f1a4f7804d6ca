"""Macroscopic singlet-oxygen model: analytic limits, oxygen conservation, hypoxia balance."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.photochem import (
    SoedConstants,
    fluence_rate_for_oxygen_mw_per_cm2,
    hypoxic_fraction,
    linear_dose_um,
    oxygen_supply_um_per_s,
    oxygen_um_from_po2,
    po2_mmhg_from_oxygen,
    reaction_rate_um_per_s,
    simulate_soed,
    steady_state_oxygen_um,
)

PHOTOFRIN = dict(xi_cm2_per_mw_s=0.0037, sigma_per_um=7.2e-5, beta_um=11.9, delta_um=33.0)


def test_no_bleaching_and_saturating_oxygen_give_a_linear_dose() -> None:
    # O2 at 1e5 uM: consumption (~2e3 uM) moves the saturation factor O/(O+beta) by
    # beta*dO/O^2 ~ 3e-6, hence rtol 1e-5.
    c = SoedConstants(0.0037, 0.0, 11.9, 33.0, 1e5, 0.0)
    t = np.linspace(0.0, 600.0, 7)
    phi = np.array([10.0, 100.0])
    sol = simulate_soed(phi, 10.0, c, t)
    expected = linear_dose_um(phi[None, :], 10.0, 1e5, c, t[:, None])
    np.testing.assert_allclose(sol.reacted_um, expected, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(sol.photosensitizer_um, 10.0)
    slope = 0.0037 * 100.0 * 10.0 * 1e5 / (1e5 + 11.9)
    assert sol.reacted_um[-1, 1] == pytest.approx(slope * 600.0, rel=1e-5)


def test_closed_volume_conserves_oxygen_plus_reacted() -> None:
    c = SoedConstants(**PHOTOFRIN, oxygen_initial_um=40.0, supply_um_per_s=0.0)
    sol = simulate_soed(np.array([5.0, 50.0, 200.0]), 8.0, c, np.linspace(0, 900, 31))
    np.testing.assert_allclose(sol.oxygen_um + sol.reacted_um, 40.0, rtol=1e-6)
    assert sol.oxygen_um[-1, -1] < 1.0  # the brightest point has used up its oxygen


def test_bleaching_only_removes_photosensitizer() -> None:
    c = SoedConstants(**PHOTOFRIN, oxygen_initial_um=40.0, supply_um_per_s=2.0)
    sol = simulate_soed(100.0, 10.0, c, np.linspace(0, 1200, 41))
    s0 = sol.photosensitizer_um[:, 0]
    assert np.all(np.diff(s0) <= 1e-12)
    assert s0[-1] < 10.0
    assert np.all(np.diff(sol.reacted_um[:, 0]) >= -1e-12)


def test_dark_points_stay_at_baseline() -> None:
    c = SoedConstants(**PHOTOFRIN, oxygen_initial_um=40.0, supply_um_per_s=1.7)
    sol = simulate_soed(np.array([0.0, 10.0]), 5.0, c, np.linspace(0, 60, 5))
    assert np.all(sol.reacted_um[:, 0] == 0.0)
    np.testing.assert_allclose(sol.oxygen_um[:, 0], 40.0)


def test_long_illumination_reaches_the_analytic_steady_oxygen() -> None:
    # sigma = 0 so [S0] stays put and the balance xi phi S0 O/(O+beta) = g (1 - O/O0) holds
    c = SoedConstants(0.0037, 0.0, 11.9, 33.0, 40.0, 1.7)
    phi = np.array([10.0, 50.0, 150.0])
    sol = simulate_soed(phi, 10.0, c, np.array([0.0, 5000.0]))
    k = 0.0037 * phi * 10.0
    expected = steady_state_oxygen_um(k, 40.0, 1.7, 11.9)
    np.testing.assert_allclose(sol.oxygen_um[-1], expected, rtol=1e-5)
    rate = reaction_rate_um_per_s(phi, 10.0, expected, c)
    np.testing.assert_allclose(rate, oxygen_supply_um_per_s(expected, 40.0, 1.7), rtol=1e-10)


def test_fluence_rate_for_oxygen_inverts_the_steady_state() -> None:
    phi = fluence_rate_for_oxygen_mw_per_cm2(13.4, 10.0, 0.0037, 40.0, 1.7, 11.9)
    o = steady_state_oxygen_um(0.0037 * phi * 10.0, 40.0, 1.7, 11.9)
    assert float(o) == pytest.approx(13.4, rel=1e-10)
    assert steady_state_oxygen_um(0.0, 40.0, 1.7, 11.9) == pytest.approx(40.0)
    assert steady_state_oxygen_um(1.0, 40.0, 0.0, 11.9) == 0.0


def test_partial_pressure_round_trip_and_hypoxic_fraction() -> None:
    o = oxygen_um_from_po2(np.array([5.0, 30.0]), 1.34)
    np.testing.assert_allclose(po2_mmhg_from_oxygen(o, 1.34), [5.0, 30.0])
    assert hypoxic_fraction(o, 1.34 * 10.0) == 0.5


@pytest.mark.parametrize(
    "bad",
    [
        dict(xi_cm2_per_mw_s=-1.0),
        dict(beta_um=0.0),
        dict(oxygen_initial_um=-5.0),
    ],
)
def test_constants_reject_unphysical_values(bad: dict[str, float]) -> None:
    values = dict(PHOTOFRIN, oxygen_initial_um=40.0, supply_um_per_s=1.0) | bad
    with pytest.raises(ValueError, match="must be"):
        SoedConstants(**values)


def test_simulate_rejects_bad_grids_and_negative_inputs() -> None:
    c = SoedConstants(**PHOTOFRIN, oxygen_initial_um=40.0, supply_um_per_s=1.0)
    with pytest.raises(ValueError, match="increasing"):
        simulate_soed(1.0, 1.0, c, np.array([0.0, 0.0]))
    with pytest.raises(ValueError, match="non-negative"):
        simulate_soed(-1.0, 1.0, c, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="target oxygen"):
        fluence_rate_for_oxygen_mw_per_cm2(50.0, 10.0, 0.0037, 40.0, 1.7, 11.9)
