"""The lumped heating model: closed forms against numerical integration and hand values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from uncertainties import ufloat

from nanocloak.kernels.thermal import lumped

C_J_PER_K = 4.18
HS_W_PER_K = 0.010
POWER_W = 0.3
AMBIENT_C = 22.0


def _integrate(t: np.ndarray, initial_c: float, on_s: float, off_s: float) -> np.ndarray:
    def rhs(time: float, y: np.ndarray) -> list[float]:
        power = POWER_W if on_s <= time < off_s else 0.0
        return [(power - HS_W_PER_K * (y[0] - AMBIENT_C)) / C_J_PER_K]

    sol = solve_ivp(
        rhs,
        (0.0, float(t[-1])),
        [initial_c],
        t_eval=t,
        rtol=1e-11,
        atol=1e-11,
        max_step=1.0,
    )
    return np.asarray(sol.y[0])


@pytest.mark.parametrize(("initial_c", "on_s", "off_s"), [(22.0, 0.0, 600.0), (30.0, 120.0, 900.0)])
def test_exact_solution_matches_numerical_integration(
    initial_c: float, on_s: float, off_s: float
) -> None:
    t = np.linspace(0.0, 2000.0, 401)
    exact = lumped.lumped_temperature_c(
        t, POWER_W, C_J_PER_K, HS_W_PER_K, AMBIENT_C, initial_c, on_s, off_s
    )
    np.testing.assert_allclose(exact, _integrate(t, initial_c, on_s, off_s), atol=1e-6)


def test_heating_and_cooling_pieces_are_the_segments_of_the_full_solution() -> None:
    tau = lumped.time_constant_s(C_J_PER_K, HS_W_PER_K)
    rise = lumped.steady_rise_k(POWER_W, HS_W_PER_K)
    t = np.linspace(0.0, 3000.0, 601)
    full = lumped.lumped_temperature_c(t, POWER_W, C_J_PER_K, HS_W_PER_K, AMBIENT_C, off_s=1000.0)
    on = t < 1000.0
    np.testing.assert_allclose(
        full[on], lumped.heating_curve_c(t[on], AMBIENT_C, rise, tau), rtol=1e-12
    )
    at_off = lumped.heating_curve_c(np.array([1000.0]), AMBIENT_C, rise, tau)[0]
    np.testing.assert_allclose(
        full[~on], lumped.cooling_curve_c(t[~on] - 1000.0, AMBIENT_C, at_off, tau), rtol=1e-12
    )


def test_energy_balance_holds_along_the_heating_curve() -> None:
    t = np.linspace(0.0, 1500.0, 30001)
    temp = lumped.lumped_temperature_c(t, POWER_W, C_J_PER_K, HS_W_PER_K, AMBIENT_C)
    slope = np.gradient(temp, t)
    balance = C_J_PER_K * slope + HS_W_PER_K * (temp - AMBIENT_C)
    np.testing.assert_allclose(balance[1:-1], POWER_W, rtol=1e-5)
    assert lumped.heating_power_w(C_J_PER_K, slope[5000], HS_W_PER_K, temp[5000] - AMBIENT_C) == (
        pytest.approx(POWER_W, rel=1e-5)
    )


def test_time_constant_and_loss_coefficient_are_inverse() -> None:
    assert lumped.time_constant_s(4.18, 0.010) == pytest.approx(418.0)
    assert lumped.loss_coefficient_w_per_k(4.18, 418.0) == pytest.approx(0.010)
    assert lumped.steady_rise_k(0.41685, 0.010) == pytest.approx(41.685)


def test_extinguished_power_and_roper_efficiency_by_hand() -> None:
    """Hand-worked: hS = 4.2 J/K / 300 s = 0.014 W/K; ΔT = 20 K gives 0.28 W lost; minus
    Q_dis = 0.02 W leaves 0.26 W; I = 0.5 W at A = 1 extinguishes 0.5 × 0.9 = 0.45 W;
    η = 0.26 / 0.45 = 0.5778."""
    assert lumped.absorbed_power_w(0.5, 1.0) == pytest.approx(0.45)
    assert lumped.absorbed_power_w(1.0, 0.6) == pytest.approx(1 - 10**-0.6)
    hs = lumped.loss_coefficient_w_per_k(4.2, 300.0)
    assert lumped.photothermal_efficiency(hs, 20.0, 0.02, 0.5, 1.0) == pytest.approx(0.26 / 0.45)


def test_efficiency_propagates_uncertainties_to_first_order() -> None:
    hs = ufloat(0.010, 0.0002)
    eta = lumped.photothermal_efficiency(hs, 40.0, 0.005, 1.0, 0.6)
    absorbed = 1 - 10**-0.6
    assert eta.nominal_value == pytest.approx((0.4 - 0.005) / absorbed)
    assert eta.std_dev == pytest.approx(40.0 * 0.0002 / absorbed)


def test_intrinsic_loss_power_by_hand() -> None:
    """100 W/g = 1e5 W/kg at 15 kA/m and 300 kHz: 1e5 / (2.25e8 × 3e5) = 1.4815e-9 H m²/kg."""
    ilp = lumped.intrinsic_loss_power_h_m2_per_kg(1e5, 15e3, 300e3)
    assert ilp == pytest.approx(1e5 / (15e3**2 * 300e3))
    assert ilp * 1e9 == pytest.approx(1.4815, rel=1e-4)


def test_switch_times_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="on_s <= off_s"):
        lumped.lumped_temperature_c(np.array([0.0]), 1.0, 1.0, 1.0, 20.0, on_s=5.0, off_s=1.0)
