"""Unit tests of kernels/imaging: fluorescence, MRI maps, thermal camera (analytic cases)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from nanocloak.kernels.imaging import fluorescence as fl
from nanocloak.kernels.imaging.mri_map import iron_mm_from_core_ug_per_g, t2_weighted_map
from nanocloak.kernels.imaging.thermal_camera import apparent_temperature_c, thermal_image
from nanocloak.kernels.optics.diffusion import delta_p1_medium

EX = delta_p1_medium(0.03, 1.0)
EM = delta_p1_medium(0.025, 0.95)


def test_zero_concentration_gives_no_signal_and_unit_contrast() -> None:
    s = fl.fluorescence_signal(EX, EM, 0.0, 0.1, 2.0, 3.0, autofluorescence_yield=1e-3)
    assert s.signal == 0.0
    assert s.background > 0.0
    assert s.signal_to_background == 1.0


def test_signal_is_linear_in_dye_and_falls_with_depth() -> None:
    mu = fl.dye_absorption_per_mm(1.0, 2e5)
    one = fl.fluorescence_signal(EX, EM, mu, 0.1, 2.0, 3.0).signal
    two = fl.fluorescence_signal(EX, EM, 2 * mu, 0.1, 2.0, 3.0).signal
    deep = fl.fluorescence_signal(EX, EM, mu, 0.1, 6.0, 3.0).signal
    assert two == pytest.approx(2 * one, rel=1e-12)
    assert deep < one


def test_dye_absorption_is_ln10_eps_c() -> None:
    # 1 uM of eps = 1e5 /M/cm: decadic 0.1 /cm -> natural 0.2303 /cm = 0.02303 /mm
    assert fl.dye_absorption_per_mm(1.0, 1e5) == pytest.approx(np.log(10) * 0.01, rel=1e-12)
    with pytest.raises(ValueError, match="non-negative"):
        fl.dye_absorption_per_mm(-1.0, 1e5)


@pytest.mark.parametrize("mu_z", [0.0, 0.3, 1.0, 4.0])
def test_ballistic_escape_is_beer_lambert_over_the_hemisphere(mu_z: float) -> None:
    """½ E₂(μz) equals ½ ∫₀¹ exp(−μz/u) du, the Beer–Lambert law averaged over directions."""
    direct = 0.5 * quad(lambda u: np.exp(-mu_z / u) if u > 0 else 0.0, 0.0, 1.0)[0]
    assert float(fl.ballistic_escape_fraction(1.0, mu_z)) == pytest.approx(direct, rel=1e-8)


def test_diffusion_escape_limits() -> None:
    """Non-absorbing half-space: every photon leaves (escape → 1); deep sources decay at μ_eff."""
    clear = delta_p1_medium(1e-16, 1.0)
    assert float(fl.diffusion_escape_fraction(clear, 5.0)) == pytest.approx(1.0, abs=1e-5)
    e1, e2 = fl.diffusion_escape_fraction(EM, np.array([10.0, 11.0]))
    assert np.log(e1 / e2) == pytest.approx(EM.mueff_per_mm, rel=1e-9)


def test_upconversion_yield_quadratic_then_saturated() -> None:
    low = fl.upconversion_yield(1e-3, 0.006, 30.0)
    assert float(low) == pytest.approx(0.006 * 1e-3 / 30.0, rel=1e-3)
    assert float(fl.upconversion_yield(1e6, 0.006, 30.0)) == pytest.approx(0.006, rel=1e-4)
    with pytest.raises(ValueError, match="critical"):
        fl.upconversion_yield(1.0, 0.006, 0.0)


def test_ucnp_signal_grows_faster_than_irradiance() -> None:
    mu = 1e-3
    kw = {"critical_w_per_cm2": 30.0}
    a = fl.fluorescence_signal(EX, EM, mu, 0.006, 2.0, 3.0, irradiance_w_per_cm2=0.1, **kw)
    b = fl.fluorescence_signal(EX, EM, mu, 0.006, 2.0, 3.0, irradiance_w_per_cm2=0.2, **kw)
    # signal per unit irradiance doubles in the linear-yield regime (emission ∝ P²)
    assert b.signal / a.signal == pytest.approx(2.0, rel=0.01)


def test_iron_conversion_and_zero_iron_gives_no_drop() -> None:
    fe = iron_mm_from_core_ug_per_g(100.0, 0.7236, 1.0, 55.845)
    assert float(fe) == pytest.approx(100.0 * 0.7236 / 55.845)
    m = t2_weighted_map(np.zeros(3), 1500.0, 65.0, 10.0, 200.0, 3000.0, 40.0)
    assert np.all(m.percent_drop == 0.0)
    with pytest.raises(ValueError, match="non-negative"):
        iron_mm_from_core_ug_per_g(-1.0, 0.7, 1.0, 55.845)


def test_t2_drop_matches_closed_form_without_t1_effect() -> None:
    """With r1 = 0 the drop is 1 − exp(−TE r2 [Fe]) exactly."""
    fe = np.array([0.05, 0.2])
    m = t2_weighted_map(fe, 1500.0, 65.0, 0.0, 200.0, 3000.0, 40.0)
    assert np.allclose(m.percent_drop, 100.0 * (1.0 - np.exp(-0.040 * 200.0 * fe)), rtol=1e-12)


def test_camera_reads_true_temperature_when_emissivity_is_set_right() -> None:
    t = np.array([30.0, 45.0])
    assert np.allclose(apparent_temperature_c(t, 0.95, 22.0), t, atol=1e-9)
    assert np.all(apparent_temperature_c(45.0, 0.95, 22.0, emissivity_setting=1.0) < 45.0)
    with pytest.raises(ValueError, match="emissivity"):
        apparent_temperature_c(30.0, 1.5, 22.0)


def test_uniform_profile_gives_uniform_image_and_pixels_average_hot_spots() -> None:
    r = np.linspace(0.0, 20.0, 201)
    flat = thermal_image(r, np.full_like(r, 36.0), 0.5, 5.0)
    assert np.allclose(flat.temperature_c, 36.0)
    assert flat.temperature_c.shape == (20, 20)
    spot = 36.0 + 20.0 * np.exp(-(r**2) / 1.0)
    fine = thermal_image(r, spot, 0.1, 5.0).peak_c
    coarse = thermal_image(r, spot, 1.0, 5.0).peak_c
    assert coarse < fine <= 56.0


def test_netd_noise_is_seeded_with_the_stated_spread() -> None:
    r = np.linspace(0.0, 30.0, 50)
    t = np.full_like(r, 37.0)
    a = thermal_image(r, t, 0.2, 10.0, netd_k=0.05, seed=3)
    b = thermal_image(r, t, 0.2, 10.0, netd_k=0.05, seed=3)
    assert np.array_equal(a.temperature_c, b.temperature_c)
    # 10 000 pixels: the sample std is within 3 % of NETD with overwhelming probability
    assert np.std(a.temperature_c) == pytest.approx(0.05, rel=0.03)
    with pytest.raises(ValueError, match="increase"):
        thermal_image(r[::-1], t, 0.2, 10.0)
