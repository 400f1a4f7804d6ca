"""The θ-method time march of the Pennes solvers and the result it returns.

With the semi-discrete system of :mod:`nanocloak.kernels.thermal.pennes_operator`,
``C dT/dt = −L T + b + s(t) q``, each step of length Δt solves

.. math::

    \\left(\\frac{C}{Δt} + θ L_{ff}\\right) T^{n+1}_f
    = \\left(\\frac{C}{Δt} - (1 - θ) L_{ff}\\right) T^n_f + b_f + s_{n+1/2}\\, q_f
      - L_{fx} T_x

for the free nodes ``f`` (``x``: fixed nodes), with the matrix factorised once; θ = ½ is
Crank–Nicolson (second order in time), θ = 1 implicit Euler (damped for rough initial data).
The source switch ``s`` is taken at the step's midpoint, exact when the switch times lie on
step edges.

Energy bookkeeping uses the same discrete operators, so
``deposited = stored + perfusion + surface loss + bottom/outer loss`` holds to round-off; the
components are returned cumulatively (J/m² in 1-D, J in 2-D).

Units: SI (m, s, W, J, kg) with temperatures in °C.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal.pennes_inputs import SurfaceBoundary, TissueThermal
from nanocloak.kernels.thermal.pennes_operator import node_values, pennes_system


@dataclass(frozen=True, slots=True)
class PennesResult:
    """Temperatures and cumulative energy terms of a Pennes run.

    ``temperature_c`` has shape (nt, nz) in 1-D or (nt, nr, nz) in 2-D. Energies are J/m² in
    1-D and J in 2-D, cumulative from t = 0 at each saved time; ``boundary_j`` is the heat left
    through fixed-temperature boundaries (positive outwards).
    """

    t_s: FloatArray
    z_m: FloatArray
    r_m: FloatArray | None
    temperature_c: FloatArray
    deposited_j: FloatArray
    stored_j: FloatArray
    perfusion_j: FloatArray
    surface_j: FloatArray
    boundary_j: FloatArray

    @property
    def balance_residual_j(self) -> FloatArray:
        """``deposited − stored − perfusion − surface − boundary`` (should be ≈ 0)."""
        return np.asarray(
            self.deposited_j - self.stored_j - self.perfusion_j - self.surface_j - self.boundary_j,
            dtype=float,
        )


def march_pennes(
    r_m: FloatArray | None,
    z_m: FloatArray,
    source_w_per_m3: FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
    t_end_s: float,
    dt_s: float,
    initial_c: float | FloatArray | None,
    on_s: float,
    off_s: float,
    save_every: int,
    theta: float,
) -> PennesResult:
    """The θ-method time march shared by the 1-D (``r_m`` None) and axisymmetric solvers."""
    if dt_s <= 0 or t_end_s <= 0:
        raise ValueError(f"dt_s and t_end_s must be positive; got {dt_s}, {t_end_s}")
    if not 0.5 <= theta <= 1.0:
        raise ValueError(f"theta must lie in [0.5, 1] for stability; got {theta}")
    system = pennes_system(r_m, z_m, source_w_per_m3, tissue, boundary)
    op, shape = system.op, system.shape
    n = op.volume.size
    q, qmet, h_area = system.source_w, system.metabolic_w, system.h_area
    t_fixed = system.fixed_c
    if initial_c is None:
        temp = np.full(n, t_fixed)
    else:
        temp = node_values(initial_c, shape, "initial temperature").copy()
    temp[system.fixed] = t_fixed
    const = op.perfusion_coef * tissue.arterial_c + qmet + h_area * boundary.ambient_c
    ff, fx = system.free, system.fixed
    l_ff, l_fx = system.free_free, system.free_fixed
    cap = op.capacity[ff] / dt_s
    lhs = splu((sp.diags(cap) + theta * l_ff).tocsc())
    rhs_op = (sp.diags(cap) - (1.0 - theta) * l_ff).tocsr()
    dirichlet_load = system.fixed_load(temp)
    coupling_rows = np.asarray(l_fx.sum(axis=1)).ravel() if fx.size else np.zeros(ff.size)
    n_steps = round(t_end_s / dt_s)
    if not math.isclose(n_steps * dt_s, t_end_s, rel_tol=1e-9):
        raise ValueError(f"t_end_s={t_end_s} is not a whole number of steps of dt_s={dt_s}")
    saved_t = [0.0]
    saved_temp = [temp.copy()]
    energy = np.zeros(5)  # deposited, stored, perfusion, surface, boundary
    saved_energy = [energy.copy()]
    temp0 = temp.copy()

    def source_on(t: float) -> float:
        return 1.0 if on_s <= t < off_s else 0.0

    for step in range(1, n_steps + 1):
        t_old = (step - 1) * dt_s
        # source active over the step by midpoint rule (exact for switch times on step edges)
        s_mid = source_on(t_old + 0.5 * dt_s)
        forcing = const[ff] + s_mid * q[ff] + dirichlet_load
        new_free = lhs.solve(rhs_op @ temp[ff] + forcing)
        new = temp.copy()
        new[ff] = new_free
        mean = theta * new + (1.0 - theta) * temp
        energy[0] += s_mid * float(np.sum(q[ff])) * dt_s
        energy[2] += float(np.sum((op.perfusion_coef * (mean - tissue.arterial_c))[ff])) * dt_s
        energy[3] += float(np.sum((h_area * (mean - boundary.ambient_c))[ff])) * dt_s
        # heat entering fixed nodes = conduction flux out of the free region
        if fx.size:
            # Σ g_ij (T_i − T_j) over free i, fixed j, with l_fx[i, j] = −g_ij
            energy[4] += float(-coupling_rows @ mean[ff] + np.sum(l_fx @ mean[fx])) * dt_s
        energy[0] += float(np.sum(qmet[ff])) * dt_s
        temp = new
        if step % save_every == 0 or step == n_steps:
            energy[1] = float(np.sum((op.capacity * (temp - temp0))[ff]))
            saved_t.append(step * dt_s)
            saved_temp.append(temp.copy())
            saved_energy.append(energy.copy())
    e = np.array(saved_energy)
    temps = np.array(saved_temp).reshape((len(saved_t), *shape))
    return PennesResult(
        t_s=np.array(saved_t),
        z_m=z_m.copy(),
        r_m=None if r_m is None else r_m.copy(),
        temperature_c=temps,
        deposited_j=e[:, 0],
        stored_j=e[:, 1],
        perfusion_j=e[:, 2],
        surface_j=e[:, 3],
        boundary_j=e[:, 4],
    )
