"""``nanocloak study run`` and ``study compare`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from nanocloak.cli.app import app

STUDY = """
name = "cli study"
seed = 3
duration = "6 d"
[tumor]
model = "B16-F10"
[readouts]
caliper_every = "1 d"
[[groups]]
name = "PBS"
animals = 3
[[groups]]
name = "DOX"
animals = 3
[groups.agent]
kind = "free_drug"
drug = "doxorubicin"
dose = "5 mg/kg"
schedule = "every 48 h x 2"
"""


def test_run_writes_store_parquet_and_report_then_compare_reads_it(tmp_path: Path) -> None:
    spec = tmp_path / "study.toml"
    spec.write_text(STUDY, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    ran = runner.invoke(app, ["study", "run", str(spec), "--out", str(out), "--quiet"])
    assert ran.exit_code == 0, ran.output
    assert "DOX" in ran.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Tumor growth" in html
    assert "Statistics against the control" in html
    assert (out / "parquet" / "endpoints.parquet").is_file()
    assert not (out / ".checkpoints").exists()  # cleared once the store and report are written
    with duckdb.connect(str(out / "study.duckdb"), read_only=True) as con:
        groups = con.execute('SELECT DISTINCT "group" FROM endpoints ORDER BY 1').fetchall()
    assert groups == [("DOX",), ("PBS",)]
    compared = runner.invoke(app, ["study", "compare", str(out), "--json"])
    assert compared.exit_code == 0, compared.output
    payload = json.loads(compared.output)
    analyses = payload if isinstance(payload, list) else [payload]
    names = {e["name"] for a in analyses for e in a["estimates"]}
    assert "TGI[DOX]" in names


def test_invalid_study_is_one_clear_message(tmp_path: Path) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(STUDY.replace('duration = "6 d"', "duration = 6"), encoding="utf-8")
    result = CliRunner().invoke(app, ["study", "run", str(spec), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "duration" in str(result.exception) or "duration" in result.output
