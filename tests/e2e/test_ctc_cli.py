"""``nanocloak ctc`` end to end (typer's runner, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from nanocloak.cli.commands import ctc
from nanocloak.errors import SpecificationError


def _app() -> typer.Typer:
    app = typer.Typer()
    ctc.register(app)
    app.command("noop")(lambda: None)  # keeps typer in multi-command mode
    return app


def test_ctc_cli_json_plot_and_report(tmp_path: Path) -> None:
    plot, report = tmp_path / "ctc.png", tmp_path / "ctc.md"
    out = CliRunner().invoke(
        _app(),
        [
            "ctc",
            "--blood",
            "1mL",
            "--ctcs",
            "100",
            "--incubation",
            "30min",
            "--flow",
            "1mL/h",
            "--membrane",
            "leukocyte",
            "--json",
            "--plot",
            str(plot),
            "--report",
            str(report),
        ],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["flow_ml_per_h"] == 1.0
    assert 0.0 <= payload["metrics"]["capture_efficiency"] <= 1.0
    assert plot.stat().st_size > 0
    assert report.read_text().startswith("# CTC capture")


def test_ctc_cli_table() -> None:
    out = CliRunner().invoke(_app(), ["ctc", "--membrane", "none"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "capture_efficiency" in out.output
    assert "Review: about 90 %" in out.output


def test_ctc_cli_rejects_bad_input() -> None:
    bad = CliRunner().invoke(_app(), ["ctc", "--flow", "1"])
    assert bad.exit_code != 0
    assert isinstance(bad.exception, SpecificationError)
    wrong = CliRunner().invoke(_app(), ["ctc", "--membrane", "platelet"])
    assert isinstance(wrong.exception, SpecificationError)
