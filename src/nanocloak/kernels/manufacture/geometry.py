"""Per-particle geometry of convex cores: outer area, integrated mean curvature, solid volumes.

All lengths in nm, areas in nm², volumes in nm³. The membrane mid-plane sits at a distance
``offset_nm`` outside the core surface; for a convex body its area follows Steiner's formula

    A(δ) = A + 2·M·δ + 4π·δ²,

where M = ∫H dA is the integrated mean curvature (sphere of radius R: 4πR; a
spherocylinder of width w and straight length ℓ: πℓ + 2πw; a cube of edge a: 3πa).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nanocloak.kernels.arrays import FloatArray


@dataclass(frozen=True, slots=True)
class ParticleGeometry:
    """Outer surface, mean-curvature integral and solid volumes of one core.

    Attributes
    ----------
    area_nm2
        Outer surface area the membrane must cover (external area only for porous solids).
    mean_curvature_nm
        Integrated mean curvature M (nm) for Steiner's parallel-surface formula.
    envelope_volume_nm3
        Volume enclosed by the outer surface.
    solid_volumes_nm3
        Volume of each solid material (outer material first, then an inner material if any).
    equivalent_diameter_nm
        Diameter of the sphere with the same outer area, used for sizing.
    min_caliper_nm
        Smallest width of the particle: what must fit through a filter pore.
    """

    area_nm2: float
    mean_curvature_nm: float
    envelope_volume_nm3: float
    solid_volumes_nm3: tuple[float, ...]
    equivalent_diameter_nm: float
    min_caliper_nm: float

    def scaled_midplane_area_nm2(
        self, scale: float | FloatArray, offset_nm: float
    ) -> float | FloatArray:
        """Mid-plane area of the same shape scaled by ``scale``, ``offset_nm`` outside it.

        Area scales as s², the curvature integral as s, so A(s, δ) = A·s² + 2·M·s·δ + 4π·δ².
        """
        return (
            self.area_nm2 * scale**2
            + 2.0 * self.mean_curvature_nm * scale * offset_nm
            + 4.0 * math.pi * offset_nm**2
        )

    def midplane_area_nm2(self, offset_nm: float) -> float:
        """Area of the parallel surface ``offset_nm`` outside the core (Steiner)."""
        return (
            self.area_nm2 + 2.0 * self.mean_curvature_nm * offset_nm + 4.0 * math.pi * offset_nm**2
        )


def _build(
    area: float, curvature: float, envelope: float, solids: tuple[float, ...], caliper: float
) -> ParticleGeometry:
    return ParticleGeometry(area, curvature, envelope, solids, math.sqrt(area / math.pi), caliper)


def sphere(diameter_nm: float, solid_fraction: float = 1.0) -> ParticleGeometry:
    """A sphere; ``solid_fraction`` < 1 for clusters or mesoporous particles."""
    r = diameter_nm / 2.0
    volume = 4.0 / 3.0 * math.pi * r**3
    return _build(
        4.0 * math.pi * r**2, 4.0 * math.pi * r, volume, (volume * solid_fraction,), diameter_nm
    )


def spherocylinder(length_nm: float, width_nm: float) -> ParticleGeometry:
    """A rod: a cylinder of width w with hemispherical caps, end-to-end ``length_nm``."""
    r = width_nm / 2.0
    straight = length_nm - width_nm
    area = 2.0 * math.pi * r * straight + 4.0 * math.pi * r**2
    volume = math.pi * r**2 * straight + 4.0 / 3.0 * math.pi * r**3
    curvature = math.pi * straight + 4.0 * math.pi * r
    return _build(area, curvature, volume, (volume,), width_nm)


def core_shell(inner_radius_nm: float, outer_radius_nm: float, hollow: bool) -> ParticleGeometry:
    """A spherical shell on a solid inner core (``hollow=False``) or around a cavity."""
    outer = 4.0 / 3.0 * math.pi * outer_radius_nm**3
    inner = 4.0 / 3.0 * math.pi * inner_radius_nm**3
    solids = (outer - inner,) if hollow else (outer - inner, inner)
    return _build(
        4.0 * math.pi * outer_radius_nm**2,
        4.0 * math.pi * outer_radius_nm,
        outer,
        solids,
        2.0 * outer_radius_nm,
    )


def cube_cage(edge_nm: float, wall_nm: float) -> ParticleGeometry:
    """A hollow cubic cage of outer edge ``edge_nm`` and wall ``wall_nm`` (pores neglected)."""
    inner_edge = edge_nm - 2.0 * wall_nm
    return _build(
        6.0 * edge_nm**2,
        3.0 * math.pi * edge_nm,
        edge_nm**3,
        (edge_nm**3 - inner_edge**3,),
        edge_nm,
    )


def particle_mass_mg(
    solid_volumes_nm3: tuple[float, ...], densities_g_per_cm3: tuple[float, ...]
) -> float:
    """Mass of one particle (mg) from its solid volumes (nm³) and densities (g/cm³)."""
    nm3_to_cm3 = 1e-21
    grams = sum(
        v * nm3_to_cm3 * rho for v, rho in zip(solid_volumes_nm3, densities_g_per_cm3, strict=True)
    )
    return grams * 1e3


def porous_solid_fraction(skeletal_density_g_per_cm3: float, pore_volume_cm3_per_g: float) -> float:
    """Solid share of a porous particle's envelope: 1 / (1 + ρ_s·V_pore)."""
    return 1.0 / (1.0 + skeletal_density_g_per_cm3 * pore_volume_cm3_per_g)


def lognormal_moment(gsd: float, power: float) -> float:
    """E[s^power] of a log-normal scale factor s with median 1 and geometric SD ``gsd``."""
    return math.exp(0.5 * (power * math.log(gsd)) ** 2)


def population_midplane_area_nm2(geometry: ParticleGeometry, gsd: float, offset_nm: float) -> float:
    """Mean mid-plane area (nm²) of cores of this shape with log-normally scaled size."""
    return (
        geometry.area_nm2 * lognormal_moment(gsd, 2.0)
        + 2.0 * geometry.mean_curvature_nm * offset_nm * lognormal_moment(gsd, 1.0)
        + 4.0 * math.pi * offset_nm**2
    )
