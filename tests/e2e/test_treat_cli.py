"""``nanocloak ptt`` and ``nanocloak mht`` end to end (typer's runner, real design files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from nanocloak.cli.app import app
from nanocloak.errors import SpecificationError
from tests.conftest import EXAMPLES

runner = CliRunner()
ELECTRO = str(EXAMPLES / "rbc_mnc_electroporation.toml")
EXTRUSION = str(EXAMPLES / "rbc_mnc_extrusion.toml")
FAST = ["--step", "1mm"]


def test_treat_cli_ptt_compares_designs_side_by_side() -> None:
    result = runner.invoke(
        app,
        [
            "ptt",
            ELECTRO,
            EXTRUSION,
            "--laser",
            "808nm",
            "--irradiance",
            "1W/cm2",
            "--minutes",
            "2",
            "--concentration",
            "0.3mg/mL",
            *FAST,
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "RBC-MNs-E" in result.output
    assert "RBC-MNs-C" in result.output
    row = next(line for line in result.output.splitlines() if "tumor max" in line)
    assert len([c for c in row.split("│") if any(ch.isdigit() for ch in c)]) == 2
    assert "fitted: tumor perfusion" in result.output


@pytest.fixture(scope="module")
def ptt_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path]:
    """``nanocloak ptt`` on both RBC-Fe3O4 batches, 24 h after a 20 mg/kg injection."""
    folder = tmp_path_factory.mktemp("ptt")
    report = folder / "ptt.md"
    plot = folder / "ptt.png"
    result = runner.invoke(
        app,
        [
            "ptt",
            ELECTRO,
            EXTRUSION,
            "--dose",
            "20mg/kg",
            "--after",
            "24h",
            "--minutes",
            "1",
            "--json",
            "--report",
            str(report),
            "--plot",
            str(plot),
            *FAST,
        ],
    )
    return result, report, plot


def test_treat_cli_ptt_pbpk_route_explains_the_difference(
    ptt_pair: tuple[Result, Path, Path],
) -> None:
    result, report, plot = ptt_pair
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.output)
    more, less = (
        (first, second)
        if first["delivery"]["concentration_mg_per_ml"]
        > second["delivery"]["concentration_mg_per_ml"]
        else (second, first)
    )
    assert more["metrics"]["tumor_max_final_c"] > less["metrics"]["tumor_max_final_c"]
    text = report.read_text(encoding="utf-8")
    assert "## Why the designs differ" in text
    assert "coverage" in text
    assert f"{more['design']} delivers" in text
    assert plot.stat().st_size > 5_000


def test_treat_cli_ptt_electroporation_delivers_more_than_extrusion(
    ptt_pair: tuple[Result, Path, Path],
) -> None:
    """Rao 2017 via Song 2022: the electroporated batch delivers more and heats more at 24 h."""
    result, _, _ = ptt_pair
    electro, extrusion = json.loads(result.output)
    assert (
        electro["delivery"]["concentration_mg_per_ml"]
        > extrusion["delivery"]["concentration_mg_per_ml"]
    )
    assert electro["metrics"]["tumor_max_final_c"] > extrusion["metrics"]["tumor_max_final_c"]


def test_treat_cli_mht_reports_the_field_limit() -> None:
    result = runner.invoke(
        app,
        [
            "mht",
            ELECTRO,
            "--field",
            "15kA/m",
            "--frequency",
            "300kHz",
            "--minutes",
            "2",
            "--concentration",
            "2mg/mL",
            "--json",
            *FAST,
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["kind"] == "treatment_mht"
    assert any("Brezovich" in w for w in payload["warnings"])


def test_treat_cli_rejects_dose_and_concentration_together() -> None:
    result = runner.invoke(
        app, ["ptt", ELECTRO, "--dose", "5mg/kg", "--concentration", "0.3mg/mL", *FAST]
    )
    assert isinstance(result.exception, SpecificationError)
    assert "either --concentration or --dose" in str(result.exception)


def test_treat_cli_core_without_optics_is_one_clear_error() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from nanocloak.cli.app import main; main()",
            "ptt",
            str(EXAMPLES / "macrophage_msn_dox.toml"),
            "--laser",
            "660nm",
            "--concentration",
            "0.3mg/mL",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "an optical model or a tabulated spectrum" in proc.stderr
    assert "Traceback" not in proc.stderr
