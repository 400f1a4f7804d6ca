"""Optics kernels: tissue optical properties (Jacques 2013) and light in tissue (δ-P1 diffusion).

Lengths in mm and coefficients in mm⁻¹ for light transport; the tissue-composition formulas
work in cm⁻¹ as in Jacques 2013 (divide by 10 for mm⁻¹).
"""

from nanocloak.kernels.optics.diffusion import (
    DeltaP1Medium,
    absorbed_fraction,
    broad_beam_fluence,
    delta_p1_medium,
    diffuse_reflectance,
    flat_top_spot_transform,
    fresnel_normal_reflectance,
    gaussian_spot_transform,
    internal_reflection,
    spot_fluence,
    spot_profile,
)
from nanocloak.kernels.optics.tissue import (
    blood_absorption_per_cm,
    effective_attenuation,
    melanosome_absorption_per_cm,
    penetration_depth,
    reduced_scattering_per_cm,
    scattering_per_cm,
    tissue_absorption_per_cm,
)

__all__ = [
    "DeltaP1Medium",
    "absorbed_fraction",
    "blood_absorption_per_cm",
    "broad_beam_fluence",
    "delta_p1_medium",
    "diffuse_reflectance",
    "effective_attenuation",
    "flat_top_spot_transform",
    "fresnel_normal_reflectance",
    "gaussian_spot_transform",
    "internal_reflection",
    "melanosome_absorption_per_cm",
    "penetration_depth",
    "reduced_scattering_per_cm",
    "scattering_per_cm",
    "spot_fluence",
    "spot_profile",
    "tissue_absorption_per_cm",
]
