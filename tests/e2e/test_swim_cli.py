"""``nanocloak swim`` end to end (typer's runner, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from nanocloak.cli.commands import swim
from nanocloak.errors import SpecificationError


def _app() -> typer.Typer:
    app = typer.Typer()
    swim.register(app)
    app.command("noop")(lambda: None)  # keeps typer in multi-command mode
    return app


def test_swim_cli_json_plot_and_report(tmp_path: Path) -> None:
    plot, report = tmp_path / "swim.png", tmp_path / "swim.md"
    out = CliRunner().invoke(
        _app(),
        [
            "swim",
            "--pressure",
            "1MPa",
            "--frequency",
            "2.66MHz",
            "--medium",
            "serum",
            "--membrane",
            "leukocyte",
            "--swimmers",
            "200",
            "--json",
            "--plot",
            str(plot),
            "--report",
            str(report),
        ],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["medium"] == "serum"
    assert payload["frequency_hz"] == 2.66e6
    assert plot.stat().st_size > 0
    assert report.read_text().startswith("# Gallium nanoswimmers")


def test_swim_cli_table() -> None:
    out = CliRunner().invoke(_app(), ["swim", "--swimmers", "100"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "D_eff" in out.output


def test_swim_cli_rejects_bad_input() -> None:
    bad = CliRunner().invoke(_app(), ["swim", "--pressure", "1 m"])
    assert isinstance(bad.exception, SpecificationError)
    medium = CliRunner().invoke(_app(), ["swim", "--medium", "plasma"])
    assert isinstance(medium.exception, SpecificationError)
