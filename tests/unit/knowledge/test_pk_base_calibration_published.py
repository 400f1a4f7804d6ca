"""The two nanoparticle parameter sets: calibrated (default) and published (reference mode)."""

from __future__ import annotations

import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import pbpk

FIELDS = ("partition", "permeability", "k_max", "k_50", "hill_n", "k_release", "capacity")


def _value(defaults: pbpk.NanoparticleDefaults, key: str) -> float | None:
    organ, field = key.split(".")
    entry = defaults.tumor if organ == "tumor" else defaults.organs[organ]
    value = getattr(entry, field)
    return None if value is None else value.value


def test_pk_base_calibration_published_set_is_the_cheng_code() -> None:
    """Cheng-2020 code defaults (UFPBPK/Nano-AI-PBPK-G1 Main_Code.R, pbpk.md §3.2) and the tumor
    medians of the 378 G1 per-dataset fits (pbpk.md §3.3)."""
    published = pbpk.nanoparticle_defaults("published")
    expected = {
        "liver.k_max": 0.3,
        "liver.k_50": 48.0,
        "liver.hill_n": 5.0,
        "spleen.k_max": 5.0,
        "spleen.k_50": 36.0,
        "kidney.k_max": 0.12,
        "tumor.permeability": 0.003,
        "tumor.k_release": 0.097,
        "tumor.k_max": 0.29,
    }
    for key, value in expected.items():
        assert _value(published, key) == pytest.approx(value), key


def test_pk_base_calibration_sets_differ_only_in_the_fitted_fields() -> None:
    calibrated = pbpk.nanoparticle_defaults()
    published = pbpk.nanoparticle_defaults("published")
    overridden = set(pbpk.published_overrides())
    assert overridden == {
        "liver.k_max",
        "liver.k_50",
        "spleen.k_max",
        "spleen.k_50",
        "tumor.permeability",
        "tumor.k_release",
    }
    organs = [*calibrated.organs, "tumor"]
    for organ in organs:
        for field in FIELDS:
            key = f"{organ}.{field}"
            same = _value(calibrated, key) == _value(published, key)
            assert same != (key in overridden), key
    for key in overridden:
        organ, field = key.split(".")
        entry = calibrated.tumor if organ == "tumor" else calibrated.organs[organ]
        value = getattr(entry, field)
        assert value.status == "derived"
        assert value.is_range  # the fit's 95 % confidence interval
        assert "fit_base_model.py" in value.note


def test_pk_base_calibration_rejects_an_unknown_parameter_set() -> None:
    with pytest.raises(KnowledgeBaseError, match="unknown parameter set"):
        pbpk.nanoparticle_defaults("fitted")  # type: ignore[arg-type, unused-ignore]
