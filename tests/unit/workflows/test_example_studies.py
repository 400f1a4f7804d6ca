"""The example studies and the review-claims table: every file loads, every claim resolves.

Fast: nothing is simulated here (``nanocloak validate studies`` runs them all).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nanocloak.domain.study import Particle
from nanocloak.io.study_specs import load_study_spec
from nanocloak.workflows.validate_studies import claim_studies, default_studies_dir, load_claims

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
STUDIES = sorted((EXAMPLES / "studies").glob("*.toml"))
CLAIMS = EXAMPLES / "validation" / "study_claims.csv"


@pytest.mark.parametrize("path", STUDIES, ids=[p.stem for p in STUDIES])
def test_example_studies_load(path: Path) -> None:
    spec = load_study_spec(path)
    assert 3 <= len(spec.groups) <= 5 or path.stem.startswith("mnp_dox_dual_tumor")
    assert all(g.animals == 5 for g in spec.groups)
    text = path.read_text(encoding="utf-8")
    # the header cites the review section and the primary paper
    assert text.startswith("#")
    assert "review ref." in text.split("\nname")[0]
    assert spec.reference


def test_example_studies_claims_resolve_to_groups() -> None:
    claims = load_claims(CLAIMS)
    files = claim_studies(claims, default_studies_dir(CLAIMS))
    assert set(files) <= {p.name for p in STUDIES}
    specs = {name: load_study_spec(f) for name, f in files.items()}
    for claim in claims:
        for which in ("a", "b"):
            study, group, _ = claim.side(which)
            assert group in [g.name for g in specs[study].groups], claim.id
        assert claim.role == "validation"
        assert claim.location


def test_example_studies_every_study_has_a_claim() -> None:
    named = {s for c in load_claims(CLAIMS) for s in (c.study, c.study_b) if s}
    assert named == {p.name for p in STUDIES}


def test_example_studies_bare_controls_use_the_coated_design() -> None:
    spec = load_study_spec(EXAMPLES / "studies" / "rbc_mns_ptt.toml")
    bare = [g for g in spec.groups if isinstance(g.agent, Particle) and g.agent.coating == "bare"]
    assert [g.name for g in bare] == ["MNs + laser"]
