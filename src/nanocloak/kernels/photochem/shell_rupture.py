"""Laser-triggered ROS break the membrane shell: released fraction from the singlet-oxygen dose.

Model (stated for reviewers)
----------------------------
Singlet oxygen made by a photosensitizer under the membrane peroxidises the membrane's
unsaturated lipids until the shell is breached and the cargo escapes (Su et al.,
*Theranostics* 2017, doi:10.7150/thno.17259: RBC-membrane MSNs with Dox and Ce6 release Dox
under 660-nm light). Particles differ (coverage, lipid composition, local photosensitizer), so
the share of breached shells after a reacted dose ``D`` is a Weibull dose–response:

.. math::

    F(D) = 1 - \\exp\\left[-\\ln 2\\,(D / D_{50})^m\\right],

``D₅₀`` the dose that breaches half of the shells and ``m`` its steepness (``m = 1``: one
critical oxidation per shell, Poisson single-hit). ``F`` is the hook for the release model:
the cargo of breached particles becomes free to diffuse (its release law applies from then on).

Units: doses in mM of reacted singlet oxygen per tissue volume.
"""

from __future__ import annotations

import math

import numpy as np

from nanocloak.kernels.arrays import FloatArray


def shell_rupture_fraction(
    reacted_singlet_oxygen_mm: FloatArray | float, dose_50_mm: float, shape: float = 1.0
) -> FloatArray:
    """Share of membrane shells breached by the reacted singlet-oxygen dose (0–1).

    Parameters
    ----------
    reacted_singlet_oxygen_mm
        Cumulative reacted singlet oxygen ``[¹O₂]_rx`` (mM), ≥ 0; any shape (e.g. a time
        course, which gives the breached share over time because the dose never decreases).
    dose_50_mm
        ``D₅₀``, dose breaching half of the shells (mM), > 0.
    shape
        Weibull shape ``m`` (> 0).
    """
    dose = np.asarray(reacted_singlet_oxygen_mm, dtype=float)
    if np.any(dose < 0.0):
        raise ValueError("the singlet-oxygen dose must be non-negative")
    if dose_50_mm <= 0.0 or shape <= 0.0:
        raise ValueError("D50 and the shape must be positive")
    return np.asarray(-np.expm1(-math.log(2.0) * (dose / dose_50_mm) ** shape), dtype=float)
