r"""Fast batch solver of the PBPK model: compiled Rodas4 per subject, subjects across cores.

:func:`simulate_fast` takes the same arguments and returns the same
:class:`~nanocloak.kernels.pk.solve.Solution` as :func:`nanocloak.kernels.pk.solve.simulate`,
with the same dosing events (segments cut at every dose start and infusion end, boluses as
jumps of the venous blood, per-dose or absolute uptake clock). Each subject is integrated by
the Rosenbrock method of :mod:`nanocloak.kernels.pk.rodas` with the analytic Jacobian, on its
own sparse 31-state system rather than one block-diagonal system of the batch, so every
subject takes its own steps; numba compiles the kernel and runs subjects in parallel
(``prange``) on all cores (a batch of fewer than :data:`SERIAL_BELOW` runs serially).

Where the work goes, per step: 6 right-hand sides, one LU factorisation of
:math:`I/(h\gamma) - J` and 6 triangular solves. The states are put in a fill-reducing
(minimum-degree) order once, and the LU factorisation is analysed once per sparsity pattern
(:func:`lu_plan`; cached), so each factorisation is a fixed list of ~100 multiply-adds on ~90
packed non-zeros. ``benchmarks/pk_batch.py`` measures each part.

numba is optional. ``engine="auto"`` uses it when it imports and otherwise falls back to the
scipy path (:func:`~nanocloak.kernels.pk.solve.simulate`, batched BDF); ``engine="python"``
runs the same kernel uncompiled (slow; for tests); ``engine="scipy"`` always takes the scipy
path.
"""

from __future__ import annotations

import dataclasses
import functools
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

_COMPILED: dict[str, dict[str, Callable[..., Any]]] = {}


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
    "w_constant_into",
    "w_into",
    "dfdt_into",
    "lu_factor",
    "lu_solve",
    "solve_subject",
)


#: Below this many subjects the compiled per-subject routine runs in a plain loop: a parallel
#: region costs a thread wake-up (tens of µs idle, milliseconds on a loaded machine), more
#: than one subject's solve (~0.5 ms).
SERIAL_BELOW = 4


def compiled_kernel(engine: Literal["numba", "python"]) -> dict[str, Callable[..., Any]]:
    """The kernel's functions by name, plain Python or compiled with numba on first use.

    ``"solve_batch"`` runs subjects in parallel (``prange``) when compiled; the others are the
    helpers of :mod:`~nanocloak.kernels.pk.rodas` (``rhs_into``, ``lu_factor``, ...), also
    exposed for benchmarks. The compiled copies live in their own namespace (numba resolves
    globals from a function's ``__globals__``), so :mod:`~nanocloak.kernels.pk.rodas` itself
    stays plain Python.
    """
    if engine == "python":
        return {name: getattr(rodas, name) for name in (*_HELPERS, "solve_batch")}
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
        namespace["solve_batch"] = numba.njit(cache=True, parallel=True)(rebind("solve_batch"))
        _COMPILED["numba"] = {name: namespace[name] for name in (*_HELPERS, "solve_batch")}
    return _COMPILED["numba"]


def _run_kernel(engine: Literal["numba", "python"], *args: Any) -> None:
    """Solve every subject: in parallel when the batch is large enough, else one by one."""
    kernel = compiled_kernel(engine)
    n_s = args[-2].shape[0]  # out
    if n_s >= SERIAL_BELOW:
        kernel["solve_batch"](*args)
        return
    for s in range(n_s):
        kernel["solve_subject"](s, *args)


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
    kernel_engine: Literal["numba", "python"] = "python" if engine == "python" else "numba"
    compiled_kernel(kernel_engine)  # fails early without numba
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

    model, plan, new_index = kernel_arrays(topology, params)
    segments = dosing_segments(doses, t_eval, clock, n_s)
    out = np.zeros((n_s, t_eval.size, topology.n_states))
    stats = np.zeros((n_s, 4), dtype=np.int64)
    venous = int(new_index[VENOUS])
    _run_kernel(kernel_engine, model, plan, venous, segments, t_eval, float(rtol), atol, out, stats)
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


def kernel_arrays(
    topology: Topology, params: PkParameters
) -> tuple[tuple[NDArray[Any], ...], tuple[NDArray[np.int64], ...], NDArray[np.int64]]:
    """Kernel ``model`` and LU ``plan`` in a fill-reducing state order, and each model state's
    kernel index.

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
    pattern_rows = np.concatenate([nz_row, hill_res, cap_res, cap_src])
    pattern_cols = np.concatenate([nz_col, hill_src, cap_src, cap_res])
    original = np.eye(topology.n_states, dtype=bool)
    original[pattern_rows, pattern_cols] = True
    new, plan = _ordering(original.tobytes(), topology.n_states)
    # the constant matrix in compressed rows of the new order (the RHS sums row by row)
    by_row = np.lexsort((new[nz_col], new[nz_row]))
    row_ptr = np.searchsorted(new[nz_row][by_row], np.arange(topology.n_states + 1))
    m0 = np.ascontiguousarray(m0_full[:, nz_row[by_row], nz_col[by_row]])
    with np.errstate(divide="ignore"):  # K50 = 0 gives -inf: the rate is K_max at once
        log_k50 = np.log(cols(params.k50_h, hill))
    model = (
        row_ptr.astype(np.int64),
        new[nz_col[by_row]],
        m0,
        new[hill_src],
        new[hill_res],
        cols(params.k_max_per_h, hill),
        log_k50,
        cols(params.hill_n, hill),
        new[cap_src],
        new[cap_res],
        cols(params.k_max_per_h, cap),
        cols(params.capacity_mg, cap),
    )
    return model, plan, new


@functools.lru_cache(maxsize=32)
def _ordering(
    pattern_bytes: bytes, n: int
) -> tuple[NDArray[np.int64], tuple[NDArray[np.int64], ...]]:
    """Fill-reducing new index of each state and the LU plan in that order (cached: the
    pattern depends on the topology and on which rates are non-zero, not on their values)."""
    pattern = np.frombuffer(pattern_bytes, dtype=bool).reshape(n, n)
    rows, cols = np.nonzero(pattern)
    order = minimum_degree_order(n, rows.astype(np.int64), cols.astype(np.int64))
    new = np.empty(n, dtype=np.int64)
    new[order] = np.arange(n)
    permuted = np.zeros((n, n), dtype=bool)
    permuted[new[rows], new[cols]] = True
    return new, lu_plan(permuted)


def lu_plan(pattern: NDArray[np.bool_]) -> tuple[NDArray[np.int64], ...]:
    """Symbolic LU factorisation (no pivoting, given order) of a square sparsity pattern.

    Returns the plan ``(pos, diag, ptr, lower, upper, update)`` that
    :func:`~nanocloak.kernels.pk.rodas.lu_factor` and :func:`~nanocloak.kernels.pk.rodas.lu_solve`
    follow: packed positions of the pattern with its fill (diagonal included), and per pivot
    the entries of its L column, of its U row and the multiply-subtract updates of the
    elimination (see :func:`~nanocloak.kernels.pk.rodas.lu_factor`).
    """
    n = pattern.shape[0]
    fill = np.array(pattern, dtype=bool) | np.eye(n, dtype=bool)
    for k in range(n):  # eliminating k couples every later row and column it touches
        rows = np.flatnonzero(fill[k + 1 :, k]) + k + 1
        cols_k = np.flatnonzero(fill[k, k + 1 :]) + k + 1
        fill[np.ix_(rows, cols_k)] = True
    pos = np.full((n, n), -1, dtype=np.int64)
    pos[fill] = np.arange(int(fill.sum()))
    lower: list[tuple[int, int]] = []
    upper: list[tuple[int, int]] = []
    update: list[tuple[int, int, int]] = []
    ptr = np.zeros((3, n + 1), dtype=np.int64)
    for k in range(n):
        below = [int(i) for i in np.flatnonzero(fill[k + 1 :, k]) + k + 1]
        right = [int(j) for j in np.flatnonzero(fill[k, k + 1 :]) + k + 1]
        lower += [(i, int(pos[i, k])) for i in below]
        upper += [(j, int(pos[k, j])) for j in right]
        update += [(int(pos[i, j]), int(pos[i, k]), int(pos[k, j])) for i in below for j in right]
        ptr[:, k + 1] = (len(lower), len(upper), len(update))

    def table(items: list[Any], width: int) -> NDArray[np.int64]:
        return np.array(items, dtype=np.int64).reshape(len(items), width)

    diag = np.ascontiguousarray(pos[np.arange(n), np.arange(n)])
    return pos, diag, ptr, table(lower, 2), table(upper, 2), table(update, 3)
