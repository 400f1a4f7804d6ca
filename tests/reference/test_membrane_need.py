"""Membrane need against hand calculations of the surface-area balance.

Reference numbers are from the worked table in ../shared/reference/biology.md §1b (derived
there by hand: SSA = 6/(ρd); RBC protein 4.4 mg/m²), which rounds to 2–3 significant figures,
hence rtol 2 % where those rounded figures are compared; the formula itself is checked exactly.
"""

from __future__ import annotations

import math

import pytest

from nanocloak.kernels.manufacture import geometry as geo
from nanocloak.kernels.manufacture.membrane_need import (
    cells_to_harvest,
    hybrid_protein_density,
    membrane_need,
)

RBC_PROTEIN_MG_PER_M2 = 4.4
TABLE_RTOL = 0.02


def _need(diameter_nm: float, density: float, offset_nm: float = 0.0, ratio: float = 1.0):
    g = geo.sphere(diameter_nm)
    mass = geo.particle_mass_mg(g.solid_volumes_nm3, (density,))
    return membrane_need(
        g.area_nm2, g.midplane_area_nm2(offset_nm), mass, 1.0, RBC_PROTEIN_MG_PER_M2, ratio
    )


@pytest.mark.parametrize(
    ("material", "diameter", "density", "ssa_m2_per_g"),
    [
        ("PLGA", 100.0, 1.30, 46.2),
        ("Fe3O4", 100.0, 5.18, 11.6),
        ("Fe3O4 single crystals", 10.0, 5.18, 116.0),
        ("Au", 50.0, 19.3, 6.2),
        ("NaYF4 UCNP", 50.0, 4.2, 28.6),
    ],
)
def test_specific_surface_area_matches_the_hand_table(
    material: str, diameter: float, density: float, ssa_m2_per_g: float
) -> None:
    need = _need(diameter, density)
    exact = 6.0 / (density * 1e6 * diameter * 1e-9)  # m²/g
    assert need.core_area_m2_per_mg * 1000 == pytest.approx(exact, rel=1e-12)
    assert need.core_area_m2_per_mg * 1000 == pytest.approx(ssa_m2_per_g, rel=TABLE_RTOL)


def test_protein_per_mg_100nm_plga_and_magnetite() -> None:
    """Core-surface area × 4.4 mg/m²: PLGA ≈ 0.20 mg/mg, Fe3O4 ≈ 0.051 mg/mg (table)."""
    assert _need(100.0, 1.30).protein_needed_mg == pytest.approx(0.203, rel=TABLE_RTOL)
    assert _need(100.0, 5.18).protein_needed_mg == pytest.approx(0.051, rel=TABLE_RTOL)


def test_midplane_offset_raises_the_need_by_the_squared_radius_ratio() -> None:
    """At the mid-plane (offset δ) the need scales by ((d+2δ)/d)²: 1.12 for 100 nm, δ = 2.75."""
    plain, offset = _need(100.0, 5.18), _need(100.0, 5.18, offset_nm=2.75)
    assert offset.area_needed_m2 / plain.area_needed_m2 == pytest.approx(
        (105.5 / 100.0) ** 2, rel=1e-12
    )


def test_red_cells_per_mg_of_100nm_plga() -> None:
    """0.046 m² per mg / 136 µm² per human RBC = 3.4e8 RBC (table, 100 % recovery)."""
    need = _need(100.0, 1.30)
    protein_per_rbc_pg = RBC_PROTEIN_MG_PER_M2 * 136.0 / 1000.0
    cells = cells_to_harvest(need.protein_needed_mg, protein_per_rbc_pg, 1.0)
    assert cells == pytest.approx(3.4e8, rel=TABLE_RTOL)


def test_excess_ratio_and_planned_protein() -> None:
    need = _need(100.0, 5.18, ratio=1.0)
    assert need.protein_planned_mg == pytest.approx(1.0)
    assert need.excess_ratio == pytest.approx(1.0 / need.protein_needed_mg, rel=1e-12)


def test_hybrid_density_is_the_harmonic_mix() -> None:
    """Equal densities give that density; 1:1 protein of 4 and 6 mg/m² gives 4.8 mg/m²."""
    assert hybrid_protein_density((0.5, 0.5), (4.4, 4.4)) == pytest.approx(4.4)
    assert hybrid_protein_density((0.5, 0.5), (4.0, 6.0)) == pytest.approx(4.8)
    assert math.isclose(hybrid_protein_density((1.0,), (5.0,)), 5.0)
