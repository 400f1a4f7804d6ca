"""``nanocloak calibrate pk DATA.csv --fit ...``: the fit from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from nanocloak.cli.commands import calibrate
from nanocloak.errors import SpecificationError
from nanocloak.workflows.simulate_pk import simulate_pk

runner = CliRunner()
app = typer.Typer()
calibrate.register(app)
app.command("version")(lambda: None)


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Liver %ID of a simulated mouse with liver.k_max = 0.6 1/h, in minutes."""
    result = simulate_pk("mouse", 5.0, None, 72.0, {"liver.k_max": 0.6}, step_h=1.0)
    lines = ["time (min),organ,quantity,value"]
    for t_h in (1.0, 4.0, 24.0, 72.0):
        value = float(np.interp(t_h, result.t_h, result.series("liver", "%ID")))
        lines.append(f"{t_h * 60:g},liver,%ID,{value!r}")
    path = tmp_path_factory.mktemp("fit") / "liver.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_pk_fit_cli_json_recovers_the_parameter(data_file: Path, tmp_path: Path) -> None:
    plot, report = tmp_path / "fit.png", tmp_path / "fit.md"
    args = [
        "calibrate", "pk", str(data_file), "--fit", "liver.k_max", "--dose", "5 mg/kg",
        "--ci", "covariance", "--bounds", "liver.k_max=0.01:10", "--json",
        "--plot", str(plot), "--report", str(report),
    ]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    estimate = payload["estimates"][0]
    assert estimate["parameter"] == "liver.k_max"
    assert estimate["value"] == pytest.approx(0.6, rel=1e-5)
    assert estimate["lower_bound"] == 0.01
    assert plot.stat().st_size > 0
    assert "## Goodness of fit" in report.read_text(encoding="utf-8")


def test_pk_fit_cli_prints_a_table(data_file: Path) -> None:
    args = ["calibrate", "pk", str(data_file), "--fit", "liver.k_max", "--dose", "5 mg/kg",
            "--ci", "covariance", "--fixed", "spleen.k_max=5"]  # fmt: skip
    result = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "liver.k_max" in result.output
    assert "r2_log" in result.output


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        (["--fixed", "spleen.k_max"], "KEY=VALUE"),
        (["--bounds", "liver.k_max=0.1"], "KEY=LOW:HIGH"),
        (["--residuals", "robust"], "'auto', 'weighted' or 'log'"),
    ],
)
def test_pk_fit_cli_rejects_malformed_options(
    data_file: Path, extra: list[str], match: str
) -> None:
    args = ["calibrate", "pk", str(data_file), "--fit", "liver.k_max", "--dose", "5 mg/kg"]
    result = runner.invoke(app, [*args, *extra])
    assert isinstance(result.exception, SpecificationError)
    assert match in str(result.exception)
