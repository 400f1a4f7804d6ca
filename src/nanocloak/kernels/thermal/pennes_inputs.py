"""Inputs of the Pennes solvers: tissue thermal properties and boundary conditions (SI, °C).

The parameter bundles that :mod:`nanocloak.kernels.thermal.pennes` (1-D and axisymmetric) and
:mod:`nanocloak.kernels.thermal.voxel` (3-D) take, and the default blood properties of the
perfusion term ``ω_b ρ_b c_b (T_a − T)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanocloak.kernels.arrays import FloatArray

BLOOD_DENSITY_KG_PER_M3 = 1050.0
BLOOD_HEAT_CAPACITY_J_PER_KG_K = 3617.0


@dataclass(frozen=True, slots=True)
class TissueThermal:
    """Thermal properties, scalars or arrays on the grid's nodes (SI).

    Attributes
    ----------
    density_kg_per_m3, heat_capacity_j_per_kg_k, conductivity_w_per_m_k
        ρ, c, k of tissue.
    perfusion_per_s
        Volumetric blood perfusion ω_b (m³ blood per m³ tissue per s).
    metabolic_w_per_m3
        Metabolic heat Q_met (W/m³).
    arterial_c
        Arterial blood temperature T_a (°C).
    blood_density_kg_per_m3, blood_heat_capacity_j_per_kg_k
        ρ_b and c_b of blood.
    """

    density_kg_per_m3: float | FloatArray
    heat_capacity_j_per_kg_k: float | FloatArray
    conductivity_w_per_m_k: float | FloatArray
    perfusion_per_s: float | FloatArray = 0.0
    metabolic_w_per_m3: float | FloatArray = 0.0
    arterial_c: float = 37.0
    blood_density_kg_per_m3: float = BLOOD_DENSITY_KG_PER_M3
    blood_heat_capacity_j_per_kg_k: float = BLOOD_HEAT_CAPACITY_J_PER_KG_K


@dataclass(frozen=True, slots=True)
class SurfaceBoundary:
    """Boundary conditions (SI).

    Attributes
    ----------
    h_w_per_m2_k
        Heat-transfer coefficient of the skin (convection + linearised radiation).
    ambient_c
        Air temperature (°C).
    bottom
        ``"fixed"`` (held at ``bottom_c``) or ``"insulated"``, at z = L.
    bottom_c
        Temperature of fixed deep and outer boundaries (°C); the arterial temperature if None.
    outer
        The condition at the outer radius r = R in 2-D; the same as ``bottom`` if None.
    """

    h_w_per_m2_k: float = 10.0
    ambient_c: float = 25.0
    bottom: str = "fixed"
    bottom_c: float | None = None
    outer: str | None = None
