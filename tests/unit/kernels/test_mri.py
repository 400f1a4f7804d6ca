"""MRI relaxation: linear rates, spin-echo signal, darkening and the outer-sphere r2 estimate."""

import math

import numpy as np
import pytest

from nanocloak.kernels.magnetic import (
    gradient_echo_signal,
    iron_from_delta_r2_mm,
    outer_sphere_r2,
    percent_signal_drop,
    relaxation_rate_per_s,
    spin_echo_signal,
    volume_fraction_per_mm_iron,
)


def test_volume_fraction_per_mm_iron_for_magnetite() -> None:
    """Physics notes §7: f per mM Fe = 1.49e-5 for magnetite."""
    assert volume_fraction_per_mm_iron(5180.0, 231.533, 3.0) == pytest.approx(1.49e-5, rel=2e-3)


def test_outer_sphere_r2_series() -> None:
    """Physics notes §7 [M]: r2 ≈ 40/71/110/159/216 s⁻¹ mM⁻¹ for 6–14 nm cores, Δωτ_D 0.15→0.82.

    M_s 446 kA/m, D 3e-9 m²/s; tolerance 1 % (the notes round to integers).
    """
    f = volume_fraction_per_mm_iron(5180.0, 231.533, 3.0)
    expected = {6.0: 40.0, 8.0: 71.0, 10.0: 110.0, 12.0: 159.0, 14.0: 216.0}
    for diameter, r2 in expected.items():
        result = outer_sphere_r2(diameter, 446e3, 3e-9, f)
        assert result.r2_per_mm_s == pytest.approx(r2, rel=0.01)
        assert result.motional_averaging_valid
    assert outer_sphere_r2(6.0, 446e3, 3e-9, f).regime_parameter == pytest.approx(0.15, abs=0.005)
    assert outer_sphere_r2(14.0, 446e3, 3e-9, f).regime_parameter == pytest.approx(0.82, abs=0.005)
    assert not outer_sphere_r2(30.0, 446e3, 3e-9, f).motional_averaging_valid


def test_r2_scales_with_radius_squared_and_magnetization_squared() -> None:
    base = outer_sphere_r2(10.0, 446e3, 3e-9, 1.5e-5).r2_per_mm_s
    assert outer_sphere_r2(20.0, 446e3, 3e-9, 1.5e-5).r2_per_mm_s == pytest.approx(4 * base)
    assert outer_sphere_r2(10.0, 223e3, 3e-9, 1.5e-5).r2_per_mm_s == pytest.approx(base / 4)


def test_rates_signal_and_darkening() -> None:
    r2 = relaxation_rate_per_s(20.0, 65.0, np.array([0.0, 0.1]))
    np.testing.assert_allclose(r2, [20.0, 26.5])
    s = spin_echo_signal(1.0, 3.0, 0.05, 1.0, r2)
    np.testing.assert_allclose(s, (1 - math.exp(-3.0)) * np.exp(-0.05 * r2))
    drop = float(percent_signal_drop(s[0], s[1]))
    assert drop == pytest.approx(100 * (1 - math.exp(-0.05 * 6.5)))
    assert float(iron_from_delta_r2_mm(r2[1] - r2[0], 65.0)) == pytest.approx(0.1)
    assert float(gradient_echo_signal(1.0, 3.0, 0.0, 1.0, 100.0)) == pytest.approx(
        1 - math.exp(-3.0)
    )


def test_mri_input_checks() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        relaxation_rate_per_s(1.0, 1.0, -0.1)
    with pytest.raises(ValueError, match="TR"):
        spin_echo_signal(1.0, 0.0, 0.01, 1.0, 1.0)
    with pytest.raises(ValueError, match="pre-contrast"):
        percent_signal_drop(0.0, 1.0)
    with pytest.raises(ValueError, match="positive"):
        outer_sphere_r2(0.0, 446e3, 3e-9, 1.5e-5)
