"""Batch runs of ``nanocloak analyze``: failures per file/group, messages, ``--sheet``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
runner = CliRunner()

RELEASE = """formulation,Time (h),Released (%)
A,0,0
A,1,20
A,2,35
A,4,55
A,8,75
B,0,
B,1,
B,2,
C,0,0
C,1,
C,2,40
C,4,60
"""


def _release(tmp_path: Path, text: str = RELEASE) -> Path:
    path = tmp_path / "release.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, for its exit status and stderr."""
    return subprocess.run(
        [sys.executable, "-c", "from nanocloak.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_bad_groups_are_reported_and_the_good_one_kept(tmp_path: Path) -> None:
    path = _release(tmp_path)
    report = tmp_path / "r.md"
    out = runner.invoke(
        app,
        [
            *("analyze", "release", str(path), "--group-by", "formulation", "--models", "base"),
            *("--json", "--report", str(report)),
        ],
    )
    assert out.exit_code == 1  # partial failure, out.output
    payload = json.loads(out.stdout)
    assert set(payload) == {"results", "failures"}
    assert [r["title"] for r in payload["results"]] == [f"{path} [formulation=A]"]
    failures = payload["failures"]
    assert [f["group"] for f in failures] == ["formulation=B", "formulation=C"]
    assert all(f["file"] == str(path) and f["error"] == "DataFormatError" for f in failures)
    # each message names the file, the group and the column
    assert failures[0]["message"] == (
        f"{path} [formulation=B]: column 'Released' (release) is empty"
    )
    assert failures[1]["message"] == (
        f"{path} [formulation=C]: column 'Released' (release) lacks a number in 1 of 4 rows"
    )
    assert "formulation=B" in out.stderr
    assert "2 of 3 parts failed" in out.stderr
    text = report.read_text(encoding="utf-8")
    assert "Failed parts" in text
    assert "formulation=C" in text


def test_table_output_keeps_the_good_files(tmp_path: Path) -> None:
    bad = tmp_path / "no_masses.csv"
    bad.write_text("replicate,drug\n1,1\n2,2\n", encoding="utf-8")
    good = DATA / "release" / "loading_replicates.csv"
    out = runner.invoke(app, ["analyze", "loading", str(bad), str(good)], env={"COLUMNS": "200"})
    assert out.exit_code == 1  # partial failure, out.output
    assert "encapsulation efficiency" in out.stdout
    assert f"{bad}: no mass column" in out.stderr
    assert "columns are: replicate, drug" in out.stderr


def test_an_unreadable_file_is_one_failure_of_the_batch(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    good = DATA / "characterization" / "ctc_capture.csv"
    out = runner.invoke(app, ["analyze", "ctc", str(missing), str(good), "--json"])
    assert out.exit_code == 1  # partial failure, out.output
    payload = json.loads(out.stdout)
    assert len(payload["results"]) == 1
    assert payload["failures"][0]["file"] == str(missing)
    assert "does not exist" in payload["failures"][0]["message"]


def test_every_part_failed_exits_2_with_every_message(tmp_path: Path) -> None:
    text = "\n".join(line for line in RELEASE.splitlines() if not line.startswith("A,"))
    path = _release(tmp_path, text)
    out = runner.invoke(app, ["analyze", "release", str(path), "--group-by", "formulation"])
    assert isinstance(out.exception, DataFormatError)
    assert "every part failed (2)" in str(out.exception)
    done = _cli("analyze", "release", str(path), "--group-by", "formulation")
    assert done.returncode == 2
    assert "formulation=B" in done.stderr
    assert "formulation=C" in done.stderr
    assert "Traceback" not in done.stderr


def test_one_failed_part_is_one_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "load.csv"
    path.write_text("batch,Fed (mg),Free (mg)\nX,1,\nX,1,\n", encoding="utf-8")
    out = runner.invoke(app, ["analyze", "loading", str(path), "--group-by", "batch"])
    assert isinstance(out.exception, DataFormatError)
    assert str(out.exception) == f"{path} [batch=X]: column 'Free' (free mass) is empty"
    done = _cli("analyze", "loading", str(path))
    assert done.returncode == 2
    assert "column 'Free' (free mass) is empty" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_analysis_error_names_file_and_group(tmp_path: Path) -> None:
    path = tmp_path / "load.csv"
    path.write_text("batch,Fed (mg),Carrier (mg)\nX,1,5\nX,1,5\n", encoding="utf-8")
    out = runner.invoke(app, ["analyze", "loading", str(path), "--group-by", "batch"])
    assert isinstance(out.exception, SpecificationError)
    assert str(out.exception).startswith(f"{path} [batch=X]: loading data: got 'masses of ")


def test_a_bad_option_fails_before_the_batch() -> None:
    out = runner.invoke(
        app, ["analyze", "nca", str(DATA / "pk" / "theophylline.csv"), "--route", "oral"]
    )
    assert isinstance(out.exception, SpecificationError)
    assert str(out.exception).startswith("--route: got 'oral'; expected extravascular or")


SHEET_CASES = [
    ("relaxivity", "relaxivity/relaxation_times_two_particles.csv", ["--group-by", "particle"]),
    ("release", "release/release_two_formulations.csv", ["--group-by", "formulation"]),
    ("ctc", "characterization/ctc_capture.csv", ["--group-by", "beads"]),
    ("loading", "release/loading_replicates.csv", ["--group-by", "formulation"]),
]


@pytest.mark.parametrize(("command", "name", "extra"), SHEET_CASES)
def test_sheet_by_name_or_index(command: str, name: str, extra: list[str], tmp_path: Path) -> None:
    """The commands that lacked ``--sheet`` read the chosen sheet (the first is a decoy)."""
    source = DATA / name
    if command == "release":
        extra = [*extra, "--models", "base"]
    book = tmp_path / "book.xlsx"
    raw = pd.read_csv(source, header=None, dtype=str, keep_default_na=False)
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame([["nothing"], ["here"]]).to_excel(
            writer, sheet_name="decoy", index=False, header=False
        )
        raw.to_excel(writer, sheet_name="data", index=False, header=False)
    expected = runner.invoke(app, ["analyze", command, str(source), *extra, "--json"])
    assert expected.exit_code == 0, expected.output
    for sheet in ("data", "1"):
        out = runner.invoke(
            app, ["analyze", command, str(book), *extra, "--sheet", sheet, "--json"]
        )
        assert out.exit_code == 0, out.output
        got, want = json.loads(out.stdout), json.loads(expected.stdout)
        assert [e["value"] for r in got for e in r["estimates"]] == pytest.approx(
            [e["value"] for r in want for e in r["estimates"]]
        )
