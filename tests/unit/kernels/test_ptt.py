"""Subcutaneous-tumor PTT: δ-P1 spot light coupled to the axisymmetric Pennes solver."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from nanocloak.kernels.optics.diffusion import absorbed_fraction, delta_p1_medium
from nanocloak.kernels.thermal.ptt import (
    PttSetup,
    ThermalProperties,
    nanoparticle_absorption_per_mm,
    ptt_heat_source,
    simulate_ptt,
)

TUMOR = ThermalProperties(1045.0, 3600.0, 0.527, 0.005)
HOST = ThermalProperties(1090.0, 3421.0, 0.49, 0.0008)
BASE = PttSetup(
    tumor_radius_mm=3.0,
    tumor_top_mm=0.5,
    np_mua_per_mm=0.05,
    tissue_mua_per_mm=0.01,
    tissue_musp_per_mm=1.0,
    irradiance_w_per_cm2=1.0,
    spot_radius_mm=4.0,
    domain_radius_mm=12.0,
    domain_depth_mm=12.0,
    step_mm=1.0,
)


def test_particle_absorption_coefficient() -> None:
    """1 mg/mL of a 1 L g⁻¹ cm⁻¹ (decadic) absorber: μ_a = ln 10 cm⁻¹ = 0.2303 mm⁻¹."""
    assert nanoparticle_absorption_per_mm(1.0, 1.0) == pytest.approx(math.log(10.0) / 10.0)
    assert nanoparticle_absorption_per_mm(2.0, 1.45, 0.5) == pytest.approx(
        math.log(10.0) * 1.45 / 10.0
    )


def test_absorbed_power_matches_the_broad_beam_absorbed_fraction() -> None:
    """Without particles the domain absorbs P × A (the k = 0 Hankel mode is the broad beam);
    tolerance 1 %: light leaving the 20-mm domain (e^(−μ_eff 20 mm) < 0.1 %) and midpoint
    quadrature of the sub-surface profile on 0.25-mm sub-cells (~0.3 %)."""
    setup = replace(
        BASE,
        np_mua_per_mm=0.0,
        tissue_mua_per_mm=0.05,
        domain_radius_mm=20.0,
        domain_depth_mm=20.0,
    )
    source = ptt_heat_source(setup)
    expected = absorbed_fraction(delta_p1_medium(0.05, 1.0)) * setup.power_w
    assert source.absorbed_particles_w == 0.0
    assert source.absorbed_tissue_w == pytest.approx(expected, rel=0.01)
    deposited = float(np.sum(source.source_w_per_m3 * source.node_volume_m3))
    assert deposited == pytest.approx(source.absorbed_tissue_w, rel=1e-9)


def test_thermal_energy_balance_and_deposited_power() -> None:
    source = ptt_heat_source(BASE)
    result = simulate_ptt(source, TUMOR, HOST, 10.0, duration_s=60.0, dt_s=10.0)
    deposited = result.pennes.deposited_j
    power = source.source_w_per_m3 * source.node_volume_m3
    # the solver deposits nothing on the fixed (θ = 0) outer and deep boundary nodes
    assert deposited[-1] == pytest.approx(60.0 * float(np.sum(power[:-1, :-1])), rel=1e-9)
    total = source.absorbed_particles_w + source.absorbed_tissue_w
    assert deposited[-1] == pytest.approx(60.0 * total, rel=0.01)
    assert np.max(np.abs(result.pennes.balance_residual_j)) < 1e-9 * deposited[-1]


def test_zero_particles_heat_only_through_tissue() -> None:
    """No particles: the source is μ_a,tissue φ and the tumor's optics play no part."""
    bare = ptt_heat_source(replace(BASE, np_mua_per_mm=0.0))
    also_bare = ptt_heat_source(replace(BASE, np_mua_per_mm=0.0, light_medium="tissue"))
    assert bare.absorbed_particles_w == 0.0
    np.testing.assert_allclose(bare.source_w_per_m3, also_bare.source_w_per_m3, rtol=1e-12)
    same = simulate_ptt(bare, HOST, HOST, 10.0, 60.0, 10.0)
    loaded = simulate_ptt(ptt_heat_source(BASE), HOST, HOST, 10.0, 60.0, 10.0)
    assert 0.0 < same.tumor_max_rise_k[-1] < loaded.tumor_max_rise_k[-1]


def test_early_heating_is_adiabatic() -> None:
    """For t → 0 conduction and perfusion have not acted: θ = Q t/(ρ c) at each node.

    One Crank–Nicolson step of 0.002 s: the conduction correction is of order
    k t/(ρ c Δz²) × (jump of Q between neighbours) ≈ 2.8e-4 × 5 at Δz = 1 mm, so 3e-3."""
    source = ptt_heat_source(BASE)
    result = simulate_ptt(source, TUMOR, TUMOR, 0.0, duration_s=0.002, dt_s=0.002)
    expected = source.source_w_per_m3 * 0.002 / (TUMOR.density_kg_per_m3 * 3600.0)
    free = (slice(0, -1), slice(0, -1))  # exclude the fixed outer/deep boundary nodes
    np.testing.assert_allclose(
        result.pennes.temperature_c[-1][free], expected[free], rtol=3e-3, atol=1e-15
    )


def test_rise_is_linear_in_irradiance_and_grows_with_content() -> None:
    one = simulate_ptt(ptt_heat_source(BASE), TUMOR, HOST, 10.0, 120.0, 10.0)
    two = simulate_ptt(
        ptt_heat_source(replace(BASE, irradiance_w_per_cm2=2.0)), TUMOR, HOST, 10.0, 120.0, 10.0
    )
    assert two.tumor_max_rise_k[-1] == pytest.approx(2.0 * one.tumor_max_rise_k[-1], rel=1e-9)
    more = simulate_ptt(
        ptt_heat_source(replace(BASE, np_mua_per_mm=0.1, light_medium="tissue")),
        TUMOR,
        HOST,
        10.0,
        120.0,
        10.0,
    )
    assert more.tumor_mean_rise_k[-1] > one.tumor_mean_rise_k[-1]
    assert np.all(np.diff(one.tumor_max_rise_k) > 0.0)  # heating while the laser is on
    assert one.tumor_max_rise_k[-1] >= one.tumor_mean_rise_k[-1]


def test_self_shielding_option_lowers_heating() -> None:
    """``light_medium="tumor"`` attenuates the light by the particles too (lower bound)."""
    shielded = ptt_heat_source(replace(BASE, np_mua_per_mm=0.2))
    unshielded = ptt_heat_source(replace(BASE, np_mua_per_mm=0.2, light_medium="tissue"))
    assert shielded.absorbed_particles_w < unshielded.absorbed_particles_w
    total = shielded.absorbed_particles_w + shielded.absorbed_tissue_w
    assert total < shielded.incident_w


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="tumor radius"):
        ptt_heat_source(replace(BASE, tumor_radius_mm=0.0))
    with pytest.raises(ValueError, match="light_medium"):
        ptt_heat_source(replace(BASE, light_medium="blood"))
    with pytest.raises(ValueError, match="whole number"):
        ptt_heat_source(replace(BASE, step_mm=0.7))
    with pytest.raises(ValueError, match="share"):
        nanoparticle_absorption_per_mm(1.0, 1.0, 1.5)
