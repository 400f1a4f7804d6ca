"""Stokes friction and Brownian diffusion of spheres and rods (SI units).

Sphere: :math:`ζ = 6π η a`, :math:`ζ_r = 8π η a^3`.

Rod (cylinder of length ``L`` and diameter ``d``, aspect ratio ``p = L/d``), Tirado, Martínez &
García de la Torre 1984 (doi:10.1063/1.447827), valid for 2 ≤ p ≲ 30 and tending to the
slender-body limits for large ``p``:

.. math::

    ζ_\\parallel = \\frac{2π η L}{\\ln p + ν_\\parallel},\\quad
    ζ_\\perp = \\frac{4π η L}{\\ln p + ν_\\perp},\\quad
    ζ_r = \\frac{π η L^3}{3(\\ln p + δ_\\perp)}

with :math:`ν_\\parallel = -0.207 + 0.980/p - 0.133/p^2`,
:math:`ν_\\perp = 0.839 + 0.185/p + 0.233/p^2`,
:math:`δ_\\perp = -0.662 + 0.917/p - 0.050/p^2`.
Diffusion by Stokes–Einstein, :math:`D = k_B T / ζ`; the orientation-averaged translational
coefficient is :math:`\\bar D = (D_\\parallel + 2 D_\\perp)/3`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BOLTZMANN_J_PER_K = 1.380649e-23
MIN_ASPECT_RATIO = 2.0


def sphere_friction_n_s_per_m(radius_m: float, viscosity_pa_s: float) -> float:
    """Translational Stokes friction of a sphere, :math:`6π η a` (N·s/m)."""
    _check(radius_m=radius_m, viscosity_pa_s=viscosity_pa_s)
    return 6.0 * math.pi * viscosity_pa_s * radius_m


def sphere_rotational_friction_n_m_s(radius_m: float, viscosity_pa_s: float) -> float:
    """Rotational Stokes friction of a sphere, :math:`8π η a^3` (N·m·s)."""
    _check(radius_m=radius_m, viscosity_pa_s=viscosity_pa_s)
    return 8.0 * math.pi * viscosity_pa_s * radius_m**3


@dataclass(frozen=True, slots=True)
class RodFriction:
    """Friction coefficients of a rod: along and across its axis (N·s/m), rotation (N·m·s)."""

    parallel_n_s_per_m: float
    perpendicular_n_s_per_m: float
    rotational_n_m_s: float


@dataclass(frozen=True, slots=True)
class RodDiffusion:
    """Diffusion coefficients of a rod (m²/s; rotational in rad²/s = 1/s)."""

    parallel_m2_per_s: float
    perpendicular_m2_per_s: float
    rotational_per_s: float

    @property
    def mean_m2_per_s(self) -> float:
        """Orientation-averaged translational coefficient :math:`(D_∥ + 2 D_⊥)/3` (m²/s)."""
        return (self.parallel_m2_per_s + 2.0 * self.perpendicular_m2_per_s) / 3.0


def rod_friction(length_m: float, diameter_m: float, viscosity_pa_s: float) -> RodFriction:
    """Friction of a cylinder by the Tirado–García de la Torre formulas (module docstring).

    Parameters
    ----------
    length_m
        Rod length ``L`` (m).
    diameter_m
        Rod diameter ``d`` (m); ``L/d`` must be at least 2.
    viscosity_pa_s
        Dynamic viscosity of the medium (Pa·s).
    """
    _check(length_m=length_m, diameter_m=diameter_m, viscosity_pa_s=viscosity_pa_s)
    p = length_m / diameter_m
    if p < MIN_ASPECT_RATIO:
        raise ValueError(f"aspect ratio L/d = {p:.3g} is below {MIN_ASPECT_RATIO}: not a rod")
    log_p = math.log(p)
    nu_par = -0.207 + 0.980 / p - 0.133 / p**2
    nu_perp = 0.839 + 0.185 / p + 0.233 / p**2
    delta_perp = -0.662 + 0.917 / p - 0.050 / p**2
    eta_l = viscosity_pa_s * length_m
    return RodFriction(
        parallel_n_s_per_m=2.0 * math.pi * eta_l / (log_p + nu_par),
        perpendicular_n_s_per_m=4.0 * math.pi * eta_l / (log_p + nu_perp),
        rotational_n_m_s=math.pi * eta_l * length_m**2 / (3.0 * (log_p + delta_perp)),
    )


def rod_diffusion(friction: RodFriction, temperature_k: float) -> RodDiffusion:
    """Stokes–Einstein coefficients :math:`D = k_B T / ζ` of a rod."""
    _check(temperature_k=temperature_k)
    kt = BOLTZMANN_J_PER_K * temperature_k
    return RodDiffusion(
        parallel_m2_per_s=kt / friction.parallel_n_s_per_m,
        perpendicular_m2_per_s=kt / friction.perpendicular_n_s_per_m,
        rotational_per_s=kt / friction.rotational_n_m_s,
    )


def _check(**values: float) -> None:
    for name, v in values.items():
        if not (v > 0.0 and math.isfinite(v)):
            raise ValueError(f"{name} must be positive and finite; got {v}")
