"""Pennes bioheat equation by finite volumes and Crank–Nicolson, in 1-D and 2-D axisymmetric.

.. math::

    ρ c \\frac{∂T}{∂t} = ∇·(k ∇T) + ω_b ρ_b c_b (T_a - T) + Q_\\mathrm{met} + Q(\\mathbf{x}, t)

(Pennes, *J. Appl. Physiol.* 1948, 1, 93, doi:10.1152/jappl.1948.1.2.93). The skin (z = 0) loses
heat by convection, ``−k ∂T/∂n = h (T − T_amb)``; the deep boundary (z = L) is held at a fixed
temperature (``bottom="fixed"``) or insulated (``"insulated"``); in 2-D the outer radius
``r = R`` likewise. ``Q`` is given as an array (W/m³), constant while the source is on
(``on_s ≤ t < off_s``).

This module is the public face of the solver: the transient 1-D and axisymmetric solvers and
the 1-D steady state, with the inputs (:class:`TissueThermal`, :class:`SurfaceBoundary`, blood
properties; :mod:`~nanocloak.kernels.thermal.pennes_inputs`) and the result
(:class:`PennesResult`; :mod:`~nanocloak.kernels.thermal.pennes_march`) re-exported from
where they live.

Discretisation (:mod:`~nanocloak.kernels.thermal.pennes_operator`): vertex-centred finite
volumes on a uniform grid (half cells on the boundaries, the axis cell of radius Δr/2 in 2-D),
harmonic means of ``k`` on the faces. Time (:mod:`~nanocloak.kernels.thermal.pennes_march`):
the θ-method (θ = ½ Crank–Nicolson, second order in space and time; θ = 1 implicit Euler,
damped for rough initial data). Every step solves one sparse linear system factorised once.

Energy bookkeeping uses the same discrete operators, so
``deposited = stored + perfusion + surface loss + bottom/outer loss`` holds to round-off; the
components are returned cumulatively (J/m² in 1-D, J in 2-D).

Units: SI (m, s, W, J, kg) with temperatures in °C.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse.linalg import splu

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal.pennes_inputs import (
    BLOOD_DENSITY_KG_PER_M3,
    BLOOD_HEAT_CAPACITY_J_PER_KG_K,
    SurfaceBoundary,
    TissueThermal,
)
from nanocloak.kernels.thermal.pennes_march import PennesResult, march_pennes
from nanocloak.kernels.thermal.pennes_operator import pennes_system

__all__ = [
    "BLOOD_DENSITY_KG_PER_M3",
    "BLOOD_HEAT_CAPACITY_J_PER_KG_K",
    "PennesResult",
    "SurfaceBoundary",
    "TissueThermal",
    "solve_pennes_1d",
    "solve_pennes_axisymmetric",
    "steady_pennes_1d",
]


def solve_pennes_1d(
    z_m: FloatArray,
    source_w_per_m3: float | FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
    t_end_s: float,
    dt_s: float,
    initial_c: float | FloatArray | None = None,
    on_s: float = 0.0,
    off_s: float = math.inf,
    save_every: int = 1,
    theta: float = 0.5,
) -> PennesResult:
    """Transient 1-D Pennes equation in depth ``z`` (skin at z = 0).

    Parameters
    ----------
    z_m
        Uniform node depths from 0 to L (m).
    source_w_per_m3
        Heat source Q on the nodes (W/m³), e.g. ``μ_a,NP φ``; scalar or shape (nz,).
    tissue
        Thermal properties (scalars or node arrays).
    boundary
        Skin convection and the deep boundary.
    t_end_s, dt_s
        Duration and time step (s); ``t_end_s`` must be a whole number of steps.
    initial_c
        Initial temperature (°C), scalar or (nz,); the deep-boundary temperature if None.
    on_s, off_s
        The source is on for ``on_s ≤ t < off_s`` (s); put switch times on step edges.
    save_every
        Keep every n-th step (the last step is always kept).
    theta
        0.5 Crank–Nicolson, 1 implicit Euler.
    """
    z = np.asarray(z_m, dtype=float)
    if z.ndim != 1 or z.size < 3 or z[0] != 0.0:
        raise ValueError("z_m must be a 1-D grid of at least 3 nodes starting at 0")
    return march_pennes(
        None,
        z,
        np.asarray(source_w_per_m3, dtype=float),
        tissue,
        boundary,
        t_end_s,
        dt_s,
        initial_c,
        on_s,
        off_s,
        save_every,
        theta,
    )


def solve_pennes_axisymmetric(
    r_m: FloatArray,
    z_m: FloatArray,
    source_w_per_m3: float | FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
    t_end_s: float,
    dt_s: float,
    initial_c: float | FloatArray | None = None,
    on_s: float = 0.0,
    off_s: float = math.inf,
    save_every: int = 1,
    theta: float = 0.5,
) -> PennesResult:
    """Transient Pennes equation in 2-D axisymmetric (r, z): a laser spot on a tissue slab.

    Parameters
    ----------
    r_m
        Uniform radial nodes from the axis 0 to R (m).
    z_m
        Uniform depth nodes from the skin 0 to L (m).
    source_w_per_m3
        Heat source Q (W/m³), scalar or shape (nr, nz).
    tissue
        Thermal properties (scalars or (nr, nz) arrays).
    boundary
        Skin convection; ``bottom`` applies to z = L and r = R.
    t_end_s, dt_s, initial_c, on_s, off_s, save_every, theta
        As in :func:`solve_pennes_1d`; arrays have shape (nr, nz).
    """
    r = np.asarray(r_m, dtype=float)
    z = np.asarray(z_m, dtype=float)
    if r.ndim != 1 or r.size < 3 or z.ndim != 1 or z.size < 3 or z[0] != 0.0:
        raise ValueError("r_m and z_m must be 1-D grids of at least 3 nodes starting at 0")
    return march_pennes(
        r,
        z,
        np.asarray(source_w_per_m3, dtype=float),
        tissue,
        boundary,
        t_end_s,
        dt_s,
        initial_c,
        on_s,
        off_s,
        save_every,
        theta,
    )


def steady_pennes_1d(
    z_m: FloatArray,
    source_w_per_m3: float | FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
) -> FloatArray:
    """Steady state of the discrete 1-D Pennes problem (°C on the nodes).

    Parameters
    ----------
    z_m
        Uniform node depths from 0 (m).
    source_w_per_m3
        Heat source (W/m³).
    tissue, boundary
        As in :func:`solve_pennes_1d`; a steady state needs perfusion or a fixed boundary.
    """
    z = np.asarray(z_m, dtype=float)
    system = pennes_system(None, z, source_w_per_m3, tissue, boundary)
    op, h_area = system.op, system.h_area
    rhs = (
        op.perfusion_coef * tissue.arterial_c
        + system.metabolic_w
        + system.source_w
        + h_area * boundary.ambient_c
    )
    temp = np.full(z.size, system.fixed_c)
    b = rhs[system.free] + system.fixed_load(temp)
    temp[system.free] = splu(system.free_free.tocsc()).solve(b)
    return temp
