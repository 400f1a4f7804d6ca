"""The characterization commands run on every shipped example and fail cleanly on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError

runner = CliRunner()
DATA = Path(__file__).resolve().parents[3] / "examples" / "data" / "characterization"

CASES = [
    ("dls", ["dls_correlation_rbc_np.csv", "--group-by", "run"], "dls_cumulants", 3),
    ("dls", ["dls_sizes_core_vs_coated.csv"], "dls_size_shift", 1),
    (
        "zeta",
        ["zeta_mobility.csv", "--group-by", "sample", "--model", "henry", "--radius", "55 nm",
         "--ionic-strength", "10 mM"],
        "zeta_potential",
        2,
    ),
    (
        "fret",
        ["fret_fusion.csv", "--baseline", "RBC labelled", "--max", "Triton X-100",
         "--donor-only", "DiI only"],
        "fret_fusion",
        1,
    ),
    (
        "western",
        ["western_markers.csv", "--group-by", "protein", "--reference", "RBC ghosts"],
        "western_blot",
        2,
    ),
    (
        "flow",
        ["flow_rbc_np.fcs", "--control", str(DATA / "flow_bare_np.fcs"), "--unstained",
         str(DATA / "flow_cells_only.fcs"), "--channel", "DiD", "--n-boot", "200"],
        "flow_mfi",
        1,
    ),
    (
        "flow",
        ["flow_mfi_replicates.csv", "--control", "bare NP", "--unstained", "cells only"],
        "flow_mfi_replicates",
        1,
    ),
    ("ctc", ["ctc_capture.csv", "--group-by", "beads"], "ctc_capture", 2),
]  # fmt: skip


@pytest.mark.parametrize(("command", "args", "kind", "count"), CASES)
def test_command_runs_on_example(
    command: str, args: list[str], kind: str, count: int, tmp_path: Path
) -> None:
    report, plot = tmp_path / "report.md", tmp_path / "plot.png"
    argv = ["analyze", command, str(DATA / args[0]), *args[1:]]
    result = runner.invoke(app, [*argv, "--json", "--report", str(report), "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    payloads = payload if isinstance(payload, list) else [payload]
    assert len(payloads) == count
    assert {p["kind"] for p in payloads} == {kind}
    assert all(p["formulas"] for p in payloads)
    assert "Formulas and conventions" in report.read_text(encoding="utf-8")
    assert plot.stat().st_size > 0
    table = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output


def test_bad_options_raise_nanocloak_errors() -> None:
    zeta = runner.invoke(app, ["analyze", "zeta", str(DATA / "zeta_mobility.csv"), "--model", "x"])
    assert isinstance(zeta.exception, SpecificationError)
    dls = runner.invoke(
        app, ["analyze", "dls", str(DATA / "dls_sizes_core_vs_coated.csv"), "--angle", "173"]
    )
    assert isinstance(dls.exception, SpecificationError)
    flow = runner.invoke(
        app, ["analyze", "flow", str(DATA / "flow_rbc_np.fcs"), "--control", "x.fcs"]
    )
    assert isinstance(flow.exception, SpecificationError)
    western = runner.invoke(app, ["analyze", "western", str(DATA / "ctc_capture.csv")])
    assert isinstance(western.exception, DataFormatError)
