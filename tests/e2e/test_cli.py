"""The ``nanocloak`` command line, end to end (typer's runner, real files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanocloak.cli.app import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EXTRUSION = str(EXAMPLES / "rbc_mnc_extrusion.toml")
ELECTROPORATION = str(EXAMPLES / "rbc_mnc_electroporation.toml")


def test_design_twins_show_the_coating_difference_with_numbers() -> None:
    result = runner.invoke(
        app, ["design", EXTRUSION, ELECTROPORATION, "--samples", "2"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "RBC-MNs-C" in result.output
    assert "RBC-MNs-E" in result.output
    row = next(line for line in result.output.splitlines() if "Fully coated particles" in line)
    assert len([cell for cell in row.split("│") if any(ch.isdigit() for ch in cell)]) >= 3


def test_design_json_follows_the_documented_schema() -> None:
    result = runner.invoke(app, ["design", ELECTROPORATION, "--json", "--samples", "2"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["schema_version"] == 1
    assert payload["method"] == "microfluidic_electroporation"
    for key in (
        "metrics",
        "coverage_histogram",
        "batch_plan",
        "storage",
        "markers",
        "parameters",
        "sources",
        "provenance",
        "warnings",
        "design",
    ):
        assert key in payload
    metric = payload["metrics"]["fully_coated_share"]
    assert set(metric) == {"value", "low", "high", "unit"}
    assert sum(b["share"] for b in payload["coverage_histogram"]) == pytest.approx(1.0)
    for parameter in payload["parameters"].values():
        assert parameter["source"] in payload["sources"]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_every_example_designs(example: str, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    result = runner.invoke(
        app, ["design", str(EXAMPLES / example), "--samples", "2", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Design report")
    assert "## Sources" in text


def test_kb_commands() -> None:
    listed = runner.invoke(app, ["kb", "list", "materials"])
    assert listed.exit_code == 0
    assert "fe3o4_mnc" in listed.output
    shown = runner.invoke(app, ["kb", "show", "RBC"])
    assert shown.exit_code == 0
    assert "membrane_area" in shown.output
    studies = runner.invoke(app, ["kb", "studies", "platelet and PTT", "--json"])
    assert {row["ref"] for row in json.loads(studies.output)} == {32, 103, 108}
    source = runner.invoke(app, ["kb", "source", "song2022"])
    assert "10.1186/s12951-022-01475-w" in source.output
    values = runner.invoke(app, ["kb", "values", "--status", "verified"])
    assert values.exit_code == 0
    assert "verified" in values.output
    found = runner.invoke(app, ["kb", "search", "melanoma"])
    assert "b16_f10" in found.output


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from nanocloak.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_bad_input_is_one_clear_message_and_status_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        Path(EXTRUSION)
        .read_text()
        .replace('"fe3o4_mnc"', '"magnetit"')
        .replace("passes = 11", "passes = 99"),
        encoding="utf-8",
    )
    completed = _run_cli("design", str(broken))
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "core.material" in completed.stderr
    assert "'fe3o4'" in completed.stderr
    assert "passes" in completed.stderr


def test_missing_file_and_unknown_entry_are_clear() -> None:
    missing = _run_cli("design", "no/such/file.toml")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    unknown = _run_cli("kb", "show", "plateletz")
    assert unknown.returncode == 2
    assert "platelet" in unknown.stderr


def test_report_is_written_atomically(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.md"
    result = runner.invoke(app, ["design", EXTRUSION, "--samples", "0", "--report", str(report)])
    assert result.exit_code == 0
    assert report.exists()
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".")]


def test_pk_command_is_registered() -> None:
    result = runner.invoke(app, ["pk", "--until", "24 h", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["species"] == "mouse"
    assert payload["t_h"][-1] == pytest.approx(24.0)
