"""photochem.yaml: parses, every value has a known source and the expected unit dimension."""

from __future__ import annotations

import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import loader, photochem
from nanocloak.knowledge.physics import iter_values
from nanocloak.units import Quantity


def test_every_value_parses_with_a_known_source_and_unit() -> None:
    constants = photochem.photochem_constants()
    known = loader.sources()
    values = list(iter_values(constants))
    assert len(values) > 40
    for path, value in values:
        assert value.source in known, path
        Quantity(1.0, value.unit.replace("µ", "u"))
        expected = photochem.EXPECTED_UNITS.get(path.rsplit(".", 1)[-1])
        if expected is not None:
            value.to(expected)
        if value.status in ("assumed", "derived"):
            assert value.note.strip(), f"{path} ({value.status}) needs a note"


def test_the_review_photosensitizers_are_tabulated_and_are_cargos() -> None:
    names = set(photochem.photosensitizer_names())
    assert {"chlorin_e6", "znpc", "mc540", "photofrin"} <= names
    cargos = loader.cargos()
    for name in names - {"photofrin"}:
        assert cargos[name].kind == "photosensitizer"


def test_unknown_photosensitizer_is_a_clear_error() -> None:
    with pytest.raises(KnowledgeBaseError, match="known: chlorin_e6"):
        photochem.photosensitizer("verteporfin")


def test_check_rejects_wrong_dimension(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(photochem.EXPECTED_UNITS, "beta", "s")
    with pytest.raises(KnowledgeBaseError, match="expected a unit of s"):
        photochem.check("photochem.yaml", photochem.photochem_constants())
