"""treatment.yaml: every value sourced, with a unit of the right dimension, and typed loaders."""

from __future__ import annotations

import pytest

from nanocloak.knowledge import loader
from nanocloak.knowledge import treatment as kb


def test_treat_every_value_has_a_known_source_and_unit() -> None:
    sources = loader.sources()
    table = kb.values()
    assert set(table) == set(kb.EXPECTED_UNITS)
    for path, value in table.items():
        assert value.source in sources, path
        value.to(kb.EXPECTED_UNITS[path])  # raises when the dimension is wrong
        if value.status in ("assumed", "derived"):
            assert value.note.strip(), f"{path} needs its reasoning in a note"


def test_treat_sources_are_merged_without_collisions() -> None:
    for key in (
        "vanrhoon2013",
        "yarmolenko2011",
        "pearce_thermal_therapy2012",
        "martin_falder2017",
    ):
        assert key in loader.sources()


def test_treat_typed_loaders_return_the_used_values() -> None:
    assert kb.baseline_tumor_c() == 34.5
    assert kb.default_spot_radius_mm() == 5.0
    assert kb.default_tumor_radius_mm() == 3.5
    th = kb.skin_thresholds()
    assert th["omega_first_degree"] < th["omega_second_degree"]
    assert th["cem43_limit_min"] < th["cem43_necrosis_min"]
    assert 0.0 < kb.size_dispersion_sigma_ln() < 1.0


def test_treat_unknown_constant_names_the_known_ones() -> None:
    with pytest.raises(LookupError, match=r"skin\.cem43_limit"):
        kb.value("skin.nothing")
