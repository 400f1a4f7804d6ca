"""Skin-burn check: thermal dose and Arrhenius damage of skin histories (constant temperatures)."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.thermal.damage import time_to_damage_s
from nanocloak.kernels.thermal.skin import SkinThresholds, skin_burn_check

# Henriques skin pair (tissue_properties.yaml skin_henriques); thresholds of treatment.yaml
A, EA = 3.1e98, 6.28e5
LIMITS = SkinThresholds(
    omega_burn=0.53,
    cem43_necrosis_min=240.0,
    cem43_limit_min=9.0,
    injury_onset_c=44.0,
    frequency_factor_per_s=A,
    activation_j_per_mol=EA,
)


def _constant(
    temperature_c: float, duration_s: float, n: int = 61
) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0.0, duration_s, n)
    return t, np.full(n, temperature_c)


def test_skin_at_body_temperature_is_safe() -> None:
    t, temp = _constant(37.0, 600.0)
    check = skin_burn_check(t, temp, LIMITS)
    assert not check.burn
    assert not check.over_limit
    assert check.reasons == ()
    # CEM43 definition: 10 min x 0.25^(43-37)
    assert check.cem43_min == pytest.approx(10.0 * 0.25**6, rel=1e-12)


def test_skin_dose_above_safety_limit_warns_without_burn() -> None:
    # 10 min at 44 degC = 20 CEM43 (> 9, the van Rhoon limit) but Henriques Omega << 0.53
    t, temp = _constant(44.0, 600.0)
    check = skin_burn_check(t, temp, LIMITS)
    assert check.cem43_min == pytest.approx(20.0, rel=1e-12)
    assert check.over_limit
    assert not check.burn
    assert any("safety limit" in r for r in check.reasons)


def test_skin_burns_once_henriques_damage_reaches_first_degree() -> None:
    t_burn = time_to_damage_s(55.0, A, EA, omega=0.53)
    t, temp = _constant(55.0, 1.2 * t_burn)
    assert skin_burn_check(t, temp, LIMITS).burn
    t, temp = _constant(55.0, 0.8 * t_burn)
    check = skin_burn_check(t, temp, LIMITS)
    assert check.omega == pytest.approx(0.8 * 0.53, rel=1e-9)
    assert not check.burn or check.cem43_min >= LIMITS.cem43_necrosis_min


def test_skin_check_takes_the_worst_node() -> None:
    t = np.linspace(0.0, 300.0, 31)
    temp = np.stack([np.full(t.size, 37.0), np.full(t.size, 60.0)], axis=1)
    check = skin_burn_check(t, temp, LIMITS)
    assert check.peak_c == 60.0
    assert check.burn


def test_skin_check_rejects_an_empty_region() -> None:
    with pytest.raises(ValueError, match="shape"):
        skin_burn_check(np.array([0.0, 1.0]), np.zeros((2, 0)), LIMITS)
