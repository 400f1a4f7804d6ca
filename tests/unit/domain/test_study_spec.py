"""Study specs: validation messages name the field, the value and what is allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nanocloak.domain.study import Laser, Particle, StudySpec, Variation
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.study_specs import load_study_spec, study_from_dict

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "studies"


def minimal(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "s",
        "duration": "10 d",
        "tumor": {"model": "4T1"},
        "groups": [{"name": "PBS"}],
    }
    data.update(extra)
    return data


def test_minimal_study_has_defaults() -> None:
    spec = study_from_dict(minimal())
    assert spec.species == "mouse"
    assert spec.duration_day == pytest.approx(10.0)
    assert spec.groups[0].agent.kind == "none"
    assert spec.groups[0].animals == 5


def test_every_example_study_loads() -> None:
    files = sorted(EXAMPLES.glob("*.toml"))
    assert files
    for path in files:
        spec = load_study_spec(path)
        assert isinstance(spec, StudySpec)
        for group in spec.groups:
            if isinstance(group.agent, Particle):
                assert not isinstance(group.agent.design, str), "design paths are inlined"


def test_duplicate_group_names_are_refused() -> None:
    with pytest.raises(SpecificationError, match="different name"):
        study_from_dict(minimal(groups=[{"name": "A"}, {"name": "A"}]))


def test_unknown_variability_parameter_names_the_allowed_ones() -> None:
    with pytest.raises(SpecificationError, match=r"variability\.liver\.size.*tumor\.growth_rate"):
        study_from_dict(minimal(variability={"liver.size": {"cv": 0.2}}))


def test_lognormal_variation_needs_a_cv() -> None:
    # constructed directly, pydantic wraps the message in a ValidationError (a ValueError)
    with pytest.raises(ValueError, match="coefficient of variation"):
        Variation(distribution="lognormal")
    with pytest.raises(ValueError, match="low <= high"):
        Variation(distribution="uniform", low=2.0, high=1.0)
    assert Variation(cv=0.3).log_sd == pytest.approx(0.29356, rel=1e-4)


def test_treatment_after_the_end_is_refused() -> None:
    laser = {
        "kind": "laser",
        "wavelength": "808 nm",
        "irradiance": "1 W/cm^2",
        "duration": "5 min",
        "after": "30 d",
    }
    with pytest.raises(SpecificationError, match=r"treatments\[0\]\.after"):
        study_from_dict(minimal(groups=[{"name": "L", "treatments": [laser]}]))


def test_quantities_need_units_and_sensible_ranges() -> None:
    with pytest.raises(SpecificationError, match="duration"):
        study_from_dict(minimal(duration=21))
    with pytest.raises(ValueError, match="irradiance: got '50 W/cm"):
        Laser(kind="laser", wavelength="808 nm", irradiance="50 W/cm^2", duration="5 min")


def test_missing_design_file_is_a_clear_error(tmp_path: Path) -> None:
    data = minimal(
        groups=[
            {
                "name": "P",
                "agent": {"kind": "particle", "design": "nope.toml", "dose": "5 mg/kg"},
            }
        ]
    )
    with pytest.raises(DataFormatError, match=r"groups\[0\]\.agent\.design.*does not exist"):
        study_from_dict(data, "study.toml", tmp_path)


def test_unknown_agent_kind_is_reported_by_field() -> None:
    with pytest.raises(SpecificationError, match=r"groups\.0\.agent"):
        study_from_dict(minimal(groups=[{"name": "X", "agent": {"kind": "magic"}}]))


def test_unknown_tumor_model_and_drug_are_refused_when_the_file_is_read() -> None:
    with pytest.raises(SpecificationError, match=r"tumor\.model.*4t1"):
        study_from_dict(minimal(tumor={"model": "XYZ-1"}))
    drug = {"kind": "free_drug", "drug": "aspirin", "dose": "5 mg/kg"}
    with pytest.raises(SpecificationError, match=r"agent\.drug.*doxorubicin"):
        study_from_dict(minimal(groups=[{"name": "D", "agent": drug}]))
