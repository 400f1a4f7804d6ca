"""Particle geometry against closed forms (exact to rounding: rtol 1e-12)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanocloak.kernels.manufacture import geometry as geo

RTOL = 1e-12
sizes = st.floats(min_value=2.0, max_value=2000.0)
offsets = st.floats(min_value=0.0, max_value=20.0)


@given(sizes, offsets)
def test_sphere_midplane_area_is_the_offset_sphere(d: float, delta: float) -> None:
    g = geo.sphere(d)
    assert g.area_nm2 == pytest.approx(math.pi * d**2, rel=RTOL)
    assert g.envelope_volume_nm3 == pytest.approx(math.pi * d**3 / 6, rel=RTOL)
    assert g.midplane_area_nm2(delta) == pytest.approx(math.pi * (d + 2 * delta) ** 2, rel=RTOL)


@given(sizes, st.floats(min_value=1.0, max_value=10.0), offsets)
def test_rod_midplane_area_is_the_offset_spherocylinder(
    w: float, aspect: float, delta: float
) -> None:
    length = w * aspect
    grown = geo.spherocylinder(length + 2 * delta, w + 2 * delta)
    assert geo.spherocylinder(length, w).midplane_area_nm2(delta) == pytest.approx(
        grown.area_nm2, rel=1e-9
    )


@given(sizes, offsets)
def test_cube_parallel_surface(a: float, delta: float) -> None:
    """Offset cube: 6 faces a², 12 quarter-cylinders (6πaδ), 8 sphere octants (4πδ²)."""
    g = geo.cube_cage(a, a / 10)
    expected = 6 * a**2 + 12 * a * (math.pi / 2) * delta + 4 * math.pi * delta**2
    assert g.midplane_area_nm2(delta) == pytest.approx(expected, rel=RTOL)
    assert g.solid_volumes_nm3[0] == pytest.approx(a**3 - (0.8 * a) ** 3, rel=RTOL)


def test_core_shell_volumes_add_up() -> None:
    solid = geo.core_shell(60.0, 72.0, hollow=False)
    hollow = geo.core_shell(60.0, 72.0, hollow=True)
    assert sum(solid.solid_volumes_nm3) == pytest.approx(solid.envelope_volume_nm3, rel=RTOL)
    assert hollow.solid_volumes_nm3[0] == pytest.approx(
        4 / 3 * math.pi * (72.0**3 - 60.0**3), rel=RTOL
    )


def test_particle_mass_of_a_100nm_magnetite_sphere() -> None:
    """ρ·πd³/6 with ρ = 5.18 g/cm³, d = 100 nm: 2.712e-15 g = 2.712e-12 mg."""
    mass = geo.particle_mass_mg(geo.sphere(100.0).solid_volumes_nm3, (5.18,))
    assert mass == pytest.approx(5.18 * math.pi * (100e-7) ** 3 / 6 * 1e3, rel=RTOL)


def test_porous_solid_fraction() -> None:
    """Envelope density 1/(1/ρs + Vp): ρs 2.2 g/cm³, Vp 1 cm³/g → solid share 1/3.2."""
    assert geo.porous_solid_fraction(2.2, 1.0) == pytest.approx(1 / 3.2, rel=RTOL)
