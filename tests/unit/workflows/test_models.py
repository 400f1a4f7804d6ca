"""Domain → kernel bridges: core masses per geometry, membrane densities, hybrids, species."""

from __future__ import annotations

import math
from typing import Any

import pytest

from nanocloak.domain import Core, Membrane
from nanocloak.knowledge import loader
from nanocloak.workflows.core_geometry import core_model
from nanocloak.workflows.membrane_model import membrane_model
from nanocloak.workflows.parameters import ParameterDraw


def _core(data: dict[str, Any]) -> Any:
    return core_model(Core.model_validate(data), ParameterDraw())


def _density(material: str, name: str = "density") -> float:
    entry = loader.core_materials()[material]
    value = entry.density if name == "density" else entry.properties[name]
    return value.to("g/cm^3")


def test_solid_sphere_mass() -> None:
    model = _core({"material": "fe3o4", "geometry": {"kind": "sphere", "diameter": "100 nm"}})
    expected = _density("fe3o4") * math.pi / 6 * (100e-7) ** 3 * 1e3
    assert model.particle_mass_mg == pytest.approx(expected, rel=1e-12)


def test_cluster_mass_uses_the_packing_fraction() -> None:
    model = _core(
        {
            "material": "fe3o4_mnc",
            "geometry": {"kind": "cluster", "diameter": "150 nm", "crystal_diameter": "10 nm"},
        }
    )
    packing = loader.core_materials()["fe3o4_mnc"].properties["packing_fraction"].value
    expected = packing * _density("fe3o4_mnc") * math.pi / 6 * (150e-7) ** 3 * 1e3
    assert model.particle_mass_mg == pytest.approx(expected, rel=1e-12)


def test_mesoporous_silica_is_lighter_by_its_pore_volume() -> None:
    model = _core(
        {
            "material": "msn",
            "geometry": {"kind": "sphere", "diameter": "100 nm"},
            "porosity": {"pore_volume": "1 cm^3/g"},
        }
    )
    skeletal = _density("msn")
    envelope = skeletal / (1 + skeletal * 1.0)
    assert model.particle_mass_mg == pytest.approx(
        envelope * math.pi / 6 * (100e-7) ** 3 * 1e3, rel=1e-12
    )


def test_gold_nanoshell_mass_counts_shell_and_silica_core() -> None:
    model = _core(
        {
            "material": "au_nanoshell",
            "geometry": {"kind": "shell", "inner_radius": "60 nm", "outer_radius": "72 nm"},
        }
    )
    shell = 4 / 3 * math.pi * ((72e-7) ** 3 - (60e-7) ** 3) * _density("au_nanoshell")
    inner = 4 / 3 * math.pi * (60e-7) ** 3 * _density("au_nanoshell", "core_density")
    assert model.particle_mass_mg == pytest.approx((shell + inner) * 1e3, rel=1e-12)
    assert model.geometry.min_caliper_nm == pytest.approx(144.0)


def test_rods_pass_pores_by_their_width_and_cages_by_their_edge() -> None:
    rod = _core(
        {"material": "au_nanorod", "geometry": {"kind": "rod", "length": "45 nm", "width": "12 nm"}}
    )
    cage = _core(
        {
            "material": "au_nanocage",
            "geometry": {"kind": "cage", "edge_length": "50 nm", "wall_thickness": "5 nm"},
        }
    )
    assert rod.geometry.min_caliper_nm == 12.0
    assert cage.geometry.min_caliper_nm == 50.0
    assert rod.geometry.equivalent_diameter_nm > rod.geometry.min_caliper_nm


def _membrane(sources: list[dict[str, Any]]) -> Any:
    return membrane_model(Membrane.model_validate({"sources": sources}), ParameterDraw())


def test_single_membrane_density_is_density_over_purity() -> None:
    entry = loader.membrane_sources()["4t1"]
    model = _membrane([{"cell": "4t1"}])
    assert entry.membrane_protein_density is not None
    assert entry.membrane_purity is not None
    sigma, purity = entry.membrane_protein_density.value, entry.membrane_purity.value
    assert model.protein_density_mg_per_m2 == pytest.approx(sigma / purity)
    assert entry.membrane_area is not None
    assert model.sources[0].protein_per_cell_pg == pytest.approx(
        sigma * entry.membrane_area.value / 1000.0
    )


def test_mouse_red_cells_are_smaller_than_human_ones() -> None:
    mouse = _membrane([{"cell": "rbc", "donor_species": "mouse"}]).sources[0]
    human = _membrane([{"cell": "rbc", "donor_species": "human"}]).sources[0]
    areas = {
        s: loader.species()[s].properties["rbc_membrane_area"].value for s in ("mouse", "human")
    }
    assert mouse.protein_per_cell_pg / human.protein_per_cell_pg == pytest.approx(
        areas["mouse"] / areas["human"]
    )


def test_hybrid_area_shares_sum_to_one_and_follow_the_fractions() -> None:
    model = _membrane([{"cell": "rbc", "fraction": 0.3}, {"cell": "b16_f10", "fraction": 0.7}])
    shares = [s.area_share for s in model.sources]
    assert sum(shares) == pytest.approx(1.0)
    crude = [model.sources[i].fraction / shares[i] for i in range(2)]
    # area share ∝ fraction / (σ/purity): the crude density of each source
    assert crude[0] / crude[1] == pytest.approx(
        _membrane([{"cell": "rbc"}]).protein_density_mg_per_m2
        / _membrane([{"cell": "b16_f10"}]).protein_density_mg_per_m2
    )
