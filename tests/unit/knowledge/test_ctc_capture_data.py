"""The capture/swimmer knowledge base: every value sourced, every unit of the right dimension."""

from __future__ import annotations

import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import capture, loader
from nanocloak.knowledge.schema import Value


def test_ctc_every_capture_value_has_a_resolving_source_and_si_unit() -> None:
    record = capture.capture_constants()
    known = loader.sources()
    paths = dict(capture.items(record))
    assert set(paths) == set(capture.SI_UNITS)
    for path, value in paths.items():
        assert value.source in known, path
        capture.si(path)  # converts


def test_ctc_si_values_and_ranges() -> None:
    assert capture.si("ctc.diameter") == pytest.approx(15e-6)
    assert capture.si("leukocyte.count") == pytest.approx(7e12)
    low, high = capture.si_bounds("separator.field_gradient")
    assert low < capture.si("separator.field_gradient") < high
    assert capture.value("separator.reported_capture").status == "verified"


def test_ctc_unknown_path_and_bad_unit_are_rejected() -> None:
    with pytest.raises(KnowledgeBaseError, match="unknown capture constant"):
        capture.value("ctc.colour")
    record = capture.capture_constants()
    bad = record.model_copy(
        update={
            "ctc": {
                **record.ctc,
                "diameter": Value(value=1.0, unit="s", source="song2022", status="assumed"),
            }
        }
    )
    with pytest.raises(KnowledgeBaseError, match="expected a unit of m"):
        capture.check(bad)
    unsourced = record.model_copy(
        update={
            "ctc": {
                **record.ctc,
                "diameter": Value(value=1.0, unit="um", source="nowhere", status="assumed"),
            }
        }
    )
    with pytest.raises(KnowledgeBaseError, match="cites source"):
        capture.check(unsourced)
