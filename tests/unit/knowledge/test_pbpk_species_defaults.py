"""Species layer of the nanoparticle PBPK knowledge base (``pbpk_nanoparticle.yaml``).

The organ, tumor and excretion values are the mouse's; rat and human take explicit values where a
source gives one (none yet) and otherwise the mouse value scaled by physiological time
(Lindstedt & Schaeffer 2002, PMID 11833526: biological rates scale as BW^-1/4).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import pbpk

SCALED = ("k_max", "k_release", "k_50")
INVARIANT = ("partition", "permeability", "hill_n", "capacity")


def _clear() -> None:
    for fn in (
        pbpk.nanoparticle_defaults,
        pbpk.species_overrides,
        pbpk.species_scaling,
        pbpk.published_overrides,
    ):
        fn.cache_clear()


@pytest.fixture
def patched_yaml(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The nanoparticle YAML as a mutable mapping the loader reads; caches cleared around."""
    original = pbpk._read_yaml
    data = original("pbpk_nanoparticle.yaml")

    def read(filename: str) -> dict[Any, Any]:
        if filename == "pbpk_nanoparticle.yaml":
            return copy.deepcopy(data)
        return original(filename)

    _clear()
    monkeypatch.setattr(pbpk, "_read_yaml", read)
    yield data
    monkeypatch.setattr(pbpk, "_read_yaml", original)
    _clear()


def _bw(species: str) -> float:
    return pbpk.physiology()[species].body_weight.to("kg")


def test_factors_follow_the_quarter_power_rule() -> None:
    # (0.273 kg / 0.025 kg)^-0.25 = 0.5501 and (73 / 0.025)^-0.25 = 0.1360, by hand
    assert pbpk.species_factor("mouse") == (1.0, 1.0)
    rate, time = pbpk.species_factor("rat")
    assert rate == pytest.approx(0.5501, rel=1e-4)
    assert time == pytest.approx(1.0 / 0.5501, rel=1e-4)
    rate_h, time_h = pbpk.species_factor("human")
    assert rate_h == pytest.approx(0.1360, rel=1e-3)
    assert rate_h * time_h == pytest.approx(1.0)


@pytest.mark.parametrize("species", ["rat", "human"])
@pytest.mark.parametrize("parameter_set", ["calibrated", "published"])
def test_species_values_are_scaled_mouse_values_with_units_and_sources(
    species: str, parameter_set: pbpk.ParameterSet
) -> None:
    known = pbpk.all_sources()
    mouse = pbpk.nanoparticle_defaults(parameter_set)
    other = pbpk.nanoparticle_defaults(parameter_set, species)
    ratio = _bw(species) / _bw("mouse")
    exponents = {"k_max": -0.25, "k_release": -0.25, "k_50": 0.25}
    pairs = [(n, mouse.organs[n], other.organs[n]) for n in mouse.organs]
    pairs.append(("tumor", mouse.tumor, other.tumor))
    scaled = 0
    for name, m, o in pairs:
        assert o.uptake_law == m.uptake_law, name
        assert o.uptake_site == m.uptake_site, name
        for field in SCALED:
            mv, ov = getattr(m, field), getattr(o, field)
            if mv is None:
                assert ov is None
                continue
            factor = ratio ** exponents[field]
            assert ov.to(pbpk.FIELD_UNITS[field]) == pytest.approx(
                mv.to(pbpk.FIELD_UNITS[field]) * factor, rel=1e-12
            ), f"{name}.{field}"
            if mv.is_range:
                assert (ov.low, ov.high) == pytest.approx((mv.low * factor, mv.high * factor))
            assert ov.status == "assumed"
            assert ov.source in known
            assert mv.source in ov.note
            assert species in ov.note
            scaled += 1
        for field in INVARIANT:
            assert getattr(o, field) == getattr(m, field), f"{name}.{field}"
    assert scaled >= 20
    assert other.excretion == mouse.excretion


def test_mouse_defaults_are_the_file_values() -> None:
    raw = pbpk._read_yaml("pbpk_nanoparticle.yaml")
    mouse = pbpk.nanoparticle_defaults("calibrated", "mouse")
    assert mouse == pbpk.nanoparticle_defaults()
    for organ, fields in raw["organs"].items():
        for field in SCALED:
            if field in fields:
                assert getattr(mouse.organs[organ], field).value == float(fields[field]["value"])
                assert getattr(mouse.organs[organ], field).source == fields[field]["source"]


def test_every_species_value_is_iterated_with_a_known_source() -> None:
    known = pbpk.all_sources()
    paths = dict(pbpk.iter_pbpk_values())
    for species in ("rat", "human"):
        for parameter_set in ("calibrated", "published"):
            key = f"pbpk_nanoparticle.species.{species}.{parameter_set}.organs.liver.k_max"
            assert key in paths
    assert "pbpk_nanoparticle.species_scaling.rate_exponent" in paths
    for path, value in paths.items():
        assert value.source in known, path
        value.to(pbpk.FIELD_UNITS[path.rsplit(".", 1)[1]])


def test_scaling_rule_is_sourced() -> None:
    rule = pbpk.species_scaling()
    assert rule.reference_species == "mouse"
    assert rule.rate_exponent.to("dimensionless") == pytest.approx(-0.25)
    assert rule.time_exponent.to("dimensionless") == pytest.approx(0.25)
    assert rule.rate_exponent.source == "lindstedt_schaeffer2002"
    assert "11833526" in (pbpk.all_sources()["lindstedt_schaeffer2002"].url or "")


def test_explicit_species_value_wins_over_the_rule(patched_yaml: dict[str, Any]) -> None:
    explicit = {
        "value": 2.5,
        "unit": "1/h",
        "source": "nano_ipbpk",
        "status": "verified",
        "note": "test",
    }
    patched_yaml["species"] = {
        "rat": {"organs": {"liver": {"k_max": explicit}}, "excretion": {}},
    }
    rat = pbpk.nanoparticle_defaults("calibrated", "rat")
    assert rat.organs["liver"].k_max is not None
    assert rat.organs["liver"].k_max.to("1/h") == pytest.approx(2.5)
    assert rat.organs["liver"].k_max.source == "nano_ipbpk"
    assert rat.organs["spleen"].k_max is not None
    assert rat.organs["spleen"].k_max.status == "assumed"  # still the rule
    assert pbpk.species_overrides("rat") == {"liver.k_max": pbpk.Value.model_validate(explicit)}
    assert "pbpk_nanoparticle.species.rat.liver.k_max" in dict(pbpk.iter_pbpk_values())


@pytest.mark.parametrize(
    ("block", "match"),
    [
        ({"dog": {}}, "have no physiology"),
        ({"rat": {"organs": {"pancreas": {}}}}, "organ 'pancreas' unknown"),
        ({"rat": {"organs": {"liver": {"uptake_law": "none"}}}}, "is not one of"),
        ({"rat": {"excretion": {"k_max": {}}}}, "is not one of"),
        ({"rat": {"blood": {}}}, "unknown keys"),
        (
            {"rat": {"tumor": {"k_max": {"value": 1, "unit": "1/h", "status": "verified"}}}},
            "is invalid",
        ),
    ],
)
def test_species_block_is_validated(
    patched_yaml: dict[str, Any], block: dict[str, Any], match: str
) -> None:
    patched_yaml["species"] = block
    with pytest.raises(KnowledgeBaseError, match=match):
        pbpk.nanoparticle_defaults("calibrated", "rat")


def test_scaling_block_is_validated(patched_yaml: dict[str, Any]) -> None:
    patched_yaml["species_scaling"] = {
        **patched_yaml["species_scaling"],
        "reference_species": "dog",
    }
    with pytest.raises(KnowledgeBaseError, match="reference species 'dog'"):
        pbpk.nanoparticle_defaults("calibrated", "rat")
    _clear()
    patched_yaml["species_scaling"] = {"reference_species": "mouse"}
    with pytest.raises(KnowledgeBaseError, match="'species_scaling' is invalid"):
        pbpk.nanoparticle_defaults("calibrated", "rat")


def test_unknown_species_is_rejected() -> None:
    with pytest.raises(KnowledgeBaseError, match="unknown species 'dog'"):
        pbpk.nanoparticle_defaults("calibrated", "dog")
