"""Geometry of a prolate spheroid (a gold nanorod in Gans theory): depolarization, volume, area.

A spheroid of length ``L`` (long axis) and width ``d`` has aspect ratio ``R = L/d ≥ 1`` and
eccentricity ``e² = 1 − R⁻²``; lengths in nm.
"""

from __future__ import annotations

import math


def spheroid_depolarization(aspect_ratio: float) -> tuple[float, float]:
    """Depolarization factors ``(L_∥, L_⊥)`` of a prolate spheroid (``R = L/d ≥ 1``).

    ``R = 1`` (a sphere) gives ``(1/3, 1/3)``; ``L_∥ + 2 L_⊥ = 1``.

    Parameters
    ----------
    aspect_ratio
        Long axis over short axis.
    """
    if aspect_ratio < 1.0:
        raise ValueError(f"a prolate spheroid needs aspect ratio >= 1; got {aspect_ratio}")
    e2 = 1.0 - 1.0 / aspect_ratio**2
    if e2 < 1e-6:  # series about the sphere: L = 1/3 - 2e²/15 + ...
        long_factor = 1.0 / 3.0 - 2.0 * e2 / 15.0
    else:
        e = math.sqrt(e2)
        long_factor = (1.0 - e2) / e2 * (math.log((1.0 + e) / (1.0 - e)) / (2.0 * e) - 1.0)
    return long_factor, (1.0 - long_factor) / 2.0


def prolate_volume_nm3(length_nm: float, width_nm: float) -> float:
    """Volume ``π L d² / 6`` (nm³) of a prolate spheroid of length ``L`` and width ``d``."""
    return math.pi * length_nm * width_nm**2 / 6.0


def prolate_surface_nm2(length_nm: float, width_nm: float) -> float:
    """Surface area (nm²) of a prolate spheroid, ``2πb² (1 + (a/(b e)) arcsin e)``."""
    a, b = length_nm / 2.0, width_nm / 2.0
    if a <= b * (1.0 + 1e-9):
        return 4.0 * math.pi * b**2
    e = math.sqrt(1.0 - (b / a) ** 2)
    return 2.0 * math.pi * b**2 * (1.0 + a / (b * e) * math.asin(e))
