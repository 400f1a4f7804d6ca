r"""Rodas4 stepping of the PBPK model, written so that numba can compile it (plain loops).

Every function here runs as ordinary Python too (slowly); :mod:`nanocloak.kernels.pk.fast`
compiles them with numba when it is installed. The model is

.. math:: \dot y = M_0 y + \sum_{hill} K_h(\tau)\,(e_r - e_s)\,y_s
          + \sum_{cap} K_{max}\max(0, 1 - y_r/A_{cap})\,(e_r - e_s)\,y_s + u\,e_{AV}

with :math:`M_0` the constant part of the transfer matrix (flows, permeation, release,
excretion, constant-law uptake), ``s``/``r`` the source and phagocyte states of an organ, and
:math:`K_h(\tau) = K_{max}/(1 + (K_{50}/\tau)^n)` the Hill-in-time law (0 for
:math:`\tau \le 0`) — the same right-hand side as :func:`nanocloak.kernels.pk.model.rhs`.

Method: Rodas4, the stiffly accurate, L-stable 6-stage Rosenbrock method of order 4 with an
embedded order-3 error estimate (Hairer & Wanner, *Solving Ordinary Differential Equations
II*, 2nd ed., Springer 1996, §IV.7; coefficients as in their RODAS code), in the formulation

.. math:: (\tfrac{1}{h\gamma} I - J) K_i = f(t + \alpha_i h, y + \sum_j a_{ij} K_j)
          + \sum_j \tfrac{c_{ij}}{h} K_j + h\gamma_i\,\partial_t f,\qquad
          y_{n+1} = y_n + \sum_j m_j K_j

with the analytic Jacobian :math:`J` and time derivative :math:`\partial_t f` (Hill law).
Steps are controlled on the RMS norm of the embedded error scaled by
:math:`atol + rtol\max(|y_n|, |y_{n+1}|)`; outputs between steps use cubic Hermite
interpolation on :math:`y_n, f_n, y_{n+1}, f_{n+1}`. Rosenbrock stages and Hermite
interpolation conserve linear invariants, so total mass is conserved to rounding.

Linear algebra: :math:`W = \tfrac{1}{h\gamma} I - J` is strictly column diagonally dominant
(every column of the transfer matrix sums to zero with a non-positive diagonal and
non-negative off-diagonal entries, which the capacity law keeps), so its LU factorisation needs
no pivoting, and its sparsity pattern (with fill) is the same for every subject and step.
:mod:`~nanocloak.kernels.pk.fast` analyses it once (:func:`~nanocloak.kernels.pk.fast.lu_plan`)
into a *plan* — packed positions of the non-zeros, and the list of multiply-subtract updates
of the elimination — so a factorisation is ~100 flops instead of a dense 31 × 31 sweep.
The constant part :math:`-M_0` of :math:`W` is packed once per subject; each step adds only
:math:`1/(h\gamma)` on the diagonal and the Hill and capacity terms.

Argument bundles (tuples, so numba compiles them as records):

``model`` = ``(row_ptr, col, m0, hill_src, hill_res, hill_kmax, hill_logk50, hill_n, cap_src,
cap_res, cap_kmax, cap_mg)`` — the constant matrix in compressed rows (row i holds
``m0[s, row_ptr[i]:row_ptr[i+1]]`` at columns ``col[...]``, per subject s), and per Hill or
capacity organ its source and phagocyte states and constants (:math:`\ln K_{50}` for Hill);
``plan`` = ``(pos, diag, ptr, lower, upper, update)`` (see :func:`lu_factor`);
``schedule`` = ``(seg_a, seg_b, seg_tref, seg_rate, seg_bolus, seg_lo, seg_hi)`` from
:func:`nanocloak.kernels.pk.solve.dosing_segments`.

Units: h, mg, L as in :mod:`nanocloak.kernels.pk.model`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Bundle = tuple[Any, ...]

#: Rodas4 tableau (Hairer & Wanner 1996): gamma, alpha_i, gamma_i, a_ij, c_ij, m_j, e_j.
GAMMA = 0.25
ALPHA = np.array([0.0, 0.386, 0.21, 0.63, 1.0, 1.0])
GAMMA_I = np.array([0.25, -0.1043, 0.1035, -0.3620000000000023e-01, 0.0, 0.0])
_A51, _A52, _A53, _A54 = (
    0.1221224509226641e01,
    0.6019134481288629e01,
    0.1253708332932087e02,
    -0.6878860361058950,
)
A = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [0.1544e01, 0.0, 0.0, 0.0, 0.0],
        [0.9466785280815826, 0.2557011698983284, 0.0, 0.0, 0.0],
        [0.3314825187068521e01, 0.2896124015972201e01, 0.9986419139977817, 0.0, 0.0],
        [_A51, _A52, _A53, _A54, 0.0],
        [_A51, _A52, _A53, _A54, 1.0],
    ]
)
C = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [-0.56688e01, 0.0, 0.0, 0.0, 0.0],
        [-0.2430093356833875e01, -0.2063599157091915, 0.0, 0.0, 0.0],
        [-0.1073529058151375, -0.9594562251023355e01, -0.2047028614809616e02, 0.0, 0.0],
        [
            0.7496443313967647e01,
            -0.1024680431464352e02,
            -0.3399990352819905e02,
            0.1170890893206160e02,
            0.0,
        ],
        [
            0.8083246795921522e01,
            -0.7981132988064893e01,
            -0.3152159432874371e02,
            0.1631930543123136e02,
            -0.6058818238834054e01,
        ],
    ]
)
M = np.array([_A51, _A52, _A53, _A54, 1.0, 1.0])
E = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
STAGES = 6

#: Step-size control (as in Hairer & Wanner's codes): bounds of h_new/h, safety, rejection.
FAC_MIN, FAC_MAX, FAC_SAFE, FAC_REJECT = 0.2, 6.0, 0.9, 0.1
MAX_STEPS = 100_000
#: Segments shorter than this times max(1 h, |end|) are not integrated (e.g. a dose at
#: 1e-300 h): transport changes the state by |f| × length, below rounding; an infusion's
#: input over the segment is still added.
TINY_SEGMENT = 1e-13

#: Columns of the per-subject statistics array.
STAT_RHS, STAT_STEPS, STAT_REJECTED, STAT_FAILED = 0, 1, 2, 3


def hill_rate(
    tau_h: float, log_tau: float, k_max: float, log_k50: float, hill_n: float
) -> tuple[float, float]:
    r"""Hill-in-time rate K (1/h) and its time derivative dK/dtau (1/h²); both 0 at tau <= 0.

    .. math:: K = K_{max} / (1 + r),\quad r = (K_{50}/\tau)^n = e^{n(\ln K_{50} - \ln\tau)},
              \quad dK/d\tau = K_{max}\,n\,r / (\tau (1 + r)^2)

    Takes :math:`\ln\tau` and :math:`\ln K_{50}` (precomputed: one logarithm per stage, one
    exponential per organ).
    """
    if tau_h <= 0.0:
        return 0.0, 0.0
    log_r = hill_n * (log_k50 - log_tau)
    if log_r > 700.0:  # r overflows: the rate and its derivative are 0 in double precision
        return 0.0, 0.0
    r = math.exp(log_r)
    k = k_max / (1.0 + r)
    return k, k * hill_n * r / (tau_h * (1.0 + r))


def hill_into(k_up: FloatArray, dk_up: FloatArray, tau_h: float, s: int, model: Bundle) -> None:
    """Hill-in-time rates (1/h) and their time derivatives (1/h²) of subject s at ``tau_h``."""
    hill_kmax, hill_logk50, hill_n = model[5], model[6], model[7]
    log_tau = math.log(tau_h) if tau_h > 0.0 else 0.0
    for h in range(k_up.shape[0]):
        k_up[h], dk_up[h] = hill_rate(
            tau_h, log_tau, hill_kmax[s, h], hill_logk50[s, h], hill_n[s, h]
        )


def rhs_into(
    dy: FloatArray, y: FloatArray, k_hill: FloatArray, rate: float, s: int, model: Bundle, av: int
) -> None:
    """Write dy/dt (mg/h) of subject ``s`` into ``dy``, given its Hill rates ``k_hill`` (1/h);
    ``rate`` (mg/h) infuses into state ``av`` (the venous blood)."""
    row_ptr, col, m0, hill_src, hill_res = model[0], model[1], model[2], model[3], model[4]
    cap_src, cap_res, cap_kmax, cap_mg = model[8], model[9], model[10], model[11]
    for i in range(dy.shape[0]):
        acc = 0.0
        for k in range(row_ptr[i], row_ptr[i + 1]):
            acc += m0[s, k] * y[col[k]]
        dy[i] = acc
    for h in range(hill_src.shape[0]):
        flux = k_hill[h] * y[hill_src[h]]
        dy[hill_res[h]] += flux
        dy[hill_src[h]] -= flux
    for c in range(cap_src.shape[0]):
        kup = cap_kmax[s, c] * max(0.0, 1.0 - y[cap_res[c]] / cap_mg[s, c])
        flux = kup * y[cap_src[c]]
        dy[cap_res[c]] += flux
        dy[cap_src[c]] -= flux
    dy[av] += rate


def w_constant_into(w0: FloatArray, s: int, model: Bundle, plan: Bundle) -> None:
    """Pack :math:`-M_0` of subject ``s`` (1/h) on the plan's positions."""
    row_ptr, col, m0 = model[0], model[1], model[2]
    pos = plan[0]
    for p in range(w0.shape[0]):
        w0[p] = 0.0
    for i in range(row_ptr.shape[0] - 1):
        for k in range(row_ptr[i], row_ptr[i + 1]):
            w0[pos[i, col[k]]] -= m0[s, k]


def w_into(
    lu: FloatArray,
    w0: FloatArray,
    inv_hg: float,
    y: FloatArray,
    k_hill: FloatArray,
    s: int,
    model: Bundle,
    plan: Bundle,
) -> None:
    r"""Pack :math:`W = I/(h\gamma) - J(t, y)` (1/h) from ``w0`` = packed :math:`-M_0`.

    J adds the Hill rates ``k_hill`` and the capacity law, whose uptake flux
    :math:`K_{max}(1 - y_r/A_{cap}) y_s` also depends on :math:`y_r` while the cells are not
    full.
    """
    hill_src, hill_res = model[3], model[4]
    cap_src, cap_res, cap_kmax, cap_mg = model[8], model[9], model[10], model[11]
    pos, diag = plan[0], plan[1]
    for p in range(lu.shape[0]):
        lu[p] = w0[p]
    for i in range(diag.shape[0]):
        lu[diag[i]] += inv_hg
    for h in range(hill_src.shape[0]):
        src, res = hill_src[h], hill_res[h]
        lu[pos[res, src]] -= k_hill[h]
        lu[pos[src, src]] += k_hill[h]
    for c in range(cap_src.shape[0]):
        src, res = cap_src[c], cap_res[c]
        cap = cap_mg[s, c]
        kup = cap_kmax[s, c] * max(0.0, 1.0 - y[res] / cap)
        lu[pos[res, src]] -= kup
        lu[pos[src, src]] += kup
        if y[res] < cap:  # d(flux)/d y_res = -K_max / A_cap * y_src while not full
            d_flux = -cap_kmax[s, c] / cap * y[src]
            lu[pos[res, res]] -= d_flux
            lu[pos[src, res]] += d_flux


def dfdt_into(dfdt: FloatArray, y: FloatArray, dk_hill: FloatArray, model: Bundle) -> None:
    """Time derivative of the right-hand side at fixed y (mg/h²): the Hill terms only."""
    hill_src, hill_res = model[3], model[4]
    for i in range(dfdt.shape[0]):
        dfdt[i] = 0.0
    for h in range(hill_src.shape[0]):
        d = dk_hill[h] * y[hill_src[h]]
        dfdt[hill_res[h]] += d
        dfdt[hill_src[h]] -= d


def lu_factor(lu: FloatArray, dinv: FloatArray, plan: Bundle) -> bool:
    """LU factorisation without pivoting of the packed matrix ``lu``, in place, by the plan.

    ``plan = (pos, diag, ptr, lower, upper, update)``: ``pos[i, j]`` is the packed position of
    entry (i, j) of the pattern with fill (-1 outside), ``diag[k] = pos[k, k]``; for pivot k,
    ``lower[ptr[0, k]:ptr[0, k+1]]`` lists ``(i, pos[i, k])`` for i > k,
    ``upper[ptr[1, k]:ptr[1, k+1]]`` lists ``(j, pos[k, j])`` for j > k and
    ``update[ptr[2, k]:ptr[2, k+1]]`` lists ``(pos[i, j], pos[i, k], pos[k, j])``.
    On return ``lu`` holds L (unit diagonal implied) below and U on and above the diagonal, and
    ``dinv`` the reciprocal pivots. Returns False on a non-positive or non-finite pivot (never
    for the column diagonally dominant matrices used here).
    """
    diag, ptr, lower, update = plan[1], plan[2], plan[3], plan[5]
    for k in range(diag.shape[0]):
        piv = lu[diag[k]]
        if not piv > 0.0 or not math.isfinite(piv):
            return False
        inv = 1.0 / piv
        dinv[k] = inv
        for p in range(ptr[0, k], ptr[0, k + 1]):
            lu[lower[p, 1]] *= inv
        for p in range(ptr[2, k], ptr[2, k + 1]):
            lu[update[p, 0]] -= lu[update[p, 1]] * lu[update[p, 2]]
    return True


def lu_solve(b: FloatArray, lu: FloatArray, dinv: FloatArray, plan: Bundle) -> None:
    """Solve ``W x = b`` in place with the factors from :func:`lu_factor`."""
    ptr, lower, upper = plan[2], plan[3], plan[4]
    n = b.shape[0]
    for k in range(n):  # L z = b, column by column
        bk = b[k]
        if bk != 0.0:
            for p in range(ptr[0, k], ptr[0, k + 1]):
                b[lower[p, 0]] -= lu[lower[p, 1]] * bk
    for k in range(n - 1, -1, -1):  # U x = z, row by row
        acc = b[k]
        for p in range(ptr[1, k], ptr[1, k + 1]):
            acc -= lu[upper[p, 1]] * b[upper[p, 0]]
        b[k] = acc * dinv[k]


def solve_subject(
    s: int,
    model: Bundle,
    plan: Bundle,
    av: int,
    schedule: Bundle,
    t_eval: FloatArray,
    rtol: float,
    atol: float,
    out: FloatArray,
    stats: NDArray[np.int64],
) -> None:
    """Integrate subject ``s`` over every segment; write ``out[s]`` and ``stats[s]``."""
    seg_a, seg_b, seg_tref, seg_rate, seg_bolus, seg_lo, seg_hi = schedule
    hill_kmax, hill_logk50, hill_n = model[5], model[6], model[7]
    n = out.shape[2]
    n_packed = plan[1].shape[0] + plan[3].shape[0] + plan[4].shape[0]
    y, y_new, y_stage = np.zeros(n), np.zeros(n), np.zeros(n)
    f0, f1, dfdt = np.zeros(n), np.zeros(n), np.zeros(n)
    ks = np.zeros((STAGES, n))
    w0, lu, dinv = np.zeros(n_packed), np.zeros(n_packed), np.zeros(n)
    n_hill = model[3].shape[0]
    k0, dk0 = np.zeros(n_hill), np.zeros(n_hill)  # Hill rates at the step start
    k_end, dk_end = np.zeros(n_hill), np.zeros(n_hill)  # ... at its end (stages 5, 6, f1)
    k_mid = np.zeros(n_hill)  # ... at stages 2-4
    w_constant_into(w0, s, model, plan)
    n_rhs, n_steps, n_rej = 0, 0, 0
    for seg in range(seg_a.shape[0]):
        a, b, t_ref, rate = seg_a[seg], seg_b[seg], seg_tref[seg], seg_rate[s, seg]
        y[av] += seg_bolus[s, seg]
        i_out = seg_lo[seg]
        while i_out < seg_hi[seg] and t_eval[i_out] <= a:
            for i in range(n):
                out[s, i_out, i] = y[i]
            i_out += 1
        if b - a <= TINY_SEGMENT * max(1.0, abs(b)):
            y[av] += rate * (b - a)  # the infusion's input still counts; transport does not
            while i_out < seg_hi[seg]:
                for i in range(n):
                    out[s, i_out, i] = y[i]
                i_out += 1
            continue
        t = a
        hill_into(k0, dk0, t - t_ref, s, model)
        rhs_into(f0, y, k0, rate, s, model, av)
        n_rhs += 1
        # first step: 1 % of the time y changes by its own size (Hairer & Wanner's heuristic)
        d0, d1 = 0.0, 0.0
        for i in range(n):
            sc = atol + rtol * abs(y[i])
            d0 += (y[i] / sc) ** 2
            d1 += (f0[i] / sc) ** 2
        h = 1e-6 if d0 < 1e-10 or d1 < 1e-10 else 0.01 * math.sqrt(d0 / d1)
        h = min(max(h, 1e-10), b - a)
        reject_last, reject_more = False, False
        while t < b:
            if n_steps > MAX_STEPS:
                stats[s, STAT_FAILED] = 1
                return
            last = h >= (b - t) * (1.0 - 1e-12)
            if last:
                h = b - t
            dfdt_into(dfdt, y, dk0, model)
            accepted = False
            while not accepted:
                n_steps += 1
                w_into(lu, w0, 1.0 / (h * GAMMA), y, k0, s, model, plan)
                err = math.inf
                if lu_factor(lu, dinv, plan):
                    for st in range(STAGES):
                        if st == 0:
                            for i in range(n):
                                ks[0, i] = f0[i]
                        else:
                            if st == STAGES - 1:  # a_6j = a_5j + [j = 5] (stiffly accurate)
                                for i in range(n):
                                    y_stage[i] += ks[st - 1, i]
                            else:
                                for i in range(n):
                                    y_stage[i] = y[i]
                                for j in range(st):
                                    a_sj = A[st, j]
                                    if a_sj != 0.0:
                                        for i in range(n):
                                            y_stage[i] += a_sj * ks[j, i]
                            if ALPHA[st] == 1.0:  # stages 5 and 6 of Rodas4 lie at t + h
                                if ALPHA[st - 1] != 1.0:
                                    t_end = b if last else t + h
                                    hill_into(k_end, dk_end, t_end - t_ref, s, model)
                                rhs_into(ks[st], y_stage, k_end, rate, s, model, av)
                            else:
                                tau_st = t + ALPHA[st] * h - t_ref
                                log_tau = math.log(tau_st) if tau_st > 0.0 else 0.0
                                for q in range(n_hill):  # rate only: no derivative needed
                                    k_mid[q], _ = hill_rate(
                                        tau_st,
                                        log_tau,
                                        hill_kmax[s, q],
                                        hill_logk50[s, q],
                                        hill_n[s, q],
                                    )
                                rhs_into(ks[st], y_stage, k_mid, rate, s, model, av)
                            n_rhs += 1
                        hg = h * GAMMA_I[st]
                        if hg != 0.0:
                            for i in range(n):
                                ks[st, i] += hg * dfdt[i]
                        for j in range(st):
                            c_sj = C[st, j] / h
                            for i in range(n):
                                ks[st, i] += c_sj * ks[j, i]
                        lu_solve(ks[st], lu, dinv, plan)
                    # y_new = y_stage6 + K_6 (m_j = a_6j + [j = 6]); the embedded error is K_6
                    total = 0.0
                    for i in range(n):
                        e = ks[STAGES - 1, i]
                        y_new[i] = y_stage[i] + e
                        sc = atol + rtol * max(abs(y[i]), abs(y_new[i]))
                        total += (e / sc) ** 2
                    err = max(math.sqrt(total / n), 1e-10)
                if err <= 1.0:  # accept
                    accepted = True
                    t_new = b if last else t + h
                    rhs_into(f1, y_new, k_end, rate, s, model, av)
                    n_rhs += 1
                    while i_out < seg_hi[seg] and t_eval[i_out] <= t_new:
                        if t_eval[i_out] >= t_new:
                            for i in range(n):
                                out[s, i_out, i] = y_new[i]
                        else:  # cubic Hermite on y, f at both ends of the step
                            th = (t_eval[i_out] - t) / h
                            h00 = (1.0 + 2.0 * th) * (1.0 - th) ** 2
                            h10 = th * (1.0 - th) ** 2 * h
                            h01 = th * th * (3.0 - 2.0 * th)
                            h11 = th * th * (th - 1.0) * h
                            for i in range(n):
                                out[s, i_out, i] = (
                                    h00 * y[i] + h10 * f0[i] + h01 * y_new[i] + h11 * f1[i]
                                )
                        i_out += 1
                    fac = min(FAC_MAX, max(FAC_MIN, FAC_SAFE * err**-0.25))
                    if reject_last:
                        fac = min(fac, 1.0)
                    t = t_new
                    for i in range(n):
                        y[i] = y_new[i]
                        f0[i] = f1[i]
                    for i in range(n_hill):
                        k0[i] = k_end[i]
                        dk0[i] = dk_end[i]
                    h *= fac
                    reject_last, reject_more = False, False
                else:  # reject
                    n_rej += 1
                    if reject_more or not math.isfinite(err):
                        h *= FAC_REJECT
                    else:
                        h *= min(1.0, max(FAC_MIN, FAC_SAFE * err**-0.25))
                    reject_more = reject_last
                    reject_last = True
                    last = False
                    if h < 1e-14 * max(1.0, abs(t)):
                        stats[s, STAT_FAILED] = 1
                        return
    stats[s, STAT_RHS] = n_rhs
    stats[s, STAT_STEPS] = n_steps
    stats[s, STAT_REJECTED] = n_rej


def prange(n: int) -> range:
    """Serial stand-in for ``numba.prange`` (replaced by it when compiled)."""
    return range(n)


def solve_batch(
    model: Bundle,
    plan: Bundle,
    av: int,
    schedule: Bundle,
    t_eval: FloatArray,
    rtol: float,
    atol: float,
    out: FloatArray,
    stats: NDArray[np.int64],
) -> None:
    """Solve every subject (in parallel over subjects when compiled with numba)."""
    for s in prange(model[2].shape[0]):
        solve_subject(s, model, plan, av, schedule, t_eval, rtol, atol, out, stats)
