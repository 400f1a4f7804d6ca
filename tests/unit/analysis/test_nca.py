"""Non-compartmental analysis: analytic cases, PKNCA's rules, BLQ handling, CLI."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from nanocloak.analysis.nca import c0_logslope, nca, nca_table
from nanocloak.analysis.nca_auc import integrate
from nanocloak.analysis.nca_data import clean_blq, read_concentrations
from nanocloak.analysis.terminal_slope import best_lambda_z
from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import table_from_rows

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "data" / "pk"
T_IV = np.array([0.5, 1, 2, 4, 8, 12, 24, 36, 48])


def test_monoexponential_iv_bolus_is_exact() -> None:
    """C = 10·exp(−0.1 t), dose 100: the log trapezoid and the log-AUMC rule are exact for a
    mono-exponential, and C0 by log back-extrapolation is exactly 10, so AUC∞ = C0/k = 100,
    t½ = ln2/k, MRT = 1/k = 10, CL = 1, Vz = Vss = 10."""
    r = nca(T_IV, 10 * np.exp(-0.1 * T_IV), 100.0, route="iv-bolus")
    exact = {
        "c0": 10.0,
        "lambda_z": 0.1,
        "half_life": math.log(2) / 0.1,
        "aucinf_obs": 100.0,
        "aucinf_pred": 100.0,
        "aumcinf_obs": 1000.0,
        "mrt_obs": 10.0,
        "cl_obs": 1.0,
        "vz_obs": 10.0,
        "vss_obs": 10.0,
        "clast_pred": 10 * math.exp(-4.8),
    }
    for name, value in exact.items():
        assert r.value(name) == pytest.approx(value, rel=1e-12), name
    # all points after Tmax (which is t = 0.5, excluded) lie on the line: most points win
    assert r.value("lambda_z_n_points") == len(T_IV) - 1
    assert r.value("aucpext_obs") == pytest.approx(100 * math.exp(-4.8), rel=1e-12)
    assert r.value("auc_back_extrap_pct") == pytest.approx(
        100 * (1 - math.exp(-0.05)), rel=1e-12
    )  # of AUC∞ = 100


def test_linear_trapezoid_is_exact_for_a_linear_profile() -> None:
    t = np.array([0.0, 1, 2, 4, 7])
    c = 10.0 - t  # straight line: trapezoids are exact
    r = nca(t, c, auc_method="linear")
    assert r.value("auclast") == pytest.approx(10 * 7 - 7**2 / 2)
    # t·C is quadratic, so its trapezoid is not exact; check the rule by hand instead
    by_hand = sum(
        (t2 - t1) * (t1 * (10 - t1) + t2 * (10 - t2)) / 2 for t1, t2 in itertools.pairwise(t)
    )
    assert r.value("aumclast") == pytest.approx(by_hand)


def test_segment_rules_by_hand() -> None:
    t, c = np.array([0.0, 1.0, 3.0]), np.array([0.0, 8.0, 2.0])
    auc, aumc = integrate(t, c, "lin-up/log-down")
    log_auc = 2 * (2 - 8) / math.log(2 / 8)
    log_aumc = 2 * (2 * 3 - 8 * 1) / math.log(2 / 8) - 4 * (2 - 8) / math.log(2 / 8) ** 2
    assert auc == pytest.approx(4.0 + log_auc)
    assert aumc == pytest.approx(4.0 + log_aumc)
    assert integrate(t, c, "linear")[0] == pytest.approx(4.0 + 10.0)


def test_bi_exponential_auc_converges_to_the_analytic_value() -> None:
    """C = 10e^(−t) + 5e^(−0.1t): AUC∞ = 10 + 50 = 60; AUMC∞ = 10 + 500 = 510.

    Dense sampling; the log trapezoid is not exact for a sum of exponentials, so allow 0.1 %;
    C0 comes from the chord of the first 0.2 h (α = 1/h), which is 0.12 % low, so allow 0.2 %.
    """
    t = np.linspace(0.05, 120, 600)
    c = 10 * np.exp(-t) + 5 * np.exp(-0.1 * t)
    r = nca(t, c, 150.0, route="iv-bolus")
    assert r.value("c0") == pytest.approx(15.0, rel=2e-3)
    # the best-fit window reaches back to where e^(−t) still adds ~0.1 %: allow 0.5 %
    assert r.value("lambda_z") == pytest.approx(0.1, rel=5e-3)
    assert r.value("aucinf_obs") == pytest.approx(60.0, rel=1e-3)
    assert r.value("mrt_obs") == pytest.approx(510 / 60, rel=1e-3)
    assert r.value("cl_obs") == pytest.approx(2.5, rel=1e-3)


def test_lambda_z_excludes_tmax_and_prefers_more_points_within_tolerance() -> None:
    t = np.array([1.0, 2, 3, 4, 5, 6])
    c = np.array([10.0, 8, 4, 2, 1, 0.5])  # last 5 points: exact halving per unit time
    fit = best_lambda_z(t, c, tmax=1.0, tlast=6.0)
    assert fit is not None
    assert fit.n_points == 5  # Tmax (t = 1) is excluded even though it is near the line
    assert fit.lambda_z == pytest.approx(math.log(2))
    with_tmax = best_lambda_z(t, c, tmax=1.0, tlast=6.0, allow_tmax=True)
    assert with_tmax is not None
    assert with_tmax.n_points == 5


def test_lambda_z_takes_the_best_adjusted_r2_not_the_most_points() -> None:
    t = np.array([0.0, 1, 2, 4, 6, 8, 12, 24])
    c = np.array([0.0, 10, 9.6, 7.0, 5.2, 3.0, 1.1, 0.06])
    fit = best_lambda_z(t, c, tmax=1.0, tlast=24.0)
    assert fit is not None
    cands = fit.candidates
    best = max(cd["adj_r_squared"] for cd in cands)
    within = [cd for cd in cands if cd["adj_r_squared"] > best - 1e-4 and cd["lambda_z"] > 0]
    assert fit.n_points == max(cd["n_points"] for cd in within)
    assert fit.n_points < len(cands) + 2  # not simply all points


def test_too_few_points_after_tmax_gives_no_terminal_phase() -> None:
    r = nca([0, 1, 2, 3], [0, 1, 5, 4], 10.0)
    assert "lambda_z" not in [e.name for e in r.estimates]
    assert any("no terminal phase" in w for w in r.warnings)
    assert best_lambda_z(np.array([1.0, 2, 3]), np.array([5.0, 4, 3]), 1.0, 3.0) is None


def test_blq_rules_follow_pknca_defaults() -> None:
    t = np.array([0.0, 0.5, 1, 2, 4, 8, 12, 24])
    c = np.array([np.nan, 0.5, 2, 1, np.nan, 0.5, np.nan, np.nan])
    blq = np.array([True, False, False, False, True, False, True, True])
    tt, cc, notes = clean_blq(t, c, blq)
    # first BLQ kept as 0, the middle one dropped, trailing ones kept as 0
    assert tt.tolist() == [0.0, 0.5, 1, 2, 8, 12, 24]
    assert cc.tolist() == [0.0, 0.5, 2, 1, 0.5, 0.0, 0.0]
    assert len(notes) == 3
    tt, cc, _ = clean_blq(t, c, blq, ("drop", "drop", "drop"))
    assert tt.tolist() == [0.5, 1, 2, 8]


def test_blq_does_not_change_auclast_but_sets_aucall() -> None:
    t = np.array([0.0, 1, 2, 4, 8, 12])
    c = np.array([0.0, 4, 3, 2, 1, 0.01])
    r = nca(t, c, loq=0.05)
    same = nca(t[:-1], c[:-1])
    assert r.value("auclast") == pytest.approx(same.value("auclast"))
    assert r.value("aucall") == pytest.approx(same.value("auclast") + 4 * 1 / 2)


def test_c0_log_back_extrapolation() -> None:
    t = np.array([1.0, 3.0, 6.0])
    c = np.array([8.0, 2.0, 1.0])
    assert c0_logslope(t, c) == pytest.approx(16.0)
    assert c0_logslope(t, np.array([2.0, 8.0, 1.0])) is None
    r = nca(t, np.array([2.0, 8.0, 1.0]), route="iv-bolus")
    assert r.value("c0") == 2.0
    assert any("C0 set to the first" in w for w in r.warnings)


def test_extravascular_without_time_zero_assumes_zero() -> None:
    r = nca([1.0, 2, 4, 8], [4.0, 3, 2, 1])
    assert r.value("auclast") == pytest.approx(
        2.0 + integrate(np.array([1.0, 2, 4, 8]), np.array([4.0, 3, 2, 1]), "lin-up/log-down")[0]
    )
    assert any("C(0) = 0 assumed" in w for w in r.warnings)


def test_partial_auc_interpolates_on_the_log_scale() -> None:
    t = np.array([0.0, 1, 2, 4, 8])
    c = np.array([0.0, 8, 4, 2, 1])
    r = nca(t, c, auc_end=3.0)
    c3 = 4 * math.exp(-math.log(2) / 2)
    expected = integrate(np.array([0.0, 1, 2, 3]), np.array([0.0, 8, 4, c3]), "lin-up/log-down")[0]
    assert r.value("aucint_end") == pytest.approx(expected)
    assert r.value("auclast_end") == pytest.approx(integrate(t[:3], c[:3], "lin-up/log-down")[0])


def test_noisy_monoexponential_recovers_lambda_z() -> None:
    """5 % log-normal noise on 8 terminal points: the SE of λz is about 0.05/(σ_t·√8) ≈
    0.0012 h⁻¹ here, so 5 % (0.005 h⁻¹, > 4 SE) bounds the error for this seed."""
    rng = np.random.default_rng(7)
    t = np.array([0.25, 0.5, 1, 2, 4, 8, 12, 16, 24, 36])
    c = 20 * np.exp(-0.1 * t) * np.exp(rng.normal(0, 0.05, t.size))
    r = nca(t, c, 200.0, route="iv-bolus")
    assert r.value("lambda_z") == pytest.approx(0.1, rel=0.05)
    assert r.value("aucinf_obs") == pytest.approx(200.0, rel=0.05)


def test_input_errors() -> None:
    with pytest.raises(DataFormatError, match="repeated sampling time"):
        nca([0, 1, 1, 2], [0, 3, 2, 1])
    with pytest.raises(DataFormatError, match="negative concentrations"):
        nca([0, 1, 2], [0, -1, 2])
    with pytest.raises(DataFormatError, match="no quantifiable"):
        nca([0, 1, 2], [0, 0, 0])
    with pytest.raises(DataFormatError, match="equally long"):
        nca([0, 1, 2], [0, 1])
    with pytest.raises(SpecificationError, match="auc_end"):
        nca([0, 1, 2, 3], [0, 3, 2, 1], auc_end=-1.0)


def test_blq_text_in_tables() -> None:
    table = table_from_rows(
        [["Time (h)", "Conc (ng/mL)"], [0, "BLQ"], [1, 50], [2, "<10"], [4, 20], [8, ""]],
        "test",
    )
    c, blq, unit = read_concentrations(table, "mg/L")
    assert unit == "mg/L"
    assert blq.tolist() == [True, False, True, False, False]
    assert c[1] == pytest.approx(0.05)
    bad = table_from_rows([["Time (h)", "Conc (mg/L)"], [0, "oops"], [1, 2]], "bad")
    with pytest.raises(DataFormatError, match="BLQ-style text"):
        read_concentrations(bad)


def test_nca_table_rejects_several_doses() -> None:
    table = table_from_rows(
        [["Time (h)", "Conc (mg/L)", "Dose (mg)"], [0, 0, 1], [1, 5, 2], [2, 4, 1]], "two"
    )
    with pytest.raises(DataFormatError, match="several doses"):
        nca_table(table)


def test_result_reports_and_plots() -> None:
    r = nca(T_IV, 10 * np.exp(-0.1 * T_IV), 100.0, route="iv-bolus")
    assert "Vss = CL·MRT" in r.report()
    assert r.panels[0].yscale == "log"
    json.dumps(r.to_dict(), allow_nan=False)
    import matplotlib

    matplotlib.use("Agg")
    assert r.plot() is not None


@pytest.mark.parametrize(
    ("file", "args"),
    [
        ("theophylline.csv", ["--group-by", "Subject", "--auc-end", "24 h"]),
        (
            "iv_bolus_nca_blq.csv",
            ["--route", "iv-bolus", "--dose", "150 mg", "--auc-method", "linear"],
        ),
    ],
)
def test_cli_runs_on_examples(file: str, args: list[str], tmp_path: Path) -> None:
    out = CliRunner().invoke(
        app,
        [
            "analyze",
            "nca",
            str(EXAMPLES / file),
            *args,
            "--json",
            "--report",
            str(tmp_path / "r.md"),
            "--plot",
            str(tmp_path / "p.png"),
        ],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    rows = payload if isinstance(payload, list) else [payload]
    assert all(any(e["name"] == "auclast" for e in r["estimates"]) for r in rows)
    assert (tmp_path / "p.png").exists()
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("## ")


def test_cli_rejects_a_bad_route() -> None:
    out = CliRunner().invoke(
        app, ["analyze", "nca", str(EXAMPLES / "iv_bolus_nca_blq.csv"), "--route", "oral"]
    )
    assert out.exit_code != 0
    assert isinstance(out.exception, SpecificationError)
