"""Assembly physics: Schwan poration, Joule heating, sonication energy and heat, extrusion
sieving and timing, co-incubation Arrhenius."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from nanocloak.kernels.manufacture.assembly import (
    co_incubation,
    common,
    electroporation,
    extrusion,
    sonication,
)

EP = electroporation.ElectroporationParams(
    critical_voltage_v=0.5,
    membrane_capacitance_f_per_m2=0.01,
    lumen_resistivity_ohm_m=0.7,
    entry_probability_per_pulse=0.02,
    reseal_probability=0.8,
    pulse_protein_loss=5e-4,
    dead_volume_ml=0.05,
    chip_cost_per_batch=5.0,
    setup_time_min=30.0,
    hands_on_share=0.1,
    vesicle_gsd=1.3,
)
STABLE = common.ProteinStability(0.0, 37.0, 4e5, 0.0, 5e4, 1.0, True, 42.0)
RATES = common.CostRates(1.0, 0.1)
SONIC = sonication.SonicationParams(
    coupling_efficiency=0.5,
    bath_volume_ml=None,
    reference_energy_j_per_ml=1.0,
    fragment_median_nm=120.0,
    fragment_gsd=1.6,
    reseal_probability=0.3,
    cavitation_loss_per_kj_per_ml=0.0,
    tube_heat_transfer_w_per_k=0.05,
    consumables_cost_per_batch=0.1,
    setup_time_min=10.0,
    max_sample_volume_ml=1.0,
    hands_on_share=0.5,
)
EXTRUDE = extrusion.ExtrusionParams(
    fusion_probability_per_pass=0.15,
    reseal_probability=0.2,
    adsorption_loss_per_pass=0.02,
    dead_volume_per_run_ml=0.0,
    run_volume_ml=1.0,
    time_per_pass_min=1.0,
    reference_pore_nm=100.0,
    setup_time_per_run_min=10.0,
    shear_protein_loss_per_pass=0.0,
    consumables_cost_per_run=1.0,
    hands_on_share=1.0,
    vesicle_gsd=1.3,
)


def test_poration_follows_schwans_equation_for_long_pulses() -> None:
    """Monodisperse 100-nm-radius vesicles porate when 1.5·E·r ≥ V_c, i.e. E ≥ 33.3 kV/cm."""
    threshold = 0.5 / (1.5 * 100e-9)
    narrow = 1.0 + 1e-9
    assert electroporation.poration_share(threshold * 0.99, 1e-3, 0.7, 200.0, narrow, EP) == 0.0
    assert electroporation.poration_share(threshold * 1.01, 1e-3, 0.7, 200.0, narrow, EP) == 1.0


def test_short_pulses_do_not_charge_the_membrane() -> None:
    """Charging time r·C·(ρi + ρe/2) ≈ 1 ns for r = 100 nm in PBS: a 0.1-ns pulse falls short."""
    field = 2 * 0.5 / (1.5 * 100e-9)
    assert electroporation.poration_share(field, 1e-3, 0.7, 200.0, 1.3, EP) > 0.9
    assert electroporation.poration_share(field, 1e-10, 0.7, 200.0, 1.3, EP) < 0.1


def test_joule_heating_per_pulse_is_sigma_e2_t_over_rho_c() -> None:
    """50 V over 20 µm (25 kV/cm), 200 µs: PBS (1.4 S/m) boils, 0.02 S/m warms by 6 K."""
    args = (50.0, 20_000.0, 200.0, 10.0, 20.0, 2.0)
    low = electroporation.electroporation(*args, 0.02, 400.0, 25.0, 2.0, EP, STABLE, RATES)
    expected = 0.02 * (2.5e6) ** 2 * 200e-6 / 4.18e6
    assert low.details["joule_heating_k_per_pulse"] == pytest.approx(expected, rel=1e-12)
    assert low.peak_temperature_c == pytest.approx(25.0 + expected)
    assert not low.warnings
    pbs = electroporation.electroporation(*args, 1.4, 400.0, 25.0, 2.0, EP, STABLE, RATES)
    assert pbs.peak_temperature_c == pytest.approx(100.0)
    assert any("boil" in w for w in pbs.warnings)


def test_electroporation_events_and_hands_on_time() -> None:
    """60 pulses (10 Hz × 6 s residence) × porated share × entry probability."""
    out = electroporation.electroporation(
        50.0, 20_000.0, 200.0, 10.0, 20.0, 2.0, 0.02, 400.0, 25.0, 2.0, EP, STABLE, RATES
    )
    assert out.details["pulses_per_particle"] == pytest.approx(60.0)
    assert out.capture_intensity == pytest.approx(60.0 * out.details["porated_share"] * 0.02)
    big = electroporation.electroporation(
        50.0, 20_000.0, 200.0, 10.0, 20.0, 2.0, 0.02, 400.0, 25.0, 20.0, EP, STABLE, RATES
    )
    # ten times the batch: ten times the run, but hands-on grows only by the unattended share
    assert big.wall_time_min - 30 == pytest.approx(10 * (out.wall_time_min - 30))
    assert big.hands_on_min < 4 * out.hands_on_min


def test_probe_sonication_heats_towards_the_energy_balance_plateau() -> None:
    """T(t) → T0 + P_a/hA for t ≫ τ = m c / hA (energy balance of the tube)."""
    out = sonication.sonication(1.0, 1.0, 60.0, 4.0, 1.0, SONIC, STABLE, RATES)
    tau_min = 1.0 * 4.18 / 0.05 / 60
    assert out.peak_temperature_c == pytest.approx(
        4.0 + 10.0 * (1 - math.exp(-60.0 / tau_min)), rel=1e-9
    )
    assert out.details["energy_density_j_per_ml"] == pytest.approx(0.5 * 3600.0)


def test_a_bath_delivers_the_tube_its_volume_share() -> None:
    """100 W bath, 50 % into 3 L of water: a 1-mL tube absorbs 100·0.5/3000 W."""
    bath = replace(SONIC, bath_volume_ml=3000.0)
    out = sonication.sonication(100.0, 1.0, 2.0, 4.0, 1.0, bath, STABLE, RATES)
    assert out.details["absorbed_power_w"] == pytest.approx(100 * 0.5 / 3000)
    assert out.peak_temperature_c < 6.0


def test_cavitation_costs_protein_in_proportion_to_energy() -> None:
    harsh = replace(SONIC, cavitation_loss_per_kj_per_ml=1.0, tube_heat_transfer_w_per_k=1e6)
    out = sonication.sonication(0.2, 1.0, 10.0, 4.0, 1.0, harsh, STABLE, RATES)
    energy_kj = 0.2 * 0.5 * 600 / 1000
    assert out.protein_retention == pytest.approx(math.exp(-energy_kj), rel=1e-9)


def test_arrhenius_denaturation_is_steep_in_temperature() -> None:
    stability = common.ProteinStability(0.002, 37.0, 4e5, 0.0, 5e4, 1.0, True, 42.0)
    assert float(stability.rate_per_min(37.0)) == pytest.approx(0.002)
    assert float(stability.rate_per_min(47.0)) / 0.002 > 50


def test_extrusion_sieves_cores_wider_than_the_pore_and_loses_per_pass() -> None:
    wide = extrusion.extrusion(1000.0, 11, 25.0, 165.0, 150.0, 1.12, 1.0, EXTRUDE, STABLE, RATES)
    assert wide.details["sieved_share"] == pytest.approx(0.0, abs=1e-12)
    assert wide.core_recovery == pytest.approx(0.98**11, rel=1e-9)
    tight = extrusion.extrusion(150.0, 11, 25.0, 165.0, 150.0, 1.12, 1.0, EXTRUDE, STABLE, RATES)
    assert tight.details["sieved_share"] == pytest.approx(0.5, abs=1e-9)
    assert tight.warnings


def test_extrusion_time_scales_with_volume_and_inverse_pore_area() -> None:
    """Hagen–Poiseuille at fixed porosity: time per pass ∝ volume × (pore_ref / pore)²."""
    one = extrusion.extrusion(100.0, 11, 25.0, 165.0, 90.0, 1.12, 1.0, EXTRUDE, STABLE, RATES)
    assert one.wall_time_min == pytest.approx(10.0 + 11 * 1.0)
    wide = extrusion.extrusion(200.0, 11, 25.0, 165.0, 90.0, 1.12, 1.0, EXTRUDE, STABLE, RATES)
    assert wide.details["minutes_per_pass"] == pytest.approx(0.25)
    ten = extrusion.extrusion(100.0, 11, 25.0, 165.0, 90.0, 1.12, 10.0, EXTRUDE, STABLE, RATES)
    assert ten.hands_on_min == pytest.approx(10 * one.hands_on_min)


def test_co_incubation_rate_is_arrhenius_around_its_reference() -> None:
    params = co_incubation.CoIncubationParams(0.1, 37.0, 80e3, 0.3, 0.03, 0.05, 5.0, 0.05, 1.3)
    warm = co_incubation.co_incubation(240.0, 37.0, True, 200.0, params, STABLE, RATES)
    cold = co_incubation.co_incubation(240.0, 4.0, False, 200.0, params, STABLE, RATES)
    assert warm.capture_intensity == pytest.approx(0.4)
    factor = math.exp(-80e3 / 8.314462618 * (1 / 277.15 - 1 / 310.15))
    assert cold.capture_intensity == pytest.approx(0.4 * factor * 0.3)
