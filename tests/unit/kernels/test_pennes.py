"""Pennes bioheat solver: analytic solutions, convergence order and energy balance."""

import math

import numpy as np
import pytest
from scipy.special import erfc, erfcx, i0

from nanocloak.kernels.thermal.pennes import (
    SurfaceBoundary,
    TissueThermal,
    solve_pennes_1d,
    solve_pennes_axisymmetric,
    steady_pennes_1d,
)

RHO, C, K = 1045.0, 3600.0, 0.527
OMEGA, QMET, TA = 0.009, 500.0, 37.0
RHOB_CB = 1050.0 * 3617.0


def _steady_analytic(z: np.ndarray, length: float, h: float, ambient: float) -> np.ndarray:
    """θ = T − T_a − Q/(ω ρ_b c_b), θ'' = m² θ, k T'(0) = h (T(0) − T_amb), T(L) = T_a."""
    m = math.sqrt(OMEGA * RHOB_CB / K)
    shift = QMET / (OMEGA * RHOB_CB)
    # θ = A cosh(m z) + B sinh(m z); θ(L) = −shift; k m B = h (A + T_a + shift − T_amb)
    ch, sh = math.cosh(m * length), math.sinh(m * length)
    # unknowns A, B: A ch + B sh = −shift ; h A − k m B = −h (T_a + shift − T_amb)
    mat = np.array([[ch, sh], [h, -K * m]])
    rhs = np.array([-shift, -h * (TA + shift - ambient)])
    a, b = np.linalg.solve(mat, rhs)
    return TA + shift + a * np.cosh(m * z) + b * np.sinh(m * z)


def _tissue(omega: float = OMEGA, qmet: float = QMET) -> TissueThermal:
    return TissueThermal(RHO, C, K, perfusion_per_s=omega, metabolic_w_per_m3=qmet, arterial_c=TA)


def test_steady_1d_with_perfusion_matches_analytic() -> None:
    z = np.linspace(0.0, 0.01, 201)
    boundary = SurfaceBoundary(h_w_per_m2_k=10.0, ambient_c=25.0, bottom="fixed")
    numeric = steady_pennes_1d(z, 0.0, _tissue(), boundary)
    np.testing.assert_allclose(numeric, _steady_analytic(z, 0.01, 10.0, 25.0), atol=2e-5)
    # the transient solver reaches the same steady state
    # implicit Euler: Crank–Nicolson keeps the stiff modes of a rough start ringing
    run = solve_pennes_1d(
        z, 0.0, _tissue(), boundary, t_end_s=3000.0, dt_s=10.0, initial_c=30.0, theta=1.0
    )
    np.testing.assert_allclose(run.temperature_c[-1], numeric, atol=1e-3)


def test_space_convergence_order_is_two() -> None:
    """Regress log(max error) on log(dz): slope ≈ 2 for the vertex-centred scheme."""
    boundary = SurfaceBoundary(h_w_per_m2_k=50.0, ambient_c=20.0, bottom="fixed")
    steps, errors = [], []
    for n in (10, 20, 40, 80, 160):
        z = np.linspace(0.0, 0.01, n + 1)
        err = np.max(
            np.abs(
                steady_pennes_1d(z, 0.0, _tissue(), boundary)
                - _steady_analytic(z, 0.01, 50.0, 20.0)
            )
        )
        steps.append(0.01 / n)
        errors.append(err)
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.1)


def test_transient_semi_infinite_convection_without_perfusion() -> None:
    """Carslaw & Jaeger: surface convection into a semi-infinite solid, no perfusion.

    (T − T_i)/(T_∞ − T_i) = erfc(η) − exp(hz/k + h²αt/k²) erfc(η + h√(αt)/k), η = z/(2√(αt)).
    """
    alpha = K / (RHO * C)
    h, t_end = 200.0, 120.0
    z = np.linspace(0.0, 0.05, 1001)  # 50 mm ≫ √(α t) = 4 mm: the insulated bottom is not felt
    tissue = TissueThermal(RHO, C, K, perfusion_per_s=0.0, metabolic_w_per_m3=0.0)
    boundary = SurfaceBoundary(h_w_per_m2_k=h, ambient_c=60.0, bottom="insulated")
    run = solve_pennes_1d(
        z, 0.0, tissue, boundary, t_end_s=t_end, dt_s=0.25, initial_c=30.0, save_every=480
    )
    eta = z / (2 * math.sqrt(alpha * t_end))
    beta = h * math.sqrt(alpha * t_end) / K
    # exp(a) erfc(b) = erfcx(b) exp(a − b²) avoids overflow
    second = erfcx(eta + beta) * np.exp(h * z / K + beta**2 - (eta + beta) ** 2)
    exact = 30.0 + 30.0 * (erfc(eta) - second)
    np.testing.assert_allclose(run.temperature_c[-1], exact, atol=5e-3)


def test_time_convergence_order_of_crank_nicolson() -> None:
    z = np.linspace(0.0, 0.01, 41)
    source = 2e5 * np.exp(-z / 0.002)
    boundary = SurfaceBoundary(10.0, 25.0, "fixed")

    def final(dt: float, theta: float = 0.5) -> np.ndarray:
        run = solve_pennes_1d(
            z, source, _tissue(), boundary, t_end_s=64.0, dt_s=dt, initial_c=37.0, theta=theta
        )
        return run.temperature_c[-1]

    reference = final(1.0 / 64.0)
    # steps of 4 s and more leave the stiff modes of the switched-on source ringing (CN's
    # amplification → −1); the asymptotic order shows from 2 s down
    dts = [2.0, 1.0, 0.5, 0.25]
    errors = [np.max(np.abs(final(dt) - reference)) for dt in dts]
    assert np.polyfit(np.log(dts), np.log(errors), 1)[0] == pytest.approx(2.0, abs=0.15)
    euler_errors = [np.max(np.abs(final(dt, 1.0) - reference)) for dt in dts]
    assert np.polyfit(np.log(dts), np.log(euler_errors), 1)[0] == pytest.approx(1.0, abs=0.15)


@pytest.mark.parametrize("bottom", ["fixed", "insulated"])
def test_energy_balance_1d(bottom: str) -> None:
    """deposited (laser + metabolic) = stored + perfusion + surface + boundary, to 1e-9 relative."""
    z = np.linspace(0.0, 0.015, 61)
    source = 3e5 * np.exp(-z / 0.003)
    run = solve_pennes_1d(
        z,
        source,
        _tissue(),
        SurfaceBoundary(12.0, 25.0, bottom),
        300.0,
        1.0,
        initial_c=34.5,
        off_s=200.0,
    )
    scale = float(np.max(np.abs(run.deposited_j)))
    assert np.max(np.abs(run.balance_residual_j)) < 1e-9 * scale
    # independent check of the deposited laser energy: ∫Q dz × 200 s (+ metabolic × 300 s)
    free = slice(None) if bottom == "insulated" else slice(0, -1)
    weights = np.full(z.size, z[1] - z[0])
    weights[[0, -1]] /= 2
    expected = (
        float(np.sum((source * weights)[free])) * 200.0
        + float(np.sum((QMET * weights)[free])) * 300.0
    )
    assert run.deposited_j[-1] == pytest.approx(expected, rel=1e-12)
    # cooling after the laser is off
    assert run.temperature_c[-1, 0] < run.temperature_c[200, 0]


def test_axisymmetric_reduces_to_1d_for_a_uniform_source() -> None:
    z = np.linspace(0.0, 0.01, 41)
    r = np.linspace(0.0, 0.005, 11)
    source_z = 2e5 * np.exp(-z / 0.002)
    tissue = _tissue()
    boundary = SurfaceBoundary(10.0, 25.0, "insulated")
    one = solve_pennes_1d(z, source_z, tissue, boundary, 60.0, 1.0, initial_c=35.0)
    two = solve_pennes_axisymmetric(
        r,
        z,
        np.broadcast_to(source_z, (r.size, z.size)),
        tissue,
        boundary,
        60.0,
        1.0,
        initial_c=35.0,
    )
    for i in range(r.size):
        np.testing.assert_allclose(two.temperature_c[-1, i], one.temperature_c[-1], atol=1e-10)


def test_axisymmetric_radial_steady_state_with_perfusion() -> None:
    """Uniform source, insulated top and bottom, T(R) = T_a: θ = Q/(k m²)(1 − I₀(mr)/I₀(mR)).

    Checks the axis cell and the radial fluxes; the error falls at second order.
    """
    q, radius = 1e5, 0.004
    m = math.sqrt(OMEGA * RHOB_CB / K)
    tissue = _tissue(qmet=0.0)
    boundary = SurfaceBoundary(0.0, 25.0, bottom="insulated", outer="fixed")
    errors, steps = [], []
    for n in (8, 16, 32, 64):
        r = np.linspace(0.0, radius, n + 1)
        z = np.linspace(0.0, 0.001, 3)
        run = solve_pennes_axisymmetric(
            r, z, q, tissue, boundary, 2000.0, 20.0, initial_c=TA, theta=1.0
        )
        exact = TA + q / (K * m**2) * (1 - i0(m * r) / i0(m * radius))
        errors.append(np.max(np.abs(run.temperature_c[-1, :, 1] - exact)))
        steps.append(radius / n)
    assert np.polyfit(np.log(steps), np.log(errors), 1)[0] == pytest.approx(2.0, abs=0.15)
    assert errors[-1] < 1e-3


def test_axisymmetric_energy_balance_with_a_gaussian_spot() -> None:
    r = np.linspace(0.0, 0.01, 26)
    z = np.linspace(0.0, 0.01, 26)
    source = 5e5 * np.exp(-2 * r[:, None] ** 2 / 0.003**2) * np.exp(-z[None, :] / 0.002)
    run = solve_pennes_axisymmetric(
        r,
        z,
        source,
        _tissue(),
        SurfaceBoundary(10.0, 25.0, "fixed"),
        120.0,
        2.0,
        initial_c=35.0,
        save_every=10,
    )
    assert np.max(np.abs(run.balance_residual_j)) < 1e-9 * float(np.max(run.deposited_j))
    hottest = np.unravel_index(np.argmax(run.temperature_c[-1]), run.temperature_c[-1].shape)
    assert hottest[0] == 0  # on the beam axis


def test_bad_inputs_raise() -> None:
    z = np.linspace(0.0, 0.01, 11)
    with pytest.raises(ValueError, match="bottom must be"):
        solve_pennes_1d(z, 0.0, _tissue(), SurfaceBoundary(bottom="open"), 10.0, 1.0)
    with pytest.raises(ValueError, match="whole number of steps"):
        solve_pennes_1d(z, 0.0, _tissue(), SurfaceBoundary(), 10.0, 3.0)
    with pytest.raises(ValueError, match="uniform"):
        solve_pennes_1d(np.array([0.0, 0.001, 0.003]), 0.0, _tissue(), SurfaceBoundary(), 10.0, 1.0)
    with pytest.raises(ValueError, match="positive"):
        solve_pennes_1d(z, 0.0, TissueThermal(-1.0, C, K), SurfaceBoundary(), 10.0, 1.0)
