"""What a treatment is given: the laser or field setting, the tumor site and its particle content.

Each setting is checked when it is built, so a bad number raises a ``SpecificationError`` that
names the option (``laser.irradiance``, ``site.depth`` …) before any solver runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nanocloak.errors import SpecificationError
from nanocloak.knowledge import treatment as kb


def require_positive(name: str, value: float, unit: str) -> None:
    """Raise a ``SpecificationError`` naming ``name`` unless ``value`` (``unit``) is finite, > 0."""
    if not (math.isfinite(value) and value > 0.0):
        raise SpecificationError(name, f"{value} {unit}", f"a positive number of {unit}")


def checked_concentration(value_mg_per_ml: float) -> float:
    """A tumor particle concentration (mg/mL), finite and ≥ 0, as a float."""
    if not (math.isfinite(value_mg_per_ml) and value_mg_per_ml >= 0.0):
        raise SpecificationError(
            "concentration", f"{value_mg_per_ml} mg/mL", "a concentration >= 0 mg/mL"
        )
    return float(value_mg_per_ml)


@dataclass(frozen=True, slots=True)
class LaserSetting:
    """A continuous-wave laser: wavelength (nm), mean irradiance over the spot (W/cm²),
    flat-top spot radius (mm) and irradiation time (s)."""

    wavelength_nm: float
    irradiance_w_per_cm2: float
    spot_radius_mm: float
    duration_s: float

    def __post_init__(self) -> None:
        require_positive("laser.wavelength", self.wavelength_nm, "nm")
        require_positive("laser.irradiance", self.irradiance_w_per_cm2, "W/cm2")
        require_positive("laser.spot_radius", self.spot_radius_mm, "mm")
        require_positive("laser.duration", self.duration_s, "s")


@dataclass(frozen=True, slots=True)
class FieldSetting:
    """An alternating magnetic field: amplitude H (kA/m), frequency f (kHz), duration (s)."""

    amplitude_ka_per_m: float
    frequency_khz: float
    duration_s: float

    def __post_init__(self) -> None:
        require_positive("field.amplitude", self.amplitude_ka_per_m, "kA/m")
        require_positive("field.frequency", self.frequency_khz, "kHz")
        require_positive("field.duration", self.duration_s, "s")


@dataclass(frozen=True, slots=True)
class TumorSite:
    """A spherical subcutaneous tumor: radius (mm) and depth of its top below the skin (mm)."""

    radius_mm: float
    depth_mm: float

    def __post_init__(self) -> None:
        require_positive("site.radius", self.radius_mm, "mm")
        if not (math.isfinite(self.depth_mm) and self.depth_mm >= 0.0):
            raise SpecificationError("site.depth", f"{self.depth_mm} mm", "a depth >= 0 mm")

    @classmethod
    def default(cls) -> TumorSite:
        """The knowledge base's default mouse tumor (``treatment.yaml`` site)."""
        return cls(kb.default_tumor_radius_mm(), kb.default_tumor_top_mm())
