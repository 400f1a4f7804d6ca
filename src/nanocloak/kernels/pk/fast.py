"""Fast batch solver of the PBPK model: compiled Rodas4 per subject, subjects across cores.

:func:`simulate_fast` takes the same arguments and returns the same
:class:`~nanocloak.kernels.pk.solve.Solution` as :func:`nanocloak.kernels.pk.solve.simulate`,
with the same dosing events (segments cut at every dose start and infusion end, boluses as
jumps of the venous blood, per-dose or absolute uptake clock). Each subject is integrated by
the Rosenbrock method of :mod:`nanocloak.kernels.pk.rodas` with the analytic Jacobian, on a
dense per-subject 31 × 31 system rather than one block-diagonal sparse system, so every
subject takes its own steps; numba compiles the kernel and runs subjects in parallel
(``prange``) on all cores.

numba is optional. ``engine="auto"`` uses it when it imports and otherwise falls back to the
scipy path (:func:`~nanocloak.kernels.pk.solve.simulate`, batched BDF); ``engine="python"``
runs the same kernel uncompiled (slow; for tests); ``engine="scipy"`` always takes the scipy
path.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from types import FunctionType, ModuleType
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk import rodas
from nanocloak.kernels.pk.model import VENOUS, PkParameters, Topology, system_matrix
from nanocloak.kernels.pk.solve import Clock, Dose, Solution, dosing_segments, simulate
from nanocloak.kernels.pk.uptake import CAPACITY, HILL

Engine = Literal["auto", "numba", "python", "scipy"]
METHOD = "Rodas4"

_COMPILED: dict[str, Callable[..., None]] = {}


def _numba() -> ModuleType | None:
    try:
        return importlib.import_module("numba")
    except ImportError:
        return None


def numba_available() -> bool:
    """True when numba imports, so :func:`simulate_fast` can compile its kernel."""
    return _numba() is not None


#: Functions of :mod:`~nanocloak.kernels.pk.rodas` the batch kernel calls (compiled too).
_HELPERS = (
    "hill_rate",
    "hill_into",
    "rhs_into",
    "jacobian_into",
    "lu_in_place",
    "compress",
    "lu_solve_in_place",
    "solve_subject",
)


def _kernel(engine: Literal["numba", "python"]) -> Callable[..., None]:
    """The batch kernel: the plain-Python one, or compiled with numba on first use.

    The compiled copies live in their own namespace (numba resolves globals from a function's
    ``__globals__``), so :mod:`~nanocloak.kernels.pk.rodas` itself stays plain Python.
    """
    if engine == "python":
        return rodas.solve_batch
    if "numba" not in _COMPILED:
        numba: Any = _numba()
        if numba is None:
            raise RuntimeError("engine='numba' needs numba; install nanocloak[fast]")
        namespace = dict(vars(rodas))

        def rebind(name: str) -> FunctionType:
            func = getattr(rodas, name)
            copy = FunctionType(func.__code__, namespace, name, func.__defaults__)
            copy.__qualname__, copy.__module__ = func.__qualname__, func.__module__
            return copy

        jit = numba.njit(cache=True, nogil=True)
        for name in _HELPERS:
            namespace[name] = jit(rebind(name))
        namespace["prange"] = numba.prange
        _COMPILED["numba"] = numba.njit(cache=True, parallel=True)(rebind("solve_batch"))
    return _COMPILED["numba"]


def simulate_fast(
    topology: Topology,
    params: PkParameters,
    doses: Sequence[Dose],
    t_eval_h: FloatArray,
    *,
    clock: Clock = "per_dose",
    rtol: float = 1e-7,
    atol_mg: float | None = None,
    engine: Engine = "auto",
) -> Solution:
    """Solve the PBPK model for a batch of subjects with the compiled Rodas4 kernel.

    Parameters
    ----------
    topology
        Model structure.
    params
        Parameters of the batch.
    doses
        Intravenous doses (at least one), each at or after ``t_eval_h[0]``.
    t_eval_h
        Increasing output times, h; the solution starts from zero amounts at ``t_eval_h[0]``.
        Output at a bolus time is the state just after the bolus.
    clock
        ``"per_dose"`` or ``"absolute"`` uptake clock (as :func:`~.solve.simulate`).
    rtol
        Relative tolerance.
    atol_mg
        Absolute tolerance, mg; default 1e-10 times the largest total dose.
    engine
        ``"auto"`` (numba if importable, else the scipy BDF path), ``"numba"``, ``"python"``
        (the same kernel uncompiled; slow) or ``"scipy"``.
    """
    if engine == "scipy" or (engine == "auto" and not numba_available()):
        return simulate(topology, params, doses, t_eval_h, clock=clock, rtol=rtol, atol_mg=atol_mg)
    kernel = _kernel("python" if engine == "python" else "numba")
    params.check(topology)
    t_eval = np.ascontiguousarray(t_eval_h, dtype=float)
    if t_eval.ndim != 1 or t_eval.size < 2 or np.any(np.diff(t_eval) <= 0.0):
        raise ValueError("t_eval_h must be a strictly increasing 1-D array of two or more times")
    if not doses:
        raise ValueError("give at least one dose")
    n_s = params.n_subjects
    for dose in doses:
        if dose.amount_mg.shape != (n_s,) or np.any(dose.amount_mg < 0.0):
            raise ValueError(f"each dose needs {n_s} non-negative amounts (one per subject)")
        if dose.time_h < t_eval[0] or dose.duration_h < 0.0:
            raise ValueError("doses must start at or after the first output time")
    if not 0.0 < rtol < 1.0:
        raise ValueError(f"rtol must lie in (0, 1); got {rtol}")
    total = sum(float(np.max(d.amount_mg)) for d in doses)
    atol = 1e-10 * max(total, 1e-300) if atol_mg is None else float(atol_mg)

    model, new_index = _model_arrays(topology, params)
    segments = dosing_segments(doses, t_eval, clock, n_s)
    out = np.zeros((n_s, t_eval.size, topology.n_states))
    stats = np.zeros((n_s, 4), dtype=np.int64)
    venous = int(new_index[VENOUS])
    kernel(*model, venous, *segments, t_eval, float(rtol), atol, out, stats)
    out = np.ascontiguousarray(out[:, :, new_index])  # back to the model's state order
    failed = np.flatnonzero(stats[:, rodas.STAT_FAILED])
    if failed.size:
        raise RuntimeError(f"the Rodas4 PBPK solver failed for subjects {failed[:10].tolist()}")
    for dose in doses:  # a bolus exactly at the last output time, as simulate() does
        if dose.duration_h == 0.0 and dose.time_h == t_eval[-1]:
            out[:, -1, VENOUS] += dose.amount_mg
    dosed = sum((d.given_by(t_eval) for d in doses), np.zeros((n_s, t_eval.size)))
    n_rhs = int(stats[:, rodas.STAT_RHS].sum())
    return Solution(t_eval, out, dosed, n_rhs, METHOD, rtol, atol)


def minimum_degree_order(n: int, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> list[int]:
    """Greedy minimum-degree elimination order of the symmetrised pattern (rows, cols).

    Eliminating low-degree states first keeps the fill of the LU factors small (the organ
    sub-compartments go first, the well-connected central blood pools last).
    """
    adjacent: list[set[int]] = [set() for _ in range(n)]
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        if r != c:
            adjacent[r].add(c)
            adjacent[c].add(r)
    order: list[int] = []
    left = set(range(n))
    while left:
        k = min(left, key=lambda v: (len(adjacent[v]), v))
        order.append(k)
        left.remove(k)
        for v in adjacent[k]:  # eliminating k connects its neighbours (fill)
            adjacent[v] |= adjacent[k] - {v}
            adjacent[v].discard(k)
    return order


def _model_arrays(
    topology: Topology, params: PkParameters
) -> tuple[tuple[NDArray[Any], ...], NDArray[np.int64]]:
    """Kernel arrays in a fill-reducing state order, and each model state's kernel index.

    The constant transfer matrix is stored on its sparsity pattern shared by the batch; the
    Hill and capacity terms as (source, phagocyte) index pairs with per-subject constants.
    """
    laws = np.array(topology.uptake_law)
    varying = (laws == HILL) | (laws == CAPACITY)
    k_max = np.where(varying[None, :], 0.0, params.k_max_per_h)
    constant = dataclasses.replace(params, k_max_per_h=k_max)
    m0_full = system_matrix(
        topology, constant, 0.0, np.zeros((params.n_subjects, topology.n_states))
    )
    nz_row, nz_col = np.nonzero(np.any(m0_full != 0.0, axis=0))
    m0 = np.ascontiguousarray(m0_full[:, nz_row, nz_col])

    def terms(law: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        organs = np.flatnonzero(laws == law).astype(np.int64)
        src = [
            topology.blood(i) if topology.uptake_from_blood[i] else topology.tissue(i)
            for i in organs.tolist()
        ]
        res = [topology.res(i) for i in organs.tolist()]
        return organs, np.array(src, dtype=np.int64), np.array(res, dtype=np.int64)

    def cols(array: FloatArray, organs: NDArray[np.int64]) -> FloatArray:
        return np.ascontiguousarray(array[:, organs], dtype=float)

    hill, hill_src, hill_res = terms(HILL)
    cap, cap_src, cap_res = terms(CAPACITY)
    pattern_rows = np.concatenate([nz_row, hill_res, hill_src, cap_res, cap_src])
    pattern_cols = np.concatenate([nz_col, hill_src, hill_res, cap_src, cap_res])
    order = minimum_degree_order(topology.n_states, pattern_rows, pattern_cols)
    new = np.empty(topology.n_states, dtype=np.int64)
    new[order] = np.arange(topology.n_states)
    arrays = (
        new[nz_row],
        new[nz_col],
        m0,
        new[hill_src],
        new[hill_res],
        cols(params.k_max_per_h, hill),
        cols(params.k50_h, hill),
        cols(params.hill_n, hill),
        new[cap_src],
        new[cap_res],
        cols(params.k_max_per_h, cap),
        cols(params.capacity_mg, cap),
    )
    return arrays, new
