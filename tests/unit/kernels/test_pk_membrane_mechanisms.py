"""Membrane-layer mechanisms added to the PBPK: targeting, injury hook, EPR draws, shedding, ABC."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanocloak.kernels.pk.immune import (
    abc_multipliers,
    epitope_engagement,
    igm_pulse,
    recognition,
    rise_rate,
    titres_at_doses,
)
from nanocloak.kernels.pk.membrane import (
    MembraneConstants,
    SourceInput,
    multipliers,
    opsonization_lag_factor,
    res_factors,
)
from nanocloak.kernels.pk.shedding import coverage_at, effective_hill
from nanocloak.kernels.pk.targeting import (
    endothelial_activation,
    epr_permeability_multipliers,
    linear_coverage_factor,
    mean_injury,
    reinforced_injury,
)

shares = st.floats(0.0, 1.0)
ACTIVE = MembraneConstants(
    cd47_min_factor=0.3,
    cd47_half_density=0.3,
    opsonization_bare_excess=1.0,
    opsonization_bare_lag_ratio=0.1,
    msc_homing_enhancement=2.0,
    leukocyte_enhancement=2.0,
    leukocyte_baseline_activation=0.5,
    platelet_cd44_enhancement=2.0,
    injury_enhancement=3.0,
    injury_reinforcement=2.0,
)


@given(c=shares, j=shares)
def test_new_factors_have_no_effect_at_default_constants(c: float, j: float) -> None:
    flags = SourceInput(1.0, 0.5, True, homing=True, inflammation_adhesion=True, platelet=True)
    m = multipliers([flags], c, 100.0, vessel_injury=j, ligand_enhancements=(1.0,))
    assert (m.res_k_max, m.res_k_50, m.tumor_k_max, m.tumor_permeability) == (1.0,) * 4
    assert opsonization_lag_factor(c) == 1.0
    assert reinforced_injury(j) == j
    assert abc_multipliers(c) == (1.0, 1.0)


def test_opsonization_lag_shortens_only_for_bare_area() -> None:
    assert opsonization_lag_factor(1.0, 0.1) == 1.0
    assert opsonization_lag_factor(0.0, 0.1) == pytest.approx(0.1)
    assert opsonization_lag_factor(0.5, 0.1) == pytest.approx(0.55)
    with pytest.raises(ValueError, match="bare_lag_ratio"):
        opsonization_lag_factor(0.5, 0.0)


def test_targeting_acts_only_through_the_matching_membrane() -> None:
    rbc = SourceInput(1.0, 1.0)
    platelet = SourceInput(1.0, 0.5, platelet=True)
    msc = SourceInput(1.0, 0.5, homing=True)
    macrophage = SourceInput(1.0, 0.5, inflammation_adhesion=True)
    m_rbc = multipliers([rbc], 1.0, 100.0, ACTIVE, vessel_injury=1.0)
    assert (m_rbc.tumor_k_max, m_rbc.tumor_permeability) == (1.0, 1.0)
    m_plt = multipliers([platelet], 1.0, 100.0, ACTIVE)
    assert m_plt.tumor_k_max == pytest.approx(2.0)  # P-selectin-CD44
    assert m_plt.tumor_permeability == 1.0  # no injury, no vessel adhesion
    injured = multipliers([platelet], 1.0, 100.0, ACTIVE, vessel_injury=1.0)
    assert injured.tumor_permeability == pytest.approx(3.0)
    assert multipliers([msc], 1.0, 100.0, ACTIVE).tumor_permeability == pytest.approx(2.0)
    # leukocyte adhesion: baseline activation 0.5 -> 1 + (2 - 1) * 0.5; full at injury 1
    assert multipliers([macrophage], 1.0, 100.0, ACTIVE).tumor_permeability == pytest.approx(1.5)
    assert multipliers(
        [macrophage], 1.0, 100.0, ACTIVE, vessel_injury=1.0
    ).tumor_permeability == pytest.approx(2.0)
    bare = multipliers([platelet], 0.0, 100.0, ACTIVE, vessel_injury=1.0)
    assert (bare.tumor_k_max, bare.tumor_permeability) == (1.0, 1.0)  # bare core: no receptors


def test_hybrid_halves_a_parents_targeting_geometrically() -> None:
    hybrid = [SourceInput(0.5, 0.5, platelet=True), SourceInput(0.5, 0.5, True)]
    m = multipliers(hybrid, 1.0, 100.0, ACTIVE)
    assert m.factors["platelet_cd44"] == pytest.approx(math.sqrt(2.0))
    assert m.factors["homotypic"] == 1.0  # homotypic enhancement left at no effect in ACTIVE


def test_ligands_multiply_and_scale_with_coverage() -> None:
    src = [SourceInput(1.0, 1.0)]
    m = multipliers(src, 0.5, 100.0, ACTIVE, ligand_enhancements=(1.5, 2.0))
    assert m.tumor_k_max == pytest.approx(1.25 * 1.5)
    with pytest.raises(ValueError, match="enhancement must be >= 1"):
        linear_coverage_factor(0.5, 0.9)


@given(j=shares, r=st.floats(0.0, 20.0))
def test_self_reinforcement_amplifies_a_partial_injury(j: float, r: float) -> None:
    eff = reinforced_injury(j, r)
    assert j - 1e-12 <= eff <= 1.0 + 1e-12
    assert reinforced_injury(1.0, r) == pytest.approx(1.0)
    assert endothelial_activation(j, 0.5) == pytest.approx(0.5 + 0.5 * j)


def test_mean_injury_of_a_series_is_its_time_average() -> None:
    # ramp 0 -> 1 over 10 h then held: mean over 20 h = (5 + 10) / 20
    assert mean_injury([0.0, 10.0], [0.0, 1.0], 20.0) == pytest.approx(0.75)
    assert mean_injury([5.0], [0.4], 20.0) == pytest.approx(0.4)
    with pytest.raises(ValueError, match="increase"):
        mean_injury([1.0, 1.0], [0.0, 0.1], 5.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        mean_injury([0.0], [1.5], 5.0)


def test_epr_draws_are_lognormal_quantiles_with_median_one() -> None:
    m = epr_permeability_multipliers(101, 0.5)
    assert np.median(m) == pytest.approx(1.0)
    assert np.all(np.diff(m) > 0.0)
    # stratified quantiles: the SD of ln m approaches sigma (0.5) within 3 % for 101 draws
    assert np.std(np.log(m)) == pytest.approx(0.5, rel=0.03)
    assert np.array_equal(epr_permeability_multipliers(1, 2.0), [1.0])
    assert np.array_equal(epr_permeability_multipliers(5, 0.0), np.ones(5))


def test_shedding_without_loss_returns_the_static_factors_exactly() -> None:
    src = [SourceInput(1.0, 1.0)]

    def factors(c: float) -> tuple[float, float]:
        f = res_factors(src, c, ACTIVE)
        return f[3], f[2]

    static = effective_hill(factors, 0.8, 0.0, 0.3, 48.0, 5.0, 168.0)
    assert (static.k_max_factor, static.k_50_factor) == factors(0.8)
    assert static.relative_error == 0.0
    shed = effective_hill(factors, 0.8, math.log(2.0) / 48.0, 0.3, 48.0, 5.0, 168.0)
    # losing the coat raises the effective uptake (CD47 lost, bare area opsonised) and the fit
    # of a Hill law to the time-varying rate is close (relative L2 error under 15 %)
    assert shed.k_max_factor > static.k_max_factor
    assert shed.relative_error < 0.15
    assert coverage_at(48.0, 0.8, math.log(2.0) / 48.0) == pytest.approx(0.4)


def test_igm_pulse_peaks_at_its_peak_time_with_value_one() -> None:
    t = np.linspace(1.0, 1000.0, 20000)
    g = np.array([igm_pulse(x, 120.0, 168.0) for x in t])
    assert t[np.argmax(g)] == pytest.approx(120.0, abs=0.1)
    assert g.max() == pytest.approx(1.0, rel=1e-6)
    assert igm_pulse(0.0, 120.0, 168.0) == 0.0
    # long after the peak it decays with the decay half-life
    assert igm_pulse(968.0, 120.0, 168.0) / igm_pulse(800.0, 120.0, 168.0) == pytest.approx(
        0.5, rel=1e-3
    )
    k_d = math.log(2.0) / 168.0
    k_r = rise_rate(120.0, 168.0)
    assert math.log(k_r / k_d) / (k_r - k_d) == pytest.approx(120.0, rel=1e-9)
    with pytest.raises(ValueError, match="must come before"):
        rise_rate(300.0, 168.0)


def test_titres_come_only_from_earlier_doses_and_recognition_saturates() -> None:
    titres = titres_at_doses([0.0, 120.0, 240.0], [2.0, 0.0], 120.0, 168.0)
    assert titres[0] == [0.0, 0.0]
    assert titres[1][0] == pytest.approx(2.0)  # one dose, at its peak
    assert titres[1][1] == 0.0
    assert titres[2][0] > titres[1][0]  # two earlier doses add up
    assert recognition([0.0], [1.0]) == 0.0
    assert recognition([1.0], [1.0]) == pytest.approx(1.0 - math.exp(-1.0))
    k_max, k_50 = abc_multipliers(1.0, 10.0, 0.02)
    assert k_max == 10.0
    assert k_50 == pytest.approx(0.02)


def test_epitope_engagement_is_cooperative() -> None:
    # a hybrid halves each parent's epitope density: with n = 3 engagement falls > 2-fold
    single = epitope_engagement(1.0, 0.7, 3.0)
    half = epitope_engagement(0.5, 0.7, 3.0)
    assert single / half > 2.5  # 2.79 from the closed form; 2.0 would be non-cooperative
    assert epitope_engagement(0.7, 0.7, 3.0) == pytest.approx(0.5)
    assert epitope_engagement(0.0, 0.7, 3.0) == 0.0
