"""Process physics: Schwan poration threshold, sonication heating, extrusion losses."""

from __future__ import annotations

import math

import pytest

from nanocloak.kernels.manufacture import processes as proc

EP = proc.ElectroporationParams(
    critical_voltage_v=0.5,
    membrane_capacitance_f_per_m2=0.01,
    buffer_resistivity_ohm_m=0.7,
    entry_probability_per_pulse=0.02,
    reseal_probability=0.8,
    pulse_protein_loss=5e-4,
    dead_volume_ml=0.05,
    chip_cost_per_batch=20.0,
    setup_time_min=30.0,
    hands_on_share=0.1,
    vesicle_gsd=1.3,
)
STABLE = proc.ProteinStability(0.0, 37.0, 4e5, 0.0, 5e4, 1.0, True)
RATES = proc.CostRates(1.0, 0.1)


def test_poration_follows_schwans_equation_for_long_pulses() -> None:
    """Monodisperse 100-nm-radius vesicles porate when 1.5·E·r ≥ V_c, i.e. E ≥ 33.3 kV/cm."""
    threshold = 0.5 / (1.5 * 100e-9)
    long_pulse = 1e-3
    assert proc.poration_share(threshold * 0.99, long_pulse, 200.0, 1.0 + 1e-9, EP) == 0.0
    assert proc.poration_share(threshold * 1.01, long_pulse, 200.0, 1.0 + 1e-9, EP) == 1.0


def test_short_pulses_do_not_charge_the_membrane() -> None:
    """Charging time r·C·1.5ρ ≈ 1 ns for r = 100 nm: a 0.1 ns pulse reaches ~10 % of ΔV."""
    field = 2 * 0.5 / (1.5 * 100e-9)
    assert proc.poration_share(field, 1e-3, 200.0, 1.3, EP) > 0.9
    assert proc.poration_share(field, 1e-10, 200.0, 1.3, EP) < 0.1


def test_sonication_heats_towards_the_energy_balance_plateau() -> None:
    """T(t) → T0 + P_a/hA for t ≫ τ = m c / hA (energy balance of the tube)."""
    params = proc.SonicationParams(
        coupling_efficiency=0.5,
        reference_energy_j_per_ml=200.0,
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
    out = proc.sonication(1.0, 1.0, 60.0, 4.0, 1.0, params, STABLE, RATES)
    plateau = 4.0 + 0.5 / 0.05
    tau_min = 1.0 * 4.18 / 0.05 / 60
    assert out.peak_temperature_c == pytest.approx(
        4.0 + 10.0 * (1 - math.exp(-60.0 / tau_min)), rel=1e-9
    )
    assert out.peak_temperature_c == pytest.approx(plateau, rel=1e-3)
    assert out.details["energy_density_j_per_ml"] == pytest.approx(0.5 * 3600.0)
    assert out.protein_retention == pytest.approx(1.0)


def test_arrhenius_denaturation_is_steep_in_temperature() -> None:
    stability = proc.ProteinStability(0.002, 37.0, 4e5, 0.0, 5e4, 1.0, True)
    assert float(stability.rate_per_min(37.0)) == pytest.approx(0.002)
    assert float(stability.rate_per_min(47.0)) / 0.002 > 50


def test_extrusion_sieves_cores_larger_than_the_pore_and_loses_per_pass() -> None:
    params = proc.ExtrusionParams(
        fusion_probability_per_pass=0.15,
        reseal_probability=0.2,
        adsorption_loss_per_pass=0.02,
        dead_volume_per_run_ml=0.0,
        run_volume_ml=1.0,
        time_per_pass_min=0.5,
        setup_time_per_run_min=10.0,
        shear_protein_loss_per_pass=0.0,
        consumables_cost_per_run=1.0,
        vesicle_gsd=1.3,
    )
    wide = proc.extrusion(1000.0, 11, 25.0, 165.0, 150.0, 1.12, 1.0, params, STABLE, RATES)
    assert wide.details["sieved_share"] == pytest.approx(0.0, abs=1e-12)
    assert wide.core_recovery == pytest.approx(0.98**11, rel=1e-9)
    tight = proc.extrusion(150.0, 11, 25.0, 165.0, 150.0, 1.12, 1.0, params, STABLE, RATES)
    assert tight.details["sieved_share"] == pytest.approx(0.5, abs=1e-9)
    assert tight.warnings
    assert wide.wall_time_min == pytest.approx(10.0 + 11 * 0.5)
