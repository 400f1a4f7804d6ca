"""Upconversion, glucose oxidase, acidity, perfluorocarbon, CRET nanoreactor, shell rupture."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nanocloak.kernels.photochem import (
    NanoreactorParameters,
    buffered_ph,
    dissociated_fraction,
    gox_rate_um_per_s,
    partition_coefficient,
    pfc_oxygen_um,
    pfc_release_um_per_s,
    photosensitizer_excitation_um_per_s,
    release_rate_constant_per_s,
    shell_rupture_fraction,
    simulate_nanoreactor,
    upconversion_emission_w_per_cm3,
    upconversion_quantum_yield,
)

BASE = NanoreactorParameters(
    enzyme_um=0.01,
    kcat_per_s=459.0,
    km_glucose_um=30_000.0,
    km_oxygen_um=250.0,
    glucose_initial_um=1000.0,
    glucose_baseline_um=1000.0,
    glucose_resupply_per_s=0.0,
    oxygen_initial_um=40.0,
    oxygen_baseline_um=40.0,
    oxygen_supply_um_per_s=0.0,
    pfc_oxygen_initial_um=0.0,
    pfc_volume_fraction=0.0,
    partition=21.6,
    pfc_exchange_per_s=0.0,
    h2o2_initial_um=50.0,
    h2o2_production_um_per_s=0.0,
    h2o2_clearance_per_s=0.0,
    cppo_initial_um=0.0,
    cppo_rate_per_um_s=1e-4,
    chemiexcitation_yield=0.05,
    transfer_efficiency=0.5,
    singlet_oxygen_yield=0.75,
    reacted_fraction=0.487,
    beta_um=11.9,
)


@pytest.mark.parametrize("n", [2.0, 3.0])
def test_upconversion_slope_is_n_at_low_and_1_at_high_power(n: float) -> None:
    # local log-log slopes a factor 1e4 away from the balancing power: the crossover term
    # contributes (P/Pb)^(n-1) <= 1e-4 to the slope, hence abs tolerance 1e-3
    p = np.array([1e-3, 1.001e-3, 1e6, 1.001e6])
    emission = upconversion_emission_w_per_cm3(p, 2.0, 0.006, 100.0, n)
    slope = np.diff(np.log(emission))[[0, 2]] / np.diff(np.log(p))[[0, 2]]
    assert slope[0] == pytest.approx(n, abs=1e-3)
    assert slope[1] == pytest.approx(1.0, abs=1e-3)


def test_upconversion_yield_is_half_saturated_at_the_balancing_power() -> None:
    assert upconversion_quantum_yield(100.0, 0.006, 100.0) == pytest.approx(0.003)
    assert upconversion_quantum_yield(0.0, 0.006, 100.0) == 0.0
    # 1 W/cm3 of 660-nm light = 1/0.18125 J/umol = 5.517 umol cm^-3 s^-1 = 5517 uM/s
    assert photosensitizer_excitation_um_per_s(1.0, 1.0, 660.0) == pytest.approx(5517.0, rel=1e-3)
    with pytest.raises(ValueError, match="saturation yield"):
        upconversion_quantum_yield(1.0, 1.5, 100.0)


def test_gox_is_michaelis_menten_in_each_substrate() -> None:
    kcat, e = 459.0, 0.01
    assert gox_rate_um_per_s(e, 1e12, 1e12, kcat, 30e3, 250.0) == pytest.approx(kcat * e)
    half = gox_rate_um_per_s(e, 30e3, 1e12, kcat, 30e3, 250.0)
    assert half == pytest.approx(kcat * e / 2.0)
    assert gox_rate_um_per_s(e, 0.0, 40.0, kcat, 30e3, 250.0) == 0.0
    assert gox_rate_um_per_s(e, 1000.0, 0.0, kcat, 30e3, 250.0) == 0.0


def test_gox_stoichiometry_glucose_consumed_equals_h2o2_made_equals_oxygen_used() -> None:
    # no supply, no CPPO, no clearance, no PFC: only GOx acts
    sol = simulate_nanoreactor(BASE, np.linspace(0.0, 3600.0, 13))
    acid = sol["gluconic_acid"]
    np.testing.assert_allclose(1000.0 - sol["glucose"], acid, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(sol["h2o2"] - 50.0, acid, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(40.0 - sol["oxygen"], acid, rtol=1e-6, atol=1e-9)
    assert acid[-1] > 1.0


def test_closed_nanoreactor_conserves_oxygen_atoms_and_glucose() -> None:
    params = dataclasses.replace(
        BASE,
        cppo_initial_um=500.0,
        h2o2_clearance_per_s=0.05,
        pfc_oxygen_initial_um=200.0,
        pfc_volume_fraction=1e-3,
        pfc_exchange_per_s=5.0,
    )
    sol = simulate_nanoreactor(params, np.linspace(0.0, 1800.0, 31))
    invariant = (
        sol["oxygen"]
        + sol["pfc_oxygen"]
        + sol["h2o2"]
        + sol["cppo_reacted"]
        + sol["reacted_singlet_oxygen"]
        + 0.5 * sol["h2o2_cleared"]
    )
    np.testing.assert_allclose(invariant, invariant[0], rtol=1e-6)
    np.testing.assert_allclose(sol["glucose"] + sol["gluconic_acid"], 1000.0, rtol=1e-8)
    np.testing.assert_allclose(sol["cppo"] + sol["cppo_reacted"], 500.0, rtol=1e-6)
    assert sol["reacted_singlet_oxygen"][-1] > 0.0


def test_pfc_settles_at_partition_equilibrium() -> None:
    params = dataclasses.replace(
        BASE,
        enzyme_um=0.0,
        pfc_oxygen_initial_um=500.0,
        pfc_volume_fraction=1e-3,
        pfc_exchange_per_s=1.0,
    )
    sol = simulate_nanoreactor(params, np.array([0.0, 100.0]))
    q, o = sol["pfc_oxygen"][-1], sol["oxygen"][-1]
    assert q == pytest.approx(1e-3 * 21.6 * o, rel=1e-6)
    assert q + o == pytest.approx(540.0, rel=1e-8)


def test_pfc_helpers() -> None:
    assert pfc_oxygen_um(760.0, 29.0) == pytest.approx(22_040.0)
    assert partition_coefficient(29.0, 1.34) == pytest.approx(21.64, rel=1e-3)
    assert release_rate_constant_per_s(50.0, 5e-9) == pytest.approx(np.pi**2 * 5e-9 / 2.5e-15)
    assert pfc_release_um_per_s(10.0, 40.0, 1e-3, 21.6, 2.0) == pytest.approx(2.0 * (10.0 - 0.864))


def test_buffered_ph_starts_at_ph0_and_falls_with_acid() -> None:
    acid = np.array([0.0, 1.0, 5.0, 20.0])
    open_ph = buffered_ph(acid, 7.0, 24.0, 6.1)
    closed_ph = buffered_ph(acid, 7.0, 24.0, 6.1, open_system=False)
    assert open_ph[0] == pytest.approx(7.0, abs=1e-4)
    assert closed_ph[0] == pytest.approx(7.0, abs=1e-4)
    assert np.all(np.diff(open_ph) < 0.0)
    assert np.all(closed_ph[1:] < open_ph[1:])
    # open system, acid fully dissociated: pH = pKa + log10((B0 - x)/A0)
    a0 = 24.0 * 10 ** (6.1 - 7.0)
    assert open_ph[1] == pytest.approx(6.1 + np.log10(23.0 / a0), abs=2e-3)
    assert float(dissociated_fraction(3.86, 3.86)) == pytest.approx(0.5)


def test_shell_rupture_fraction() -> None:
    dose = np.array([0.0, 0.1, 1.0])
    f = shell_rupture_fraction(dose, 0.1, 1.0)
    assert f[0] == 0.0
    assert f[1] == pytest.approx(0.5)
    assert f[2] == pytest.approx(1.0 - 2.0**-10)
    with pytest.raises(ValueError, match="non-negative"):
        shell_rupture_fraction(-1.0, 0.1)


def test_nanoreactor_rejects_negative_inputs() -> None:
    with pytest.raises(ValueError, match="enzyme_um"):
        dataclasses.replace(BASE, enzyme_um=-1.0)
    with pytest.raises(ValueError, match="exceed 1"):
        dataclasses.replace(BASE, transfer_efficiency=2.0)
