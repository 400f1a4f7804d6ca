"""``nanocloak pk [DESIGN.toml ...]``: designs with the membrane layer, JSON, plots, SBML.

The commands are mounted on a small Typer app of their own, so these tests exercise exactly
``nanocloak.cli.pk_cmd`` (the main app mounts the same function as ``pk``).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nanocloak.cli import pk_cmd
from nanocloak.errors import SpecificationError
from nanocloak.io.specs import load_design
from tests.conftest import EXAMPLES

runner = CliRunner()
app = typer.Typer()
app.command("pk")(pk_cmd.pk)
app.command("version")(lambda: None)  # a second command keeps "pk" a sub-command
RBC = str(EXAMPLES / "rbc_mnc_extrusion.toml")
PLATELET = str(EXAMPLES / "platelet_fe3o4_extrusion.toml")


def test_pk_design_cli_simulates_a_design_as_json() -> None:
    result = runner.invoke(app, ["pk", RBC, "--dose", "5mg/kg", "--until", "24h", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["design"] == "RBC-MNs-C"
    assert payload["dose_mg_per_kg"] == 5.0
    assert payload["t_h"][-1] == pytest.approx(24.0)
    base = json.loads(runner.invoke(app, ["pk", "--until", "24h", "--json"]).output)
    assert "design" not in base
    # the membrane layer acts: the coated particle's liver share differs from the base model's
    assert payload["subjects"][0]["percent_id"]["liver"][-1] != pytest.approx(
        base["subjects"][0]["percent_id"]["liver"][-1], rel=1e-3
    )


def test_pk_design_cli_compares_designs_with_plot_and_report(tmp_path: Path) -> None:
    plot, report = tmp_path / "cmp.png", tmp_path / "cmp.md"
    args = ["pk", RBC, PLATELET, "--until", "24 h", "--plot", str(plot), "--report", str(report)]
    result = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "RBC-MNs-C" in result.output
    assert plot.stat().st_size > 0
    text = report.read_text(encoding="utf-8")
    assert text.count("# Design:") == 2
    listed = runner.invoke(app, ["pk", RBC, PLATELET, "--until", "24 h", "--json"])
    payload = json.loads(listed.output)
    assert [p["design"] for p in payload] == [load_design(RBC).name, load_design(PLATELET).name]


@pytest.mark.skipif(importlib.util.find_spec("libsbml") is None, reason="needs python-libsbml")
def test_pk_design_cli_writes_sbml(tmp_path: Path) -> None:
    out = tmp_path / "model.xml"
    result = runner.invoke(app, ["pk", "--until", "2 h", "--sbml", str(out)])
    assert result.exit_code == 0, result.output
    assert "<sbml" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["pk", "--tumor-line", "4T1"], "a design file"),
        (["pk", RBC, "--mode", "reference"], "with design files"),
        (["pk", RBC, "--t-last", "48 h"], "no value with design files"),
    ],
)
def test_pk_design_cli_rejects_options_that_do_not_apply(args: list[str], match: str) -> None:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, SpecificationError)
    assert match in str(result.exception)
