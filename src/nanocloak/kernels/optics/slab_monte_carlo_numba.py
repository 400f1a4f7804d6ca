"""Compiled engine of :mod:`nanocloak.kernels.optics.slab_monte_carlo` (numba, optional).

The same packet physics as the vectorised numpy engine there (MCML: Wang, Jacques & Zheng,
*Comput. Methods Programs Biomed.* 1995, 47, 131, doi:10.1016/0169-2607(95)01640-F), one packet
at a time, batches in parallel. Plain Python here; numba compiles a copy on first use, so this
module imports without numba. Units: mm and mm⁻¹.
"""

from __future__ import annotations

import importlib
import math
from types import FunctionType
from typing import Any

import numpy as np

from nanocloak.kernels.arrays import FloatArray

prange = range  # numba.prange in the compiled copy of _kernel


def _kernel(p: tuple[Any, ...], seed: int, out: tuple[FloatArray, ...]) -> None:  # pragma: no cover
    """Batches in parallel, one packet at a time (compiled by numba); the numpy engine's physics.

    Batch ``b`` seeds numba's thread-local generator with ``seed + b``: results do not depend on
    the number of threads.
    """
    (mua, mus, g, d, n_t, n_top, n_bot, dz, nz_bins, edges, n_ph, nb, thr, chance, w0) = p
    absorbed, absorbed_rz, top, bottom = out
    nr = absorbed_rz.shape[1] - 1
    mut = mua + mus
    for b in prange(nb):
        np.random.seed(seed + b)  # noqa: NPY002 (numba: legacy API only)
        for _ in range(b, n_ph, nb):
            z, x, y, ux, uy, uz, w = 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, w0
            while w > 0.0:
                s = -math.log(1.0 - np.random.random()) / mut  # noqa: NPY002
                wall = (d - z) / uz if uz > 0.0 else (-z / uz if uz < 0.0 else math.inf)
                if s >= wall:
                    x, y = x + wall * ux, y + wall * uy
                    z, n_o = (0.0, n_top) if uz < 0.0 else (d, n_bot)
                    ci = min(abs(uz), 1.0)
                    si = math.sqrt(1.0 - ci * ci)
                    st = n_t / n_o * si
                    if ci > 1.0 - 1e-12:
                        r = ((n_t - n_o) / (n_t + n_o)) ** 2
                    elif st >= 1.0 or ci < 1e-9:
                        r = 1.0
                    else:
                        ct = math.sqrt(1.0 - st * st)
                        cp, cm = ci * ct - si * st, ci * ct + si * st
                        sp, sm = si * ct + ci * st, si * ct - ci * st
                        r = 0.5 * sm * sm * (cm * cm + cp * cp) / (sp * sp * cm * cm)
                    if np.random.random() < r:  # noqa: NPY002
                        uz = -uz
                        continue
                    if z == 0.0:
                        top[b] += w
                    else:
                        bottom[b] += w
                    break
                z, x, y = z + s * uz, x + s * ux, y + s * uy
                zi = min(int(z / dz), nz_bins)
                dep = w * mua / mut
                absorbed[b, zi] += dep
                if nr > 0:
                    ri = min(np.searchsorted(edges, math.hypot(x, y), side="right") - 1, nr)
                    absorbed_rz[b, ri, zi] += dep
                w -= dep
                xi = np.random.random()  # noqa: NPY002
                if abs(g) > 1e-6:
                    ct = (1.0 + g * g - ((1.0 - g * g) / (1.0 - g + 2.0 * g * xi)) ** 2) / (2.0 * g)
                else:
                    ct = 2.0 * xi - 1.0
                ct = max(-1.0, min(1.0, ct))
                st = math.sqrt(1.0 - ct * ct)
                psi = 2.0 * math.pi * np.random.random()  # noqa: NPY002
                cp, sp = math.cos(psi), math.sin(psi)
                if abs(uz) > 0.99999:
                    ux, uy, uz = st * cp, st * sp, (ct if uz > 0.0 else -ct)
                else:
                    tmp = math.sqrt(1.0 - uz * uz)
                    ux, uy, uz = (
                        st * (ux * uz * cp - uy * sp) / tmp + ux * ct,
                        st * (uy * uz * cp + ux * sp) / tmp + uy * ct,
                        -st * cp * tmp + uz * ct,
                    )
                if w < thr:
                    w = w / chance if np.random.random() < chance else 0.0  # noqa: NPY002


_COMPILED: dict[str, Any] = {}


def numba_available() -> bool:
    """True when numba imports, so ``engine="numba"`` (and ``"auto"``) can compile the kernel."""
    try:
        importlib.import_module("numba")
    except ImportError:
        return False
    return True


def run_numba(p: tuple[Any, ...], rng: np.random.Generator) -> tuple[FloatArray, ...]:
    """Compile :func:`_kernel` on first use; run it with a seed drawn from ``rng``."""
    if "kernel" not in _COMPILED:
        numba: Any = importlib.import_module("numba")
        # numba resolves ``prange`` from the function's globals: compile a copy that sees it
        func = FunctionType(_kernel.__code__, {**globals(), "prange": numba.prange}, "_kernel")
        _COMPILED["kernel"] = numba.njit(parallel=True)(func)
    nz_bins, edges, nb = p[8], p[9], p[11]
    nr = 0 if edges is None else len(edges) - 1
    out = (
        np.zeros((nb, nz_bins + 1)),
        np.zeros((nb, nr + 1, nz_bins + 1)),
        np.zeros(nb),
        np.zeros(nb),
    )
    params = (*p[:9], np.zeros(1) if edges is None else edges, *p[10:])
    _COMPILED["kernel"](params, int(rng.integers(2**31 - nb)), out)
    return out[0], out[1].sum(axis=0), out[2], out[3]
