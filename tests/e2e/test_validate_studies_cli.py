"""``nanocloak validate studies`` on a tiny study: table, JSON, report, and the exit status."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nanocloak.cli.app import app
from nanocloak.workflows.validate_studies import COLUMNS

DESIGN = Path(__file__).resolve().parents[2] / "examples" / "designs" / "rbc_mnc_extrusion.toml"
STUDY = f"""
name = "tiny"
duration = "2 d"
[tumor]
model = "MCF-7"
[readouts]
biodistribution = ["24 h"]
caliper_every = "1 d"
survival = false
[[groups]]
name = "RBC-MNs"
animals = 2
[groups.agent]
kind = "particle"
design = "{DESIGN.as_posix()}"
dose = "20 mg/kg"
[[groups]]
name = "MNs"
animals = 2
[groups.agent]
kind = "particle"
design = "{DESIGN.as_posix()}"
dose = "20 mg/kg"
coating = "bare"
"""
# The RBC membrane keeps particles in blood (CD47, less opsonization): that claim agrees;
# its mirror image cannot.
TRUE = ["blood_rbc_gt_bare", "tiny.toml", "blood", "", "24 h", "RBC-MNs", ">", "MNs"]
FALSE = ["blood_bare_gt_rbc", "tiny.toml", "blood", "", "24 h", "MNs", ">", "RBC-MNs"]


def _claims(tmp_path: Path, rows: list[list[str]]) -> Path:
    (tmp_path / "studies").mkdir(exist_ok=True)
    (tmp_path / "studies" / "tiny.toml").write_text(STUDY, encoding="utf-8")
    lines = [",".join(COLUMNS)]
    for row in rows:
        full = [*row, "", "", "longer circulation", "test", "", "validation", "song2022", ""]
        assert len(full) == len(COLUMNS)
        lines.append(",".join(full))
    path = tmp_path / "claims.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_studies_cli_passes_and_fails_loudly(tmp_path: Path) -> None:
    runner = CliRunner()
    good = _claims(tmp_path, [TRUE])
    report = tmp_path / "report.md"
    result = runner.invoke(
        app,
        [
            "validate",
            "studies",
            str(good),
            "--studies",
            str(tmp_path / "studies"),
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "agrees" in result.output
    assert "(1 of 1)" in result.output
    assert "blood_rbc_gt_bare" in report.read_text(encoding="utf-8")

    both = _claims(tmp_path, [TRUE, FALSE])
    result = runner.invoke(
        app, ["validate", "studies", str(both), "--studies", str(tmp_path / "studies"), "--json"]
    )
    assert result.exit_code == 1
    payload = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    verdicts = {r["id"]: r["verdict"] for r in payload["tables"]["claims"]}
    assert verdicts == {"blood_rbc_gt_bare": "agrees", "blood_bare_gt_rbc": "disagrees"}
    assert any("blood_bare_gt_rbc" in w for w in payload["warnings"])


def test_validate_studies_cli_names_a_missing_group(tmp_path: Path) -> None:
    bad = _claims(tmp_path, [[*TRUE[:5], "RBC", ">", "MNs"]])
    result = CliRunner().invoke(
        app, ["validate", "studies", str(bad), "--studies", str(tmp_path / "studies")]
    )
    assert result.exit_code != 0
    assert "no group 'RBC'" in str(result.exception)
