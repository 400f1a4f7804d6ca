"""Pennes bioheat equation by finite volumes and Crank–Nicolson, in 1-D and 2-D axisymmetric.

.. math::

    ρ c \\frac{∂T}{∂t} = ∇·(k ∇T) + ω_b ρ_b c_b (T_a - T) + Q_\\mathrm{met} + Q(\\mathbf{x}, t)

(Pennes, *J. Appl. Physiol.* 1948, 1, 93, doi:10.1152/jappl.1948.1.2.93). The skin (z = 0) loses
heat by convection, ``−k ∂T/∂n = h (T − T_amb)``; the deep boundary (z = L) is held at a fixed
temperature (``bottom="fixed"``) or insulated (``"insulated"``); in 2-D the outer radius
``r = R`` likewise. ``Q`` is given as an array (W/m³), constant while the source is on
(``on_s ≤ t < off_s``).

Discretisation: vertex-centred finite volumes on a uniform grid (half cells on the boundaries,
the axis cell of radius Δr/2 in 2-D), harmonic means of ``k`` on the faces, and the θ-method in
time (θ = ½ Crank–Nicolson, second order in space and time; θ = 1 implicit Euler, damped for
rough initial data). Every step solves one sparse linear system factorised once.

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
from numpy.typing import NDArray
from scipy.sparse.linalg import splu

from nanocloak.kernels.arrays import FloatArray

IntArray = NDArray[np.intp]

BLOOD_DENSITY_KG_PER_M3 = 1050.0
BLOOD_HEAT_CAPACITY_J_PER_KG_K = 3617.0


@dataclass(frozen=True, slots=True)
class TissueThermal:
    """Thermal properties, scalars or arrays on the grid's nodes (SI).

    Attributes
    ----------
    density_kg_per_m3, heat_capacity_j_per_kg_k, conductivity_w_per_m_k
        ρ, c, k of tissue.
    perfusion_per_s
        Volumetric blood perfusion ω_b (m³ blood per m³ tissue per s).
    metabolic_w_per_m3
        Metabolic heat Q_met (W/m³).
    arterial_c
        Arterial blood temperature T_a (°C).
    blood_density_kg_per_m3, blood_heat_capacity_j_per_kg_k
        ρ_b and c_b of blood.
    """

    density_kg_per_m3: float | FloatArray
    heat_capacity_j_per_kg_k: float | FloatArray
    conductivity_w_per_m_k: float | FloatArray
    perfusion_per_s: float | FloatArray = 0.0
    metabolic_w_per_m3: float | FloatArray = 0.0
    arterial_c: float = 37.0
    blood_density_kg_per_m3: float = BLOOD_DENSITY_KG_PER_M3
    blood_heat_capacity_j_per_kg_k: float = BLOOD_HEAT_CAPACITY_J_PER_KG_K


@dataclass(frozen=True, slots=True)
class SurfaceBoundary:
    """Boundary conditions (SI).

    Attributes
    ----------
    h_w_per_m2_k
        Heat-transfer coefficient of the skin (convection + linearised radiation).
    ambient_c
        Air temperature (°C).
    bottom
        ``"fixed"`` (held at ``bottom_c``) or ``"insulated"``, at z = L.
    bottom_c
        Temperature of fixed deep and outer boundaries (°C); the arterial temperature if None.
    outer
        The condition at the outer radius r = R in 2-D; the same as ``bottom`` if None.
    """

    h_w_per_m2_k: float = 10.0
    ambient_c: float = 25.0
    bottom: str = "fixed"
    bottom_c: float | None = None
    outer: str | None = None


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


@dataclass(frozen=True, slots=True)
class _Operator:
    """Discrete system ``C dT/dt = −A T + b_const + s·q_source`` on all nodes."""

    capacity: FloatArray  # ρ c V per node
    conduction: sp.csr_matrix  # −∇·k∇ (positive semi-definite)
    perfusion_coef: FloatArray  # ω ρ_b c_b V per node
    volume: FloatArray
    surface_area: FloatArray  # area per node on the skin
    fixed: FloatArray  # bool mask of Dirichlet nodes (as float)


def _node_values(value: float | FloatArray, shape: tuple[int, ...], name: str) -> FloatArray:
    arr = np.broadcast_to(np.asarray(value, dtype=float), shape).astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr.ravel()


def _face_conductance(k: FloatArray, axis: int) -> FloatArray:
    """Harmonic mean of k between neighbours along ``axis``."""
    a = np.take(k, range(k.shape[axis] - 1), axis=axis)
    b = np.take(k, range(1, k.shape[axis]), axis=axis)
    return np.asarray(2.0 * a * b / (a + b), dtype=float)


def _build(
    r_m: FloatArray | None,
    z_m: FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
) -> _Operator:
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
    rho = _node_values(tissue.density_kg_per_m3, shape, "density")
    c = _node_values(tissue.heat_capacity_j_per_kg_k, shape, "heat capacity")
    w = _node_values(tissue.perfusion_per_s, shape, "perfusion")
    if np.any(rho <= 0) or np.any(c <= 0) or np.any(k <= 0) or np.any(w < 0):
        raise ValueError("density, heat capacity and conductivity must be positive, perfusion ≥ 0")
    blood = tissue.blood_density_kg_per_m3 * tissue.blood_heat_capacity_j_per_kg_k
    return _Operator(
        capacity=rho * c * volume,
        conduction=conduction,
        perfusion_coef=w * blood * volume,
        volume=volume,
        surface_area=surface.ravel(),
        fixed=fixed.ravel(),
    )


@dataclass(frozen=True, slots=True)
class _System:
    """``C dT/dt = −L T + b + s(t) q`` on the nodes, with the fixed (Dirichlet) nodes split off.

    ``L = K + diag(perfusion + hA)`` and ``b = perfusion·T_a + Q_met V + hA·T_amb``; the
    transient and the steady solvers share it.
    """

    op: _Operator
    shape: tuple[int, ...]
    linear: sp.csr_matrix  # L
    source_w: FloatArray  # q = Q V per node
    metabolic_w: FloatArray  # Q_met V per node
    h_area: FloatArray  # h × skin area per node
    fixed_c: float  # temperature of the fixed nodes
    free: IntArray  # indices of the free nodes
    fixed: IntArray  # indices of the fixed nodes


def _system(
    r_m: FloatArray | None,
    z_m: FloatArray,
    source_w_per_m3: float | FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
) -> _System:
    op = _build(r_m, z_m, tissue, boundary)
    shape = (z_m.size,) if r_m is None else (r_m.size, z_m.size)
    h_area = boundary.h_w_per_m2_k * op.surface_area
    return _System(
        op=op,
        shape=shape,
        linear=(op.conduction + sp.diags(op.perfusion_coef + h_area)).tocsr(),
        source_w=_node_values(source_w_per_m3, shape, "source") * op.volume,
        metabolic_w=_node_values(tissue.metabolic_w_per_m3, shape, "metabolic heat") * op.volume,
        h_area=h_area,
        fixed_c=tissue.arterial_c if boundary.bottom_c is None else boundary.bottom_c,
        free=np.flatnonzero(op.fixed == 0.0),
        fixed=np.flatnonzero(op.fixed != 0.0),
    )


def _solve(
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
    system = _system(r_m, z_m, source_w_per_m3, tissue, boundary)
    op, shape = system.op, system.shape
    n = op.volume.size
    q, qmet, h_area = system.source_w, system.metabolic_w, system.h_area
    t_fixed = system.fixed_c
    if initial_c is None:
        temp = np.full(n, t_fixed)
    else:
        temp = _node_values(initial_c, shape, "initial temperature").copy()
    temp[system.fixed] = t_fixed
    const = op.perfusion_coef * tissue.arterial_c + qmet + h_area * boundary.ambient_c
    ff, fx = system.free, system.fixed
    l_ff = system.linear[ff][:, ff]
    l_fx = system.linear[ff][:, fx]
    cap = op.capacity[ff] / dt_s
    lhs = splu((sp.diags(cap) + theta * l_ff).tocsc())
    rhs_op = (sp.diags(cap) - (1.0 - theta) * l_ff).tocsr()
    dirichlet_load = -(l_fx @ temp[fx]) if fx.size else np.zeros(ff.size)
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
    return _solve(
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
    return _solve(
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
    system = _system(None, z, source_w_per_m3, tissue, boundary)
    op, h_area = system.op, system.h_area
    rhs = (
        op.perfusion_coef * tissue.arterial_c
        + system.metabolic_w
        + system.source_w
        + h_area * boundary.ambient_c
    )
    free, fixed, lin = system.free, system.fixed, system.linear
    temp = np.full(z.size, system.fixed_c)
    b = rhs[free] - (lin[free][:, fixed] @ temp[fixed] if fixed.size else 0.0)
    temp[free] = splu(lin[free][:, free].tocsc()).solve(b)
    return temp
