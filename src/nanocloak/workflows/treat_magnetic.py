"""Magnetic side of a hyperthermia treatment: the core's Rosensweig parameters and field limits.

* :func:`magnetic_particle` reads saturation magnetisation, anisotropy and density of the core
  (``core_materials.yaml``), the Néel attempt time and surfactant shell
  (``magnetic_constants.yaml``) and the crystal diameter of the design's geometry; particles
  bound in tissue cannot rotate, so Brownian relaxation is blocked unless ``immobilized`` is
  False.
* :func:`field_limit_warnings` compares H·f with Brezovich's and Hergt–Dutz's limits
  (``magnetic_constants.yaml``).
"""

from __future__ import annotations

import math
from typing import Any

from nanocloak.domain.core import Cluster, Sphere
from nanocloak.domain.formulation import Design
from nanocloak.errors import SpecificationError
from nanocloak.kernels.magnetic.rosensweig import MagneticParticle
from nanocloak.knowledge import loader, physics
from nanocloak.knowledge import treatment as kb
from nanocloak.workflows.treat_provenance import parameter_row


def magnetic_particle(
    design: Design, immobilized: bool = True
) -> tuple[MagneticParticle, float, list[dict[str, Any]]]:
    """Rosensweig parameters and magnetic-crystal diameter (nm) of a design's core."""
    material = design.core.material
    entry = loader.core_materials()[material]
    props = entry.properties
    if "saturation_magnetization" not in props or "anisotropy_constant" not in props:
        magnetic = sorted(
            k
            for k, e in loader.core_materials().items()
            if "saturation_magnetization" in e.properties
        )
        raise SpecificationError("core.material", material, f"a magnetic core: one of {magnetic}")
    shape = design.core.geometry
    if isinstance(shape, Cluster):
        diameter = float(shape.crystal_diameter.to("nm").magnitude)
    elif isinstance(shape, Sphere):
        diameter = float(shape.diameter.to("nm").magnitude)
    else:
        raise SpecificationError(
            "core.geometry.kind", shape.kind, "a sphere or a cluster of crystals"
        )
    mag = physics.magnetic_constants()
    particle = MagneticParticle(
        magnetization_a_per_m=props["saturation_magnetization"].to("A/m"),
        anisotropy_j_per_m3=props["anisotropy_constant"].to("J/m^3"),
        density_kg_per_m3=entry.density.to("kg/m^3"),
        shell_nm=mag.magnetite["surfactant_shell"].to("nm"),
        attempt_time_s=mag.magnetite["attempt_time"].to("s"),
        # particles bound in tissue cannot rotate: Brownian relaxation is blocked
        viscosity_pa_s=math.inf if immobilized else mag.water["viscosity_37c"].to("Pa*s"),
    )
    rows = [
        parameter_row(
            f"{material} saturation magnetization", props["saturation_magnetization"], "A/m"
        ),
        parameter_row(f"{material} anisotropy constant", props["anisotropy_constant"], "J/m^3"),
        parameter_row(f"{material} density", entry.density, "kg/m^3"),
        parameter_row("Néel attempt time", mag.magnetite["attempt_time"], "s"),
        parameter_row(
            "crystal size dispersion σ_ln", kb.value("magnetic.size_dispersion"), "dimensionless"
        ),
    ]
    return particle, diameter, rows


def field_limit_warnings(amplitude_a_per_m: float, frequency_hz: float) -> list[str]:
    """Warnings for H·f above Brezovich's and Hergt–Dutz's limits (magnetic_constants.yaml)."""
    limits = physics.magnetic_constants().field_limits
    product = amplitude_a_per_m * frequency_hz
    out = []
    for name, label in (
        ("brezovich", "Brezovich (large body regions)"),
        ("hergt_dutz", "Hergt–Dutz (small regions)"),
    ):
        limit = limits[name].to("A/(m*s)")
        if product > limit:
            out.append(
                f"H·f = {product:.3g} A/(m s) exceeds the {label} limit {limit:.3g} A/(m s): "
                "eddy-current heating of tissue becomes unsafe"
            )
    return out
