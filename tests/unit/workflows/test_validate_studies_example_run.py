"""One real example study end to end (reduced settings) with the review claims that name it."""

from __future__ import annotations

import math
from pathlib import Path

from nanocloak.io.study_specs import load_study_spec
from nanocloak.workflows.run_study import run_study
from nanocloak.workflows.study_settings import StudySettings
from nanocloak.workflows.validate_studies import NOISE_SE, VERDICTS, evaluate_claims, load_claims

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
STUDY = "macrophage_au_nanoshell_ptt.toml"


def test_validate_studies_real_example_claims_are_evaluated() -> None:
    claims = [
        c
        for c in load_claims(EXAMPLES / "validation" / "study_claims.csv")
        if c.study == STUDY and not c.study_b
    ]
    assert len(claims) >= 3
    spec = load_study_spec(EXAMPLES / "studies" / STUDY)
    result = run_study(spec, settings=StudySettings(step_day=0.25, n_particles=500))
    table = evaluate_claims(claims, {STUDY: result}).tables["claims"]
    assert [r["id"] for r in table] == [c.id for c in claims]
    for row, claim in zip(table, claims, strict=True):
        assert row["verdict"] in VERDICTS
        a, b = row["value_a"], row["value_b"]
        assert math.isfinite(a)
        assert math.isfinite(b)
        assert a > 0.0
        assert b > 0.0
        ordered = a > b if claim.relation == ">" else a < b
        # the verdict follows from the two values and their noise, whatever they are
        if not ordered:
            assert row["verdict"] == "disagrees"
        elif math.isfinite(row["se_difference"]) and abs(a - b) <= NOISE_SE * row["se_difference"]:
            assert row["verdict"] == "within noise"
        else:
            assert row["verdict"] == "agrees"
    blood = next(r for r in table if r["quantity"].startswith("blood"))
    assert blood["unit"] == "%ID"
    # the membrane's CD47 and reduced opsonization keep the coated shells in blood longer
    assert blood["verdict"] == "agrees"
