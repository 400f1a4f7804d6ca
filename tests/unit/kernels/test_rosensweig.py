"""Rosensweig linear-response heating: the physics notes' numbers and the relaxation limits."""

import math

import numpy as np
import pytest

from nanocloak.kernels.magnetic import (
    BREZOVICH_LIMIT_A_PER_M_S,
    HERGT_DUTZ_LIMIT_A_PER_M_S,
    MagneticParticle,
    brown_time_s,
    effective_time_s,
    loss_factor,
    neel_time_s,
    power_per_magnetic_volume_w_per_m3,
    specific_absorption_rate,
    within_field_limit,
)

MAGNETITE = MagneticParticle(
    magnetization_a_per_m=446e3,
    anisotropy_j_per_m3=23e3,
    density_kg_per_m3=5180.0,
    shell_nm=2.0,
    attempt_time_s=1e-9,
    viscosity_pa_s=1e-3,
)


def test_physics_notes_ilp_values() -> None:
    """Physics notes §6.1 [M]: 300 kHz, 15 kA/m, 37 °C, δ = 2 nm, monodisperse magnetite.

    ILP ≈ 0.12 (10 nm), ≈ 7 (14 nm, τ_N ≈ 0.7 µs, τ_B ≈ 2.1 µs), ≈ 2.5 (18 nm) nH m² kg⁻¹.
    Reproduced with M_d 446 kA/m, K 23 kJ/m³, τ₀ 1 ns, η 1.0 mPa s, ρ 5180 kg/m³ and the chord
    susceptibility; tolerance 5 % (the notes round to two significant figures).
    """
    ilp = {
        d: specific_absorption_rate(d, MAGNETITE, 15e3, 300e3).ilp_nh_m2_per_kg
        for d in (10.0, 14.0, 18.0)
    }
    assert ilp[10.0] == pytest.approx(0.12, rel=0.05)
    assert ilp[14.0] == pytest.approx(7.0, rel=0.06)
    assert ilp[18.0] == pytest.approx(2.5, rel=0.05)
    result = specific_absorption_rate(14.0, MAGNETITE, 15e3, 300e3)
    assert result.neel_s == pytest.approx(0.7e-6, rel=0.05)
    assert result.brown_s == pytest.approx(2.1e-6, rel=0.05)
    assert result.xi_max == pytest.approx(2.8, rel=0.02)
    assert not result.linear_response_valid


def test_slp_peaks_near_14_nm() -> None:
    sizes = np.arange(8.0, 22.01, 0.25)
    sar = [specific_absorption_rate(d, MAGNETITE, 15e3, 300e3).sar_w_per_kg for d in sizes]
    assert 13.5 <= sizes[int(np.argmax(sar))] <= 14.5


def test_size_dispersion_lowers_the_peak_and_converges_to_monodisperse() -> None:
    mono = specific_absorption_rate(14.0, MAGNETITE, 15e3, 300e3).sar_w_per_kg
    narrow = specific_absorption_rate(14.0, MAGNETITE, 15e3, 300e3, sigma_ln=1e-4).sar_w_per_kg
    broad = specific_absorption_rate(14.0, MAGNETITE, 15e3, 300e3, sigma_ln=0.25).sar_w_per_kg
    assert narrow == pytest.approx(mono, rel=1e-4)
    assert broad < 0.6 * mono


def test_lognormal_quadrature_matches_direct_integration() -> None:
    from scipy.integrate import quad

    median, sigma = 12.0, 0.2

    def weight(d: float) -> float:
        return math.exp(-((math.log(d / median)) ** 2) / (2 * sigma**2)) / d

    def num(d: float) -> float:
        return (
            float(power_per_magnetic_volume_w_per_m3(d, MAGNETITE, 5e3, 300e3, 310.15))
            * d**3
            * weight(d)
        )

    expected = quad(num, 2.0, 60.0, limit=200)[0] / (
        5180.0 * quad(lambda d: d**3 * weight(d), 2.0, 60.0)[0]
    )
    result = specific_absorption_rate(median, MAGNETITE, 5e3, 300e3, sigma_ln=sigma).sar_w_per_kg
    assert result == pytest.approx(expected, rel=1e-4)


def test_relaxation_limits() -> None:
    """ωτ ≪ 1: P → 2π²μ₀χ₀H²f²τ (∝ f²); ωτ ≫ 1: P → μ₀χ₀H²/(2τ), independent of f."""
    assert float(loss_factor(1.0, 1e-6)) == pytest.approx(2 * math.pi * 1e-6, rel=1e-9)
    assert float(loss_factor(1e12, 1e-6)) == pytest.approx(1.0 / (2 * math.pi * 1e6), rel=1e-9)
    assert float(loss_factor(1.0 / (2 * math.pi * 1e-6), 1e-6)) == pytest.approx(0.5)
    # power scales as f² at low frequency and saturates at high frequency
    low = [
        float(power_per_magnetic_volume_w_per_m3(14.0, MAGNETITE, 1e3, f, 310.15))
        for f in (10.0, 20.0)
    ]
    assert low[1] / low[0] == pytest.approx(4.0, rel=1e-4)
    high = [
        float(power_per_magnetic_volume_w_per_m3(14.0, MAGNETITE, 1e3, f, 310.15))
        for f in (1e11, 2e11)
    ]
    assert high[1] / high[0] == pytest.approx(1.0, rel=1e-4)


def test_relaxation_times() -> None:
    kt = 1.380649e-23 * 300.0
    v_h = math.pi / 6 * (20e-9) ** 3
    assert float(brown_time_s(20.0, 1e-3, 300.0)) == pytest.approx(3e-3 * v_h / kt)
    assert float(effective_time_s(1e-6, 1e-6)) == pytest.approx(0.5e-6)
    assert float(neel_time_s(30.0, 23e3, 310.15)) > 1e3  # blocked large cores: Brown dominates
    assert float(effective_time_s(np.inf, 2e-6)) == pytest.approx(2e-6)


def test_linear_response_is_flagged_valid_at_small_field() -> None:
    result = specific_absorption_rate(10.0, MAGNETITE, 5e3, 300e3)
    assert result.xi_max < 1.0
    assert result.linear_response_valid


def test_field_limits() -> None:
    assert not within_field_limit(15e3, 300e3)
    assert within_field_limit(15e3, 300e3, HERGT_DUTZ_LIMIT_A_PER_M_S)  # 4.5e9 ≤ 5e9
    assert within_field_limit(1.6e3, 300e3, BREZOVICH_LIMIT_A_PER_M_S)


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="positive"):
        specific_absorption_rate(-1.0, MAGNETITE, 15e3, 300e3)
    with pytest.raises(ValueError, match="sigma_ln"):
        specific_absorption_rate(10.0, MAGNETITE, 15e3, 300e3, sigma_ln=-0.1)
    with pytest.raises(ValueError, match="field and frequency"):
        specific_absorption_rate(10.0, MAGNETITE, 0.0, 300e3)
