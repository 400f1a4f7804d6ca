"""Acoustic propulsion of a rod-shaped swimmer and biofouling as added drag (SI units).

Model (stated for reviewers)
----------------------------
**Energy density.** In a standing wave of pressure amplitude ``p_a`` the time- and
space-averaged acoustic energy density is (Bruus 2012, doi:10.1039/c2lc21068a)

.. math::

    E_\\mathrm{ac} = \\frac{p_a^2}{4 ρ c^2}

**Propulsion force.** Steady-streaming theory (Nadal & Lauga 2014) and acoustofluidic simulations
(Voß & Wittkowski 2023) give a propulsion that grows linearly with :math:`E_\\mathrm{ac}`
(∝ p_a²). The prefactor comes from a measurement: a rod reaching ``v_ref`` at ``E_ref`` in
water (Balk et al. 2014: ≈20 µm/s at < 10 J/m³, ≈3 MHz). The swimmer's propulsive force is the
drag it overcomes at that speed in the reference medium,

.. math::

    F_p = ζ_{\\parallel,\\mathrm{ref}}\\; v_\\mathrm{ref}\\, \\frac{E_\\mathrm{ac}}{E_\\mathrm{ref}}

and in another medium, or with a thicker (coated, fouled) rod, the speed is
:math:`v = F_p / ζ_\\parallel` (force-limited swimming: the acoustic force is taken independent
of the medium's viscosity and of the surface; frequency dependence is not modelled).

**Biofouling as added drag.** Adsorbed proteins (corona of thickness ``δ_c``) and a membrane
coat (``δ_m``) thicken the rod: :math:`d_\\mathrm{eff} = d + 2(δ_m + f δ_c)`, with ``f`` = 1 for a
bare swimmer and the named membrane fouling factor (< 1) for a leukocyte-membrane coat.
"""

from __future__ import annotations


def acoustic_energy_density_j_per_m3(
    pressure_amplitude_pa: float, density_kg_per_m3: float, sound_speed_m_per_s: float
) -> float:
    """Standing-wave energy density :math:`p_a^2 / (4 ρ c^2)` (J/m³).

    Parameters
    ----------
    pressure_amplitude_pa
        Acoustic pressure amplitude ``p_a`` (Pa), ≥ 0.
    density_kg_per_m3
        Density of the medium ``ρ`` (kg/m³), > 0.
    sound_speed_m_per_s
        Speed of sound ``c`` (m/s), > 0.
    """
    if pressure_amplitude_pa < 0.0 or density_kg_per_m3 <= 0.0 or sound_speed_m_per_s <= 0.0:
        raise ValueError("pressure must be ≥ 0; density and sound speed > 0")
    return pressure_amplitude_pa**2 / (4.0 * density_kg_per_m3 * sound_speed_m_per_s**2)


def propulsion_force_n(
    energy_density_j_per_m3: float,
    reference_speed_m_per_s: float,
    reference_energy_density_j_per_m3: float,
    reference_friction_n_s_per_m: float,
) -> float:
    """Propulsive force :math:`F_p = ζ_{ref} v_{ref} E / E_{ref}` (N)."""
    if energy_density_j_per_m3 < 0.0 or reference_energy_density_j_per_m3 <= 0.0:
        raise ValueError("energy densities must be ≥ 0 (reference > 0)")
    return (
        reference_friction_n_s_per_m
        * reference_speed_m_per_s
        * energy_density_j_per_m3
        / reference_energy_density_j_per_m3
    )


def swim_speed_m_per_s(force_n: float, parallel_friction_n_s_per_m: float) -> float:
    """Force-limited swimming speed :math:`v = F_p / ζ_∥` (m/s)."""
    if parallel_friction_n_s_per_m <= 0.0:
        raise ValueError("friction must be positive")
    return force_n / parallel_friction_n_s_per_m


def fouled_diameter_m(
    core_diameter_m: float,
    membrane_thickness_m: float,
    corona_thickness_m: float,
    membrane_fouling_factor: float,
    coated: bool,
) -> float:
    """Hydrodynamic diameter :math:`d + 2(δ_m + f δ_c)` of a bare or membrane-coated rod (m).

    Parameters
    ----------
    core_diameter_m
        Diameter of the gallium core (m).
    membrane_thickness_m
        Thickness of the membrane coat ``δ_m`` (m); ignored when ``coated`` is False.
    corona_thickness_m
        Protein-corona thickness ``δ_c`` of a bare surface in this medium (m).
    membrane_fouling_factor
        Share ``f`` of the corona that still forms on a coated rod, in [0, 1].
    coated
        Whether the rod carries the membrane.
    """
    if not 0.0 <= membrane_fouling_factor <= 1.0:
        raise ValueError(f"fouling factor must lie in [0, 1]; got {membrane_fouling_factor}")
    if min(membrane_thickness_m, corona_thickness_m) < 0.0 or core_diameter_m <= 0.0:
        raise ValueError("thicknesses must be ≥ 0 and the core diameter > 0")
    if coated:
        return core_diameter_m + 2.0 * (
            membrane_thickness_m + membrane_fouling_factor * corona_thickness_m
        )
    return core_diameter_m + 2.0 * corona_thickness_m
