"""``nanocloak pk --schedule ... --sbml PATH`` writes the schedule into the SBML model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from nanocloak.cli.app import app

libsbml = pytest.importorskip("libsbml", reason="python-libsbml is not installed")
runner = CliRunner()


def test_pk_cli_writes_the_schedule_it_simulates_as_sbml(tmp_path: Path) -> None:
    out = tmp_path / "model.xml"
    args = ["pk", "--until", "30 h", "--schedule", "at 0, 24 h", "--json", "--sbml", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    text = out.read_text(encoding="utf-8")
    model = libsbml.readSBMLFromString(text).getModel()
    assert model.getNumEvents() == 1
    trigger = model.getEvent(0).getTrigger().getMath()
    assert trigger.getChild(1).getValue() == pytest.approx(24.0)
    roadrunner = pytest.importorskip("roadrunner", reason="libroadrunner is not installed")
    sbml_run = roadrunner.RoadRunner(text)
    sbml_run.integrator.relative_tolerance = 1e-10
    sbml_run.integrator.absolute_tolerance = 1e-14
    sbml_run.timeCourseSelections = ["time", "liver_b", "liver_t", "liver_res", "dosed"]
    final = sbml_run.simulate(0.0, 30.0, 31)[-1]
    dose_mg = 5.0 * payload["subjects"][0]["body_weight_kg"]
    assert final[4] == pytest.approx(2 * dose_mg, rel=1e-12)
    liver_pct = payload["subjects"][0]["percent_id"]["liver"][-1]
    # the CLI solves at its default rtol 1e-7, so the two runs agree to ~1e-6, not 1e-10
    np.testing.assert_allclose(100.0 * sum(final[1:4]) / final[4], liver_pct, rtol=1e-4)
