"""Unit tests of kernels/optics/spectra.py: limits and invariants of each mechanism."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nanocloak.kernels.optics import spectra


def test_depolarization_factors_of_sphere_and_sum_rule() -> None:
    assert spectra.spheroid_depolarization(1.0) == pytest.approx((1 / 3, 1 / 3), abs=1e-12)
    for ratio in (1.0 + 1e-7, 1.5, 3.0, 10.0):
        long_factor, trans = spectra.spheroid_depolarization(ratio)
        assert long_factor + 2.0 * trans == pytest.approx(1.0, abs=1e-12)
        assert long_factor <= 1 / 3 + 1e-9
    # longer rods depolarize less along their axis
    assert spectra.spheroid_depolarization(5.0)[0] < spectra.spheroid_depolarization(3.0)[0]
    with pytest.raises(ValueError, match="aspect ratio"):
        spectra.spheroid_depolarization(0.5)


def test_maxwell_garnett_limits() -> None:
    inc, host = complex(5.0, 0.6), complex(1.77, 0.0)
    assert spectra.maxwell_garnett(inc, host, 0.0) == pytest.approx(host)
    assert spectra.maxwell_garnett(inc, host, 1.0) == pytest.approx(inc)
    with pytest.raises(ValueError, match="volume fraction"):
        spectra.maxwell_garnett(inc, host, 1.5)


def test_nanocage_equivalent_sphere_keeps_outer_and_metal_volume() -> None:
    edge, wall = 50.0, 5.0
    r_in, r_out = spectra.nanocage_equivalent_radii(edge, wall)
    assert 4 / 3 * math.pi * r_out**3 == pytest.approx(edge**3)
    metal = edge**3 - (edge - 2 * wall) ** 3
    assert 4 / 3 * math.pi * (r_out**3 - r_in**3) == pytest.approx(metal)
    with pytest.raises(ValueError, match="wall"):
        spectra.nanocage_equivalent_radii(10.0, 6.0)


def test_nanocage_absorbs_in_the_nir() -> None:
    """A hollow gold sphere absorbs further to the red than a solid sphere of the same size."""
    gold = complex(0.16, 5.08)  # J&C near 820 nm, enough for the ordering
    cage = spectra.nanocage_cross_sections(808.0, 50.0, 4.0, gold)
    solid = spectra.sphere_cross_sections(808.0, 62.0, gold)
    assert cage.c_abs_nm2 > 5.0 * solid.c_abs_nm2
    assert cage.model == "hollow_sphere_equivalent_cage"


def test_size_correction_adds_damping_and_vanishes_for_large_particles() -> None:
    eps = complex(-25.0, 1.6)
    small = spectra.size_corrected_permittivity(eps, 808.0, 5.0, 9.03, 0.053, 1.4e6)
    large = spectra.size_corrected_permittivity(eps, 808.0, 1e9, 9.03, 0.053, 1.4e6)
    assert small.imag > eps.imag
    assert large == pytest.approx(eps, rel=1e-6)
    with pytest.raises(ValueError, match="effective length"):
        spectra.size_corrected_permittivity(eps, 808.0, 0.0, 9.03, 0.053, 1.4e6)


def test_drude_gallium_is_metallic_in_the_nir() -> None:
    eps = spectra.drude_permittivity(808.0, 14.7, 0.75)
    assert eps.real < -50.0
    assert eps.imag > 0.0


def test_tabulated_interpolation_never_extrapolates() -> None:
    wl, val = np.array([660.0, 808.0, 980.0]), np.array([1.0, 2.0, 4.0])
    assert spectra.interpolate_tabulated(734.0, wl, val) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="outside"):
        spectra.interpolate_tabulated(1064.0, wl, val)
    with pytest.raises(ValueError, match="outside"):
        spectra.interpolate_index(100.0, wl, val, val)


def test_peak_wavelength_refines_a_parabola() -> None:
    wl = np.arange(700.0, 900.0, 10.0)
    y = -((wl - 803.0) ** 2)
    assert spectra.peak_wavelength_nm(wl, y) == pytest.approx(803.0, abs=1e-9)
    assert spectra.peak_wavelength_nm(wl, y, refine=False) == pytest.approx(800.0)


def test_gans_rejects_oblate_input() -> None:
    with pytest.raises(ValueError, match="length >= width"):
        spectra.gans_cross_sections(808.0, 5.0, 10.0, complex(-25.0, 1.6))
