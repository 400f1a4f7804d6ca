"""Hypothesis invariants of the photochemistry kernels: non-negativity and conservation."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nanocloak.kernels.photochem import (
    NanoreactorParameters,
    SoedConstants,
    buffered_ph,
    shell_rupture_fraction,
    simulate_nanoreactor,
    simulate_soed,
    upconversion_quantum_yield,
)

positive = st.floats(min_value=1e-3, max_value=1e3)


@settings(max_examples=25, deadline=None)
@given(
    phi=st.floats(min_value=0.0, max_value=500.0),
    s0=st.floats(min_value=0.0, max_value=50.0),
    o0=st.floats(min_value=1.0, max_value=100.0),
    supply=st.floats(min_value=0.0, max_value=50.0),
    sigma=st.floats(min_value=0.0, max_value=1e-3),
)
def test_soed_states_stay_physical(
    phi: float, s0: float, o0: float, supply: float, sigma: float
) -> None:
    c = SoedConstants(0.0037, sigma, 11.9, 33.0, o0, supply)
    sol = simulate_soed(phi, s0, c, np.linspace(0.0, 300.0, 7))
    assert np.all(sol.photosensitizer_um >= 0.0)
    assert np.all(sol.photosensitizer_um <= s0 + 1e-9)
    assert np.all(sol.oxygen_um >= 0.0)
    assert np.all(sol.oxygen_um <= o0 * (1.0 + 1e-6))
    assert np.all(np.diff(sol.reacted_um[:, 0]) >= -1e-9)
    if supply == 0.0:
        np.testing.assert_allclose(sol.oxygen_um + sol.reacted_um, o0, rtol=1e-5)


@settings(max_examples=20, deadline=None)
@given(
    enzyme=st.floats(min_value=0.0, max_value=0.1),
    cppo=st.floats(min_value=0.0, max_value=1000.0),
    clearance=st.floats(min_value=0.0, max_value=1.0),
    pfc=st.floats(min_value=0.0, max_value=1e-2),
)
def test_closed_nanoreactor_is_non_negative_and_conserves_oxygen(
    enzyme: float, cppo: float, clearance: float, pfc: float
) -> None:
    params = NanoreactorParameters(
        enzyme_um=enzyme,
        kcat_per_s=459.0,
        km_glucose_um=30_000.0,
        km_oxygen_um=250.0,
        glucose_initial_um=1000.0,
        glucose_baseline_um=1000.0,
        glucose_resupply_per_s=0.0,
        oxygen_initial_um=40.0,
        oxygen_baseline_um=40.0,
        oxygen_supply_um_per_s=0.0,
        pfc_oxygen_initial_um=pfc * 22_000.0,
        pfc_volume_fraction=pfc,
        partition=21.6,
        pfc_exchange_per_s=10.0,
        h2o2_initial_um=50.0,
        h2o2_production_um_per_s=0.0,
        h2o2_clearance_per_s=clearance,
        cppo_initial_um=cppo,
        cppo_rate_per_um_s=1e-4,
        chemiexcitation_yield=0.05,
        transfer_efficiency=0.5,
        singlet_oxygen_yield=0.75,
        reacted_fraction=0.487,
        beta_um=11.9,
    )
    sol = simulate_nanoreactor(params, np.linspace(0.0, 600.0, 7))
    for values in sol.states.values():
        assert np.all(values >= 0.0)
    total = (
        sol["oxygen"]
        + sol["pfc_oxygen"]
        + sol["h2o2"]
        + sol["cppo_reacted"]
        + sol["reacted_singlet_oxygen"]
        + 0.5 * sol["h2o2_cleared"]
    )
    np.testing.assert_allclose(total, total[0], rtol=1e-5)
    open_params = dataclasses.replace(params, oxygen_supply_um_per_s=1.7)
    assert np.all(simulate_nanoreactor(open_params, np.array([0.0, 60.0]))["oxygen"] >= 0.0)


@given(st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=1, max_size=20))
def test_shell_rupture_is_a_monotone_fraction(doses: list[float]) -> None:
    d = np.sort(np.array(doses))
    f = shell_rupture_fraction(d, 0.1, 2.0)
    assert np.all((f >= 0.0) & (f <= 1.0))
    assert np.all(np.diff(f) >= 0.0)


@given(positive, positive, st.floats(min_value=1.0, max_value=4.0))
def test_upconversion_yield_is_bounded(p: float, pb: float, n: float) -> None:
    y = float(upconversion_quantum_yield(p, 0.02, pb, n))
    assert 0.0 <= y <= 0.02


@given(st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=1, max_size=10))
def test_ph_only_falls_as_acid_is_added(acid: list[float]) -> None:
    x = np.sort(np.array(acid))
    ph = buffered_ph(x, 7.0, 24.0, 6.1)
    assert np.all(np.diff(ph) <= 1e-9)
    assert np.all(ph <= 7.0 + 1e-4)
