"""DLS cumulants, size shift and zeta potential: analytic cases and hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import exp1

from nanocloak.analysis.characterization import (
    DLSSetup,
    analyze_dls_table,
    analyze_zeta_table,
    cumulants,
    debye_length_nm,
    henry_function,
    scattering_vector_per_m,
    size_shift,
    zeta_from_mobility,
)
from nanocloak.analysis.characterization._common import (
    water_relative_permittivity,
    water_viscosity_mpa_s,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import table_from_rows

KT_25C = 1.380649e-23 * 298.15
EPS0 = 8.8541878128e-12
TAU_S = np.geomspace(0.5e-6, 5e-3, 200)


def _gamma_for(d_nm: float, setup: DLSSetup) -> float:
    diffusion = KT_25C / (3 * math.pi * setup.viscosity_pa_s * d_nm * 1e-9)
    return diffusion * setup.q_per_m**2


def test_scattering_vector_matches_the_hand_formula() -> None:
    expected = 4 * math.pi * 1.330 / 633e-9 * math.sin(math.radians(173.0) / 2)
    assert scattering_vector_per_m(633.0, 173.0, 1.330) == pytest.approx(expected, rel=1e-15)
    assert DLSSetup(angle_deg=90.0).q_per_m == pytest.approx(
        4 * math.pi * 1.330 / 633e-9 * math.sqrt(0.5), rel=1e-12
    )


def test_water_properties_match_tabulated_values() -> None:
    # IAPWS: 0.8900 mPa·s at 25 °C; Malmberg & Maryott: 78.30 at 25 °C.
    assert water_viscosity_mpa_s(25.0) == pytest.approx(0.8900, rel=2e-3)
    assert water_relative_permittivity(25.0) == pytest.approx(78.30, abs=0.01)


def test_single_exponential_gives_exact_gamma_and_zero_pdi() -> None:
    setup = DLSSetup()
    gamma = _gamma_for(100.0, setup)
    result = cumulants(TAU_S, 1.0 + 0.9 * np.exp(-gamma * TAU_S) ** 2, setup=setup)
    assert result.value("gamma") == pytest.approx(gamma, rel=1e-9)
    assert result.value("z_average") == pytest.approx(100.0, rel=1e-9)
    assert abs(result.value("pdi")) < 1e-9
    assert result.value("intercept") == pytest.approx(0.9, rel=1e-9)
    assert not result.warnings


def test_second_cumulant_is_recovered_exactly_from_the_cumulant_form() -> None:
    setup = DLSSetup(angle_deg=90.0, temperature_c=25.0)
    gamma = _gamma_for(60.0, setup)
    mu2 = 0.2 * gamma**2
    g1 = np.exp(-gamma * TAU_S + mu2 * TAU_S**2 / 2)
    result = cumulants(TAU_S, 0.8 * g1**2, baseline_subtracted=True, setup=setup)
    assert result.value("pdi") == pytest.approx(0.2, rel=1e-8)
    assert result.value("z_average") == pytest.approx(60.0, rel=1e-8)
    # Stokes–Einstein by hand: d_H = k_B·T·q²/(3πηΓ̄).
    eta = setup.viscosity_pa_s
    by_hand = KT_25C * setup.q_per_m**2 / (3 * math.pi * eta * result.value("gamma")) * 1e9
    assert result.value("z_average") == pytest.approx(by_hand, rel=1e-12)


def test_noisy_correlation_recovers_size_within_one_percent() -> None:
    setup = DLSSetup()
    gamma = _gamma_for(150.0, setup)
    rng = np.random.default_rng(4)
    g2 = 1 + 0.9 * np.exp(-2 * gamma * TAU_S) + rng.normal(0, 1e-3, TAU_S.size)
    result = cumulants(TAU_S, g2, setup=setup)
    # Noise of 1e-3 on a 0.9 amplitude gives SE(Z) ≈ 0.1 %; 1 % and |PDI| < 0.02 leave a wide
    # margin, and 5 SE bounds this seeded draw.
    assert result.value("z_average") == pytest.approx(150.0, rel=0.01)
    assert abs(result.value("pdi")) < 0.02
    se = result["z_average"].stderr
    assert se is not None
    assert abs(result.value("z_average") - 150.0) < 5 * se


def test_broad_distribution_is_warned_and_bad_input_rejected() -> None:
    setup = DLSSetup()
    # equal intensities of 40 nm and 400 nm particles: a broad, bimodal sample
    g1 = 0.5 * np.exp(-_gamma_for(40.0, setup) * TAU_S)
    g1 += 0.5 * np.exp(-_gamma_for(400.0, setup) * TAU_S)
    result = cumulants(TAU_S, 1 + 0.9 * g1**2, setup=setup)
    assert result.value("pdi") > 0.3
    assert any("PDI" in w for w in result.warnings)
    with pytest.raises(DataFormatError, match="not positive"):
        cumulants(TAU_S, 0.9 * g1**2, setup=setup)  # g2 − 1 given as g2
    with pytest.raises(SpecificationError, match="angle"):
        DLSSetup(angle_deg=200.0)


def test_size_shift_matches_a_hand_welch_calculation() -> None:
    core, coated = [100.0, 102.0, 98.0], [115.0, 118.0, 112.0]
    result = size_shift(core, coated)
    shift = result["size_shift"]
    assert shift.value == pytest.approx(15.0)
    assert shift.stderr == pytest.approx(math.sqrt(4 / 3 + 9 / 3))
    expected = stats.ttest_ind(coated, core, equal_var=False).confidence_interval(0.95)
    assert shift.ci == pytest.approx((expected.low, expected.high))


def test_dls_table_detects_correlation_and_size_tables() -> None:
    setup = DLSSetup()
    gamma = _gamma_for(80.0, setup)
    rows: list[list[object]] = [["tau (us)", "g2"]]
    rows += [[t * 1e6, 1 + 0.9 * math.exp(-2 * gamma * t)] for t in TAU_S]
    [result] = analyze_dls_table(table_from_rows(rows, "g2"), setup=setup)
    assert result.value("z_average") == pytest.approx(80.0, rel=1e-8)
    sizes: list[list[object]] = [["sample", "Z-average (nm)", "PDI"]]
    sizes += [["core", z, 0.1] for z in (100, 102, 98)]
    sizes += [["coated", z, 0.2] for z in (115, 118, 112)]
    [shift] = analyze_dls_table(table_from_rows(sizes, "sizes"))
    assert shift.value("size_shift") == pytest.approx(15.0)
    assert shift.value("pdi[coated]") == pytest.approx(0.2)
    with pytest.raises(SpecificationError, match="reference"):
        analyze_dls_table(table_from_rows(sizes, "sizes"), reference="nope")
    with pytest.raises(DataFormatError, match="Z-average"):
        analyze_dls_table(table_from_rows([["a", "b"], [1, 2]], "bad"))


def test_debye_length_of_physiological_saline() -> None:
    # 150 mM 1:1 salt at 25 °C: κ⁻¹ ≈ 0.785 nm; textbook rule κ⁻¹ = 0.304/√(I/M) nm.
    assert debye_length_nm(150.0) == pytest.approx(0.785, abs=1e-3)
    assert debye_length_nm(10.0) == pytest.approx(0.304 / math.sqrt(0.010), rel=5e-3)


def test_smoluchowski_in_water_is_eta_mu_over_epsilon() -> None:
    result = zeta_from_mobility([-2.0, -2.1, -1.9])
    eta = water_viscosity_mpa_s(25.0) * 1e-3
    eps = water_relative_permittivity(25.0) * EPS0
    assert result.value("zeta") == pytest.approx(eta * -2.0e-8 / eps * 1e3, rel=1e-12)
    # SE propagates linearly: SE(ζ) = (η/ε)·SE(U_E), SE(U_E) = 0.1/√3 µm·cm/(V·s).
    se = result["zeta"].stderr
    assert se == pytest.approx(eta / eps * 0.1 / math.sqrt(3) * 1e-8 * 1e3, rel=1e-9)


def test_huckel_is_one_and_a_half_times_smoluchowski() -> None:
    smol = zeta_from_mobility([1.0, 1.2], model="smoluchowski").value("zeta")
    huckel = zeta_from_mobility([1.0, 1.2], model="huckel").value("zeta")
    assert huckel == pytest.approx(1.5 * smol, rel=1e-12)


def test_henry_function_limits_and_exact_henry() -> None:
    """Ohshima 1994 (doi:10.1006/jcis.1994.1419) vs Henry's exact f(κa).

    Exact form as in Swan & Furst, J. Colloid Interface Sci. 2012, 388, 92, Eq. 2; Ohshima
    states his closed form is within 1 % everywhere.
    """
    assert henry_function(1e-5) == pytest.approx(1.0, abs=1e-6)
    assert henry_function(1e5) == pytest.approx(1.5, abs=1e-4)
    for ka in np.geomspace(0.01, 300, 40):
        exact = (
            1
            + ka**2 / 16
            - 5 * ka**3 / 48
            - ka**4 / 8 * ((1 - ka) / 12 - (1 - ka**2 / 12) * np.exp(ka) * exp1(ka))
        )
        assert henry_function(ka) == pytest.approx(exact, rel=0.01)


def test_henry_needs_radius_and_ionic_strength_and_warns_outside_the_limits() -> None:
    with pytest.raises(SpecificationError, match="radius"):
        zeta_from_mobility([-2.0, -2.2], model="henry")
    henry = zeta_from_mobility([-2.0, -2.2], model="henry", radius_nm=50, ionic_strength_mm=1)
    ka = henry.value("kappa_a")
    assert henry.value("f_kappa_a") == pytest.approx(henry_function(ka))
    smol = zeta_from_mobility([-2.0, -2.2], radius_nm=50, ionic_strength_mm=1)
    assert any("Smoluchowski overestimates" in w for w in smol.warnings)
    assert henry.value("zeta") == pytest.approx(
        smol.value("zeta") * 1.5 / henry.value("f_kappa_a"), rel=1e-12
    )


def test_instrument_zeta_is_re_evaluated_with_henry() -> None:
    rows: list[list[object]] = [["zeta (mV)"], [-30.0], [-32.0], [-31.0]]
    result = analyze_zeta_table(
        table_from_rows(rows, "zeta"), model="henry", radius_nm=60, ionic_strength_mm=10
    )
    f = result.value("f_kappa_a")
    assert result.value("zeta") == pytest.approx(-31.0 * 1.5 / f, rel=1e-9)
    with pytest.raises(DataFormatError, match="mobility"):
        analyze_zeta_table(table_from_rows([["x"], [1]], "bad"))
