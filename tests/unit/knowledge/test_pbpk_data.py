"""The PBPK knowledge base: units, sources, ranges and model-level consistency."""

from __future__ import annotations

import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import pbpk


def test_every_value_has_a_unit_and_a_known_source() -> None:
    known = pbpk.all_sources()
    values = list(pbpk.iter_pbpk_values())
    assert len(values) > 100
    for path, value in values:
        assert value.unit, path
        assert value.source in known, path
        assert value.status in ("verified", "derived", "unverified", "assumed")
        field = path.rsplit(".", 1)[1]
        value.to(pbpk.FIELD_UNITS[field])  # converts to the model's unit


def test_mouse_physiology_matches_the_cheng_code_and_leaves_a_positive_rest() -> None:
    mouse = pbpk.physiology()["mouse"]
    assert mouse.body_weight.to("kg") == pytest.approx(0.025)
    assert mouse.cardiac_output.to("L/h/kg^0.75") == pytest.approx(16.5)
    assert mouse.organs["liver"].flow_fraction is not None
    assert mouse.organs["liver"].flow_fraction.value == pytest.approx(0.02)
    tumor = pbpk.nanoparticle_defaults().tumor
    for species in pbpk.physiology().values():
        volumes = sum(o.volume_fraction.value for o in species.organs.values() if o.volume_fraction)
        flows = sum(
            o.flow_fraction.value
            for name, o in species.organs.items()
            if o.flow_fraction and name != "lung"
        )
        assert volumes + species.central_volume.value + tumor.volume_fraction.value < 1.0
        assert flows + tumor.flow_fraction.value < 1.0


def test_nanoparticle_defaults_follow_the_published_code() -> None:
    """Cheng-2020 code defaults (UFPBPK/Nano-AI-PBPK-G1 Main_Code.R, pbpk.md §3.2).

    The shipped defaults carry the recalibrated liver/spleen/tumor values
    (``examples/calibration/pbpk/``); the published code values stay reachable as the
    ``"published"`` set, which is what this test pins.
    """
    nano = pbpk.nanoparticle_defaults("published")
    liver = nano.organs["liver"]
    assert liver.uptake_site == "blood"
    assert liver.uptake_law == "hill"
    assert liver.k_max is not None
    assert liver.k_max.to("1/h") == pytest.approx(0.3)
    assert nano.organs["spleen"].permeability.value == pytest.approx(0.15)
    assert nano.organs["brain"].uptake_law == "none"
    assert nano.excretion.bile_clearance.to("L/h/kg^0.75") == pytest.approx(3e-5)


def test_check_rejects_unknown_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pbpk, "all_sources", lambda: {})
    with pytest.raises(KnowledgeBaseError, match="unknown source"):
        pbpk._check("pbpk_nanoparticle", pbpk.nanoparticle_defaults())
