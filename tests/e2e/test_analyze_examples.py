"""Every ``nanocloak analyze`` command written in an example data README runs as written.

The commands are read from the fenced code blocks of ``examples/data/*/README.md`` (lines
starting with ``nanocloak analyze``, ``\\`` continuations joined), so the READMEs cannot drift
from the CLI; each data file there must appear in at least one command.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanocloak.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
runner = CliRunner()


def readme_commands() -> list[tuple[str, list[str]]]:
    """(README folder, argv after ``nanocloak``) for each command in the READMEs' code blocks."""
    commands: list[tuple[str, list[str]]] = []
    for readme in sorted(DATA.glob("*/README.md")):
        for block in FENCE.findall(readme.read_text(encoding="utf-8")):
            for line in block.replace("\\\n", " ").splitlines():
                if line.strip().startswith("nanocloak analyze"):
                    commands.append((readme.parent.name, shlex.split(line)[1:]))
    return commands


COMMANDS = readme_commands()


def _reject_constant(name: str) -> float:
    raise ValueError(f"JSON holds {name}")


@pytest.mark.parametrize(
    "argv",
    [argv for _, argv in COMMANDS],
    ids=[f"{folder}:{argv[1]}:{Path(argv[2]).name}" for folder, argv in COMMANDS],
)
def test_readme_command_runs(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    table = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert table.stdout.strip()
    out = runner.invoke(app, [*argv, "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout, parse_constant=_reject_constant)
    results = payload if isinstance(payload, list) else [payload]
    assert results
    assert all(r["estimates"] and r["formulas"] for r in results)


def test_every_example_file_has_a_command() -> None:
    named = {Path(arg).name for _, argv in COMMANDS for arg in argv}
    files = {
        p.name for p in DATA.glob("*/*") if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".fcs")
    }
    assert files, "no example data found"
    assert sorted(files - named) == []
    assert {folder for folder, _ in COMMANDS} == {p.parent.name for p in DATA.glob("*/README.md")}
