"""Magnetic targeting: capture per pass and the tumor-permeability factor, and PBPK windows."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.pk.magnetic_targeting import (
    capture_fraction_per_pass,
    magnet_permeability_factor,
)
from nanocloak.workflows.simulate_pk import simulate_pk


def test_capture_fraction_is_drift_over_radius_capped_at_one() -> None:
    assert capture_fraction_per_pass(2e-6, 1.0, 5e-6) == pytest.approx(0.4)
    assert capture_fraction_per_pass(1e-4, 1.0, 5e-6) == 1.0
    assert capture_fraction_per_pass(0.0, 1.0, 5e-6) == 0.0
    with pytest.raises(ValueError, match="positive transit"):
        capture_fraction_per_pass(1e-6, 0.0, 5e-6)


def test_permeability_factor_adds_the_magnetic_clearance_to_pa() -> None:
    # PA_T = P Q; magnet adds p rho Q: factor (P + p rho) / P
    assert magnet_permeability_factor(0.5, 0.1, 1e-3) == pytest.approx((1e-3 + 0.05) / 1e-3)
    assert magnet_permeability_factor(0.0, 0.1, 1e-3) == 1.0


def test_a_window_conserves_mass_and_a_unit_window_changes_nothing() -> None:
    base = simulate_pk("mouse", 5.0, None, 48.0, solver="scipy")
    unit = simulate_pk(
        "mouse", 5.0, None, 48.0, solver="scipy", windows=[(2.0, 6.0, {"tumor.permeability": 1})]
    )
    # same equations, the time axis only cut at 2 h and 6 h: solver tolerance (rtol 1e-7)
    np.testing.assert_allclose(unit.amount_mg, base.amount_mg, rtol=1e-5, atol=1e-9)
    magnet = simulate_pk(
        "mouse", 5.0, None, 48.0, solver="scipy", windows=[(0.0, 1.0, {"tumor.permeability": 50})]
    )
    np.testing.assert_allclose(magnet.states_total_mg, magnet.dosed_mg, rtol=1e-9)
    tumor = base.outputs.index("tumor")
    assert magnet.amount_mg[0, -1, tumor] > base.amount_mg[0, -1, tumor]
