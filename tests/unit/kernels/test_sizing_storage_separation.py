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

# monodisperse fragments (gsd → 1), 4-nm membranes, water at 20 °C, 15 mm of liquid
SEP = SeparationParams(
    hypotonic_lysis_recovery=0.8,
    freeze_thaw_lysis_per_cycle=0.6,
    freeze_thaw_protein_retention_per_cycle=0.97,
    spin_handling_recovery=0.95,
    wash_recovery=0.95,
    vesicle_extrusion_recovery=0.85,
    protein_retention_without_inhibitor=0.7,
    fragment_gsd=1.0 + 1e-9,
    membrane_density_excess_g_per_ml=0.15,
    membrane_thickness_nm=4.0,
    buffer_viscosity_mpa_s=1.0,
    tube_liquid_height_mm=15.0,
    hypotonic_lysis_time_min=30.0,
    freeze_thaw_cycle_time_min=20.0,
    spin_handling_time_min=10.0,
    wash_time_min=10.0,
    vesicle_extrusion_time_min=15.0,
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


def test_stokes_settling_sets_the_pelleted_share() -> None:
    """A 200-nm shell vesicle: Δρ = 6·4 nm/200 nm · 150 kg/m³ = 18 kg/m³;
    v = d²Δρ a/(18η) at 10 000 ×g, η = 1 mPa·s: 3.92e-6 m/s → 2.35 mm of 15 in 10 min."""
    v = (200e-9) ** 2 * 18.0 * 10_000 * 9.80665 / (18 * 1e-3)
    expected = v * 600 * 1e3 / 15.0
    assert pelleted_share(Spin(10_000, 10.0, True), 200.0, SEP) == pytest.approx(expected)
    assert pelleted_share(Spin(100_000, 60.0, True), 200.0, SEP) == pytest.approx(1.0)


def test_whole_ghosts_need_high_g_although_they_are_large() -> None:
    """Settling velocity ∝ d (shell density excess 6t/d): an 8-µm ghost barely pellets at
    800 ×g in 5 min but fully at 20 000 ×g in 20 min."""
    assert pelleted_share(Spin(800, 5.0, True), 8000.0, SEP) < 0.5
    assert pelleted_share(Spin(20_000, 20.0, True), 8000.0, SEP) == pytest.approx(1.0)
