"""Array backends and the matrix-free 7-point operator with its preconditioned CG solver.

One numerical code path serves every backend: the operator and the solver below are written
against an array namespace ``xp`` (numpy, CuPy or ``jax.numpy``) and two small control hooks
(:meth:`ArrayBackend.while_loop` and :meth:`ArrayBackend.add_slice`) that are a Python loop and
an in-place update on numpy/CuPy, and ``lax.while_loop`` and ``.at[].add`` under JAX, where the
whole step is traced and compiled by ``jax.jit``. ``"numba"`` is numpy with the operator
application and the CG vector updates fused into three compiled CPU loops per iteration
(:mod:`numba`, the ``fast`` extra), which removes most of the array passes numpy makes. These
loops are single-threaded on purpose: deterministic sums, and no thread barriers that stall on
a shared, loaded machine (2-core measurements: ≈5× faster per CG iteration than numpy at 64³).

The operator acts on cell values ``x`` of a uniform grid (shape ``(nx, ny, nz)``):

.. math::

    (A x)_i = a_i x_i + \\sum_{j \\in \\mathcal{N}(i)} g_{ij} (x_i - x_j)

with ``a_i ≥ 0`` a diagonal (capacity/Δt, perfusion, absorption, boundary conductances) and
``g_ij = g_ji > 0`` face conductances. It is symmetric positive definite when some ``a_i > 0``,
so the conjugate-gradient method with the Jacobi (diagonal) preconditioner converges
(Hestenes & Stiefel, *J. Res. Natl. Bur. Stand.* 1952, 49, 409, doi:10.6028/jres.049.044).
The GPU libraries are imported lazily, inside :func:`get_backend`.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nanocloak.errors import SpecificationError

BACKENDS = ("numpy", "numba", "cupy", "jax")
_EXTRA = {"numba": "fast", "cupy": "gpu", "jax": "jax"}
_PACKAGE = {"numba": "numba", "cupy": "cupy-cuda12x", "jax": "jax[cuda12]"}


@dataclass(frozen=True, slots=True)
class ArrayBackend:
    """An array namespace and the few operations that differ between libraries.

    Attributes
    ----------
    name
        ``"numpy"``, ``"numba"``, ``"cupy"`` or ``"jax"``.
    xp
        The array namespace (``numpy``, ``cupy`` or ``jax.numpy``).
    """

    name: str
    xp: Any

    @property
    def functional(self) -> bool:
        """True when arrays are immutable (JAX) and loops must be traced."""
        return self.name == "jax"

    def asarray(self, value: Any, dtype: Any = None) -> Any:
        """Copy a host array to the device (or keep it on the host for numpy)."""
        return self.xp.asarray(value, dtype=dtype)

    def to_numpy(self, value: Any) -> np.ndarray[Any, Any]:
        """Bring an array back to the host as numpy."""
        if self.name == "cupy":
            return np.asarray(value.get())
        return np.asarray(value)

    def add_slice(self, out: Any, index: tuple[slice, ...], value: Any) -> Any:
        """``out[index] += value``, in place where the library allows; returns the result."""
        if self.functional:
            return out.at[index].add(value)
        out[index] += value
        return out

    def while_loop(self, cond: Callable[[Any], Any], body: Callable[[Any], Any], state: Any) -> Any:
        """``while cond(state): state = body(state)``, traced by ``lax.while_loop`` under JAX."""
        if self.functional:
            return importlib.import_module("jax.lax").while_loop(cond, body, state)
        while bool(cond(state)):
            state = body(state)
        return state

    def jit(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Compile ``fn`` with ``jax.jit`` under JAX; identity otherwise."""
        if self.functional:
            jit: Callable[..., Any] = importlib.import_module("jax").jit(fn)
            return jit
        return fn

    def synchronize(self) -> None:
        """Wait for queued device work (for timing)."""
        if self.name == "cupy":
            self.xp.cuda.Device().synchronize()


def get_backend(name: str) -> ArrayBackend:
    """Resolve a backend name, importing its library on first use.

    Parameters
    ----------
    name
        One of ``"numpy"`` (default CPU path), ``"numba"`` (fused CPU kernels), ``"cupy"`` or
        ``"jax"`` (GPU when the library finds one, else JAX's CPU).

    Raises
    ------
    SpecificationError
        For an unknown name, or when the library is not installed (the message names the
        pyproject extra that installs it).
    """
    if name not in BACKENDS:
        raise SpecificationError("backend", name, "one of " + ", ".join(map(repr, BACKENDS)))
    if name == "numpy":
        return ArrayBackend("numpy", np)
    try:
        if name == "numba":
            import numba  # noqa: F401

            return ArrayBackend("numba", np)
        if name == "cupy":
            cupy = importlib.import_module("cupy")
            cupy.cuda.runtime.getDeviceCount()
            return ArrayBackend("cupy", cupy)
        jax = importlib.import_module("jax")
        jax.config.update("jax_enable_x64", True)
        return ArrayBackend("jax", importlib.import_module("jax.numpy"))
    except Exception as exc:  # ImportError, or CuPy finding no CUDA device
        raise SpecificationError(
            "backend",
            name,
            f"an installed {_PACKAGE[name]} with a working device",
            f"install the extra: pip install 'nanocloak[{_EXTRA[name]}]', or use "
            f"backend='numpy' ({type(exc).__name__}: {exc})",
        ) from exc


@dataclass(frozen=True, slots=True)
class Faces:
    """Face conductances ``g`` of a grid, as backend arrays.

    Attributes
    ----------
    gx, gy, gz
        Conductances between neighbours along x, y, z: shapes (nx−1, ny, nz), (nx, ny−1, nz),
        (nx, ny, nz−1), in the caller's units (W/K for heat, mm for light).
    """

    gx: Any
    gy: Any
    gz: Any


def to_faces(
    backend: ArrayBackend,
    faces: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]],
    dtype: Any = np.float64,
) -> Faces:
    """Move host face arrays to the backend."""
    return Faces(*(backend.asarray(np.ascontiguousarray(g), dtype) for g in faces))


def jacobi(
    diagonal: np.ndarray[Any, Any],
    faces: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]],
    scale: float = 1.0,
) -> np.ndarray[Any, Any]:
    """Inverse of the operator's diagonal, ``1/(a_i + scale · Σ_j g_ij)`` (host numpy)."""
    full = np.array(diagonal, dtype=float)
    for axis, g in enumerate(faces):
        lo = [slice(None)] * 3
        hi = [slice(None)] * 3
        lo[axis] = slice(None, -1)
        hi[axis] = slice(1, None)
        full[tuple(lo)] += scale * g
        full[tuple(hi)] += scale * g
    return np.asarray(1.0 / full)


def apply(backend: ArrayBackend, faces: Faces, diagonal: Any, x: Any, scale: float = 1.0) -> Any:
    """``A x = a x + scale · Σ_j g_ij (x_i − x_j)`` on the backend."""
    if backend.name == "numba":
        out = np.empty_like(x)
        _numba()["matvec"](x, diagonal, faces.gx, faces.gy, faces.gz, scale, out)
        return out
    out = diagonal * x
    for axis, g in enumerate((faces.gx, faces.gy, faces.gz)):
        n = x.shape[axis]
        if n < 2:
            continue
        lo = [slice(None)] * 3
        hi = [slice(None)] * 3
        lo[axis] = slice(0, n - 1)
        hi[axis] = slice(1, n)
        flux = (scale * g) * (x[tuple(hi)] - x[tuple(lo)])
        out = backend.add_slice(out, tuple(lo), -flux)
        out = backend.add_slice(out, tuple(hi), flux)
    return out


def solve_spd(
    backend: ArrayBackend,
    faces: Faces,
    diagonal: Any,
    scale: float,
    inverse_diagonal: Any,
    rhs: Any,
    x0: Any,
    rtol: float,
    max_iterations: int,
) -> tuple[Any, Any, Any]:
    """Solve ``A x = b`` (``A`` as in :func:`apply`) by Jacobi-preconditioned CG.

    Stops when ``‖b − A x‖₂ ≤ rtol ‖b‖₂`` or after ``max_iterations``. Returns
    ``(x, iterations, relative residual)``, as backend scalars (traceable under JAX).
    """
    if backend.name == "numba":
        return _numba_pcg(faces, diagonal, scale, inverse_diagonal, rhs, x0, rtol, max_iterations)
    xp = backend.xp

    def matvec(v: Any) -> Any:
        return apply(backend, faces, diagonal, v, scale)

    bnorm = xp.sqrt(xp.sum(rhs * rhs))
    bnorm = xp.where(bnorm > 0, bnorm, 1.0)
    r = rhs - matvec(x0)
    z = inverse_diagonal * r
    limit = (rtol * bnorm) ** 2

    def cond(state: tuple[Any, ...]) -> Any:
        return xp.logical_and(state[5] > limit, state[0] < max_iterations)

    def body(state: tuple[Any, ...]) -> tuple[Any, ...]:
        k, x, r_, p, rz_, _ = state
        q = matvec(p)
        alpha = rz_ / xp.sum(p * q)
        x = x + alpha * p
        r_ = r_ - alpha * q
        z_ = inverse_diagonal * r_
        rz_new = xp.sum(r_ * z_)
        p = z_ + (rz_new / rz_) * p
        return (k + 1, x, r_, p, rz_new, xp.sum(r_ * r_))

    start = (xp.asarray(0), x0, r, z, xp.sum(r * z), xp.sum(r * r))
    k, x, _, _, _, rr = backend.while_loop(cond, body, start)
    return x, k, xp.sqrt(rr) / bnorm


def _numba_pcg(
    faces: Faces,
    diagonal: Any,
    scale: float,
    inverse_diagonal: Any,
    rhs: Any,
    x0: Any,
    rtol: float,
    max_iterations: int,
) -> tuple[Any, int, float]:
    """The CG loop of :func:`solve_spd` driving three fused passes per iteration."""
    kern = _numba()
    x = np.array(x0, dtype=rhs.dtype, copy=True)
    q = np.empty_like(x)
    kern["matvec"](x, diagonal, faces.gx, faces.gy, faces.gz, scale, q)
    r = rhs - q
    z = inverse_diagonal * r
    p = z.copy()
    rz = float(np.vdot(r, z))
    rr = float(np.vdot(r, r))
    bnorm = float(np.sqrt(np.vdot(rhs, rhs))) or 1.0
    limit = (rtol * bnorm) ** 2
    k = 0
    while rr > limit and k < max_iterations:
        pq = kern["matvec"](p, diagonal, faces.gx, faces.gy, faces.gz, scale, q)
        rz_new, rr = kern["update"](x, r, p, q, z, inverse_diagonal, rz / pq)
        kern["direction"](p, z, rz_new / rz)
        rz = rz_new
        k += 1
    return x, k, math.sqrt(rr) / bnorm


_NUMBA_KERNELS: dict[str, Any] = {}


def _numba() -> dict[str, Any]:
    """Compile (once per process, cached on disk) the fused CPU kernels."""
    if _NUMBA_KERNELS:
        return _NUMBA_KERNELS
    from numba import njit

    @njit(cache=True)
    def matvec(x, d, gx, gy, gz, s, out):  # type: ignore[no-untyped-def]
        nx, ny, nz = x.shape
        acc = 0.0
        for i in range(nx):
            for j in range(ny):
                for k in range(nz):
                    xi = x[i, j, k]
                    flux = 0.0
                    if i > 0:
                        flux += gx[i - 1, j, k] * (xi - x[i - 1, j, k])
                    if i < nx - 1:
                        flux += gx[i, j, k] * (xi - x[i + 1, j, k])
                    if j > 0:
                        flux += gy[i, j - 1, k] * (xi - x[i, j - 1, k])
                    if j < ny - 1:
                        flux += gy[i, j, k] * (xi - x[i, j + 1, k])
                    if k > 0:
                        flux += gz[i, j, k - 1] * (xi - x[i, j, k - 1])
                    if k < nz - 1:
                        flux += gz[i, j, k] * (xi - x[i, j, k + 1])
                    v = d[i, j, k] * xi + s * flux
                    out[i, j, k] = v
                    acc += xi * v
        return acc

    @njit(cache=True)
    def update(x, r, p, q, z, minv, alpha):  # type: ignore[no-untyped-def]
        nx, ny, nz = x.shape
        rz = 0.0
        rr = 0.0
        for i in range(nx):
            for j in range(ny):
                for k in range(nz):
                    x[i, j, k] += alpha * p[i, j, k]
                    rv = r[i, j, k] - alpha * q[i, j, k]
                    r[i, j, k] = rv
                    zv = minv[i, j, k] * rv
                    z[i, j, k] = zv
                    rz += rv * zv
                    rr += rv * rv
        return rz, rr

    @njit(cache=True)
    def direction(p, z, beta):  # type: ignore[no-untyped-def]
        nx, ny, nz = p.shape
        for i in range(nx):
            for j in range(ny):
                for k in range(nz):
                    p[i, j, k] = z[i, j, k] + beta * p[i, j, k]

    _NUMBA_KERNELS.update(matvec=matvec, update=update, direction=direction)
    return _NUMBA_KERNELS
