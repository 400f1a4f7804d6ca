"""Every validator of the design specs: bad input names the field, the value and what is allowed."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from nanocloak.domain import Design
from nanocloak.errors import InvalidSpecificationError
from nanocloak.io.specs import design_from_dict
from tests.conftest import SONICATION, with_assembly


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node = out
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    node[keys[-1]] = value
    return out


def _problems(data: dict[str, Any]) -> str:
    with pytest.raises(InvalidSpecificationError) as info:
        design_from_dict(data, "test.toml")
    return str(info.value)


def test_the_example_is_valid(rbc_extrusion: dict[str, Any]) -> None:
    design = design_from_dict(rbc_extrusion)
    assert isinstance(design, Design)
    assert design.core.material == "fe3o4_mnc"


def test_material_aliases_resolve_to_ids(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(rbc_extrusion, "core.material", "MNC")
    assert design_from_dict(data).core.material == "fe3o4_mnc"


def test_unknown_material_suggests_the_nearest_names(rbc_extrusion: dict[str, Any]) -> None:
    message = _problems(_set(rbc_extrusion, "core.material", "magnetit"))
    assert "core.material" in message
    assert "got 'magnetit'" in message
    assert "Did you mean 'fe3o4'" in message


def test_unknown_cell_suggests_the_nearest_names(rbc_extrusion: dict[str, Any]) -> None:
    message = _problems(_set(rbc_extrusion, "membrane.sources.0.cell", "platelett"))
    assert "got 'platelett'" in message
    assert "'platelet'" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-150 nm", "between 0.3 nm and 5000 nm"),
        ("150 mm", "between 0.3 nm and 5000 nm"),
        (150, "bare number has no unit"),
        ("150 s", "a quantity of length"),
    ],
)
def test_bad_sizes_are_rejected(rbc_extrusion: dict[str, Any], value: Any, expected: str) -> None:
    message = _problems(_set(rbc_extrusion, "core.geometry.diameter", value))
    assert "core.geometry.diameter" in message
    assert expected in message


def test_geometry_kind_must_suit_the_material(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(
        rbc_extrusion, "core.geometry", {"kind": "rod", "length": "60 nm", "width": "15 nm"}
    )
    assert "one of ['cluster', 'sphere']" in _problems(data)


def test_cluster_crystals_smaller_than_cluster(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(rbc_extrusion, "core.geometry.crystal_diameter", "200 nm")
    assert "less than the cluster diameter" in _problems(data)


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"kind": "rod", "length": "10 nm", "width": "40 nm"}, "at least the width"),
        ({"kind": "shell", "inner_radius": "70 nm", "outer_radius": "60 nm"}, "larger than inner"),
        ({"kind": "cage", "edge_length": "50 nm", "wall_thickness": "30 nm"}, "less than half"),
    ],
)
def test_geometry_invariants(
    rbc_extrusion: dict[str, Any], geometry: dict[str, str], expected: str
) -> None:
    material = {"rod": "au_nanorod", "shell": "au_nanoshell", "cage": "au_nanocage"}
    data = _set(
        rbc_extrusion, "core", {"material": material[geometry["kind"]], "geometry": geometry}
    )
    assert expected in _problems(data)


def test_porosity_only_for_porous_cores(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(rbc_extrusion, "core.porosity", {"pore_volume": "1 cm^3/g"})
    assert "no porosity for non-porous" in _problems(data)


def test_silica_shell_only_on_spheres(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(
        rbc_extrusion,
        "core",
        {
            "material": "au_nanorod",
            "silica_shell": "10 nm",
            "geometry": {"kind": "rod", "length": "60 nm", "width": "15 nm"},
        },
    )
    assert "silica shell only on a sphere" in _problems(data)


def test_hybrid_fractions_must_sum_to_one(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(
        rbc_extrusion,
        "membrane.sources",
        [{"cell": "rbc", "fraction": 0.6}, {"cell": "b16_f10", "fraction": 0.6}],
    )
    message = _problems(data)
    assert "rbc 0.6 + b16_f10 0.6 = 1.2" in message
    assert "sum to 1" in message


def test_fraction_accepts_percent_and_rejects_above_one(rbc_extrusion: dict[str, Any]) -> None:
    ok = _set(
        rbc_extrusion,
        "membrane.sources",
        [{"cell": "rbc", "fraction": "30 %"}, {"cell": "b16_f10", "fraction": "70 %"}],
    )
    assert design_from_dict(ok).membrane.is_hybrid
    bad = _set(rbc_extrusion, "membrane.sources.0.fraction", 1.5)
    assert "a fraction between 0 and 1" in _problems(bad)


def test_duplicate_sources_are_rejected(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(
        rbc_extrusion,
        "membrane.sources",
        [{"cell": "rbc", "fraction": 0.5}, {"cell": "RBC", "fraction": 0.5}],
    )
    assert "each source cell at most once" in _problems(data)


def test_blood_group_format_and_applicability(rbc_extrusion: dict[str, Any]) -> None:
    assert "an ABO group" in _problems(_set(rbc_extrusion, "membrane.sources.0.blood_group", "C+"))
    data = _set(rbc_extrusion, "membrane.sources", [{"cell": "4t1", "blood_group": "O-"}])
    assert "no blood group for a cancer membrane" in _problems(data)
    ok = _set(rbc_extrusion, "membrane.sources.0.blood_group", "O-")
    ok["membrane"]["sources"][0]["donor_species"] = "human"
    assert design_from_dict(ok).membrane.sources[0].blood_group == "O-"


def test_unknown_cargo_and_loading_basis(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(
        rbc_extrusion,
        "cargos",
        [{"name": "doxorubicinn", "loading": {"basis": "mass", "per_core_mass": "0.1 mg/mg"}}],
    )
    assert "'doxorubicin'" in _problems(data)
    data = _set(rbc_extrusion, "cargos", [{"name": "dox", "loading": {"basis": "volume"}}])
    assert "cargos.0.loading" in _problems(data)


def test_loading_capacity_of_mesoporous_silica(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(
        rbc_extrusion,
        "core",
        {"material": "msn", "geometry": {"kind": "sphere", "diameter": "100 nm"}},
    )
    data["cargos"] = [
        {"name": "doxorubicin", "loading": {"basis": "mass", "per_core_mass": "1.5 mg/mg"}}
    ]
    assert "at most 50%" in _problems(data)
    data["cargos"][0]["loading"]["per_core_mass"] = "0.5 mg/mg"
    assert design_from_dict(data).cargos[0].name == "doxorubicin"


def test_freeze_thaw_needs_cycles(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(rbc_extrusion, "preparation.separation.lysis", "freeze_thaw")
    assert "a number of cycles" in _problems(data)
    data = _set(rbc_extrusion, "preparation.separation.freeze_thaw_cycles", 3)
    assert "no cycles for hypotonic lysis" in _problems(data)


def test_extrusion_settings_in_range(rbc_extrusion: dict[str, Any]) -> None:
    assert "less than or equal to 41" in _problems(
        _set(rbc_extrusion, "preparation.assembly.passes", 100)
    )
    assert "between 10 nm and 5000 nm" in _problems(
        _set(rbc_extrusion, "preparation.assembly.pore_size", "5 nm")
    )


def test_sonication_time_and_temperature_in_range(rbc_extrusion: dict[str, Any]) -> None:
    data = with_assembly(rbc_extrusion, {**SONICATION, "time": "2 h"})
    assert "between 3 s and 60 min" in _problems(data)
    data = with_assembly(rbc_extrusion, {**SONICATION, "temperature": "95 degC"})
    assert "between 0 degC and 60 degC" in _problems(data)


def test_electroporation_field_below_breakdown(rbc_extrusion: dict[str, Any]) -> None:
    data = with_assembly(
        rbc_extrusion,
        {
            "method": "microfluidic_electroporation",
            "pulse_voltage": "1000 V",
            "pulse_width": "200 us",
            "pulse_rate": "10 Hz",
            "flow_rate": "20 uL/min",
            "electrode_gap": "10 um",
            "buffer_conductivity": "0.02 S/m",
            "zone_volume": "2 uL",
        },
    )
    assert "below 300 kV/cm" in _problems(data)


def test_unknown_method_and_field(rbc_extrusion: dict[str, Any]) -> None:
    assert "does not match any of the expected tags" in _problems(
        with_assembly(rbc_extrusion, {"method": "spray_drying"})
    )
    assert "unknown field" in _problems(_set(rbc_extrusion, "core.colour", "black"))


def test_all_problems_are_listed_at_once(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(rbc_extrusion, "core.material", "unobtainium")
    data = _set(data, "preparation.assembly.passes", 0)
    del data["preparation"]["membrane_to_core_ratio"]
    message = _problems(data)
    assert "(3 problems)" in message
    assert "required field is missing" in message


def test_specs_are_frozen(rbc_extrusion: dict[str, Any]) -> None:
    design = design_from_dict(rbc_extrusion)
    with pytest.raises(ValueError, match="frozen"):
        design.name = "other"  # type: ignore[misc]


def test_ratio_needs_its_unit_and_rcf_is_not_grams(rbc_extrusion: dict[str, Any]) -> None:
    message = _problems(_set(rbc_extrusion, "preparation.membrane_to_core_ratio", "1"))
    assert "e.g. '1 mg/mg'" in message
    data = _set(rbc_extrusion, "preparation.separation.centrifugation.0.rcf", "800 g")
    assert "relative centrifugal force such as '3200 xg'" in _problems(data)


def test_rule_errors_name_the_offending_field(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(rbc_extrusion, "membrane.sources", [{"cell": "4t1", "blood_group": "O-"}])
    assert "membrane.sources.0.blood_group: got 'O-'" in _problems(data)
    data = _set(rbc_extrusion, "preparation.separation.lysis", "freeze_thaw")
    assert "preparation.separation.freeze_thaw_cycles:" in _problems(data)


def test_mesopore_sizes_are_accepted_for_porous_cores(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(
        rbc_extrusion,
        "core",
        {
            "material": "msn",
            "geometry": {"kind": "sphere", "diameter": "100 nm"},
            "porosity": {
                "pore_diameter": "3 nm",
                "pore_volume": "1 cm^3/g",
                "surface_area": "900 m^2/g",
            },
        },
    )
    core = design_from_dict(data).core
    assert core.porosity is not None
    assert core.porosity.pore_diameter is not None


def test_non_finite_numbers_and_booleans_are_rejected(rbc_extrusion: dict[str, Any]) -> None:
    assert "a finite number" in _problems(_set(rbc_extrusion, "core.geometry.diameter", "nan nm"))
    assert "passes" in _problems(_set(rbc_extrusion, "preparation.assembly.passes", True))
    assert "washes" in _problems(_set(rbc_extrusion, "preparation.separation.washes", True))


def test_zero_membrane_and_all_cargo_are_rejected(rbc_extrusion: dict[str, Any]) -> None:
    message = _problems(_set(rbc_extrusion, "preparation.membrane_to_core_ratio", "0 mg/mg"))
    assert "membrane_to_core_ratio" in message
    data = _set(
        rbc_extrusion,
        "cargos",
        [{"name": "dox", "loading": {"basis": "weight_fraction", "fraction": 1.0}}],
    )
    assert "A particle cannot be all cargo" in _problems(data)


def test_hybrid_sources_need_membrane_and_groups_need_human_donors(
    rbc_extrusion: dict[str, Any],
) -> None:
    data = _set(
        rbc_extrusion,
        "membrane.sources",
        [{"cell": "rbc", "fraction": 1.0}, {"cell": "b16_f10", "fraction": 0.0}],
    )
    assert "a fraction above 0 for every source" in _problems(data)
    data = _set(rbc_extrusion, "membrane.sources.0.blood_group", "O-")
    data["membrane"]["sources"][0]["donor_species"] = "mouse"
    assert "no ABO/RhD group for a mouse donor" in _problems(data)


def test_error_paths_follow_the_toml_and_show_units(rbc_extrusion: dict[str, Any]) -> None:
    message = _problems(_set(rbc_extrusion, "core.geometry.crystal_diameter", "200 nm"))
    assert "core.geometry.crystal_diameter: got '200 nm'" in message
    assert (
        _problems(_set(rbc_extrusion, "preparation.assembly.passes", 0)).count(
            "preparation.assembly.passes:"
        )
        == 1
    )
    duplicate = _set(
        rbc_extrusion,
        "membrane.sources",
        [{"cell": "rbc", "fraction": 0.5}, {"cell": "RBC", "fraction": 0.5}],
    )
    assert "membrane.sources.cell:" in _problems(duplicate)


def test_the_membrane_is_collected_as_a_pellet(rbc_extrusion: dict[str, Any]) -> None:
    data = _set(rbc_extrusion, "preparation.separation.centrifugation.0.keep", "supernatant")
    assert "'pellet' for the last step" in _problems(data)
