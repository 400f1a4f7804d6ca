"""Dosing events and the stiff solver of the nanoparticle PBPK model.

Doses go into the venous blood (AV): a bolus is a jump of AV; an infusion a constant input over
its duration. The schedule is cut into segments at every dose start and infusion end, and each
segment is solved with ``scipy.integrate.solve_ivp`` (BDF by default) and the analytic
Jacobian. A batch of subjects is solved at once as one block-diagonal system (sparse Jacobian),
or subject by subject (``batched=False``).

The phagocytic uptake clock :math:`\\tau` is the time since the latest dose start
(``clock="per_dose"``, the default: every dose restarts the Hill-in-time lag), or the time since
the first dose (``clock="absolute"``, as the published mrgsolve code, whose ``TIME`` never
resets; research note pbpk.md §2.7 item 3).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp
from scipy.sparse import csr_matrix

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk.model import VENOUS, PkParameters, Topology, jacobian, rhs

Clock = Literal["per_dose", "absolute"]


@dataclass(frozen=True, slots=True)
class Dose:
    """One intravenous dose into the venous blood.

    Parameters
    ----------
    time_h
        Start time, h.
    amount_mg
        Amount per subject, mg, shape ``(n_subjects,)``.
    duration_h
        Infusion duration, h; 0 for a bolus.
    """

    time_h: float
    amount_mg: FloatArray
    duration_h: float = 0.0

    def given_by(self, t_h: FloatArray) -> FloatArray:
        """Amount administered by each time in ``t_h``, mg, shape ``(n_subjects, n_t)``."""
        if self.duration_h <= 0.0:
            share = (t_h >= self.time_h).astype(float)
        else:
            share = np.clip((t_h - self.time_h) / self.duration_h, 0.0, 1.0)
        return np.asarray(self.amount_mg[:, None] * share[None, :], dtype=float)


@dataclass(frozen=True, slots=True)
class ParamWindow:
    """Parameters that hold from ``t_on_h`` to ``t_off_h`` (h) instead of the run's own."""

    t_on_h: float
    t_off_h: float
    params: PkParameters


@dataclass(frozen=True, slots=True)
class Solution:
    """Amounts over time of a batch of subjects.

    ``y_mg`` has shape ``(n_subjects, n_times, n_states)``; ``dosed_mg`` ``(n_subjects,
    n_times)`` is the amount administered by each time (the mass-balance reference).
    """

    t_h: FloatArray
    y_mg: FloatArray
    dosed_mg: FloatArray
    n_rhs: int
    method: str
    rtol: float
    atol_mg: float


def simulate(
    topology: Topology,
    params: PkParameters,
    doses: Sequence[Dose],
    t_eval_h: FloatArray,
    *,
    clock: Clock = "per_dose",
    method: str = "BDF",
    rtol: float = 1e-7,
    atol_mg: float | None = None,
    batched: bool = True,
    windows: Sequence[ParamWindow] = (),
) -> Solution:
    """Solve the PBPK model for a batch of subjects and a dosing schedule.

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
        ``"per_dose"`` or ``"absolute"`` uptake clock (see module docstring).
    method
        ``solve_ivp`` method: ``"BDF"``, ``"Radau"`` or ``"LSODA"``.
    rtol
        Relative tolerance.
    atol_mg
        Absolute tolerance, mg; default 1e-10 times the largest total dose.
    batched
        Solve all subjects as one block-diagonal system (True) or one by one (False).
    windows
        Time windows in which other parameters hold (e.g. a magnet over the tumor); the time
        axis is also cut at their edges, and between windows ``params`` hold.
    """
    params.check(topology)
    for window in windows:
        window.params.check(topology)
        if not window.t_on_h < window.t_off_h:
            raise ValueError("a parameter window needs t_on_h < t_off_h")
    t_eval = np.asarray(t_eval_h, dtype=float)
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
    total = sum(float(np.max(d.amount_mg)) for d in doses)
    atol = 1e-10 * max(total, 1e-300) if atol_mg is None else atol_mg
    seg_a, seg_b, seg_tref, seg_rate, seg_bolus, seg_lo, seg_hi = dosing_segments(
        doses, t_eval, clock, n_s, [x for w in windows for x in (w.t_on_h, w.t_off_h)]
    )
    y = np.zeros((n_s, topology.n_states))
    out = np.zeros((n_s, t_eval.size, topology.n_states))
    n_rhs = 0
    for k in range(seg_a.size):
        y[:, VENOUS] += seg_bolus[:, k]
        lo, hi = int(seg_lo[k]), int(seg_hi[k])
        middle = 0.5 * (float(seg_a[k]) + float(seg_b[k]))
        active = [w.params for w in windows if w.t_on_h <= middle < w.t_off_h]
        y, seg, evals = _segment(
            topology,
            active[0] if active else params,
            y,
            float(seg_a[k]),
            float(seg_b[k]),
            t_eval[lo:hi],
            float(seg_tref[k]),
            seg_rate[:, k],
            method,
            rtol,
            atol,
            batched,
        )
        out[:, lo:hi, :] = seg
        n_rhs += evals
    # output at a time before the first dose keeps zeros; a bolus exactly at t_eval[-1]:
    for dose in doses:
        if dose.duration_h == 0.0 and dose.time_h == t_eval[-1]:
            out[:, -1, VENOUS] += dose.amount_mg
    dosed = sum((d.given_by(t_eval) for d in doses), np.zeros((n_s, t_eval.size)))
    return Solution(t_eval, out, dosed, n_rhs, method, rtol, atol)


def dosing_segments(
    doses: Sequence[Dose],
    t_eval: FloatArray,
    clock: Clock,
    n_s: int,
    extra_cuts: Sequence[float] = (),
) -> tuple[NDArray[Any], ...]:
    """Cut the time axis at every dose start and infusion end (and at ``extra_cuts``, h).

    Returns per segment k: start and end times (h), the uptake-clock reference time (h), the
    infusion rate (mg/h, per subject), the bolus given at its start (mg, per subject) and the
    slice ``lo:hi`` of output times it covers (its end belongs to it only for the last one).
    """
    first = min(d.time_h for d in doses)
    cuts = {float(t_eval[0]), float(t_eval[-1]), *(float(c) for c in extra_cuts)}
    for dose in doses:
        cuts.add(dose.time_h)
        if dose.duration_h > 0.0:
            cuts.add(dose.time_h + dose.duration_h)
    edges = sorted(c for c in cuts if t_eval[0] <= c <= t_eval[-1])
    n_seg = len(edges) - 1
    seg_a, seg_b, seg_tref = np.zeros(n_seg), np.zeros(n_seg), np.zeros(n_seg)
    seg_rate, seg_bolus = np.zeros((n_s, n_seg)), np.zeros((n_s, n_seg))
    seg_lo, seg_hi = np.zeros(n_seg, dtype=np.int64), np.zeros(n_seg, dtype=np.int64)
    for k, (a, b) in enumerate(itertools.pairwise(edges)):
        seg_a[k], seg_b[k] = a, b
        for dose in doses:
            if dose.duration_h == 0.0 and dose.time_h == a:
                seg_bolus[:, k] += dose.amount_mg
            end = dose.time_h + dose.duration_h
            if dose.duration_h > 0.0 and dose.time_h <= a < end:
                # over the cut's own (rounded) length, so that exactly the amount goes in
                seg_rate[:, k] += dose.amount_mg / (end - dose.time_h)
        started = [d.time_h for d in doses if d.time_h <= a]
        seg_tref[k] = first if clock == "absolute" or not started else max(started)
        last = k == n_seg - 1
        inside = np.flatnonzero((t_eval >= a) & ((t_eval <= b) if last else (t_eval < b)))
        seg_lo[k] = inside[0] if inside.size else 0
        seg_hi[k] = inside[-1] + 1 if inside.size else 0
    return seg_a, seg_b, seg_tref, seg_rate, seg_bolus, seg_lo, seg_hi


def _segment(
    topology: Topology,
    params: PkParameters,
    y0: FloatArray,
    a: float,
    b: float,
    t_out: FloatArray,
    t_ref: float,
    rate: FloatArray,
    method: str,
    rtol: float,
    atol: float,
    batched: bool,
) -> tuple[FloatArray, FloatArray, int]:
    """Solve one segment without events; return the end state, the outputs and RHS calls."""
    n_s = y0.shape[0]
    if batched:
        return _solve_block(topology, params, y0, a, b, t_out, t_ref, rate, method, rtol, atol)
    ends, segs, total = [], [], 0
    for i in range(n_s):
        sub = _subset(params, i)
        y_end, seg, evals = _solve_block(
            topology, sub, y0[i : i + 1], a, b, t_out, t_ref, rate[i : i + 1], method, rtol, atol
        )
        ends.append(y_end)
        segs.append(seg)
        total += evals
    return np.concatenate(ends), np.concatenate(segs), total


def _solve_block(
    topology: Topology,
    params: PkParameters,
    y0: FloatArray,
    a: float,
    b: float,
    t_out: FloatArray,
    t_ref: float,
    rate: FloatArray,
    method: str,
    rtol: float,
    atol: float,
) -> tuple[FloatArray, FloatArray, int]:
    n_s, n = y0.shape
    block_cols = np.tile(np.arange(n), n_s * n) + np.repeat(np.arange(n_s) * n, n * n)
    indptr = np.arange(0, n_s * n * n + 1, n)

    def fun(t: float, flat: FloatArray) -> FloatArray:
        return rhs(topology, params, t - t_ref, flat.reshape(n_s, n), rate).ravel()

    def jac(t: float, flat: FloatArray) -> FloatArray | csr_matrix:
        blocks = jacobian(topology, params, t - t_ref, flat.reshape(n_s, n))
        if n_s == 1:
            return blocks[0]
        return csr_matrix((blocks.ravel(), block_cols, indptr), shape=(n_s * n, n_s * n))

    # always ask for b too: its column is the state the next segment starts from
    keep_end = bool(t_out.size) and t_out[-1] == b
    t_in = t_out if keep_end else np.append(t_out, b)
    sol = solve_ivp(
        fun, (a, b), y0.ravel(), method=method, t_eval=t_in, jac=jac, rtol=rtol, atol=atol
    )
    if sol.status != 0:
        raise RuntimeError(f"the PBPK solver failed between {a} h and {b} h: {sol.message}")
    states = sol.y.reshape(n_s, n, -1).transpose(0, 2, 1)
    y_end = states[:, -1, :].copy()
    seg = states if keep_end else states[:, :-1, :]
    return y_end, seg, int(sol.nfev)


def _subset(params: PkParameters, i: int) -> PkParameters:
    fields = {name: getattr(params, name)[i : i + 1] for name in params.__dataclass_fields__}
    return PkParameters(**fields)
