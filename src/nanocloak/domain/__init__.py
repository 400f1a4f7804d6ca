"""The particle as designed: typed, validated, frozen specs (pydantic v2)."""

from nanocloak.domain.cargo import (
    Cargo,
    EncapsulationLoading,
    MassLoading,
    SurfaceModification,
    WeightFractionLoading,
)
from nanocloak.domain.core import Cage, Cluster, Core, HollowSphere, Porosity, Rod, Shell, Sphere
from nanocloak.domain.formulation import Batch, Design, Formulation
from nanocloak.domain.membrane import Membrane, MembraneSource
from nanocloak.domain.preparation import (
    CentrifugationStep,
    CoIncubation,
    Electroporation,
    Extrusion,
    Preparation,
    Sonication,
    VesicleSeparation,
)

__all__ = [
    "Batch",
    "Cage",
    "Cargo",
    "CentrifugationStep",
    "Cluster",
    "CoIncubation",
    "Core",
    "Design",
    "Electroporation",
    "EncapsulationLoading",
    "Extrusion",
    "Formulation",
    "HollowSphere",
    "MassLoading",
    "Membrane",
    "MembraneSource",
    "Porosity",
    "Preparation",
    "Rod",
    "Shell",
    "Sonication",
    "Sphere",
    "SurfaceModification",
    "VesicleSeparation",
    "WeightFractionLoading",
]
