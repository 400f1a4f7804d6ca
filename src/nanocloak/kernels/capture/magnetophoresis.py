"""Magnetic force on a labelled cell, Stokes drag and the magnetophoretic velocity (SI units).

A superparamagnetic particle of volume ``V`` in a field ``B`` carries the moment

.. math::

    m_p = V\\,\\min\\!\\Big(\\frac{χ B}{μ_0},\\; M_\\mathrm{sat}\\Big)

(linear below saturation, saturated above). In a field of gradient ``∇B`` a cell labelled with
``N`` particles feels

.. math::

    F = N\\, m_p\\, ∇B \\;=\\; N \\frac{V χ}{μ_0} (B·∇) B \\quad\\text{(linear regime)}

and, with the Stokes drag of the cell :math:`ζ = 6π η R` (the particles add negligible drag),
moves at the magnetophoretic velocity :math:`v = F / ζ` where drag balances the force.

Reference: Liu P et al., Cancers 2020;12:3525 (doi:10.3390/cancers12123525) for the setting.
"""

from __future__ import annotations

import math

VACUUM_PERMEABILITY_H_PER_M = 1.25663706212e-6


def sphere_volume_m3(radius_m: float) -> float:
    """Volume of a sphere, :math:`\\tfrac43 π r^3` (m³)."""
    return 4.0 / 3.0 * math.pi * radius_m**3


def particle_moment_a_m2(
    radius_m: float, susceptibility: float, saturation_a_per_m: float, field_t: float
) -> float:
    """Magnetic moment of one particle, :math:`V \\min(χ B / μ_0, M_{sat})` (A·m²).

    Parameters
    ----------
    radius_m
        Particle radius (m).
    susceptibility
        Initial volume susceptibility χ of the particle (dimensionless), ≥ 0.
    saturation_a_per_m
        Saturation magnetization of the particle volume (A/m), ≥ 0.
    field_t
        Magnitude of the applied flux density ``B`` (T), ≥ 0.
    """
    if min(susceptibility, saturation_a_per_m, field_t) < 0.0 or radius_m <= 0.0:
        raise ValueError("radius must be positive; susceptibility, saturation, field ≥ 0")
    magnetization = min(susceptibility * field_t / VACUUM_PERMEABILITY_H_PER_M, saturation_a_per_m)
    return sphere_volume_m3(radius_m) * magnetization


def linear_force_n(
    labels: float, radius_m: float, susceptibility: float, field_t: float, gradient_t_per_m: float
) -> float:
    """Force in the linear regime, :math:`N (V χ / μ_0) B ∇B` (N); no saturation."""
    volume = sphere_volume_m3(radius_m)
    return (
        labels * volume * susceptibility / VACUUM_PERMEABILITY_H_PER_M * field_t * gradient_t_per_m
    )


def magnetic_force_n(labels: float, moment_a_m2: float, gradient_t_per_m: float) -> float:
    """Force on a cell carrying ``labels`` particles, :math:`N m_p ∇B` (N)."""
    if labels < 0.0:
        raise ValueError(f"labels must be non-negative; got {labels}")
    return labels * moment_a_m2 * gradient_t_per_m


def stokes_drag_coefficient_n_s_per_m(radius_m: float, viscosity_pa_s: float) -> float:
    """Stokes friction of a sphere, :math:`ζ = 6π η R` (N·s/m).

    Parameters
    ----------
    radius_m
        Sphere radius (m), > 0.
    viscosity_pa_s
        Dynamic viscosity (Pa·s), > 0.
    """
    if radius_m <= 0.0 or viscosity_pa_s <= 0.0:
        raise ValueError("radius and viscosity must be positive")
    return 6.0 * math.pi * viscosity_pa_s * radius_m


def magnetophoretic_velocity_m_per_s(force_n: float, drag_n_s_per_m: float) -> float:
    """Terminal velocity where drag balances the magnetic force, :math:`v = F / ζ` (m/s)."""
    if drag_n_s_per_m <= 0.0:
        raise ValueError("drag coefficient must be positive")
    return force_n / drag_n_s_per_m
