"""Domain core spec → per-particle geometry and mass (nm, g/cm³, mg)."""

from __future__ import annotations

from dataclasses import dataclass

from nanocloak.domain.core import Cage, Cluster, Core, HollowSphere, Rod, Shell, Sphere
from nanocloak.kernels.manufacture import geometry as geo
from nanocloak.knowledge import loader
from nanocloak.workflows.parameters import ParameterDraw

SILICA_ID = "msn"


@dataclass(frozen=True, slots=True)
class CoreModel:
    """Geometry and mass of one core, ready for the kernels."""

    geometry: geo.ParticleGeometry
    particle_mass_mg: float
    zeta_bare_mv: float


def _nm(value: object) -> float:
    return float(value.to("nm").magnitude)  # type: ignore[attr-defined]


def _material_value(draw: ParameterDraw, material: str, name: str, unit: str) -> float:
    entry = loader.core_materials()[material]
    value = entry.density if name == "density" else entry.properties[name]
    return draw.value(f"core_materials.{material}.{name}", value, unit)


def _solid_fraction(core: Core, draw: ParameterDraw, material: str) -> float:
    entry = loader.core_materials()[material]
    if not entry.porous:
        return 1.0
    pore_volume = None
    if core.porosity is not None and core.porosity.pore_volume is not None:
        pore_volume = float(core.porosity.pore_volume.to("cm^3/g").magnitude)
    elif "pore_volume" in entry.properties:
        pore_volume = _material_value(draw, material, "pore_volume", "cm^3/g")
    if pore_volume is None:
        return 1.0
    skeletal = _material_value(draw, material, "density", "g/cm^3")
    return geo.porous_solid_fraction(skeletal, pore_volume)


def core_model(core: Core, draw: ParameterDraw) -> CoreModel:
    """Geometry, particle mass and bare zeta potential of ``core``."""
    material = core.material
    entry = loader.core_materials()[material]
    density = _material_value(draw, material, "density", "g/cm^3")
    shape = core.geometry
    densities: tuple[float, ...] = (density,)
    if isinstance(shape, Sphere):
        geometry = geo.sphere(_nm(shape.diameter), _solid_fraction(core, draw, material))
    elif isinstance(shape, Cluster):
        packing = _material_value(draw, material, "packing_fraction", "dimensionless")
        geometry = geo.sphere(_nm(shape.diameter), packing)
    elif isinstance(shape, Rod):
        geometry = geo.spherocylinder(_nm(shape.length), _nm(shape.width))
    elif isinstance(shape, Shell):
        geometry = geo.core_shell(_nm(shape.inner_radius), _nm(shape.outer_radius), hollow=False)
        densities = (density, _material_value(draw, material, "core_density", "g/cm^3"))
    elif isinstance(shape, HollowSphere):
        geometry = geo.core_shell(_nm(shape.inner_radius), _nm(shape.outer_radius), hollow=True)
        solid = _solid_fraction(core, draw, material)
        densities = (density * solid,)
    elif isinstance(shape, Cage):
        geometry = geo.cube_cage(_nm(shape.edge_length), _nm(shape.wall_thickness))
    else:  # pragma: no cover - the discriminated union is exhaustive
        raise TypeError(shape)
    if core.silica_shell is not None:
        geometry, densities = _with_silica_shell(core, geometry, densities, draw)
    mass = geo.particle_mass_mg(geometry.solid_volumes_nm3, densities)
    zeta = draw.value(f"core_materials.{material}.zeta_bare", entry.zeta_bare, "mV")
    return CoreModel(geometry, mass, zeta)


def _with_silica_shell(
    core: Core, inner: geo.ParticleGeometry, densities: tuple[float, ...], draw: ParameterDraw
) -> tuple[geo.ParticleGeometry, tuple[float, ...]]:
    """Grow a mesoporous silica layer on a spherical core (UCNP@mSiO2)."""
    inner_radius = inner.equivalent_diameter_nm / 2.0
    outer_radius = inner_radius + float(core.silica_shell.to("nm").magnitude)  # type: ignore[union-attr]
    shell = geo.core_shell(inner_radius, outer_radius, hollow=False)
    silica = _material_value(draw, SILICA_ID, "density", "g/cm^3")
    pore_volume = _material_value(draw, SILICA_ID, "pore_volume", "cm^3/g")
    silica_envelope = silica * geo.porous_solid_fraction(silica, pore_volume)
    inner_mass_density = (
        sum(v * d for v, d in zip(inner.solid_volumes_nm3, densities, strict=True))
        / shell.solid_volumes_nm3[1]
    )
    return shell, (silica_envelope, inner_mass_density)
