"""Uniform magnetic-hyperthermia source on the axisymmetric grid."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nanocloak.kernels.thermal.mht import (
    grid_axis_mm,
    magnetic_power_density_w_per_m3,
    sphere_steady_rise_k,
    uniform_sphere_source,
)


def test_mht_source_deposits_density_times_sphere_volume() -> None:
    src = uniform_sphere_source(3.0, 5.0, 1e5, 10.0, 12.0, 0.25, n_sub=4)
    sphere_m3 = 4.0 / 3.0 * math.pi * (3e-3) ** 3
    # sub-grid staircase of a 3-mm sphere with 0.0625-mm sub-cells: within 1 %
    assert src.power_w == pytest.approx(1e5 * sphere_m3, rel=1e-2)
    # the cell-averaged field integrates to the same power exactly
    assert float(np.sum(src.source_w_per_m3 * src.node_volume_m3)) == pytest.approx(src.power_w)
    assert np.all((src.inside_fraction >= 0.0) & (src.inside_fraction <= 1.0))
    assert src.tumor_mask[0, round(5.0 / 0.25)]
    assert not src.tumor_mask[-1, 0]


def test_mht_control_volumes_tile_the_cylinder() -> None:
    src = uniform_sphere_source(2.0, 4.0, 0.0, 8.0, 10.0, 0.5)
    assert float(np.sum(src.node_volume_m3)) == pytest.approx(math.pi * 8e-3**2 * 10e-3)
    assert np.all(src.source_w_per_m3 == 0.0)


def test_mht_power_density_is_sar_times_concentration() -> None:
    # mg/mL = kg/m^3: 100 W/g at 2 mg/mL is 2e5 W/m^3
    assert magnetic_power_density_w_per_m3(1e5, 2.0) == pytest.approx(2e5)
    with pytest.raises(ValueError, match="non-negative"):
        magnetic_power_density_w_per_m3(-1.0, 1.0)


def test_mht_source_rejects_a_sphere_above_the_skin() -> None:
    with pytest.raises(ValueError, match="below the skin"):
        uniform_sphere_source(3.0, 2.0, 1.0, 10.0, 10.0, 0.5)
    with pytest.raises(ValueError, match="whole number"):
        grid_axis_mm(10.0, 0.3)


def test_mht_sphere_solution_is_continuous_and_tends_to_the_unperfused_limit() -> None:
    r_big, q, k = 2e-3, 1e5, 0.5
    for w in (0.0, 3e4):
        inside = sphere_steady_rise_k(r_big * (1 - 1e-9), r_big, q, k, w)
        outside = sphere_steady_rise_k(r_big * (1 + 1e-9), r_big, q, k, w)
        assert float(inside) == pytest.approx(float(outside), rel=1e-6)
    r = np.linspace(0.0, 5e-3, 11)
    weak = sphere_steady_rise_k(r, r_big, q, k, 1e-3)
    none = sphere_steady_rise_k(r, r_big, q, k, 0.0)
    # the leading correction is a uniform offset of order Q R^3 m / k: 1e-4 of the peak here
    np.testing.assert_allclose(weak, none, atol=1e-3 * float(none[0]))
    assert float(none[0]) == pytest.approx(q * r_big**2 / (2 * k))
