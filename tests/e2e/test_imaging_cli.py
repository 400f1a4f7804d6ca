"""``nanocloak image`` end to end (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nanocloak.cli.commands import image
from nanocloak.errors import SpecificationError

DESIGNS = Path(__file__).resolve().parents[2] / "examples" / "designs"
E = str(DESIGNS / "rbc_mnc_electroporation.toml")
C = str(DESIGNS / "rbc_mnc_extrusion.toml")


def _app() -> typer.Typer:
    # Register only this command: the test does not depend on the other command modules.
    app = typer.Typer()
    image.register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps typer in sub-command mode
        """No-op."""

    return app


def test_mri_two_designs_side_by_side(tmp_path: Path) -> None:
    plot, report = tmp_path / "mri.png", tmp_path / "mri.md"
    result = CliRunner().invoke(
        _app(),
        ["image", E, C, "--times", "4, 24 h", "--plot", str(plot), "--report", str(report)],
    )
    assert result.exit_code == 0, result.output
    assert "RBC-MNs-E" in result.output
    assert "RBC-MNs-C" in result.output
    assert plot.stat().st_size > 0
    assert report.read_text().count("# T2-weighted MRI darkening") == 2


def test_fluorescence_json() -> None:
    result = CliRunner().invoke(
        _app(),
        ["image", E, "--modality", "fluorescence", "--label", "icg", "--times", "24 h", "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["kind"] == "fluorescence_time_course"
    assert payload["label"] == "icg"
    assert {row["organ"] for row in payload["rows"]} == {"tumor", "liver", "spleen"}


def test_bad_modality_is_a_specification_error() -> None:
    result = CliRunner().invoke(_app(), ["image", E, "--modality", "pet"])
    assert isinstance(result.exception, SpecificationError)
    assert "--modality" in str(result.exception)


def test_parse_times() -> None:
    assert image.parse_times_h("1,4,24,48 h") == [1.0, 4.0, 24.0, 48.0]
    assert image.parse_times_h("30 min, 2 h") == [0.5, 2.0]
    with pytest.raises(SpecificationError, match="--times"):
        image.parse_times_h(" , ")
