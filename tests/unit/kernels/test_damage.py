"""CEM43 and Arrhenius damage on constant and stepped temperature histories."""

import math

import numpy as np
import pytest

from nanocloak.kernels.thermal.damage import (
    GAS_CONSTANT_J_PER_MOL_K,
    arrhenius_damage,
    arrhenius_rate_per_s,
    cem43_min,
    surviving_fraction,
    time_to_damage_s,
)

LIVER = (7.39e39, 2.577e5)  # COMSOL bioheat database (physics notes §3)
SKIN = (3.1e98, 6.28e5)  # Henriques & Moritz as used in many codes


def test_cem43_definition_values() -> None:
    """Sapareto & Dewey 1984: 1 min at 44 °C = 2 CEM43, 1 min at 42 °C = 0.25, at 43 °C = 1."""
    t = np.array([0.0, 60.0])
    assert float(cem43_min(t, np.array([44.0, 44.0]))) == pytest.approx(2.0, rel=1e-14)
    assert float(cem43_min(t, np.array([42.0, 42.0]))) == pytest.approx(0.25, rel=1e-14)
    assert float(cem43_min(t, np.array([43.0, 43.0]))) == pytest.approx(1.0, rel=1e-14)
    assert float(cem43_min(t, np.array([37.0, 37.0]))) == pytest.approx(0.25**6, rel=1e-14)


def test_cem43_constant_history_is_exact_on_any_grid_and_on_maps() -> None:
    t = np.sort(np.random.default_rng(0).uniform(0, 600, 37))
    t = np.concatenate([[0.0], t, [600.0]])
    temps = np.tile(np.array([46.0, 40.0]), (t.size, 1))
    dose = cem43_min(t, temps)
    np.testing.assert_allclose(dose, [10.0 * 2**3, 10.0 * 0.25**3], rtol=1e-12)


def test_arrhenius_constant_temperature_is_exact() -> None:
    temperature = 55.0
    a, ea = LIVER
    rate = a * math.exp(-ea / (GAS_CONSTANT_J_PER_MOL_K * (temperature + 273.15)))
    t = np.linspace(0.0, 300.0, 7)
    omega = arrhenius_damage(t, np.full(t.size, temperature), a, ea)
    assert float(omega) == pytest.approx(rate * 300.0, rel=1e-12)
    t1 = time_to_damage_s(temperature, a, ea)
    omega1 = arrhenius_damage(np.array([0.0, t1]), np.full(2, temperature), a, ea)
    assert float(omega1) == pytest.approx(1.0, rel=1e-12)
    assert float(surviving_fraction(omega1)) == pytest.approx(math.exp(-1.0))


def test_arrhenius_huge_prefactor_does_not_overflow() -> None:
    a, ea = SKIN
    rate = float(arrhenius_rate_per_s(60.0, a, ea))
    assert rate == pytest.approx(
        math.exp(math.log(a) - ea / (GAS_CONSTANT_J_PER_MOL_K * 333.15)), rel=1e-12
    )
    assert np.isfinite(rate)


def test_cumulative_arrhenius_is_monotone_and_ends_at_total() -> None:
    t = np.linspace(0.0, 600.0, 61)
    temps = 37.0 + 20.0 * np.sin(np.pi * t / 600.0)
    cumulative = arrhenius_damage(t, temps, *LIVER, cumulative=True)
    assert np.all(np.diff(cumulative) >= 0.0)
    assert cumulative[-1] == pytest.approx(float(arrhenius_damage(t, temps, *LIVER)))


def test_cem43_and_arrhenius_agree_near_43c_when_ea_matches_r_half() -> None:
    """R = 0.5 ⇔ E_a = ln 2 · R_g T² (physics notes §3): dose ratios 44 °C/45 °C agree to 1 %."""
    temperature_k = 316.15
    ea = math.log(2.0) * GAS_CONSTANT_J_PER_MOL_K * temperature_k * (temperature_k + 1.0)
    ratio = float(arrhenius_rate_per_s(45.0, 1.0, ea) / arrhenius_rate_per_s(44.0, 1.0, ea))
    cem_ratio = float(
        cem43_min(np.array([0, 60.0]), np.full(2, 45.0))
        / cem43_min(np.array([0, 60.0]), np.full(2, 44.0))
    )
    assert ratio == pytest.approx(cem_ratio, rel=0.01)


def test_damage_input_checks() -> None:
    with pytest.raises(ValueError, match="axis 0"):
        cem43_min(np.array([0.0, 1.0, 2.0]), np.array([40.0, 41.0]))
    with pytest.raises(ValueError, match="non-decreasing"):
        arrhenius_damage(np.array([1.0, 0.0]), np.array([40.0, 41.0]), *LIVER)
    with pytest.raises(ValueError, match="absolute zero"):
        arrhenius_rate_per_s(-300.0, *LIVER)
