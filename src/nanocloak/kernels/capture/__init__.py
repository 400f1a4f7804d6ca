"""CTC capture by antibody-bearing magnetic particles: binding in blood, magnetophoresis, capture.

SI units throughout (m, s, Pa·s, T, A/m, N). See :mod:`.binding`, :mod:`.magnetophoresis` and
:mod:`.separator` for the equations.
"""

from nanocloak.kernels.capture.binding import (
    BindingSolution,
    BindingTarget,
    berg_purcell_factor,
    jamming_capacity,
    shear_collision_rate_m3_per_s,
    smoluchowski_rate_m3_per_s,
    solve_binding,
    stokes_einstein_m2_per_s,
)
from nanocloak.kernels.capture.magnetophoresis import (
    linear_force_n,
    magnetic_force_n,
    magnetophoretic_velocity_m_per_s,
    particle_moment_a_m2,
    sphere_volume_m3,
    stokes_drag_coefficient_n_s_per_m,
)
from nanocloak.kernels.capture.separator import (
    capture_share,
    expected_capture,
    labels_needed,
    poisson_capture,
    purity,
    residence_time_s,
)

__all__ = [
    "BindingSolution",
    "BindingTarget",
    "berg_purcell_factor",
    "capture_share",
    "expected_capture",
    "jamming_capacity",
    "labels_needed",
    "linear_force_n",
    "magnetic_force_n",
    "magnetophoretic_velocity_m_per_s",
    "particle_moment_a_m2",
    "poisson_capture",
    "purity",
    "residence_time_s",
    "shear_collision_rate_m3_per_s",
    "smoluchowski_rate_m3_per_s",
    "solve_binding",
    "sphere_volume_m3",
    "stokes_drag_coefficient_n_s_per_m",
    "stokes_einstein_m2_per_s",
]
