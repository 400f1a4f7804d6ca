"""DLS moments, zeta mean field, pairing, storage decay and separation yield."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nanocloak.kernels.manufacture.separation import (
    SeparationParams,
    Spin,
    pelleted_share,
    separate_vesicles,
)
from nanocloak.kernels.manufacture.sizing import PAIR_DIAMETER_FACTOR, dls_moments, size_and_charge
from nanocloak.kernels.manufacture.storage import store_cold

# monodisperse 10-µm ghosts that always pellet at high g (any spin ≥ 1000 ×g for ≥ 1 min)
SEP = SeparationParams(
    0.8,
    0.6,
    0.97,
    0.95,
    0.95,
    0.85,
    0.7,
    1.0 + 1e-9,
    0.15,
    4.0,
    1.0,
    15.0,
    30.0,
    20.0,
    10.0,
    10.0,
    15.0,
)
PELLET = Spin(20_000.0, 20.0, True)


def test_monodisperse_sample_has_zero_pdi() -> None:
    z, pdi = dls_moments(np.full(100, 150.0))
    assert z == pytest.approx(150.0)
    assert pdi == pytest.approx(0.0, abs=1e-15)


def test_two_sizes_follow_the_cumulant_definition() -> None:
    """Equal numbers of 100 and 200 nm: intensity weights 1:64, decay rates ∝ 1/d."""
    d = np.array([100.0, 200.0])
    w = d**6
    rate = (w / d).sum() / w.sum()
    z, pdi = dls_moments(d)
    assert z == pytest.approx(1.0 / rate)
    assert pdi == pytest.approx((w * (1 / d - rate) ** 2).sum() / w.sum() / rate**2)


def test_pdi_of_a_narrow_lognormal_is_about_its_log_variance() -> None:
    """For small σ, the cumulant PDI ≈ σ² of ln d (exp(σ²) − 1); checked at σ = 0.1."""
    rng = np.random.default_rng(0)
    d = 100.0 * np.exp(0.1 * rng.standard_normal(200_000))
    _, pdi = dls_moments(d)
    assert pdi == pytest.approx(math.expm1(0.01), rel=0.05)


def test_fully_coated_particles_carry_the_membrane_zeta_and_never_pair() -> None:
    rng = np.random.default_rng(0)
    out = size_and_charge(
        np.full(1000, 150.0), np.ones(1000), 7.5, 0.5, 1.0, -20.0, 30.0, np.inf, rng
    )
    assert out.zeta_mean_mv == pytest.approx(-20.0)
    assert out.paired_share == 0.0
    assert out.number_mean_nm == pytest.approx(165.0)


def test_bare_particles_pair_unless_the_pore_breaks_pairs() -> None:
    rng = np.random.default_rng(0)
    free = size_and_charge(
        np.full(1000, 150.0), np.zeros(1000), 7.5, 0.5, 1.0, -20.0, 30.0, np.inf, rng
    )
    assert free.paired_share == pytest.approx(1.0)
    assert free.number_mean_nm == pytest.approx(PAIR_DIAMETER_FACTOR * 150.0)
    assert free.zeta_mean_mv == pytest.approx(30.0)
    pored = size_and_charge(
        np.full(1000, 150.0), np.zeros(1000), 7.5, 0.5, 1.0, -20.0, 30.0, 160.0, rng
    )
    assert pored.paired_share == 0.0


def test_storage_half_life_and_coated_particles_stay_single() -> None:
    days = np.array([0.0, 14.0, 28.0])
    none = np.zeros(50, dtype=bool)
    out = store_cold(days, 0.9, 14.0, np.ones(50), np.full(50, 160.0), 0.5, none)
    assert out.protein_function == pytest.approx([0.9, 0.45, 0.225])
    assert out.paired_share == pytest.approx([0.0, 0.0, 0.0])
    already = store_cold(days, 0.9, 14.0, np.ones(50), np.full(50, 160.0), 0.5, ~none)
    assert already.paired_share == pytest.approx([1.0, 1.0, 1.0])
    # all in pairs: half as many objects, each 2^(1/3) times the single size
    assert already.mean_diameter_nm == pytest.approx([160.0 * 2 ** (1 / 3)] * 3)
    bare = store_cold(days, 0.9, 14.0, np.zeros(50), np.full(50, 160.0), 0.5, none)
    assert bare.paired_share[1] == pytest.approx(1 - np.exp(-7.0))
    assert np.all(np.diff(bare.mean_diameter_nm) > 0)


def test_separation_yield_is_the_product_of_step_recoveries() -> None:
    out = separate_vesicles(0, (PELLET,), 2, True, 10_000.0, SEP)
    assert out.membrane_recovery == pytest.approx(0.8 * 0.95 * 0.95**2 * 0.85)
    assert out.protein_retention == 1.0
    assert out.time_min == pytest.approx(30 + (20 + 10) + 2 * (10 + 20) + 15)


def test_keeping_the_supernatant_keeps_what_did_not_pellet() -> None:
    spin = Spin(3_000.0, 5.0, False)
    kept = separate_vesicles(0, (spin, PELLET), 0, True, 150.0, SEP)
    alone = separate_vesicles(0, (PELLET,), 0, True, 150.0, SEP)
    lost = pelleted_share(spin, 150.0, SEP)
    assert 0 < lost < 1
    assert kept.membrane_recovery == pytest.approx(alone.membrane_recovery * 0.95 * (1 - lost))


def test_freeze_thaw_cycles_trade_yield_against_protein() -> None:
    one, three = (separate_vesicles(n, (PELLET,), 0, True, 10_000.0, SEP) for n in (1, 3))
    assert three.membrane_recovery > one.membrane_recovery
    assert three.protein_retention == pytest.approx(0.97**3)
    unprotected = separate_vesicles(1, (PELLET,), 0, False, 10_000.0, SEP)
    assert unprotected.protein_retention == pytest.approx(0.97 * 0.7)
