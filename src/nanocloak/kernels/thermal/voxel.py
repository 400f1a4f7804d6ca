"""Pennes bioheat equation on a 3-D voxel grid, implicit in time, on CPU or GPU.

.. math::

    ρ c \\frac{∂T}{∂t} = ∇·(k ∇T) + ω_b ρ_b c_b (T_a - T) + Q_\\mathrm{met} + s(t)\\, Q(\\mathbf{x})

(Pennes, *J. Appl. Physiol.* 1948, 1, 93, doi:10.1152/jappl.1948.1.2.93), with every property a
per-voxel array. Boundaries: the skin (top face, z = 0) loses heat by convection,
``−k ∂T/∂n = h (T − T_amb)``; the bottom face (z = L) and the four side faces are each held at
a fixed temperature or insulated (``SurfaceBoundary.bottom`` and ``.outer``).

Space: cell-centred finite volumes on cubic voxels of side ``Δ``; face conductance
``k_f Δ`` with ``k_f`` the harmonic mean of the two cells (exact flux continuity across a
material interface); the skin face couples the top cell to the air through the series
resistance ``Δ/(2k) + 1/h`` and a fixed face through ``Δ/(2k)``. Second order in ``Δ``.

Time: the θ-method, ``C (Tⁿ⁺¹ − Tⁿ)/Δt = −L T^θ + b + s_{n+½} q`` with
``T^θ = θ Tⁿ⁺¹ + (1 − θ) Tⁿ``; θ = ½ is Crank–Nicolson (second order, unconditionally stable
but undamped for the stiffest modes, so rough initial fields ring), θ = 1 implicit Euler (first
order, L-stable). Each step solves the SPD system ``(C/Δt + θL) δ = b + s q − L Tⁿ`` for
the increment ``δ = Tⁿ⁺¹ − Tⁿ`` matrix-free by Jacobi-preconditioned conjugate gradients with
the 7-point stencil (:mod:`nanocloak.kernels.thermal.backend`), started from the previous
increment (a linear extrapolation in time); solving for the increment makes ``rtol`` relative
to the change per step, not to the temperature. Per iteration this is one stencil pass plus a
few vector passes, all memory-bound, which is why the same code runs on a GPU (CuPy or JAX)
through ``backend``.

Energy: the discrete operators are conservative, so
``source + metabolic = stored + perfusion + surface + boundary`` holds step by step up to the
CG residual (``rtol``); the cumulative terms are returned in joules.

Units: SI (m, s, W, J, kg), temperatures in °C.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import BoolArray, FloatArray
from nanocloak.kernels.thermal.backend import (
    Faces,
    apply,
    get_backend,
    jacobi,
    solve_spd,
    to_faces,
)
from nanocloak.kernels.thermal.pennes import SurfaceBoundary, TissueThermal

Shape3 = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class VoxelPennesResult:
    """Temperatures, per-step traces and cumulative energy terms of a voxel Pennes run.

    Attributes
    ----------
    t_s
        Times of the saved fields (s), shape (ns,).
    temperature_c
        Saved cell temperatures (°C), shape (ns, nx, ny, nz); z index 0 is under the skin.
    skin_c
        Saved skin-face temperatures (°C), shape (ns, nx, ny).
    spacing_m
        Voxel side Δ (m).
    trace_t_s
        Times of every step (s), shape (nt,), starting at 0.
    probe_names, probe_max_c, probe_mean_c
        Max and mean temperature (°C) in each named mask at every step, shape (n_probe, nt);
        ``"skin"`` (the top face) is always first.
    source_j, metabolic_j, stored_j, perfusion_j, surface_j, boundary_j
        Cumulative energies from t = 0 (J), shape (nt,): heat deposited by the source and by
        metabolism, heat stored, carried off by blood, lost through the skin, and through
        fixed-temperature faces.
    iterations
        CG iterations of each step, shape (nt − 1,).
    backend
        The backend that ran.
    """

    t_s: FloatArray
    temperature_c: FloatArray
    skin_c: FloatArray
    spacing_m: float
    trace_t_s: FloatArray
    probe_names: tuple[str, ...]
    probe_max_c: FloatArray
    probe_mean_c: FloatArray
    source_j: FloatArray
    metabolic_j: FloatArray
    stored_j: FloatArray
    perfusion_j: FloatArray
    surface_j: FloatArray
    boundary_j: FloatArray
    iterations: np.ndarray[Any, np.dtype[np.int64]]
    backend: str

    @property
    def balance_residual_j(self) -> FloatArray:
        """``source + metabolic − stored − perfusion − surface − boundary`` (≈ 0), J."""
        gain = self.source_j + self.metabolic_j
        loss = self.stored_j + self.perfusion_j + self.surface_j + self.boundary_j
        return np.asarray(gain - loss, dtype=float)

    def probe(self, name: str) -> tuple[FloatArray, FloatArray, FloatArray]:
        """``(t_s, max_c, mean_c)`` of the named mask at every step."""
        if name not in self.probe_names:
            raise SpecificationError("probe", name, "one of " + ", ".join(self.probe_names))
        i = self.probe_names.index(name)
        return self.trace_t_s, self.probe_max_c[i], self.probe_mean_c[i]

    def max_in(self, mask: BoolArray) -> FloatArray:
        """Maximum saved temperature in ``mask`` (°C) at each saved time."""
        return np.asarray(self.temperature_c[:, mask].max(axis=1), dtype=float)

    def mean_in(self, mask: BoolArray) -> FloatArray:
        """Mean saved temperature in ``mask`` (°C) at each saved time (equal voxel volumes)."""
        return np.asarray(self.temperature_c[:, mask].mean(axis=1), dtype=float)


def cell_centres_m(shape: Shape3, spacing_m: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Cell-centre coordinates ``(x, y, z)`` (m) of a grid whose skin face is z = 0."""
    return tuple(  # type: ignore[return-value]
        (np.arange(n) + 0.5) * spacing_m for n in shape
    )


def _field(value: float | FloatArray, shape: Shape3, name: str) -> FloatArray:
    arr = np.asarray(value, dtype=float)
    try:
        arr = np.broadcast_to(arr, shape).astype(float)
    except ValueError as exc:
        raise SpecificationError(name, arr.shape, f"a scalar or an array of shape {shape}") from exc
    if not np.all(np.isfinite(arr)):
        raise SpecificationError(name, "non-finite values", "finite numbers")
    return arr


def _harmonic(k: FloatArray, axis: int) -> FloatArray:
    n = k.shape[axis]
    a = np.take(k, range(n - 1), axis=axis)
    b = np.take(k, range(1, n), axis=axis)
    return np.asarray(2.0 * a * b / (a + b), dtype=float)


@dataclass(frozen=True, slots=True)
class VoxelSystem:
    """The discrete system ``C dT/dt = −(diag(linear_diag) + K) T + constant + s·source``.

    ``K`` is the conduction operator of the face conductances ``faces`` (host numpy arrays,
    SI: W/K, W, J/K). Public so that other solvers (e.g. the scipy baseline in
    ``benchmarks/bioheat.py``) can integrate exactly the same semi-discrete equations.
    """

    capacity: FloatArray  # ρ c V, J/K
    faces: tuple[FloatArray, FloatArray, FloatArray]  # k_f Δ, W/K
    linear_diag: FloatArray  # perfusion + skin + fixed-face conductances, W/K
    constant: FloatArray  # W
    source: FloatArray  # W
    metabolic: FloatArray  # W
    perfusion: FloatArray  # ω ρ_b c_b V, W/K
    skin: FloatArray  # (nx, ny) skin-face conductance, W/K
    skin_weight: FloatArray  # (nx, ny) weight of the top cell in the skin-face temperature
    fixed: FloatArray  # fixed-face conductance per cell, W/K
    fixed_c: float


def voxel_system(
    shape: Shape3,
    spacing_m: float,
    source_w_per_m3: float | FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
) -> VoxelSystem:
    """Discretise the Pennes problem of :func:`solve_pennes_voxel` (same arguments)."""
    h = spacing_m
    volume = h**3
    rho = _field(tissue.density_kg_per_m3, shape, "density_kg_per_m3")
    c = _field(tissue.heat_capacity_j_per_kg_k, shape, "heat_capacity_j_per_kg_k")
    k = _field(tissue.conductivity_w_per_m_k, shape, "conductivity_w_per_m_k")
    w = _field(tissue.perfusion_per_s, shape, "perfusion_per_s")
    if np.any(rho <= 0) or np.any(c <= 0) or np.any(k <= 0) or np.any(w < 0):
        raise SpecificationError(
            "tissue", "non-positive values", "ρ, c, k > 0 and perfusion ≥ 0 in every voxel"
        )
    if boundary.h_w_per_m2_k < 0:
        raise SpecificationError("h_w_per_m2_k", boundary.h_w_per_m2_k, "a value ≥ 0")
    outer = boundary.bottom if boundary.outer is None else boundary.outer
    for name, kind in (("bottom", boundary.bottom), ("outer", outer)):
        if kind not in ("fixed", "insulated"):
            raise SpecificationError(f"boundary.{name}", kind, "'fixed' or 'insulated'")
    faces = tuple(_harmonic(k, axis) * h for axis in range(3))
    # the skin face: half a cell of tissue in series with the air film
    k_top = k[:, :, 0]
    half = 2.0 * k_top / h
    hc = boundary.h_w_per_m2_k
    skin = h**2 * half * hc / (half + hc)
    fixed = np.zeros(shape)
    if boundary.bottom == "fixed":
        fixed[:, :, -1] += 2.0 * k[:, :, -1] * h
    if outer == "fixed":
        fixed[0] += 2.0 * k[0] * h
        fixed[-1] += 2.0 * k[-1] * h
        fixed[:, 0] += 2.0 * k[:, 0] * h
        fixed[:, -1] += 2.0 * k[:, -1] * h
    fixed_c = tissue.arterial_c if boundary.bottom_c is None else boundary.bottom_c
    blood = tissue.blood_density_kg_per_m3 * tissue.blood_heat_capacity_j_per_kg_k
    perfusion = w * blood * volume
    metabolic = _field(tissue.metabolic_w_per_m3, shape, "metabolic_w_per_m3") * volume
    linear = perfusion + fixed
    linear[:, :, 0] += skin
    constant = perfusion * tissue.arterial_c + metabolic + fixed * fixed_c
    constant[:, :, 0] += skin * boundary.ambient_c
    return VoxelSystem(
        capacity=rho * c * volume,
        faces=faces,  # type: ignore[arg-type]
        linear_diag=linear,
        constant=constant,
        source=_field(source_w_per_m3, shape, "source_w_per_m3") * volume,
        metabolic=metabolic,
        perfusion=perfusion,
        skin=skin,
        skin_weight=half / (half + hc) if hc > 0 else np.ones_like(half),
        fixed=fixed,
        fixed_c=fixed_c,
    )


def solve_pennes_voxel(
    shape: Shape3,
    spacing_m: float,
    source_w_per_m3: float | FloatArray,
    tissue: TissueThermal,
    boundary: SurfaceBoundary,
    t_end_s: float,
    dt_s: float,
    *,
    initial_c: float | FloatArray | None = None,
    on_s: float = 0.0,
    off_s: float = math.inf,
    save_every: int | None = None,
    theta: float = 0.5,
    masks: Mapping[str, BoolArray] | None = None,
    rtol: float = 1e-10,
    max_iterations: int = 2000,
    backend: str = "numpy",
    dtype: str = "float64",
) -> VoxelPennesResult:
    """Transient 3-D Pennes equation on a uniform voxel grid (skin at the top face z = 0).

    Parameters
    ----------
    shape
        Voxels ``(nx, ny, nz)``; z is depth, index 0 under the skin.
    spacing_m
        Voxel side Δ (m).
    source_w_per_m3
        Heat source Q per voxel (W/m³), e.g. ``μ_a,NP φ``; scalar or shape ``shape``.
    tissue
        ρ, c, k, perfusion and metabolic heat, scalars or per-voxel arrays (SI).
    boundary
        Skin convection (``h_w_per_m2_k``, ``ambient_c``); ``bottom`` (z = L) and ``outer``
        (the four sides; same as ``bottom`` if None) are ``"fixed"`` (at ``bottom_c``, the
        arterial temperature if None) or ``"insulated"``.
    t_end_s, dt_s
        Duration and time step (s); ``t_end_s`` must be a whole number of steps.
    initial_c
        Initial temperature (°C), scalar or per voxel; the fixed-face temperature if None.
    on_s, off_s
        The source is on for ``on_s ≤ t < off_s`` (s), applied per step by the midpoint rule.
    save_every
        Keep the field every n-th step (and the first and last); only the last if None.
    theta
        0.5 Crank–Nicolson (default), 1 implicit Euler; values in [0.5, 1].
    masks
        Named boolean voxel masks (e.g. ``{"tumor": ...}``) whose max and mean temperatures
        are recorded at every step.
    rtol, max_iterations
        CG stopping rule ``‖r‖₂ ≤ rtol ‖b‖₂`` and its iteration cap per step.
    backend
        ``"numpy"`` (default), ``"numba"`` (fused CPU kernels), ``"cupy"`` or ``"jax"``.
    dtype
        ``"float64"`` (default) or ``"float32"`` for the device arrays (energy sums lose
        precision in float32).

    Returns
    -------
    VoxelPennesResult
    """
    xb = get_backend(backend)
    if dtype not in ("float64", "float32"):
        raise SpecificationError("dtype", dtype, "'float64' or 'float32'")
    if len(shape) != 3 or min(shape) < 1:
        raise SpecificationError("shape", shape, "three positive voxel counts (nx, ny, nz)")
    if spacing_m <= 0 or dt_s <= 0 or t_end_s <= 0:
        raise SpecificationError(
            "spacing_m/dt_s/t_end_s", (spacing_m, dt_s, t_end_s), "positive values"
        )
    if not 0.5 <= theta <= 1.0:
        raise SpecificationError("theta", theta, "a value in [0.5, 1] (unconditional stability)")
    n_steps = round(t_end_s / dt_s)
    if n_steps < 1 or not math.isclose(n_steps * dt_s, t_end_s, rel_tol=1e-9):
        raise SpecificationError("t_end_s", t_end_s, f"a whole number of steps of {dt_s} s")
    disc = voxel_system(shape, spacing_m, source_w_per_m3, tissue, boundary)
    named = dict(masks or {})
    for name, m in named.items():
        if name == "skin":
            raise SpecificationError("masks", name, "a name other than 'skin' (always recorded)")
        if np.shape(m) != tuple(shape) or not np.any(m):
            raise SpecificationError(f"masks[{name!r}]", np.shape(m), f"a non-empty {shape} mask")
    temp0 = (
        np.full(shape, disc.fixed_c) if initial_c is None else _field(initial_c, shape, "initial_c")
    )
    ft = np.float64 if dtype == "float64" else np.float32
    cdt = disc.capacity / dt_s
    put = xb.asarray
    arrays = {
        "a_diag": put(cdt + theta * disc.linear_diag, ft),
        "l_diag": put(disc.linear_diag, ft),
        "minv": put(jacobi(cdt + theta * disc.linear_diag, disc.faces, theta), ft),
        "const": put(disc.constant, ft),
        "q": put(disc.source, ft),
        "perf": put(disc.perfusion, ft),
        "skin": put(disc.skin, ft),
        "skin_w": put(disc.skin_weight, ft),
        "fixed": put(disc.fixed, ft),
        "cap": put(disc.capacity, ft),
        "t0": put(temp0, ft),
        "masks": [put(np.asarray(m, dtype=bool)) for m in named.values()],
    }
    faces = to_faces(xb, disc.faces, ft)
    ta, tamb, tfix = tissue.arterial_c, boundary.ambient_c, disc.fixed_c
    xp = xb.xp

    def skin_face(a: dict[str, Any], x: Any) -> Any:
        return a["skin_w"] * x[:, :, 0] + (1.0 - a["skin_w"]) * tamb

    def step(a: dict[str, Any], gg: Any, d_prev: Any, x: Any, s: Any) -> tuple[Any, Any, Any]:
        g = Faces(*gg)
        # solve for the increment: the tolerance then scales with the change, not with T
        rhs = a["const"] + s * a["q"] - apply(xb, g, a["l_diag"], x, 1.0)
        delta, k, rel = solve_spd(
            xb, g, a["a_diag"], theta, a["minv"], rhs, d_prev, rtol, max_iterations
        )
        new = x + delta
        mid = x + theta * delta
        ts = skin_face(a, new)
        stats = [
            k,
            rel,
            xp.sum(a["perf"] * (mid - ta)),
            xp.sum(a["skin"] * (mid[:, :, 0] - tamb)),
            xp.sum(a["fixed"] * (mid - tfix)),
            xp.sum(a["cap"] * (new - a["t0"])),
            xp.max(ts),
            xp.mean(ts),
        ]
        for m in a["masks"]:
            stats.append(xp.max(xp.where(m, new, -xp.inf)))
            stats.append(xp.sum(xp.where(m, new, 0.0)) / xp.sum(m))
        return new, delta, xp.stack([xp.asarray(v, dtype=ft) for v in stats])

    call = xb.jit(step)
    g_arg = (faces.gx, faces.gy, faces.gz)  # a tuple is a pytree for jax.jit

    x = put(temp0, ft)
    delta = xp.zeros_like(x)
    every = n_steps if save_every is None else max(1, int(save_every))
    saved_t, saved_x = [0.0], [temp0.copy()]
    skin0 = disc.skin_weight * temp0[:, :, 0] + (1.0 - disc.skin_weight) * tamb
    saved_skin = [skin0]
    stats_list = []
    for n in range(1, n_steps + 1):
        t_mid = (n - 0.5) * dt_s
        s = 1.0 if on_s <= t_mid < off_s else 0.0
        x, delta, stats = call(arrays, g_arg, delta, x, s)
        stats_list.append(stats)
        if n % every == 0 or n == n_steps:
            host = xb.to_numpy(x).astype(float)
            saved_t.append(n * dt_s)
            saved_x.append(host)
            saved_skin.append(disc.skin_weight * host[:, :, 0] + (1.0 - disc.skin_weight) * tamb)
    st = np.asarray(xb.to_numpy(xp.stack(stats_list)), dtype=float)
    failed = st[:, 1] > rtol * (1.0 + 1e-6)
    if np.any(failed):
        first = int(np.argmax(failed))
        raise SpecificationError(
            "max_iterations",
            max_iterations,
            f"enough CG iterations to reach rtol={rtol} (step {first + 1} stopped at relative "
            f"residual {st[first, 1]:.2e})",
            "raise max_iterations, loosen rtol, or shorten dt_s",
        )
    zero = np.zeros(1)
    steps = np.arange(n_steps + 1)
    source_on = np.array(
        [1.0 if on_s <= (n - 0.5) * dt_s < off_s else 0.0 for n in range(1, n_steps + 1)]
    )
    first_probe = np.array([[skin0.max()], [skin0.mean()]])
    probes0 = [first_probe]
    for m in named.values():
        probes0.append(np.array([[temp0[m].max()], [temp0[m].mean()]]))
    p0 = np.concatenate(probes0, axis=0)  # (2 * n_probe, 1) ordered max, mean per probe
    probes = np.concatenate([p0, st[:, 6:].T], axis=1)
    return VoxelPennesResult(
        t_s=np.array(saved_t),
        temperature_c=np.array(saved_x),
        skin_c=np.array(saved_skin),
        spacing_m=spacing_m,
        trace_t_s=np.asarray(steps * dt_s, dtype=float),
        probe_names=("skin", *named),
        probe_max_c=probes[0::2],
        probe_mean_c=probes[1::2],
        source_j=np.concatenate([zero, np.cumsum(source_on) * float(disc.source.sum()) * dt_s]),
        metabolic_j=np.asarray(steps * float(disc.metabolic.sum()) * dt_s, dtype=float),
        stored_j=np.concatenate([zero, st[:, 5]]),
        perfusion_j=np.concatenate([zero, np.cumsum(st[:, 2]) * dt_s]),
        surface_j=np.concatenate([zero, np.cumsum(st[:, 3]) * dt_s]),
        boundary_j=np.concatenate([zero, np.cumsum(st[:, 4]) * dt_s]),
        iterations=st[:, 0].astype(np.int64),
        backend=xb.name,
    )
