"""The release, release-compare and loading commands run on every shipped example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError

EXAMPLES = Path(__file__).parents[3] / "examples" / "data" / "release"
runner = CliRunner()


def _run(*args: str) -> list[dict[str, object]] | dict[str, object]:
    result = runner.invoke(app, ["analyze", *args, "--json"])
    assert result.exit_code == 0, result.output
    payload: list[dict[str, object]] | dict[str, object] = json.loads(result.output)
    return payload


def test_release_batch_over_groups(tmp_path: Path) -> None:
    report, plot = tmp_path / "r.md", tmp_path / "r.png"
    result = runner.invoke(
        app,
        [
            "analyze",
            "release",
            str(EXAMPLES / "release_two_formulations.csv"),
            "--group-by",
            "formulation",
            "--models",
            "base",
            "--report",
            str(report),
            "--plot",
            str(plot),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Weibull" in report.read_text()
    assert plot.stat().st_size > 0


def test_release_recovers_the_synthetic_weibull() -> None:
    """Synthetic: Weibull α = 4 h^β, β = 0.7, 2 % noise on 30 points; 5 SE covers it easily."""
    payload = _run(
        "release",
        str(EXAMPLES / "release_two_formulations.csv"),
        "--group-by",
        "formulation",
        "--models",
        "weibull,first_order+Fmax",
    )
    assert isinstance(payload, list)
    first = {e["name"]: e for e in payload[0]["estimates"]}  # type: ignore[index]
    beta = first["weibull.beta"]
    assert abs(beta["value"] - 0.7) < 5 * beta["stderr"]


def test_release_from_concentrations_with_sampling_correction() -> None:
    """Synthetic dialysis data: first-order k1 = 0.2 1/h to Fmax = 90 %, 1 % CV noise."""
    payload = _run(
        "release",
        str(EXAMPLES / "release_dialysis_concentrations.csv"),
        "--sample-volume",
        "1 mL",
        "--medium-volume",
        "20 mL",
        "--loaded-dose",
        "0.5 mg",
        "--models",
        "first_order+Fmax,weibull",
    )
    assert isinstance(payload, dict)
    estimates = {e["name"]: e["value"] for e in payload["estimates"]}  # type: ignore[index]
    assert estimates["first_order+Fmax.k1"] == pytest.approx(0.2, rel=0.03)
    assert estimates["first_order+Fmax.fmax"] == pytest.approx(90.0, rel=0.02)


def test_release_compare_and_loading_run() -> None:
    compare = _run(
        "release-compare", str(EXAMPLES / "shah1998_dissolution.csv"), "--bootstrap", "500"
    )
    assert isinstance(compare, list)
    assert len(compare) == 5
    loading = _run("loading", str(EXAMPLES / "loading_replicates.csv"), "--group-by", "formulation")
    assert isinstance(loading, list)
    assert len(loading) == 2


def test_cli_input_errors_are_nanocloak_errors() -> None:
    missing = runner.invoke(
        app, ["analyze", "release", str(EXAMPLES / "release_dialysis_concentrations.csv")]
    )
    assert isinstance(missing.exception, DataFormatError)
    bad = runner.invoke(
        app,
        ["analyze", "release", str(EXAMPLES / "release_two_formulations.csv"), "--rank-by", "R2"],
    )
    assert isinstance(bad.exception, SpecificationError)
