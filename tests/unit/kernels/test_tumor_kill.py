"""Kill terms: closed forms (LQ, Emax, Monod), limits and the named modality models."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.thermal.damage import arrhenius_damage
from nanocloak.kernels.tumor import kill


def test_tumor_lq_closed_form_with_and_without_gold() -> None:
    s = kill.radiation_surviving_fraction(2.0, 0.3, 0.03)
    assert float(s) == pytest.approx(np.exp(-0.3 * 2.0 - 0.03 * 4.0), rel=1e-14)
    eps = float(kill.gold_dose_enhancement(7.0, 0.05))
    assert eps == pytest.approx(1.35)
    s_gold = kill.radiation_surviving_fraction(2.0, 0.3, 0.03, eps)
    assert float(s_gold) == pytest.approx(np.exp(-0.3 * 2.7 - 0.03 * 2.7**2), rel=1e-14)


def test_tumor_emax_limits() -> None:
    rate = kill.chemo_kill_rate_per_day(np.array([0.0, 1.0, 1e9]), 2.0, 1.0, hill=2.0)
    np.testing.assert_allclose(rate, [0.0, 1.0, 2.0], rtol=1e-9)
    with pytest.raises(ValueError, match="non-negative"):
        kill.chemo_kill_rate_per_day(-1.0, 1.0, 1.0)


def test_tumor_thermal_surviving_fraction_wraps_arrhenius() -> None:
    t = np.linspace(0.0, 300.0, 31)
    temp = np.column_stack([np.full(31, 37.0), np.full(31, 56.0)])
    s = kill.thermal_surviving_fraction(t, temp)
    omega = arrhenius_damage(
        t, temp, kill.TUMOR_FREQUENCY_FACTOR_PER_S, kill.TUMOR_ACTIVATION_J_PER_MOL
    )
    np.testing.assert_allclose(s, np.exp(-omega))
    assert s[0] > 0.9999
    assert s[1] < 0.01


def test_tumor_pdt_threshold_is_the_midpoint() -> None:
    s = kill.pdt_surviving_fraction(np.array([0.0, 0.6, 6.0]), 0.6, 4.0)
    np.testing.assert_allclose(s, [1.0, 0.5, 1.0 / (1.0 + 1e4)])


def test_tumor_starvation_monod_is_one_without_deprivation() -> None:
    m = kill.starvation_growth_multiplier(np.array([1.0, 0.1, 0.0]), 0.1)
    np.testing.assert_allclose(m, [1.0, 0.55, 0.0])


def test_tumor_sirna_knockdown_pulses_and_stacks() -> None:
    t = np.linspace(0.0, 20.0, 201)
    one = kill.sirna_knockdown(t, [0.0], 0.8, 1.0, 0.3)
    four = kill.sirna_knockdown(t, [0.0, 3.0, 6.0, 9.0], 0.8, 1.0, 0.3)
    tau_peak = np.log(1.3 / 0.3) / 1.0  # argmax of (1 - e^{-t}) e^{-0.3 t}
    assert t[np.argmax(one)] == pytest.approx(tau_peak, abs=0.1)
    assert np.all(four >= one - 1e-12)
    assert four.max() <= 0.8
    m = kill.knockdown_growth_multiplier(four, 0.5)
    assert np.all((m >= 0.6) & (m <= 1.0))


def test_tumor_vaccine_adjuvant_and_boost_raise_the_kill() -> None:
    t = np.linspace(0.0, 30.0, 301)
    base = dict(
        max_kill_per_day=0.5,
        antigen_half_saturation=50.0,
        adjuvant_fold=4.0,
        expansion_per_day=1.0,
        contraction_per_day=0.15,
        delay_day=3.0,
        memory_boost=2.0,
    )
    alone = kill.vaccine_kill_rate_per_day(t, [0.0], 50.0, 0.0, **base)
    cpg = kill.vaccine_kill_rate_per_day(t, [0.0], 50.0, 1.0, **base)
    assert np.all(alone[t <= 3.0] == 0.0)
    assert np.all(cpg >= alone)
    assert cpg.max() > alone.max()
    # one priming, no adjuvant, peak stimulus 0.5 -> peak kill 0.5 * 0.5 / 1.5
    assert alone.max() == pytest.approx(0.5 * 0.5 / 1.5, rel=1e-3)
    two = kill.vaccine_kill_rate_per_day(t, [0.0, 7.0], 50.0, 0.0, **base)
    assert np.all(two >= alone - 1e-12)
    with pytest.raises(ValueError, match="distinct"):
        kill.vaccine_kill_rate_per_day(t, [0.0], 50.0, 0.0, **{**base, "contraction_per_day": 1.0})
