"""Magnetic targeting: a static magnet over the tumor pulls magnetic particles to the vessel wall.

While a magnet is over the tumor, a particle crossing the tumor's microvessels drifts toward the
wall at its magnetophoretic velocity v (force N·m·∇B against Stokes drag, see
:mod:`nanocloak.kernels.capture.magnetophoresis`). Within one capillary transit τ it reaches the
wall if it starts within v·τ of it, so the captured share per pass is

.. math:: p = \\min(1, v\\,\\tau / r_v)

for a vessel of radius :math:`r_v` (the plug-flow form of the separator model). A share ρ of
the particles brought to the wall stays in the tumor (extravasates or adheres). The tumor then
takes up, besides its permeability-limited uptake :math:`PA_T = P\\,Q_T` (P the base
permeability as a fraction of tumor blood flow), a magnetic clearance :math:`p\\,ρ\\,Q_T`, i.e.
the tumor permeability is multiplied by

.. math:: f = 1 + p\\,ρ / P

while the magnet is on (a parameter window of the PBPK model).
"""

from __future__ import annotations


def capture_fraction_per_pass(
    velocity_m_per_s: float, transit_s: float, vessel_radius_m: float
) -> float:
    """Share of particles brought to the vessel wall in one transit, ``min(1, v τ / r)``.

    Parameters
    ----------
    velocity_m_per_s
        Magnetophoretic velocity toward the magnet (m/s), ≥ 0.
    transit_s
        Transit time through the tumor's microvessels (s), > 0.
    vessel_radius_m
        Microvessel radius (m), > 0.
    """
    if velocity_m_per_s < 0.0 or transit_s <= 0.0 or vessel_radius_m <= 0.0:
        raise ValueError("need v >= 0, a positive transit time and a positive vessel radius")
    return min(1.0, velocity_m_per_s * transit_s / vessel_radius_m)


def magnet_permeability_factor(
    capture_fraction: float, retention: float, permeability: float
) -> float:
    """Factor ``1 + p ρ / P`` on the tumor permeability while the magnet is on.

    Parameters
    ----------
    capture_fraction
        p, share of particles brought to the wall per pass (0–1).
    retention
        ρ, share of those that stay in the tumor (0–1).
    permeability
        P, the tumor's base permeability as a fraction of its blood flow (> 0).
    """
    if not (0.0 <= capture_fraction <= 1.0 and 0.0 <= retention <= 1.0) or permeability <= 0.0:
        raise ValueError("need p and rho in [0, 1] and a positive base permeability")
    return 1.0 + capture_fraction * retention / permeability
