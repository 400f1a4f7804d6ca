"""Kernels of the nanoswimmers: Stokes drag, rod friction, acoustic energy, fouling."""

from __future__ import annotations

import math

import pytest

from nanocloak.kernels.swimmers import (
    acoustic_energy_density_j_per_m3,
    effective_diffusivity_m2_per_s,
    fouled_diameter_m,
    persistence_time_s,
    propulsion_force_n,
    rod_diffusion,
    rod_friction,
    sphere_friction_n_s_per_m,
    sphere_rotational_friction_n_m_s,
    swim_speed_m_per_s,
)


def test_swim_sphere_stokes_drag_closed_forms() -> None:
    assert sphere_friction_n_s_per_m(1e-6, 1e-3) == pytest.approx(6 * math.pi * 1e-9, rel=1e-12)
    assert sphere_rotational_friction_n_m_s(1e-6, 1e-3) == pytest.approx(
        8 * math.pi * 1e-21, rel=1e-12
    )


def test_swim_rod_friction_tends_to_slender_body_limits() -> None:
    # Slender-body theory: ζ⊥/ζ∥ → 2 and ζ∥ ln p / (2π η L) → 1 as p = L/d → ∞, with
    # corrections O(1/ln p) (end effects: ν⊥ - ν∥ → 1.046, ν∥ → -0.207).
    gaps = []
    for p in (1e3, 1e6, 1e12):
        f = rod_friction(1.0, 1.0 / p, 1e-3)
        log_p = math.log(p)
        ratio = f.perpendicular_n_s_per_m / f.parallel_n_s_per_m
        assert abs(ratio - 2.0) <= 2.0 * 1.05 / log_p
        assert f.parallel_n_s_per_m * log_p / (2 * math.pi * 1e-3) == pytest.approx(
            1.0, abs=0.25 / log_p
        )
        gaps.append(abs(ratio - 2.0))
    assert gaps[0] > gaps[1] > gaps[2]


def test_swim_rod_values_of_tirado_formulas() -> None:
    # p = 10: ν∥ = -0.207 + 0.098 - 0.00133, ν⊥ = 0.839 + 0.0185 + 0.00233,
    # δ⊥ = -0.662 + 0.0917 - 0.0005 (Tirado et al. 1984, doi:10.1063/1.447827).
    length, eta = 3e-6, 1e-3
    f = rod_friction(length, 3e-7, eta)
    lp = math.log(10.0)
    assert f.parallel_n_s_per_m == pytest.approx(2 * math.pi * eta * length / (lp - 0.11033))
    assert f.perpendicular_n_s_per_m == pytest.approx(4 * math.pi * eta * length / (lp + 0.85983))
    assert f.rotational_n_m_s == pytest.approx(math.pi * eta * length**3 / (3 * (lp - 0.5708)))
    d = rod_diffusion(f, 300.0)
    kt = 1.380649e-23 * 300.0
    assert d.parallel_m2_per_s == pytest.approx(kt / f.parallel_n_s_per_m)
    assert d.mean_m2_per_s == pytest.approx(
        (d.parallel_m2_per_s + 2 * d.perpendicular_m2_per_s) / 3
    )
    with pytest.raises(ValueError, match="not a rod"):
        rod_friction(1e-6, 1e-6, 1e-3)


def test_swim_energy_density_and_speed_scale_with_pressure_squared() -> None:
    e1 = acoustic_energy_density_j_per_m3(1e6, 1000.0, 1500.0)
    assert e1 == pytest.approx(1e12 / (4 * 1000.0 * 1500.0**2))
    e2 = acoustic_energy_density_j_per_m3(2e6, 1000.0, 1500.0)
    f1 = propulsion_force_n(e1, 20e-6, 10.0, 1e-8)
    f2 = propulsion_force_n(e2, 20e-6, 10.0, 1e-8)
    assert swim_speed_m_per_s(f2, 1e-8) / swim_speed_m_per_s(f1, 1e-8) == pytest.approx(4.0)
    # At the reference energy density the reference rod swims at the reference speed.
    assert swim_speed_m_per_s(propulsion_force_n(10.0, 20e-6, 10.0, 1e-8), 1e-8) == pytest.approx(
        20e-6
    )


def test_swim_fouling_thickens_the_rod() -> None:
    assert fouled_diameter_m(300e-9, 10e-9, 20e-9, 0.2, coated=False) == pytest.approx(340e-9)
    assert fouled_diameter_m(300e-9, 10e-9, 20e-9, 0.2, coated=True) == pytest.approx(328e-9)
    with pytest.raises(ValueError, match="fouling factor"):
        fouled_diameter_m(300e-9, 10e-9, 20e-9, 1.5, coated=True)


def test_swim_effective_diffusion_3d_and_2d() -> None:
    # 3-D: D_t + v²/(6 D_r); 2-D: D_t + v²/(2 D_r).
    assert effective_diffusivity_m2_per_s(1e-13, 1e-5, 0.5) == pytest.approx(1e-13 + 1e-10 / 3.0)
    assert effective_diffusivity_m2_per_s(1e-13, 1e-5, 0.5, 2) == pytest.approx(1e-13 + 1e-10)
    assert persistence_time_s(0.5) == pytest.approx(1.0)
