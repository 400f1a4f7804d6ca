"""3-D bioheat benchmark: a 5-minute laser treatment on a voxel grid, fast solver vs scipy.

Scenario (defaults): a 16 mm cube of muscle-like tissue on 64³ voxels (0.25 mm) with a
spherical tumor (radius 3 mm, centre 5 mm deep) loaded with particles (μ_a,NP = 0.05 mm⁻¹);
tissue μ_a = 0.03 mm⁻¹, μ_s' = 1.0 mm⁻¹; a flat-top 808-nm spot of radius 5 mm at 1 W/cm².
Light: :func:`nanocloak.kernels.optics.light_grid.solve_light_grid` (δ-P1 diffusion, Robin
sides). Heat: :func:`nanocloak.kernels.thermal.voxel.solve_pennes_voxel`, Crank–Nicolson,
Δt = 1 s, 300 steps, skin h = 10 W m⁻² K⁻¹ at 25 °C, sides and bottom at 37 °C.

Timed, in one run:

* **fast**: the matrix-free Jacobi-PCG solver (``--fast-backend``, default ``numba`` when
  installed, else ``numpy``), and the pure-numpy backend too;
* **baseline**: the same Crank–Nicolson scheme on the same discretisation
  (:func:`~nanocloak.kernels.thermal.voxel.voxel_system`) assembled as a
  ``scipy.sparse`` CSR matrix and solved every step by ``scipy.sparse.linalg.splu``
  (factorised once) — or, since SuperLU's fill-in on a 3-D 7-point matrix makes that
  infeasible beyond ~32³ (measured on 2 cores: 32³ factorises in 5.5 s with the
  ``MMD_AT_PLUS_A`` ordering, 48³ took 246 s with the default ordering and 3.4 GB; 64³ does
  not finish), by ``scipy.sparse.linalg.cg`` on the CSR matrix with a Jacobi preconditioner
  and the previous temperature as the start (``--baseline auto`` picks splu up to 32³);
* where CuPy or JAX finds a GPU: the same treatment on the GPU and the achieved memory
  bandwidth of one stencil application (``A x``: reads x, the diagonal and three face arrays,
  writes the result — 6 arrays per voxel) as a fraction of the card's peak. Peak: CuPy's
  device properties (``2 × memoryClockRate × memoryBusWidth/8``), else the table below.

Run: ``.venv/bin/python benchmarks/bioheat.py [--grid 64] [--minutes 5] [--dt 1]``; a quick
check: ``--grid 24 --minutes 0.5``.
"""

from __future__ import annotations

import argparse
import math
import time
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, cg, splu

from nanocloak.errors import SpecificationError
from nanocloak.kernels.optics.light_grid import heat_source_w_per_m3, solve_light_grid
from nanocloak.kernels.thermal.backend import apply, get_backend, to_faces
from nanocloak.kernels.thermal.pennes import SurfaceBoundary, TissueThermal
from nanocloak.kernels.thermal.voxel import (
    VoxelSystem,
    cell_centres_m,
    solve_pennes_voxel,
    voxel_system,
)

# Peak HBM bandwidth (bytes/s) by device name, from NVIDIA's product data sheets
# (H100 SXM5 80 GB 3.35 TB/s, H100 PCIe 2.0 TB/s, H200 4.8 TB/s, A100 80 GB SXM 2.039 TB/s,
# A100 40 GB 1.555 TB/s; nvidia.com/en-us/data-center/h100, /h200, /a100).
PEAK_BANDWIDTH_B_PER_S = {
    "H200": 4.8e12,
    "H100 PCIe": 2.0e12,
    "H100": 3.35e12,
    "A100-SXM4-80GB": 2.039e12,
    "A100": 1.555e12,
}

THETA = 0.5


def scenario(n: int, spacing_mm: float) -> dict[str, Any]:
    """Tissue, tumor mask, boundary and the light-derived heat source of the benchmark."""
    shape = (n, n, n)
    x, y, z = cell_centres_m(shape, spacing_mm * 1e-3)
    half = n * spacing_mm * 1e-3 / 2
    xx, yy, zz = np.meshgrid(x, y, z, indexing="ij")
    depth_c = min(5e-3, 0.3 * n * spacing_mm * 1e-3)
    radius = min(3e-3, 0.2 * n * spacing_mm * 1e-3)
    tumor = (xx - half) ** 2 + (yy - half) ** 2 + (zz - depth_c) ** 2 <= radius**2
    mua_np = np.where(tumor, 0.05, 0.0)
    r_top = np.hypot(*np.meshgrid(x - half, y - half, indexing="ij"))
    spot = (r_top <= min(5e-3, 0.4 * n * spacing_mm * 1e-3)).astype(float)
    t0 = time.perf_counter()
    light = solve_light_grid(shape, spacing_mm, 0.03 + mua_np, 1.0, irradiance=spot, sides="robin")
    light_s = time.perf_counter() - t0
    source = heat_source_w_per_m3(light.fluence, 0.03 + mua_np, 1.0)
    tissue = TissueThermal(
        density_kg_per_m3=np.where(tumor, 1045.0, 1090.0),
        heat_capacity_j_per_kg_k=np.where(tumor, 3600.0, 3421.0),
        conductivity_w_per_m_k=np.where(tumor, 0.527, 0.49),
        perfusion_per_s=np.where(tumor, 0.009, 0.0008),
        metabolic_w_per_m3=np.where(tumor, 500.0, 0.0),
    )
    boundary = SurfaceBoundary(h_w_per_m2_k=10.0, ambient_c=25.0, bottom="fixed")
    return {
        "shape": shape,
        "spacing_m": spacing_mm * 1e-3,
        "source": source,
        "tissue": tissue,
        "boundary": boundary,
        "tumor": tumor,
        "light_s": light_s,
        "light_iterations": light.iterations,
    }


def conduction_matrix(system: VoxelSystem) -> sp.csr_matrix:
    """CSR matrix of the face-conductance operator ``K`` (W/K)."""
    shape = system.capacity.shape
    idx = np.arange(int(np.prod(shape))).reshape(shape)
    rows, cols, vals = [], [], []
    for axis, g in enumerate(system.faces):
        n = shape[axis]
        i = np.take(idx, range(n - 1), axis=axis).ravel()
        j = np.take(idx, range(1, n), axis=axis).ravel()
        gv = g.ravel()
        rows += [i, j, i, j]
        cols += [i, j, j, i]
        vals += [gv, gv, -gv, -gv]
    size = idx.size
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(size, size)
    )


def baseline(sc: dict[str, Any], t_end: float, dt: float, method: str, rtol: float) -> np.ndarray:
    """Crank–Nicolson with scipy.sparse: splu once, or CG on the CSR matrix, per step."""
    system = voxel_system(sc["shape"], sc["spacing_m"], sc["source"], sc["tissue"], sc["boundary"])
    lin = (conduction_matrix(system) + sp.diags(system.linear_diag.ravel())).tocsr()
    cdt = system.capacity.ravel() / dt
    lhs = (sp.diags(cdt) + THETA * lin).tocsr()
    rhs_op = (sp.diags(cdt) - (1.0 - THETA) * lin).tocsr()
    forcing = system.constant.ravel() + system.source.ravel()
    temp = np.full(lhs.shape[0], system.fixed_c)
    if method == "splu":
        lu = splu(lhs.tocsc(), permc_spec="MMD_AT_PLUS_A", options={"SymmetricMode": True})
        solve = lu.solve
    else:
        inv = 1.0 / lhs.diagonal()
        precond = LinearOperator(lhs.shape, matvec=lambda v: inv * v)

        def solve(b: np.ndarray) -> np.ndarray:
            x, info = cg(lhs, b, x0=temp, rtol=rtol, atol=0.0, M=precond, maxiter=10_000)
            if info != 0:
                raise RuntimeError(f"scipy cg did not converge (info={info})")
            return np.asarray(x)

    for _ in range(round(t_end / dt)):
        temp = solve(rhs_op @ temp + forcing)
    return temp.reshape(sc["shape"])


def treat(sc: dict[str, Any], t_end: float, dt: float, backend: str, rtol: float, dtype: str):  # type: ignore[no-untyped-def]
    """One treatment with the matrix-free solver; returns (seconds, result)."""
    t0 = time.perf_counter()
    res = solve_pennes_voxel(
        sc["shape"], sc["spacing_m"], sc["source"], sc["tissue"], sc["boundary"], t_end, dt,
        masks={"tumor": sc["tumor"]}, rtol=rtol, backend=backend, dtype=dtype,
    )  # fmt: skip
    return time.perf_counter() - t0, res


def peak_bandwidth(backend: str) -> tuple[float, str]:
    """Peak device memory bandwidth (bytes/s) and where it came from."""
    if backend == "cupy":
        import cupy

        props = cupy.cuda.runtime.getDeviceProperties(0)
        name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
        peak = 2.0 * props["memoryClockRate"] * 1e3 * props["memoryBusWidth"] / 8.0
        return peak, f"{name}: device properties"
    import jax

    name = jax.devices()[0].device_kind
    for key, value in PEAK_BANDWIDTH_B_PER_S.items():
        if key in name:
            return value, f"{name}: data-sheet table"
    return math.nan, f"{name}: not in table"


def stencil_bandwidth(sc: dict[str, Any], backend: str, dtype: str, reps: int) -> float:
    """Achieved bytes/s of one ``A x`` application (6 arrays per voxel)."""
    xb = get_backend(backend)
    system = voxel_system(sc["shape"], sc["spacing_m"], sc["source"], sc["tissue"], sc["boundary"])
    ft = np.float32 if dtype == "float32" else np.float64
    faces = to_faces(xb, system.faces, ft)
    diag = xb.asarray(system.linear_diag, ft)
    x = xb.asarray(np.full(sc["shape"], 37.0), ft)
    fn = xb.jit(lambda d, gx, gy, gz, v: apply(xb, type(faces)(gx, gy, gz), d, v))
    args = (diag, faces.gx, faces.gy, faces.gz, x)
    out = fn(*args)
    if backend == "jax":
        out.block_until_ready()
    xb.synchronize()
    t0 = time.perf_counter()
    for _ in range(reps):
        out = fn(*args)
    if backend == "jax":
        out.block_until_ready()
    xb.synchronize()
    seconds = (time.perf_counter() - t0) / reps
    return 6 * x.size * np.dtype(ft).itemsize / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grid", type=int, default=64, help="voxels per side (default 64)")
    parser.add_argument("--spacing-mm", type=float, default=0.25, help="voxel side (mm)")
    parser.add_argument("--minutes", type=float, default=5.0, help="treatment length (min)")
    parser.add_argument("--dt", type=float, default=1.0, help="time step (s)")
    parser.add_argument("--rtol", type=float, default=1e-8, help="CG relative tolerance")
    parser.add_argument("--baseline", choices=("auto", "splu", "cg", "none"), default="auto")
    parser.add_argument("--fast-backend", default=None, help="numba (default if installed)")
    parser.add_argument("--gpu-dtype", choices=("float32", "float64"), default="float32")
    args = parser.parse_args()
    t_end = args.minutes * 60.0
    sc = scenario(args.grid, args.spacing_mm)
    n_steps = round(t_end / args.dt)
    print(
        f"grid {args.grid}³ × {args.spacing_mm} mm, {n_steps} Crank–Nicolson steps of {args.dt} s"
    )
    print(f"light (δ-P1 diffusion, numpy CG): {sc['light_s']:.2f} s, {sc['light_iterations']} it")
    fast_backend = args.fast_backend
    if fast_backend is None:
        try:
            get_backend("numba")
            fast_backend = "numba"
        except SpecificationError:
            fast_backend = "numpy"
    if fast_backend == "numba":  # compile once outside the timing (cached on disk after)
        treat(sc, 2 * args.dt, args.dt, "numba", args.rtol, "float64")
    t_fast, fast = treat(sc, t_end, args.dt, fast_backend, args.rtol, "float64")
    print(
        f"fast ({fast_backend}): {t_fast:.2f} s, mean {fast.iterations.mean():.1f} CG it/step; "
        f"tumor max {fast.probe('tumor')[1][-1]:.2f} °C, "
        f"skin max {fast.probe('skin')[1][-1]:.2f} °C"
    )
    if fast_backend != "numpy":
        t_np, _ = treat(sc, t_end, args.dt, "numpy", args.rtol, "float64")
        print(f"matrix-free numpy: {t_np:.2f} s")
    method = args.baseline
    if method == "auto":
        method = "splu" if args.grid**3 <= 32**3 else "cg"
    if method != "none":
        t0 = time.perf_counter()
        ref = baseline(sc, t_end, args.dt, method, args.rtol)
        t_base = time.perf_counter() - t0
        diff = float(np.max(np.abs(ref - fast.temperature_c[-1])))
        print(f"baseline scipy.sparse + {method}: {t_base:.2f} s")
        print(f"ratio baseline / fast: {t_base / t_fast:.1f}x; max |ΔT| = {diff:.2e} K")
    for gpu in ("cupy", "jax"):
        try:
            get_backend(gpu)
            if gpu == "jax":
                import jax

                if jax.devices()[0].platform != "gpu":
                    raise SpecificationError("backend", "jax", "a GPU device", "JAX sees no GPU")
        except SpecificationError as exc:
            print(f"{gpu}: skipped ({exc})")
            continue
        rtol = max(args.rtol, 1e-6) if args.gpu_dtype == "float32" else args.rtol
        treat(sc, 2 * args.dt, args.dt, gpu, rtol, args.gpu_dtype)  # warm-up / compile
        t_gpu, res = treat(sc, t_end, args.dt, gpu, rtol, args.gpu_dtype)
        diff = float(np.max(np.abs(res.temperature_c[-1] - fast.temperature_c[-1])))
        bw = stencil_bandwidth(sc, gpu, args.gpu_dtype, 200)
        peak, origin = peak_bandwidth(gpu)
        print(
            f"{gpu} ({args.gpu_dtype}): treatment {t_gpu:.2f} s ({t_fast / t_gpu:.1f}x vs fast "
            f"CPU), max |ΔT| vs CPU {diff:.1e} K; stencil {bw / 1e9:.0f} GB/s = "
            f"{bw / peak:.0%} of peak {peak / 1e12:.2f} TB/s ({origin})"
        )


if __name__ == "__main__":
    main()
