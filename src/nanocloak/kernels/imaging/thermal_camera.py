"""The surface temperature map an IR camera would show of an axisymmetric temperature profile.

Model
-----
* **Geometry**: the skin temperature ``T(r)`` around the laser axis (from a bioheat solution)
  is sampled on a square pixel grid centred on the axis; each pixel reports the mean over its
  area (``supersample²`` points per pixel), so a camera coarser than the hot spot reads a lower
  peak, as real cameras do.
* **Radiometry** (grey body, total-radiation approximation; Vollmer & Möllmann, *Infrared
  Thermal Imaging*, Wiley 2017, ISBN 978-3-527-41351-5): the camera receives the emitted plus
  the reflected ambient radiation and converts it with its emissivity setting ``ε_set``,

  .. math::

      T_\\mathrm{app}^4 = \\frac{ε T^4 + (ε_\\mathrm{set} - ε) T_\\mathrm{amb}^4}{ε_\\mathrm{set}}

  (absolute temperatures), which returns ``T`` when ``ε_set = ε``. Band-limited detectors
  (8–14 µm) deviate slightly from the ``T⁴`` law; the error is below 0.1 K for ``ε ≥ 0.95``
  near body temperature.
* **Noise**: optional white Gaussian noise with standard deviation NETD (K), seeded.

Units: mm, °C, K.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray

KELVIN = 273.15


@dataclass(frozen=True, slots=True)
class ThermalImage:
    """A camera image of the skin temperature.

    Attributes
    ----------
    x_mm, y_mm
        Pixel-centre coordinates (mm), shape (n,).
    temperature_c
        Apparent temperature of each pixel (°C), shape (n, n), rows along y.
    pixel_mm
        Pixel size at the object (mm).
    """

    x_mm: FloatArray
    y_mm: FloatArray
    temperature_c: FloatArray
    pixel_mm: float

    @property
    def peak_c(self) -> float:
        """Hottest pixel (°C)."""
        return float(np.max(self.temperature_c))

    def mean_within_c(self, radius_mm: float) -> float:
        """Mean over pixels whose centre lies within ``radius_mm`` of the axis (an ROI)."""
        xx, yy = np.meshgrid(self.x_mm, self.y_mm)
        inside = np.hypot(xx, yy) <= radius_mm
        if not np.any(inside):
            raise ValueError(f"no pixel centre lies within {radius_mm} mm")
        return float(np.mean(self.temperature_c[inside]))


def apparent_temperature_c(
    temperature_c: FloatArray | float,
    emissivity: float,
    ambient_c: float,
    emissivity_setting: float | None = None,
) -> FloatArray:
    """Temperature a camera reports for a grey surface (see module; °C).

    Parameters
    ----------
    temperature_c
        True surface temperature (°C).
    emissivity
        Surface emissivity ε in (0, 1].
    ambient_c
        Reflected apparent (room) temperature (°C).
    emissivity_setting
        Emissivity set in the camera; None means the true ε (reading = T).
    """
    for name, value in (("emissivity", emissivity), ("emissivity_setting", emissivity_setting)):
        if value is not None and not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must lie in (0, 1]; got {value}")
    setting = emissivity if emissivity_setting is None else emissivity_setting
    t4 = (np.asarray(temperature_c, dtype=float) + KELVIN) ** 4
    a4 = (ambient_c + KELVIN) ** 4
    received = emissivity * t4 + (1.0 - emissivity) * a4
    return np.asarray(((received - (1.0 - setting) * a4) / setting) ** 0.25 - KELVIN, dtype=float)


def thermal_image(
    r_mm: FloatArray,
    surface_temperature_c: FloatArray,
    pixel_mm: float,
    half_width_mm: float,
    *,
    emissivity: float = 1.0,
    ambient_c: float = 25.0,
    emissivity_setting: float | None = None,
    netd_k: float = 0.0,
    seed: int | None = None,
    supersample: int = 4,
) -> ThermalImage:
    """Camera image of an axisymmetric skin temperature ``T(r)``.

    Parameters
    ----------
    r_mm
        Increasing radii of the profile (mm), starting at 0; beyond the last radius the last
        temperature is used.
    surface_temperature_c
        Skin temperature at ``r_mm`` (°C).
    pixel_mm
        Pixel size at the object (mm), > 0.
    half_width_mm
        Half the field of view (mm); the image has ``2 ceil(half_width/pixel)`` pixels a side.
    emissivity, ambient_c, emissivity_setting
        Radiometry (see :func:`apparent_temperature_c`).
    netd_k
        Noise-equivalent temperature difference (K); 0 for a noise-free image.
    seed
        Seed of the noise generator (required for reproducible noisy images).
    supersample
        Sub-samples per pixel side used to average the profile over the pixel.
    """
    r = np.asarray(r_mm, dtype=float)
    temp = np.asarray(surface_temperature_c, dtype=float)
    if r.shape != temp.shape or r.ndim != 1 or r.size < 2:
        raise ValueError("r_mm and surface_temperature_c must be 1-D arrays of equal length >= 2")
    if np.any(np.diff(r) <= 0.0) or r[0] < 0.0:
        raise ValueError("r_mm must increase strictly from a non-negative start")
    if pixel_mm <= 0.0 or half_width_mm <= 0.0 or supersample < 1:
        raise ValueError("pixel size, half width and supersample must be positive")
    if netd_k < 0.0:
        raise ValueError(f"NETD must be non-negative; got {netd_k}")
    n_half = int(np.ceil(half_width_mm / pixel_mm))
    centres = (np.arange(-n_half, n_half) + 0.5) * pixel_mm
    offsets = ((np.arange(supersample) + 0.5) / supersample - 0.5) * pixel_mm
    sub = (centres[:, None] + offsets[None, :]).ravel()
    xx, yy = np.meshgrid(sub, sub)
    fine = np.interp(np.hypot(xx, yy), r, temp)
    n = centres.size
    mean = fine.reshape(n, supersample, n, supersample).mean(axis=(1, 3))
    image = apparent_temperature_c(mean, emissivity, ambient_c, emissivity_setting)
    if netd_k > 0.0:
        image = image + np.random.default_rng(seed).normal(0.0, netd_k, image.shape)
    x = centres.astype(np.float64)
    return ThermalImage(x, x.copy(), np.asarray(image, dtype=np.float64), pixel_mm)
