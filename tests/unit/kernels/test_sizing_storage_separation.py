"""DLS moments, zeta mean field, pairing, storage decay and separation yield."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.manufacture.separation import SeparationParams, separate_vesicles
from nanocloak.kernels.manufacture.sizing import PAIR_DIAMETER_FACTOR, dls_moments, size_and_charge
from nanocloak.kernels.manufacture.storage import store_cold

SEP = SeparationParams(0.8, 0.6, 0.97, 0.85, 0.9, 0.85, 0.7, 30.0, 20.0, 10.0, 30.0, 15.0)


def test_monodisperse_sample_has_zero_pdi() -> None:
    z, pdi = dls_moments(np.full(100, 150.0))
    assert z == pytest.approx(150.0)
    assert pdi == pytest.approx(0.0, abs=1e-15)


def test_two_sizes_follow_intensity_weighting() -> None:
    """Equal numbers of 100 and 200 nm: intensity weights 1:64."""
    d = np.array([100.0, 200.0])
    w = d**6
    z, pdi = dls_moments(d)
    assert z == pytest.approx(w.sum() / (w / d).sum())
    mean = (w * d).sum() / w.sum()
    assert pdi == pytest.approx(((w * (d - mean) ** 2).sum() / w.sum()) / mean**2)


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
    bare = store_cold(days, 0.9, 14.0, np.zeros(50), np.full(50, 160.0), 0.5, none)
    assert bare.paired_share[1] == pytest.approx(1 - np.exp(-7.0))
    assert np.all(np.diff(bare.mean_diameter_nm) > 0)


def test_separation_yield_is_the_product_of_step_recoveries() -> None:
    out = separate_vesicles(0, (5.0, 20.0), 2, True, SEP)
    assert out.membrane_recovery == pytest.approx(0.8 * 0.85**2 * 0.9**2 * 0.85)
    assert out.protein_retention == 1.0
    assert out.time_min == pytest.approx(30 + 15 + 30 + 2 * 30 + 15)


def test_freeze_thaw_cycles_trade_yield_against_protein() -> None:
    one, three = (separate_vesicles(n, (10.0,), 0, True, SEP) for n in (1, 3))
    assert three.membrane_recovery > one.membrane_recovery
    assert three.protein_retention == pytest.approx(0.97**3)
    unprotected = separate_vesicles(1, (10.0,), 0, False, SEP)
    assert unprotected.protein_retention == pytest.approx(0.97 * 0.7)
