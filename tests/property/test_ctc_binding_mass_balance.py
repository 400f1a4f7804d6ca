"""Binding kinetics conserve particles: free + Σ cells × bound per cell = initial (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nanocloak.kernels.capture import BindingTarget, solve_binding

rates = st.floats(min_value=1e-20, max_value=1e-15)
concentrations = st.floats(min_value=1e6, max_value=1e13)
capacities = st.floats(min_value=1.0, max_value=1e5)


@settings(max_examples=30, deadline=None)
@given(
    p0=st.floats(min_value=1e12, max_value=1e17),
    c1=concentrations,
    c2=concentrations,
    k1=rates,
    k2=rates,
    cap1=capacities,
    cap2=capacities,
    koff=st.floats(min_value=0.0, max_value=1e-2),
)
def test_ctc_binding_conserves_particles_and_stays_in_bounds(
    p0: float,
    c1: float,
    c2: float,
    k1: float,
    k2: float,
    cap1: float,
    cap2: float,
    koff: float,
) -> None:
    t = np.linspace(0.0, 3600.0, 13)
    sol = solve_binding(t, p0, (BindingTarget(c1, k1, cap1), BindingTarget(c2, k2, cap2)), koff)
    # Mass balance to the integrator's tolerance (rtol 1e-9 on P/P0).
    assert sol.conservation_error() < 1e-7
    assert np.all(sol.free_per_m3 >= -1e-9 * p0)
    assert np.all(sol.bound_per_cell >= -1e-9)
    assert np.all(sol.bound_per_cell <= np.array([cap1, cap2]) * (1 + 1e-7))
