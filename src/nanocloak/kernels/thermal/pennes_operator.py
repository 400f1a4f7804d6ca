"""Finite-volume discretisation of the Pennes equation on a 1-D or axisymmetric (r, z) grid.

Vertex-centred finite volumes on a uniform grid: half cells on the boundaries, the axis cell of
radius Δr/2 in 2-D, harmonic means of ``k`` on the faces. The semi-discrete system on the nodes
is

.. math::

    C \\frac{dT}{dt} = -L T + b + s(t)\\, q, \\qquad
    L = K + \\mathrm{diag}(ω_b ρ_b c_b V + h A), \\quad
    b = ω_b ρ_b c_b V T_a + Q_\\mathrm{met} V + h A T_\\mathrm{amb},

with ``C = ρ c V`` the nodal heat capacities (J/K), ``K`` the conduction matrix (W/K), ``V``
the node volumes (m per m² of skin in 1-D, m³ in 2-D), ``A`` the skin area per node and
``q = Q V`` the source (W). The fixed-temperature (Dirichlet) nodes are split off, so the
transient and the steady solvers of :mod:`nanocloak.kernels.thermal.pennes` solve only for the
free nodes with the same blocks ``L_ff`` and ``L_fx``.

Units: SI (m, s, W, J, kg) with temperatures in °C.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal.pennes_inputs import SurfaceBoundary, TissueThermal

IntArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class FiniteVolumeOperator:
    """Nodal capacities, conduction matrix, perfusion and skin coefficients of the grid (SI)."""

    capacity: FloatArray  # ρ c V per node
    conduction: sp.csr_matrix  # −∇·k∇ (positive semi-definite)
    perfusion_coef: FloatArray  # ω ρ_b c_b V per node
    volume: FloatArray
    surface_area: FloatArray  # area per node on the skin
    fixed: FloatArray  # bool mask of Dirichlet nodes (as float)


def node_values(value: float | FloatArray, shape: tuple[int, ...], name: str) -> FloatArray:
    """``value`` (scalar or grid array) broadcast to ``shape`` and flattened; finite or raises."""
    arr = np.broadcast_to(np.asarray(value, dtype=float), shape).astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr.ravel()


def _face_conductance(k: FloatArray, axis: int) -> FloatArray:
    """Harmonic mean of k between neighbours along ``axis``."""
    a = np.take(k, range(k.shape[axis] - 1), axis=axis)
    b = np.take(k, range(1, k.shape[axis]), axis=axis)
    return np.asarray(2.0 * a * b / (a + b), dtype=float)


def _build_operator(
    r_m: FloatArray | None,
    z_m: FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
) -> FiniteVolumeOperator:
    """Assemble the operator; ``r_m`` None is the 1-D slab (per m² of skin)."""
    nz = z_m.size
    dz = float(z_m[1] - z_m[0])
    if not np.allclose(np.diff(z_m), dz, rtol=1e-9):
        raise ValueError("the z grid must be uniform")
    wz = np.full(nz, dz)
    wz[[0, -1]] *= 0.5
    if r_m is None:
        shape: tuple[int, ...] = (nz,)
        area_r = np.ones(1)
        nr = 1
    else:
        nr = r_m.size
        dr = float(r_m[1] - r_m[0])
        if abs(r_m[0]) > 1e-15 or not np.allclose(np.diff(r_m), dr, rtol=1e-9):
            raise ValueError("the r grid must be uniform and start at the axis r = 0")
        edges = np.concatenate([[0.0], 0.5 * (r_m[1:] + r_m[:-1]), [r_m[-1]]])
        area_r = math.pi * np.diff(edges**2)  # annulus areas
        shape = (nr, nz)
    k = np.broadcast_to(np.asarray(tissue.conductivity_w_per_m_k, dtype=float), shape).reshape(
        nr, nz
    )
    volume = (area_r[:, None] * wz[None, :]).ravel()
    idx = np.arange(nr * nz).reshape(nr, nz)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    vals: list[FloatArray] = []

    def couple(i: IntArray, j: IntArray, g: FloatArray) -> None:
        rows.extend([i, j, i, j])
        cols.extend([i, j, j, i])
        vals.extend([g, g, -g, -g])

    kz = _face_conductance(k, axis=1)  # (nr, nz-1)
    couple(idx[:, :-1].ravel(), idx[:, 1:].ravel(), (kz * area_r[:, None] / dz).ravel())
    if r_m is not None and nr > 1:
        dr = float(r_m[1] - r_m[0])
        kr = _face_conductance(k, axis=0)  # (nr-1, nz)
        face_r = 0.5 * (r_m[1:] + r_m[:-1])
        g = kr * (2.0 * math.pi * face_r[:, None] * wz[None, :]) / dr
        couple(idx[:-1, :].ravel(), idx[1:, :].ravel(), g.ravel())
    n = nr * nz
    conduction = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    surface = np.zeros((nr, nz))
    surface[:, 0] = area_r
    fixed = np.zeros((nr, nz))
    outer = boundary.bottom if boundary.outer is None else boundary.outer
    for name, kind in (("bottom", boundary.bottom), ("outer", outer)):
        if kind not in ("fixed", "insulated"):
            raise ValueError(f"{name} must be 'fixed' or 'insulated'; got {kind!r}")
    if boundary.bottom == "fixed":
        fixed[:, -1] = 1.0
    if r_m is not None and outer == "fixed":
        fixed[-1, :] = 1.0
    rho = node_values(tissue.density_kg_per_m3, shape, "density")
    c = node_values(tissue.heat_capacity_j_per_kg_k, shape, "heat capacity")
    w = node_values(tissue.perfusion_per_s, shape, "perfusion")
    if np.any(rho <= 0) or np.any(c <= 0) or np.any(k <= 0) or np.any(w < 0):
        raise ValueError("density, heat capacity and conductivity must be positive, perfusion ≥ 0")
    blood = tissue.blood_density_kg_per_m3 * tissue.blood_heat_capacity_j_per_kg_k
    return FiniteVolumeOperator(
        capacity=rho * c * volume,
        conduction=conduction,
        perfusion_coef=w * blood * volume,
        volume=volume,
        surface_area=surface.ravel(),
        fixed=fixed.ravel(),
    )


@dataclass(frozen=True, slots=True)
class PennesSystem:
    """``C dT/dt = −L T + b + s(t) q`` on the nodes, with the fixed (Dirichlet) nodes split off.

    ``L = K + diag(perfusion + hA)`` and ``b = perfusion·T_a + Q_met V + hA·T_amb``; the
    transient and the steady solvers share it, and its blocks ``L_ff`` (free rows and
    columns) and ``L_fx`` (free rows, fixed columns).
    """

    op: FiniteVolumeOperator
    shape: tuple[int, ...]
    linear: sp.csr_matrix  # L
    source_w: FloatArray  # q = Q V per node
    metabolic_w: FloatArray  # Q_met V per node
    h_area: FloatArray  # h × skin area per node
    fixed_c: float  # temperature of the fixed nodes
    free: IntArray  # indices of the free nodes
    fixed: IntArray  # indices of the fixed nodes
    free_free: sp.csr_matrix  # L_ff
    free_fixed: sp.csr_matrix  # L_fx

    def fixed_load(self, temperature_c: FloatArray) -> FloatArray:
        """``−L_fx T_fx`` (W): the heat the fixed nodes drive into the free ones."""
        if self.fixed.size:
            return np.asarray(-(self.free_fixed @ temperature_c[self.fixed]), dtype=float)
        return np.zeros(self.free.size)


def pennes_system(
    r_m: FloatArray | None,
    z_m: FloatArray,
    source_w_per_m3: float | FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
) -> PennesSystem:
    """The discrete system on the grid ``z_m`` (1-D, ``r_m`` None) or ``r_m`` × ``z_m`` (m).

    ``source_w_per_m3`` is the heat source Q (W/m³), scalar or on the nodes.
    """
    op = _build_operator(r_m, z_m, tissue, boundary)
    shape = (z_m.size,) if r_m is None else (r_m.size, z_m.size)
    h_area = boundary.h_w_per_m2_k * op.surface_area
    linear = (op.conduction + sp.diags(op.perfusion_coef + h_area)).tocsr()
    free = np.flatnonzero(op.fixed == 0.0)
    fixed = np.flatnonzero(op.fixed != 0.0)
    return PennesSystem(
        op=op,
        shape=shape,
        linear=linear,
        source_w=node_values(source_w_per_m3, shape, "source") * op.volume,
        metabolic_w=node_values(tissue.metabolic_w_per_m3, shape, "metabolic heat") * op.volume,
        h_area=h_area,
        fixed_c=tissue.arterial_c if boundary.bottom_c is None else boundary.bottom_c,
        free=free,
        fixed=fixed,
        free_free=linear[free][:, free],
        free_fixed=linear[free][:, fixed],
    )
