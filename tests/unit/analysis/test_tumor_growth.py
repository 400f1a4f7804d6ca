"""Tumor growth efficacy: caliper formulas, T/C, ΔT/ΔC, TGI variants, mixed model, endpoints."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from nanocloak.analysis.group_tests import adjust_pvalues
from nanocloak.analysis.tumor_growth import (
    analyze_tumor_growth,
    caliper_volume_mm3,
    derive_endpoints,
    read_growth,
)
from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable, table_from_rows

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "data" / "efficacy"


def _volume_table(rows: list[tuple[str, str, float, float]], bw: bool = False) -> LabTable:
    header = ["animal", "group", "day", "volume (mm^3)"] + (["body weight (g)"] if bw else [])
    return table_from_rows([header, *[list(r) for r in rows]], "hand")


def _synthetic(
    rates: dict[str, float],
    n: int = 10,
    noise: float = 0.0,
    slope_sd: float = 0.0,
    seed: int = 1,
) -> LabTable:
    """Exponential growth V = V0_i·exp(k_i·t)·exp(e), V0_i varying between animals."""
    rng = np.random.default_rng(seed)
    rows: list[list[Any]] = [["animal", "group", "day", "volume (mm^3)"]]
    for g, (group, rate) in enumerate(rates.items()):
        for a in range(n):
            v0 = 80.0 + 40.0 * a / n
            k = rate + slope_sd * rng.standard_normal()
            for day in range(0, 22, 3):
                rows.append(
                    [f"{g}-{a}", group, day, v0 * math.exp(k * day + noise * rng.standard_normal())]
                )
    return table_from_rows(rows, "synthetic")


def test_caliper_formulas_analytic() -> None:
    length, width, height = np.array([10.0]), np.array([6.0]), np.array([4.0])
    assert caliper_volume_mm3(length, width)[0] == pytest.approx(180.0)
    assert caliper_volume_mm3(length, width, formula="pi/6*lw2")[0] == pytest.approx(
        math.pi / 6 * 360.0
    )
    assert caliper_volume_mm3(length, width, height, "pi/6*lwh")[0] == pytest.approx(
        math.pi / 6 * 240.0
    )
    # The larger diameter is L whichever column holds it.
    assert caliper_volume_mm3(width, length)[0] == pytest.approx(180.0)
    with pytest.raises(SpecificationError, match="height"):
        caliper_volume_mm3(length, width, formula="pi/6*lwh")


def test_read_growth_from_calipers_warns_on_swapped_diameters() -> None:
    table = table_from_rows(
        [
            ["animal", "group", "day", "length (cm)", "width (mm)"],
            ["a", "ctrl", 0, 1.0, 6.0],
            ["a", "ctrl", 3, 0.6, 10.0],
        ],
        "calipers",
    )
    data = read_growth(table)
    assert data.frame["volume_mm3"].tolist() == pytest.approx([180.0, 180.0])
    assert any("width > length" in w for w in data.warnings)


HAND = [
    ("A1", "Control", 0, 100.0),
    ("A1", "Control", 10, 500.0),
    ("A2", "Control", 0, 200.0),
    ("A2", "Control", 10, 900.0),
    ("A3", "Control", 0, 150.0),
    ("A3", "Control", 10, 700.0),
    ("B1", "Drug", 0, 100.0),
    ("B1", "Drug", 10, 200.0),
    ("B2", "Drug", 0, 300.0),
    ("B2", "Drug", 10, 400.0),
    ("B3", "Drug", 0, 200.0),
    ("B3", "Drug", 10, 300.0),
]


def test_tc_and_tgi_from_hand_computed_means() -> None:
    """C0 = 150, Ct = 700, T0 = 200, Tt = 300; mean RTV control 4.6556, drug 1.6667."""
    result = analyze_tumor_growth(_volume_table(HAND), random_effects="intercept")
    assert result.value("T/C_volume[Drug]") == pytest.approx(100 * 300 / 700)
    assert result.value("dT/dC[Drug]") == pytest.approx(100 * 100 / 550)
    assert result.value("TGI[Drug]") == pytest.approx(100 - 100 * 100 / 550)
    rtv_c = (5.0 + 4.5 + 700 / 150) / 3
    rtv_t = (2.0 + 4 / 3 + 1.5) / 3
    assert result.value("T/C_RTV[Drug]") == pytest.approx(100 * rtv_t / rtv_c)
    assert result.value("TGI_RTV[Drug]") == pytest.approx(100 - 100 * rtv_t / rtv_c)
    with pytest.raises(KeyError):
        result["regression[Drug]"]
    assert result.provenance["control"] == "Control"
    assert "volume column" in result.formulas[0]


def test_median_statistic_and_regression() -> None:
    rows = [r for r in HAND if r[1] == "Control"] + [
        ("B1", "Drug", 0, 100.0),
        ("B1", "Drug", 10, 50.0),
        ("B2", "Drug", 0, 300.0),
        ("B2", "Drug", 10, 100.0),
        ("B3", "Drug", 0, 200.0),
        ("B3", "Drug", 10, 60.0),
    ]
    result = analyze_tumor_growth(
        _volume_table(rows), statistic="median", random_effects="intercept"
    )
    # medians: C0 = 150, Ct = 700, T0 = 200, Tt = 60
    assert result.value("T/C_volume[Drug]") == pytest.approx(100 * 60 / 700)
    assert result.value("regression[Drug]") == pytest.approx(100 * (60 - 200) / 200)
    # analysis.md §3.2: regressing tumors give the regression %, not a negative ΔT/ΔC (−25 %)
    # and a TGI above 100 % (125 %)
    for name in ("dT/dC[Drug]", "TGI[Drug]"):
        with pytest.raises(KeyError):
            result[name]
    assert any("regressed" in w and "'Drug'" in w for w in result.warnings)
    assert any("instead of ΔT/ΔC" in f for f in result.formulas)


def test_bootstrap_over_animals_is_seeded_and_percentile() -> None:
    """The CI is the 2.5/97.5 percentiles of T/C recomputed on animals resampled within groups:
    redo it by hand with the same generator calls and compare exactly."""
    result = analyze_tumor_growth(
        _volume_table(HAND), random_effects="intercept", n_boot=500, seed=3
    )
    again = analyze_tumor_growth(
        _volume_table(HAND), random_effects="intercept", n_boot=500, seed=3
    )
    assert result["T/C_volume[Drug]"].ci == again["T/C_volume[Drug]"].ci
    control_t = np.array([r[3] for r in HAND if r[1] == "Control" and r[2] == 10])
    drug_t = np.array([r[3] for r in HAND if r[1] == "Drug" and r[2] == 10])
    rng = np.random.default_rng(3)
    ti = rng.integers(0, drug_t.size, size=(500, drug_t.size))
    ci = rng.integers(0, control_t.size, size=(500, control_t.size))
    reps = 100 * drug_t[ti].mean(axis=1) / control_t[ci].mean(axis=1)
    low, high = np.percentile(reps, [2.5, 97.5])
    estimate = result["T/C_volume[Drug]"]
    assert estimate.ci == pytest.approx((low, high))
    assert estimate.ci[0] <= estimate.value <= estimate.ci[1]
    assert "percentile bootstrap" in estimate.note
    assert result["TGI[Drug]"].ci is not None
    assert result.provenance["bootstrap"] == {"resamples": 500, "seed": 3, "method": "percentile"}
    with pytest.raises(SpecificationError):
        analyze_tumor_growth(_volume_table(HAND), n_boot=10)


def test_body_weight_change() -> None:
    rows = [
        ("A1", "Vehicle", 0, 100.0, 20.0),
        ("A1", "Vehicle", 7, 300.0, 21.0),
        ("A2", "Vehicle", 0, 120.0, 22.0),
        ("A2", "Vehicle", 7, 320.0, 22.0),
        ("B1", "NP", 0, 100.0, 20.0),
        ("B1", "NP", 7, 150.0, 15.0),
        ("B2", "NP", 0, 110.0, 25.0),
        ("B2", "NP", 7, 160.0, 24.0),
    ]
    header = ["animal", "group", "day", "volume (mm^3)", "body weight (g)"]
    table = table_from_rows([header, *[list(r) for r in rows]], "bw")
    result = analyze_tumor_growth(table, random_effects="intercept")
    assert result.value("bw_nadir[NP]") == pytest.approx((-25.0 - 4.0) / 2)
    assert result.value("bw_nadir[Vehicle]") == pytest.approx(0.0)
    assert any("lost more than 20%" in w and "B1" in w for w in result.warnings)
    summary = pd.DataFrame(result.tables["group_day_summary"])
    vehicle_7 = summary[(summary["group"] == "Vehicle") & (summary["day"] == 7)]
    assert vehicle_7["mean_bw_change_pct"].iloc[0] == pytest.approx(2.5)


def test_noise_free_exponential_growth_gives_exact_ratios() -> None:
    """RTV = exp(k·t) exactly, so T/C_RTV = 100·exp((k_T − k_C)·t) and the model recovers k."""
    rates = {"Vehicle": 0.15, "Drug": 0.05}
    result = analyze_tumor_growth(_synthetic(rates, n=6), random_effects="intercept")
    assert result.value("T/C_RTV[Drug]") == pytest.approx(100 * math.exp(-0.10 * 21), rel=1e-9)
    assert result.value("TGI_RTV[Drug]") == pytest.approx(100 * (1 - math.exp(-2.1)), rel=1e-9)
    assert result.value("growth_rate[Vehicle]") == pytest.approx(0.15, abs=1e-6)
    assert result.value("growth_rate[Drug]") == pytest.approx(0.05, abs=1e-6)
    assert result.value("TGI_rate[Drug]") == pytest.approx(100 * (1 - 0.05 / 0.15), abs=1e-3)


def test_mixed_model_recovers_rates_with_noise() -> None:
    """Seeded noise: residual SD 0.1 on log V and animal-to-animal slope SD 0.01/day.

    The SE of a group rate is then about sqrt(0.01²/10 + 0.1²/(10·Σ(t−t̄)²)) ≈ 0.0035/day
    (Σ(t−t̄)² = 315 for days 0..21 by 3), so the estimate must fall within 3 reported SE of the
    truth (a 0.3% chance per group of failing for an unlucky seed, fixed here) and the
    reported SE within a factor 2 of that value.
    """
    rates = {"Vehicle": 0.15, "Free": 0.10, "NP": 0.05}
    result = analyze_tumor_growth(
        _synthetic(rates, n=10, noise=0.1, slope_sd=0.01, seed=7), random_effects="slope"
    )
    expected_se = math.sqrt(0.01**2 / 10 + 0.1**2 / (10 * 315))
    for group, rate in rates.items():
        estimate = result[f"growth_rate[{group}]"]
        assert estimate.stderr is not None
        assert abs(estimate.value - rate) < 3 * estimate.stderr, group
        assert expected_se / 2 < estimate.stderr < 2 * expected_se
        assert estimate.ci is not None
        assert estimate.ci[1] - estimate.ci[0] == pytest.approx(2 * 1.959964 * estimate.stderr)
    comparisons = pd.DataFrame(result.tables["growth_rate_comparisons"])
    assert len(comparisons) == 3
    assert (comparisons["p_adj"] >= comparisons["p"] - 1e-15).all()
    assert result.value("p_time_x_group") < 1e-6


def test_auto_random_effects_picks_a_structure() -> None:
    result = analyze_tumor_growth(_synthetic({"ctrl": 0.1, "np": 0.05}, noise=0.1, seed=3))
    assert result.provenance["random_effects"] in ("intercept", "slope")
    assert any("AIC" in f for f in result.formulas)


def test_adjust_pvalues_by_hand() -> None:
    p = [0.01, 0.04, 0.03]
    assert adjust_pvalues(p, "holm") == pytest.approx([0.03, 0.06, 0.06])
    assert adjust_pvalues(p, "bh") == pytest.approx([0.03, 0.04, 0.04])
    assert adjust_pvalues(p, "bonferroni") == pytest.approx([0.03, 0.12, 0.09])
    assert adjust_pvalues(p, "none") == pytest.approx(p)
    assert np.isnan(adjust_pvalues([0.01, float("nan")], "holm")[1])
    with pytest.raises(SpecificationError, match="correction"):
        adjust_pvalues(p, "tukey")  # type: ignore[arg-type]


def test_single_day_tests_separate_days() -> None:
    result = analyze_tumor_growth(
        _synthetic({"Vehicle": 0.15, "NP": 0.02}, noise=0.1, seed=5), random_effects="intercept"
    )
    tests = pd.DataFrame(result.tables["single_day_tests"])
    day0 = tests[tests["day"] == 0].iloc[0]
    day21 = tests[tests["day"] == 21].iloc[0]
    assert day0["welch_p"] > 0.05
    assert day21["welch_p_adj"] < 1e-4
    # 10 vs 10 fully separated: raw p ≈ 1.8e-4 (normal approximation), times 8 days by Holm.
    assert day21["mann_whitney_p_adj"] < 1e-2
    assert (tests["welch_p_adj"] >= tests["welch_p"] - 1e-15).all()


def test_zero_volumes_are_imputed_for_logs() -> None:
    rows = [*HAND, ("B4", "Drug", 0, 100.0), ("B4", "Drug", 10, 0.0)]
    result = analyze_tumor_growth(_volume_table(rows), random_effects="intercept")
    assert any("zero volume" in w for w in result.warnings)


def test_endpoints_by_hand() -> None:
    rows = [
        ("a", "g", 0, 50.0),
        ("a", "g", 3, 120.0),
        ("a", "g", 6, 80.0),
        ("a", "g", 9, 200.0),
        ("a", "g", 12, 300.0),
        ("b", "g", 0, 10.0),
        ("b", "g", 3, 20.0),
        ("b", "g", 6, 30.0),
        ("c", "g", 0, 200.0),
        ("c", "g", 3, 300.0),
    ]
    data = read_growth(_volume_table(rows))

    def endpoints(mode: str, cap: float | None = None) -> dict[str, tuple[float, float]]:
        table = derive_endpoints(data, 100.0, mode, cap)  # type: ignore[arg-type]
        times = table.column(["time"], "day")
        events = table.column(["event"], None)
        return {
            a: (t, e) for a, t, e in zip(table.labels(["animal"]) or [], times, events, strict=True)
        }

    assert endpoints("first-reach") == {"a": (3, 1), "b": (6, 0), "c": (0, 1)}
    assert endpoints("os") == {"a": (6, 1), "b": (6, 0), "c": (0, 1)}
    assert endpoints("tfs") == {"a": (0, 1), "b": (6, 0), "c": (0, 1)}
    assert endpoints("first-reach", cap=2.0) == {"a": (2, 0), "b": (2, 0), "c": (0, 1)}


def test_input_errors() -> None:
    no_group = table_from_rows([["animal", "day", "volume"], ["a", 0, 1.0]], "x")
    with pytest.raises(DataFormatError, match="no group column"):
        analyze_tumor_growth(no_group)
    no_size = table_from_rows([["animal", "group", "day"], ["a", "g", 0]], "x")
    with pytest.raises(DataFormatError, match="no length and width"):
        analyze_tumor_growth(no_size)
    duplicated = _volume_table([("a", "g", 0, 1.0), ("a", "g", 0, 2.0)])
    with pytest.raises(DataFormatError, match="two rows for day 0"):
        analyze_tumor_growth(duplicated)
    with pytest.raises(SpecificationError, match="control"):
        analyze_tumor_growth(_volume_table(HAND), control="Saline")
    with pytest.raises(SpecificationError, match="measured day"):
        analyze_tumor_growth(_volume_table(HAND), day=5.0)
    with pytest.raises(SpecificationError, match="formula"):
        analyze_tumor_growth(_volume_table(HAND), formula="cube")  # type: ignore[arg-type]


def test_control_found_by_name() -> None:
    rows = [(a, "NP" if g == "Control" else "PBS", d, v) for a, g, d, v in HAND]
    result = analyze_tumor_growth(_volume_table(rows), random_effects="intercept")
    assert result.provenance["control"] == "PBS"


def test_example_file_and_cli(tmp_path: Path) -> None:
    example = EXAMPLES / "tumor_growth.csv"
    runner = CliRunner()
    report, plot = tmp_path / "r.md", tmp_path / "p.png"
    out = runner.invoke(
        app,
        [
            "analyze",
            "tumor-growth",
            str(example),
            "--json",
            "--report",
            str(report),
            "--plot",
            str(plot),
        ],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    names = {e["name"] for e in payload["estimates"]}
    assert {"TGI[CM-NP]", "T/C_RTV[Free drug]", "growth_rate[Vehicle]"} <= names
    assert report.read_text().startswith("## ")
    assert plot.stat().st_size > 0
    # Generated with k = 0.15, 0.10, 0.05 per day and slope SD 0.01 among 8 animals.
    rates = {e["name"]: e["value"] for e in payload["estimates"]}
    assert rates["growth_rate[Vehicle]"] == pytest.approx(0.15, abs=0.02)
    assert rates["growth_rate[CM-NP]"] == pytest.approx(0.05, abs=0.02)


def test_cli_batch_and_options(tmp_path: Path) -> None:
    example = EXAMPLES / "tumor_growth.csv"
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "analyze",
            "tumor-growth",
            str(example),
            str(example),
            "--day",
            "15 day",
            "--statistic",
            "median",
            "--random-effects",
            "intercept",
            "--correction",
            "bh",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert len(payload) == 2
    assert payload[0]["provenance"]["evaluation_day"] == 15.0
    frame = pd.read_csv(example)
    odd = frame["animal"].str[-1].astype(int) % 2 == 1
    frame["study"] = np.where(odd, "s1", "s2")
    split = tmp_path / "split.csv"
    frame.to_csv(split, index=False)
    out = runner.invoke(
        app, ["analyze", "tumor-growth", str(split), "--group-by", "study", "--json"]
    )
    assert out.exit_code == 0, out.output
    titles = [r["title"] for r in json.loads(out.output)]
    assert titles == [f"{split} [study=s1]", f"{split} [study=s2]"]
    bad = runner.invoke(app, ["analyze", "tumor-growth", str(example), "--statistic", "mode"])
    assert bad.exit_code != 0
    assert isinstance(bad.exception, SpecificationError)


def test_shipped_example_falls_back_from_a_degenerate_random_slope_fit() -> None:
    """The example's random-slope fit has a non-positive-definite Hessian (statsmodels warns);
    the analysis must use the random intercept instead and say why."""
    from nanocloak.io.tables import read_table

    for structure in ("slope", "auto"):
        result = analyze_tumor_growth(
            read_table(EXAMPLES / "tumor_growth.csv"),
            random_effects=structure,  # type: ignore[arg-type]
        )
        assert result.provenance["random_effects"] == "intercept"
        assert any("degenerate" in w for w in result.warnings)
        assert any("degenerate random-slope fit" in f for f in result.formulas)
        assert result["growth_rate[CM-NP]"].stderr is not None
