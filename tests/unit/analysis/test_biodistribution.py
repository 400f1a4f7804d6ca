"""Biodistribution: %ID, %ID/g, group statistics, standard curves, delivery, AUC ratios, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanocloak.analysis.biodistribution import (
    StandardCurve,
    biodistribution,
    fit_standard_curve,
)
from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import table_from_rows
from nanocloak.units import parse_quantity

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "data" / "pk"


def _amount_table() -> list[list[object]]:
    return [
        ["Mouse", "Time (h)", "Organ", "Tissue mass (g)", "Amount (ug)", "Dose (ug)"],
        ["m1", 4, "tumor", 0.2, 2.0, 100],
        ["m2", 4, "tumor", 0.25, 4.0, 100],
        ["m1", 4, "blood", 0.1, 10.0, 100],
        ["m2", 4, "blood", 0.1, 8.0, 100],
        ["m1", 24, "tumor", 0.2, 3.0, 100],
        ["m2", 24, "tumor", 0.2, 5.0, 100],
        ["m1", 24, "blood", 0.1, 1.0, 100],
        ["m2", 24, "blood", 0.1, 2.0, 100],
    ]


def test_percent_injected_dose_by_hand() -> None:
    """%ID = 100·amount/dose; %ID/g = %ID/mass. Tumor at 4 h: 2 and 4 %ID, 10 and 16 %ID/g:
    mean 3 ± SD √2 %ID, 13 ± SD √18 %ID/g."""
    r = biodistribution(table_from_rows(_amount_table(), "hand"))
    rows = {(row["time"], row["organ"]): row for row in r.tables["biodistribution"]}
    tumor4 = rows[(4.0, "tumor")]
    assert tumor4["n"] == 2
    assert tumor4["pct_id_mean"] == pytest.approx(3.0)
    assert tumor4["pct_id_sd"] == pytest.approx(2**0.5)
    assert tumor4["pct_id_per_g_mean"] == pytest.approx(13.0)
    assert tumor4["pct_id_per_g_sd"] == pytest.approx(18**0.5)
    assert r.value("tumor_pct_id[all_4h]") == pytest.approx(3.0)
    assert r["tumor_pct_id[all_4h]"].stderr == pytest.approx(1.0)  # SD/√n = √2/√2


def test_auc_ratio_by_hand() -> None:
    """Mean %ID/g: tumor 13 (4 h), 20 (24 h); blood 90, 15. Linear trapezoid over 4–24 h:
    AUC_tumor = 20·(13 + 20)/2 = 330, AUC_blood = 20·(90 + 15)/2 = 1050; ratio 330/1050."""
    r = biodistribution(table_from_rows(_amount_table(), "hand"))
    assert r.value("auc_ratio_tumor_blood[all]") == pytest.approx(330 / 1050)
    assert r.tables["AUC ratios"][0]["auc_tumor"] == pytest.approx(330)


def test_icp_digest_concentration_times_volume() -> None:
    """C_digest 50 µg/L in 10 mL = 0.5 µg; dose 0.1 mg = 100 µg → 0.5 %ID; 0.5 g → 1 %ID/g."""
    rows = [
        ["Organ", "Tissue mass (g)", "Digest concentration (ug/L)", "Digest volume (mL)"],
        ["liver", 0.5, 50, 10],
    ]
    r = biodistribution(table_from_rows(rows, "icp"), dose=parse_quantity("0.1 mg", "ug", "d"))
    row = r.tables["per sample"][0]
    assert row["amount"] == pytest.approx(0.5)
    assert row["pct_id"] == pytest.approx(0.5)
    assert row["pct_id_per_g"] == pytest.approx(1.0)
    assert any("no tumor" in w for w in r.warnings)


def test_standard_curve_exact_and_applied_with_dilution() -> None:
    curve = fit_standard_curve([0, 1, 2, 5], [100, 900, 1700, 4100], "ug")
    assert curve.slope == pytest.approx(800)
    assert curve.intercept == pytest.approx(100)
    assert curve.r_squared == pytest.approx(1.0)
    rows = [["Organ", "Tissue mass (g)", "Signal (RFU)", "Dilution"], ["tumor", 0.25, 500, 2]]
    r = biodistribution(
        table_from_rows(rows, "fl"), dose=parse_quantity("10 ug", "ug", "d"), standard_curve=curve
    )
    # amount = (500 − 100)/800 · 2 = 1 µg → 10 %ID, 40 %ID/g
    assert r.value("tumor_pct_id[all]") == pytest.approx(10.0)
    assert r.value("tumor_pct_id_per_g[all]") == pytest.approx(40.0)


def test_standard_curve_in_other_units_is_converted() -> None:
    curve = StandardCurve(slope=1.0, intercept=0.0, amount_unit="ng")
    rows = [["Organ", "Tissue mass (g)", "Signal"], ["tumor", 1.0, 1000.0]]
    r = biodistribution(
        table_from_rows(rows, "fl"), dose=parse_quantity("100 ug", "ug", "d"), standard_curve=curve
    )
    assert r.value("tumor_pct_id[all]") == pytest.approx(1.0)  # 1000 ng = 1 µg of 100 µg


def test_input_errors() -> None:
    rows = [["Organ", "Tissue mass (g)", "Signal"], ["tumor", 1.0, 1000.0]]
    with pytest.raises(SpecificationError, match="standard curve"):
        biodistribution(table_from_rows(rows, "fl"), dose=parse_quantity("1 ug", "ug", "d"))
    with pytest.raises(SpecificationError, match="dose"):
        biodistribution(table_from_rows(rows, "fl"), standard_curve=StandardCurve(1, 0, "ug"))
    no_amount = [["Organ", "Tissue mass (g)"], ["tumor", 1.0]]
    with pytest.raises(DataFormatError, match="no way to get the tracer amount"):
        biodistribution(table_from_rows(no_amount, "x"), dose=parse_quantity("1 ug", "ug", "d"))
    with pytest.raises(DataFormatError, match="at least 3 standards"):
        fit_standard_curve([1, 2], [3, 4], "ug")
    with pytest.raises(DataFormatError, match="non-positive slope"):
        fit_standard_curve([1, 2, 3], [3, 2, 1], "ug")
    zero_mass = [["Organ", "Mass (g)", "Amount (ug)"], ["tumor", 0.0, 1.0]]
    with pytest.raises(DataFormatError, match="positive"):
        biodistribution(table_from_rows(zero_mass, "x"), dose=parse_quantity("1 ug", "ug", "d"))


def test_plot_and_json() -> None:
    r = biodistribution(table_from_rows(_amount_table(), "hand"))
    json.dumps(r.to_dict(), allow_nan=False)
    assert len(r.panels) == 2  # bars at the last time and the time course
    import matplotlib

    matplotlib.use("Agg")
    assert r.plot() is not None


@pytest.mark.parametrize(
    "args",
    [
        ["biodistribution_icp.csv"],
        [
            "biodistribution_fluorescence.csv",
            "--standards",
            str(EXAMPLES / "fluorescence_standards.csv"),
            "--dose",
            "50 ug",
        ],
        [
            "biodistribution_fluorescence.csv",
            "--slope",
            "850",
            "--intercept",
            "120",
            "--dose",
            "50 ug",
        ],
    ],
)
def test_cli_runs_on_examples(args: list[str], tmp_path: Path) -> None:
    out = CliRunner().invoke(
        app,
        [
            "analyze",
            "biodistribution",
            str(EXAMPLES / args[0]),
            *args[1:],
            "--json",
            "--plot",
            str(tmp_path / "bd.png"),
        ],
    )
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    tumor = [e for e in result["estimates"] if e["name"].startswith("tumor_pct_id[")]
    assert tumor
    # synthetic truth (README): tumor 1.2–3.5 %ID per group and time
    assert all(0.5 < e["value"] < 6 for e in tumor)
    assert (tmp_path / "bd.png").exists()


def test_cli_group_by_splits_results() -> None:
    out = CliRunner().invoke(
        app,
        [
            "analyze",
            "biodistribution",
            str(EXAMPLES / "biodistribution_icp.csv"),
            "--group-by",
            "Group",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.stdout)) == 2
