"""MRI relaxivity: T1/T2 curve fits, r1/r2 regression, warnings and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from nanocloak.analysis.relaxation_fits import fit_inversion_recovery, fit_multi_echo
from nanocloak.analysis.relaxivity import analyze_relaxivity, fit_relaxivity
from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import table_from_rows

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "data" / "relaxivity"
TI_S = np.array([25, 50, 100, 200, 400, 800, 1600, 3200, 6400]) / 1e3
TE_S = np.arange(1, 65) * 0.010
runner = CliRunner()


def _ir(ti_s: np.ndarray, t1_s: float, s0: float = 1000.0, inv: float = 0.97) -> np.ndarray:
    return s0 * (1.0 - 2.0 * inv * np.exp(-ti_s / t1_s))


def _curve_rows(
    conc_mm: list[float], r1: float, r2: float, r10: float, r20: float, noise: float, seed: int
) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    rows: list[list[object]] = [["sample", "Fe (mM)", "TI (ms)", "TE (ms)", "signal"]]
    for i, c in enumerate(conc_mm):
        t1, t2 = 1.0 / (r10 + r1 * c), 1.0 / (r20 + r2 * c)
        signal_ir = np.abs(_ir(TI_S, t1) + rng.normal(0.0, noise, TI_S.size))
        signal_me = 1000.0 * np.exp(-TE_S / t2) + rng.normal(0.0, noise, TE_S.size)
        rows += [[f"s{i}", c, ti * 1e3, None, s] for ti, s in zip(TI_S, signal_ir, strict=True)]
        rows += [[f"s{i}", c, None, te * 1e3, s] for te, s in zip(TE_S, signal_me, strict=True)]
    return rows


@pytest.mark.parametrize("t1_s", [0.05, 0.3, 1.2])
@pytest.mark.parametrize("magnitude", [True, False])
def test_inversion_recovery_recovers_t1_exactly_without_noise(t1_s: float, magnitude: bool) -> None:
    signal = _ir(TI_S, t1_s)
    fit = fit_inversion_recovery(TI_S, np.abs(signal) if magnitude else signal, magnitude=magnitude)
    assert fit.time_s == pytest.approx(t1_s, rel=1e-8)
    assert fit.nuisance == pytest.approx(0.97, rel=1e-8)
    assert fit.s0 == pytest.approx(1000.0, rel=1e-8)


@pytest.mark.parametrize("offset", [False, True])
def test_multi_echo_recovers_t2_exactly_without_noise(offset: bool) -> None:
    signal = 800.0 * np.exp(-TE_S / 0.045) + (25.0 if offset else 0.0)
    fit = fit_multi_echo(TE_S, signal, offset=offset)
    assert fit.time_s == pytest.approx(0.045, rel=1e-8)
    if offset:
        assert fit.nuisance == pytest.approx(25.0, rel=1e-6)


def test_noisy_curves_recover_t1_and_t2_within_their_standard_errors() -> None:
    rng = np.random.default_rng(7)
    t1_fit = fit_inversion_recovery(TI_S, np.abs(_ir(TI_S, 0.4) + rng.normal(0, 5, TI_S.size)))
    t2_fit = fit_multi_echo(TE_S, 1000 * np.exp(-TE_S / 0.06) + rng.normal(0, 5, TE_S.size))
    # 0.5 % noise: the fit SE is ~0.5 % of T; 4 SE bounds a seeded draw (two-sided p < 1e-4).
    for fit, truth in ((t1_fit, 0.4), (t2_fit, 0.06)):
        assert fit.time_se_s is not None
        assert abs(fit.time_s - truth) < 4 * fit.time_se_s
        assert fit.time_s == pytest.approx(truth, rel=0.02)


def test_relaxivity_regression_is_exact_on_a_straight_line() -> None:
    c = np.array([0.0, 0.1, 0.2, 0.4, 0.8])
    fit = fit_relaxivity(c, 0.5 + 12.0 * c)
    assert fit.slope == pytest.approx(12.0, rel=1e-12)
    assert fit.intercept == pytest.approx(0.5, rel=1e-12)
    assert not fit.weighted


def test_full_analysis_recovers_r1_r2_exactly_from_noise_free_curves() -> None:
    rows = _curve_rows([0.0, 0.05, 0.1, 0.2, 0.4], 8.0, 120.0, 0.4, 2.0, 0.0, 0)
    result = analyze_relaxivity(table_from_rows(rows, "noise-free"))
    assert result.value("r1") == pytest.approx(8.0, rel=1e-6)
    assert result.value("r2") == pytest.approx(120.0, rel=1e-6)
    assert result.value("R1_0") == pytest.approx(0.4, rel=1e-6)
    assert result.value("R2_0") == pytest.approx(2.0, rel=1e-6)
    assert result.value("r2_r1") == pytest.approx(15.0, rel=1e-6)


def test_ferumoxytol_relaxivities_are_recovered_from_simulated_curves() -> None:
    """Ferumoxytol in plasma at 1.5 T, 37 °C: r1 = 19.0 ± 1.7, r2 = 64.9 ± 1.8 s⁻¹mM⁻¹.

    Knobloch et al., Invest. Radiol. 2018 (values as in physics.md §7). Curves are simulated
    from those relaxivities with 0.5 % noise; the recovered values must lie within the published
    SDs, and the 95 % intervals must contain the simulated truth.
    """
    rows = _curve_rows([0.0, 0.025, 0.05, 0.1, 0.2, 0.4], 19.0, 64.9, 1 / 1.4, 4.0, 5.0, 11)
    result = analyze_relaxivity(table_from_rows(rows, "ferumoxytol"))
    assert abs(result.value("r1") - 19.0) < 1.7
    assert abs(result.value("r2") - 64.9) < 1.8
    assert result.value("r2_r1") == pytest.approx(64.9 / 19.0, rel=0.05)
    for name, truth in (("r1", 19.0), ("r2", 64.9)):
        ci = result[name].ci
        assert ci is not None
        assert ci[0] < truth < ci[1]


def test_confidence_intervals_cover_the_true_relaxivity() -> None:
    """Coverage of the 95 % WLS interval on 400 seeded data sets with known SEs.

    Rates carry Gaussian noise with SD proportional to the rate and the fit gets those SDs as
    weights, so the t interval is exact; 400 runs give a binomial SD of 1.1 %, and 91–99 % is
    about ±3.6 SD around 95 %.
    """
    rng = np.random.default_rng(3)
    c = np.array([0.0, 0.05, 0.1, 0.2, 0.3, 0.5])
    true_rate = 0.5 + 20.0 * c
    sd = 0.03 * true_rate
    hits = 0
    for _ in range(400):
        fit = fit_relaxivity(c, true_rate + rng.normal(0.0, sd), sd)
        hits += fit.slope_ci[0] < 20.0 < fit.slope_ci[1]
    assert 0.91 <= hits / 400 <= 0.99


def test_non_linear_rates_are_flagged_by_the_quadratic_term() -> None:
    c = np.array([0.0, 0.1, 0.2, 0.4, 0.6, 0.8])
    rows: list[list[object]] = [["Fe (mM)", "T2 (ms)"]]
    rows += [[ci, 1e3 / (1.0 + 60.0 * ci + 80.0 * ci**2)] for ci in c]
    result = analyze_relaxivity(table_from_rows(rows, "blood-like"))
    assert result.value("r2_quadratic_p") < 0.05
    assert any("not linear" in w for w in result.warnings)
    linear_rows: list[list[object]] = [["Fe (mM)", "T2 (ms)"]]
    rng = np.random.default_rng(5)
    linear_rows += [[ci, 1e3 / (1.0 + 60.0 * ci + rng.normal(0, 0.2))] for ci in c]
    linear = analyze_relaxivity(table_from_rows(linear_rows, "linear"))
    assert not any("not linear" in w for w in linear.warnings)


def test_too_few_concentrations_warn_and_one_is_an_error() -> None:
    rows: list[list[object]] = [["Fe (mM)", "T1 (ms)"], [0.0, 2000.0], [0.1, 800.0], [0.2, 500.0]]
    result = analyze_relaxivity(table_from_rows(rows, "three"))
    assert any("only 3 concentrations" in w for w in result.warnings)
    with pytest.raises(DataFormatError, match="at least two different"):
        analyze_relaxivity(table_from_rows([["Fe (mM)", "T1 (ms)"], [0.1, 800.0]], "one"))


def test_mass_concentration_is_converted_with_the_molar_mass_of_iron() -> None:
    c_mm = np.array([0.0, 0.1, 0.2, 0.4])
    rows: list[list[object]] = [["Fe (ug/mL)", "T1 (s)"]]
    rows += [[c * 55.845, 1.0 / (0.5 + 10.0 * c)] for c in c_mm]
    result = analyze_relaxivity(table_from_rows(rows, "mass"))
    assert result.value("r1") == pytest.approx(10.0, rel=1e-9)


def test_errors_name_what_is_missing() -> None:
    with pytest.raises(DataFormatError, match="iron-concentration"):
        analyze_relaxivity(table_from_rows([["x", "T1 (ms)"], [1, 2]], "bad"))
    with pytest.raises(DataFormatError, match="neither curves"):
        analyze_relaxivity(table_from_rows([["Fe (mM)", "y"], [1, 2]], "bad"))
    with pytest.raises(DataFormatError, match="cannot determine"):
        fit_multi_echo([0.01, 0.02], [3.0, 2.0])
    rows: list[list[object]] = [["Fe (mM)", "T1 (ms)"], [0, 1], [1, 2]]
    with pytest.raises(SpecificationError, match="weighting"):
        analyze_relaxivity(table_from_rows(rows, "x"), weighting="bogus")  # type: ignore[arg-type]


def test_short_sampling_is_warned() -> None:
    fit = fit_inversion_recovery(TI_S[:5], np.abs(_ir(TI_S[:5], 1.0)))
    assert any("longest TI" in w for w in fit.warnings)
    fit2 = fit_multi_echo(TE_S[:5], np.exp(-TE_S[:5] / 0.5))
    assert any("last echo" in w for w in fit2.warnings)


def test_result_reports_formulas_and_plots() -> None:
    rows = _curve_rows([0.0, 0.1, 0.2, 0.4], 10.0, 100.0, 0.5, 3.0, 2.0, 1)
    result = analyze_relaxivity(table_from_rows(rows, "plot"))
    text = result.report()
    assert "|S0·(1 − 2·inv·exp(−TI/T1))|" in text
    assert "R1 = R1,0 + r1·[Fe]" in text
    assert len(result.panels) == 3
    json.dumps(result.to_dict(), allow_nan=False)
    import matplotlib

    matplotlib.use("Agg")
    assert result.plot() is not None


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("ferumoxytol_plasma_1p5T_synthetic.csv", []),
        (
            "relaxation_times_two_particles.csv",
            ["--group-by", "particle", "--weighting", "relative"],
        ),
    ],
)
def test_cli_runs_on_the_examples(name: str, extra: list[str], tmp_path: Path) -> None:
    report, plot = tmp_path / "r.md", tmp_path / "r.png"
    args = ["analyze", "relaxivity", str(EXAMPLES / name), *extra]
    result = runner.invoke(app, [*args, "--json", "--report", str(report), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    payloads = payload if isinstance(payload, list) else [payload]
    assert all(p["kind"] == "relaxivity" for p in payloads)
    assert report.exists()
    assert plot.exists()


def test_cli_rejects_an_unknown_weighting() -> None:
    args = ["analyze", "relaxivity", str(EXAMPLES / "relaxation_times_two_particles.csv")]
    result = runner.invoke(app, [*args, "--weighting", "x"])
    assert isinstance(result.exception, SpecificationError)
