"""Imaging kernels: NIR fluorescence through tissue, IR-camera surface maps, MRI T2 darkening.

Lengths in mm, optical coefficients in mm⁻¹, temperatures in °C, times in ms for MRI sequences,
iron in mM. Pure functions on floats and numpy arrays.
"""

from nanocloak.kernels.imaging.fluorescence import (
    FluorescenceSignal,
    ballistic_escape_fraction,
    diffusion_escape_fraction,
    dye_absorption_per_mm,
    fluorescence_signal,
    upconversion_yield,
)
from nanocloak.kernels.imaging.mri_map import MriMap, iron_mm_from_core_ug_per_g, t2_weighted_map
from nanocloak.kernels.imaging.thermal_camera import (
    ThermalImage,
    apparent_temperature_c,
    thermal_image,
)

__all__ = [
    "FluorescenceSignal",
    "MriMap",
    "ThermalImage",
    "apparent_temperature_c",
    "ballistic_escape_fraction",
    "diffusion_escape_fraction",
    "dye_absorption_per_mm",
    "fluorescence_signal",
    "iron_mm_from_core_ug_per_g",
    "t2_weighted_map",
    "thermal_image",
    "upconversion_yield",
]
