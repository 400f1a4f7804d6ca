"""Intratumoral drug from particles and after free-drug IV: mass balance and closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.tumor.free_drug import (
    FreeDrugPk,
    TumorDrugExchange,
    free_drug_tumor,
    plasma_free_drug_ug_per_ml,
    tumor_drug_from_particles,
)

EX = TumorDrugExchange(k_out_per_h=0.5, k_on_per_h=0.3, k_off_per_h=0.05)


def _particles(t: np.ndarray) -> np.ndarray:
    rise = 100.0 * (1.0 - np.exp(-t / 4.0)) * np.exp(-t / 60.0)
    return np.vstack([rise, 0.5 * rise])


def test_tumor_free_drug_mass_balance_from_particles() -> None:
    t = np.linspace(0.0, 96.0, 385)
    course = tumor_drug_from_particles(t, _particles(t), 0.2, 0.05, EX, releasable_fraction=0.8)
    present = course.in_particles_ug_per_g + course.free_ug_per_g + course.bound_ug_per_g
    gone = course.carried_out_ug_per_g + course.eliminated_ug_per_g
    np.testing.assert_allclose(present + gone, course.delivered_ug_per_g, rtol=1e-6, atol=1e-9)
    # released + retained = loaded: what left the particles equals what they released
    released = course.free_ug_per_g + course.bound_ug_per_g + course.eliminated_ug_per_g
    np.testing.assert_allclose(released, course.released_ug_per_g, rtol=1e-6, atol=1e-9)
    assert np.all(course.released_ug_per_g <= 0.8 * course.delivered_ug_per_g + 1e-9)


def test_tumor_free_drug_constant_particles_release_first_order() -> None:
    t = np.linspace(0.0, 48.0, 97)
    p = np.full((1, t.size), 50.0)
    course = tumor_drug_from_particles(t, p, 0.1, 0.2, TumorDrugExchange(0.0, 0.0, 0.0))
    np.testing.assert_allclose(course.in_particles_ug_per_g[0], 5.0 * np.exp(-0.2 * t), rtol=1e-6)
    np.testing.assert_allclose(
        course.free_ug_per_g[0], 5.0 * -np.expm1(-0.2 * t), rtol=1e-6, atol=1e-9
    )


def test_tumor_free_drug_plasma_superposes_doses() -> None:
    pk = FreeDrugPk(2.0, 3.0, 0.02, 0.03, 1.0, EX)
    t = np.array([0.0, 1.0, 25.0])
    c = plasma_free_drug_ug_per_ml(t, [0.0, 24.0], [5.0, 5.0], pk)
    one = 5.0 * (2.0 * np.exp(-3.0 * t) + 0.02 * np.exp(-0.03 * t))
    np.testing.assert_allclose(c[:2], one[:2])
    assert c[2] == pytest.approx(one[2] + one[1])
    assert pk.plasma_auc_ug_h_per_ml_per_mg_per_kg == pytest.approx(2.0 / 3.0 + 0.02 / 0.03)


def test_tumor_free_drug_without_binding_is_a_convolution() -> None:
    ex = TumorDrugExchange(0.4, 0.0, 0.0)
    pk = FreeDrugPk(1.0, 2.0, 0.0, 0.1, 3.0, ex)
    t = np.linspace(0.0, 12.0, 49)
    free, bound = free_drug_tumor(t, [0.0], [1.0], pk)
    # dF/dt = 3 e^{-2t} - 0.4 F  =>  F = 3/(2 - 0.4) (e^{-0.4 t} - e^{-2 t})
    np.testing.assert_allclose(
        free, 3.0 / 1.6 * (np.exp(-0.4 * t) - np.exp(-2.0 * t)), rtol=1e-5, atol=1e-8
    )
    np.testing.assert_allclose(bound, 0.0)


def test_tumor_free_drug_rejects_bad_input() -> None:
    t = np.linspace(0.0, 1.0, 3)
    with pytest.raises(ValueError, match="loading_fraction"):
        tumor_drug_from_particles(t, np.ones((1, 3)), 1.5, 0.1, EX)
    with pytest.raises(ValueError, match="non-negative"):
        TumorDrugExchange(-1.0, 0.0, 0.0)
