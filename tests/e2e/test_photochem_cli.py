"""``nanocloak pdt`` end to end (the command registered on a fresh Typer app)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nanocloak.cli.commands import pdt
from nanocloak.errors import SpecificationError, UnitError
from tests.conftest import EXAMPLES


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    pdt.register(application)

    @application.command("noop")  # a second command keeps 'pdt' a sub-command
    def noop() -> None:
        """Nothing."""

    return application


def test_concentration_run_prints_json(app: typer.Typer) -> None:
    result = CliRunner().invoke(
        app,
        [
            "pdt",
            "--concentration",
            "5 uM",
            "--laser",
            "660nm",
            "--irradiance",
            "0.1W/cm2",
            "--minutes",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "pdt_simulation"
    assert data["laser"]["irradiance_w_per_cm2"] == pytest.approx(0.1)
    assert data["metrics"]["surface_dose_mm"] > 0.0


def test_table_plot_and_report(app: typer.Typer, tmp_path: Path) -> None:
    plot, report = tmp_path / "pdt.png", tmp_path / "pdt.md"
    result = CliRunner().invoke(
        app,
        [
            "pdt",
            "--concentration",
            "2 uM",
            "--minutes",
            "1",
            "--plot",
            str(plot),
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "End of irradiation" in result.output
    assert plot.stat().st_size > 1000
    assert report.read_text(encoding="utf-8").startswith("# PDT singlet-oxygen dose")


def test_design_run(app: typer.Typer, tmp_path: Path) -> None:
    text = (EXAMPLES / "4t1_aunanocage_dox.toml").read_text(encoding="utf-8")
    text = text.replace('name = "doxorubicin"', 'name = "chlorin_e6"')
    path = tmp_path / "ce6.toml"
    path.write_text(text, encoding="utf-8")
    assert tomllib.loads(text)["cargos"][0]["name"] == "chlorin_e6"
    result = CliRunner().invoke(
        app, ["pdt", str(path), "--dose", "5mg/kg", "--after", "24h", "--minutes", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["concentration_source"]["mode"] == "design"


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (["pdt"], SpecificationError, "either a design file or --concentration"),
        (["pdt", "--concentration", "5"], UnitError, "--concentration"),
        (["pdt", "--concentration", "5 uM", "--laser", "808 nm"], SpecificationError, "peak"),
        (["pdt", str(EXAMPLES / "4t1_aunanocage_dox.toml")], SpecificationError, "photosensitizer"),
    ],
)
def test_errors_are_specification_errors(
    app: typer.Typer, args: list[str], error: type[Exception], match: str
) -> None:
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, error)
    assert match in str(result.exception)
