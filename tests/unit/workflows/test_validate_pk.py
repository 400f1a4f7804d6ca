"""``validate_pk`` and ``nanocloak validate pk``: fold errors, shipped observations, roles."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nanocloak.cli import validate_cmd
from nanocloak.errors import DataFormatError
from nanocloak.knowledge import loader
from nanocloak.results.analysis import AnalysisResult
from nanocloak.workflows.simulate_pk import simulate_pk
from nanocloak.workflows.validate_pk import (
    COLUMNS,
    direction_holds,
    fold_error,
    gmfe,
    load_observations,
    share_within,
    validate_pk,
    within_fold,
)

SHIPPED = Path(__file__).resolve().parents[3] / "examples" / "validation" / "pk_observations.csv"


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


def _row(**kw: str) -> dict[str, str]:
    base = {
        "kind": "value",
        "quantity": "DE24",
        "output": "tumor",
        "time_h": "24",
        "species": "mouse",
        "dose_mg_per_kg": "5",
        "particle": "test",
        "scenario": "base",
        "unit": "%ID",
        "source": "cheng2020",
        "provenance": "V-abs",
    }
    return {**base, **kw}


@pytest.fixture(scope="module")
def shipped() -> AnalysisResult:
    return validate_pk(SHIPPED)


@pytest.fixture(scope="module")
def base_de24() -> float:
    return simulate_pk("mouse", 5.0, None, 168.0).metrics()["DE24_percent"]


# --- arithmetic on hand cases ------------------------------------------------------------------
def test_fold_error_is_symmetric_and_at_least_one() -> None:
    assert fold_error(2.0, 1.0) == pytest.approx(2.0)
    assert fold_error(1.0, 2.0) == pytest.approx(2.0)
    assert fold_error(0.76, 0.76) == 1.0
    assert fold_error(0.0191, 0.35) == pytest.approx(0.35 / 0.0191)
    assert math.isinf(fold_error(0.0, 1.0))
    assert math.isinf(fold_error(1.0, -1.0))


def test_within_two_fold_boundaries() -> None:
    assert within_fold(2.0, 1.0)
    assert within_fold(0.5, 1.0)
    assert not within_fold(2.01, 1.0)
    assert not within_fold(0.49, 1.0)
    assert share_within([1.0, 2.0, 3.0, 1.5]) == 0.75
    assert share_within([2.5]) == 0.0
    assert math.isnan(share_within([]))
    assert gmfe([2.0, 8.0]) == pytest.approx(4.0)  # 10^mean(log10 2, log10 8) = sqrt(16)
    assert gmfe([1.0]) == 1.0


def test_direction_relations() -> None:
    assert direction_holds(">", 2.0, 1.0)
    assert not direction_holds(">", 1.0, 1.0)
    assert direction_holds("<", 1.0, 2.0)
    assert not direction_holds("<", 2.0, 1.0)
    assert direction_holds("~", 1.9, 1.0)
    assert not direction_holds("~", 2.1, 1.0)


# --- the shipped observations ------------------------------------------------------------------
def test_shipped_observations_load_with_sources_and_roles() -> None:
    rows = load_observations(SHIPPED)
    sources = loader.sources()
    assert {r.source for r in rows} <= set(sources)
    assert {r.role for r in rows} == {"validation", "calibration"}
    assert {r.provenance for r in rows} <= {"V-abs", "unverified"}
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids))
    # the published medians of pbpk.md section 6.1 (V-abs)
    values = {r.id: r.observed for r in rows if r.kind == "value"}
    assert values == {
        "wilhelm2016_de_median": 0.70,
        "cheng2020_de24_median": 0.76,
        "cheng2020_de168_median": 0.35,
        # Hu 2011 RBC/PEG ratios (biology.md 3a, unverified): 39.6/15.8 h and 29/11 %
        "hu2011_thalf_ratio_rbc_peg": 2.51,
        "hu2011_blood72_ratio_rbc_peg": 2.64,
    }
    assert {r.unit for r in rows if r.kind == "value" and r.reference_scenario} == {"ratio"}


def test_shipped_validation_runs_and_tables_hold_the_arithmetic(
    shipped: AnalysisResult, base_de24: float
) -> None:
    values = shipped.tables["values"]
    assert len(values) == 5
    assert len(shipped.tables["directions"]) == 17
    ratio = next(r for r in values if r["id"] == "hu2011_blood72_ratio_rbc_peg")
    assert ratio["unit"] == "ratio"
    assert "/ base" in ratio["quantity"]
    wilhelm = next(r for r in values if r["id"] == "wilhelm2016_de_median")
    assert wilhelm["predicted"] == pytest.approx(base_de24, rel=1e-12)
    for row in values:
        assert row["fold_error"] == pytest.approx(fold_error(row["predicted"], row["observed"]))
        assert row["within_2_fold"] == ("yes" if row["fold_error"] <= 2.0 else "no")
    for role in ("validation", "calibration"):
        fes = [r["fold_error"] for r in values if r["role"] == role]
        assert shipped.value(f"share_within_2fold_{role}") == pytest.approx(share_within(fes))
        dirs = [r for r in shipped.tables["directions"] if r["role"] == role]
        passed = sum(r["result"] == "pass" for r in dirs) / len(dirs)
        assert shipped.value(f"directions_passed_{role}") == pytest.approx(passed)
    json.dumps(shipped.to_dict(), allow_nan=False)


def test_report_separates_calibration_from_validation(shipped: AnalysisResult) -> None:
    text = shipped.report()
    assert "share within 2-fold (validation" in text
    assert "share within 2-fold (calibration" in text
    assert "role 'calibration'" in text
    for row in shipped.tables["values"] + shipped.tables["directions"]:
        line = next(line for line in text.splitlines() if line.startswith(f"| {row['id']} |"))
        assert f"| {row['role']} |" in line


def test_only_validation_rows_enter_the_validation_share(tmp_path: Path, base_de24: float) -> None:
    """A calibration row 10-fold off must not lower the validation share, and vice versa."""
    path = _write(
        tmp_path / "obs.csv",
        [
            _row(id="good", role="validation", observed=f"{base_de24 * 1.5}"),
            _row(id="off", role="calibration", observed=f"{base_de24 * 10}"),
            _row(
                id="dir",
                kind="direction",
                quantity="percent_id",
                output="liver+spleen",
                time_h="168",
                relation=">",
                observed="1",
                role="validation",
            ),
        ],
    )
    result = validate_pk(path)
    assert result.value("share_within_2fold_validation") == 1.0
    assert result.value("share_within_2fold_calibration") == 0.0
    assert result.value("gmfe_validation") == pytest.approx(1.5)
    assert result.value("directions_passed_validation") == 1.0
    assert math.isnan(result.value("directions_passed_calibration"))
    assert any("off (calibration)" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"role": "training"}, "role"),
        ({"quantity": "DE12"}, "quantity"),
        ({"observed": "-1"}, "positive"),
        ({"unit": "h"}, "%ID"),
        ({"kind": "direction", "relation": "=>"}, "relation"),
        ({"dose_mg_per_kg": ""}, "dose"),
    ],
)
def test_rejects_bad_rows(tmp_path: Path, change: dict[str, str], match: str) -> None:
    row = {**_row(id="x", role="validation", observed="1"), **change}
    path = _write(tmp_path / "bad.csv", [row])
    with pytest.raises(DataFormatError, match=match):
        load_observations(path)


def test_rejects_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("id,kind\nx,value\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="missing columns"):
        load_observations(path)


# --- CLI -------------------------------------------------------------------------------------
def test_cli_prints_json_report_and_plot(tmp_path: Path, base_de24: float) -> None:
    app = typer.Typer()
    app.add_typer(validate_cmd.app, name="validate")
    path = _write(tmp_path / "obs.csv", [_row(id="m", role="validation", observed="0.7")])
    runner = CliRunner()
    out = runner.invoke(app, ["validate", "pk", str(path), "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["tables"]["values"][0]["predicted"] == pytest.approx(base_de24)
    report, plot = tmp_path / "r.md", tmp_path / "p.png"
    out = runner.invoke(
        app, ["validate", "pk", str(path), "--report", str(report), "--plot", str(plot)]
    )
    assert out.exit_code == 0, out.output
    assert "Validation observations" in out.output
    assert "fold_error" in out.output
    assert report.read_text(encoding="utf-8").startswith("## PBPK validation")
    assert plot.stat().st_size > 0
