"""Survival endpoint interpolation, T/C, TGI, lung nodules and body weight."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.kernels.tumor.endpoints import survival_endpoint, tc_ratio_pct, tgi_pct
from nanocloak.kernels.tumor.metastasis import expected_lung_nodules, poisson_nodule_count
from nanocloak.kernels.tumor.toxicity import body_weight_pct, sensitivity_from_reference


def test_tumor_survival_endpoint_interpolates_and_censors() -> None:
    t = np.array([0.0, 3.0, 6.0, 9.0])
    v = np.array(
        [
            [100.0, 500.0, 1100.0, 2000.0],  # crosses 1000 between day 3 and 6
            [100.0, 200.0, 300.0, 400.0],  # never
            [1200.0, 1300.0, 1400.0, 1500.0],  # already above
        ]
    )
    time, event = survival_endpoint(t, v, 1000.0)
    np.testing.assert_allclose(time, [3.0 + 3.0 * 500.0 / 600.0, 9.0, 0.0])
    np.testing.assert_array_equal(event, [True, False, True])


def test_tumor_tc_and_tgi() -> None:
    control = np.array([[100.0, 300.0], [100.0, 500.0]])
    treated = np.array([[100.0, 200.0], [100.0, 200.0]])
    np.testing.assert_allclose(tc_ratio_pct(treated, control), [100.0, 50.0])
    assert tgi_pct(treated, control)[1] == pytest.approx(100.0 * (1.0 - 100.0 / 300.0))


def test_tumor_lung_nodules_integrate_the_seeding_rate() -> None:
    t = np.linspace(0.0, 20.0, 201)
    v = np.full((1, t.size), 125.0)
    n = expected_lung_nodules(t, v, 0.02, 2.0 / 3.0)
    # constant V: Lambda = m V^alpha t = 0.02 * 25 * t
    np.testing.assert_allclose(n[0], 0.5 * t, rtol=1e-9)
    delayed = expected_lung_nodules(t, v, 0.02, 2.0 / 3.0, detection_delay_day=5.0)
    np.testing.assert_allclose(delayed[0], 0.5 * np.maximum(t - 5.0, 0.0), atol=1e-9)
    counts = poisson_nodule_count(n[:, -1], np.random.default_rng(1))
    assert counts.shape == (1,)
    assert counts[0] >= 0


def test_tumor_body_weight_jumps_by_sensitivity_times_auc_then_recovers() -> None:
    t = np.linspace(0.0, 10.0, 10001)
    conc = 5.0 * np.exp(-2.0 * 24.0 * t)  # AUC = 5 / 2 ug h / mL
    s = sensitivity_from_reference(10.0, 2.5)
    bw = body_weight_pct(t, conc, s, 0.2)
    i = int(np.searchsorted(t, 1.0))
    # after the fast bolus the loss is ~10 % and decays with the recovery rate
    assert 100.0 - bw[0, i] == pytest.approx(10.0 * np.exp(-0.2 * 1.0), rel=2e-2)
    assert bw[0, 0] == 100.0
    assert bw[0, -1] > bw[0, i]
