"""Hypothesis invariants of the tumor kernels: monotone in dose, non-negative, conserving."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nanocloak.kernels.release.triggers import triggered_release
from nanocloak.kernels.tumor import kill
from nanocloak.kernels.tumor.growth import GrowthParams
from nanocloak.kernels.tumor.simulate import simulate_tumor

dose = st.floats(0.0, 20.0)


@given(dose, dose, st.floats(1.0, 2.0))
def test_tumor_lq_survival_falls_with_dose(d1: float, d2: float, eps: float) -> None:
    lo, hi = sorted((d1, d2))
    assert kill.radiation_surviving_fraction(
        hi, 0.3, 0.03, eps
    ) <= kill.radiation_surviving_fraction(lo, 0.3, 0.03, eps)
    assert kill.radiation_surviving_fraction(
        lo, 0.3, 0.03, eps
    ) <= kill.radiation_surviving_fraction(lo, 0.3, 0.03)


@given(dose, dose)
def test_tumor_chemo_and_pdt_monotone_in_dose(c1: float, c2: float) -> None:
    lo, hi = sorted((c1, c2))
    assert kill.chemo_kill_rate_per_day(hi, 1.0, 1.0) >= kill.chemo_kill_rate_per_day(lo, 1.0, 1.0)
    assert kill.pdt_surviving_fraction(hi, 0.6, 4.0) <= kill.pdt_surviving_fraction(lo, 0.6, 4.0)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.0, 2.0), st.floats(0.0, 2.0), st.floats(1.0, 500.0))
def test_tumor_more_kill_gives_smaller_viable_volume(k1: float, k2: float, v0: float) -> None:
    lo, hi = sorted((k1, k2))
    t = np.linspace(0.0, 10.0, 11)
    params = GrowthParams("gompertz", np.array([0.1]), np.array([3000.0]))
    a = simulate_tumor(
        t, np.array([v0]), np.zeros(1), params, kill_rate_per_day=np.full((1, 11), lo)
    )
    b = simulate_tumor(
        t, np.array([v0]), np.zeros(1), params, kill_rate_per_day=np.full((1, 11), hi)
    )
    assert np.all(b.viable_mm3 <= a.viable_mm3 * (1 + 1e-7) + 1e-9)
    assert np.all(a.viable_mm3 >= 0.0)
    assert np.all(a.dead_mm3 >= 0.0)


@given(st.lists(st.floats(0.0, 3.0), min_size=2, max_size=20), st.floats(0.0, 1.0))
def test_release_triggers_monotone_and_bounded(rates: list[float], fmax: float) -> None:
    t = np.arange(len(rates), dtype=float)
    f = triggered_release(t, np.array(rates), fmax=fmax)
    assert np.all(np.diff(f) >= -1e-12)
    assert np.all((f >= 0.0) & (f <= fmax + 1e-12))
