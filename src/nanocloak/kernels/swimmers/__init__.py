"""Ultrasound-propelled rod swimmers: drag, diffusion, acoustic propulsion, fouling, ABP motion.

SI units throughout. See :mod:`.hydrodynamics`, :mod:`.propulsion` and :mod:`.active_brownian`.
"""

from nanocloak.kernels.swimmers.active_brownian import (
    Trajectories,
    effective_diffusivity_m2_per_s,
    msd_m2,
    persistence_time_s,
    simulate_active_brownian,
)
from nanocloak.kernels.swimmers.hydrodynamics import (
    RodDiffusion,
    RodFriction,
    rod_diffusion,
    rod_friction,
    sphere_friction_n_s_per_m,
    sphere_rotational_friction_n_m_s,
)
from nanocloak.kernels.swimmers.propulsion import (
    acoustic_energy_density_j_per_m3,
    fouled_diameter_m,
    propulsion_force_n,
    swim_speed_m_per_s,
)

__all__ = [
    "RodDiffusion",
    "RodFriction",
    "Trajectories",
    "acoustic_energy_density_j_per_m3",
    "effective_diffusivity_m2_per_s",
    "fouled_diameter_m",
    "msd_m2",
    "persistence_time_s",
    "propulsion_force_n",
    "rod_diffusion",
    "rod_friction",
    "simulate_active_brownian",
    "sphere_friction_n_s_per_m",
    "sphere_rotational_friction_n_m_s",
    "swim_speed_m_per_s",
]
