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
interpolation on :math:`y_n, f_n, y_{n+1}, f_{n+1}`. :math:`\tfrac{1}{h\gamma} I - J` is
strictly column diagonally dominant (every column of the transfer matrix sums to zero with a
non-positive diagonal and non-negative off-diagonal entries, which the capacity law keeps), so
its LU factorisation needs no pivoting. Rosenbrock stages and Hermite interpolation conserve
linear invariants, so total mass is conserved to rounding.

Units: h, mg, L as in :mod:`nanocloak.kernels.pk.model`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

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

#: Columns of the per-subject statistics array.
STAT_RHS, STAT_STEPS, STAT_REJECTED, STAT_FAILED = 0, 1, 2, 3


def hill_rate(tau_h: float, k_max: float, k50_h: float, hill_n: float) -> tuple[float, float]:
    """Hill-in-time rate K (1/h) and its time derivative dK/dtau (1/h²); both 0 at tau <= 0."""
    if tau_h <= 0.0:
        return 0.0, 0.0
    q = k50_h / tau_h
    if q <= 1.0:
        r = q**hill_n
    else:
        log_r = hill_n * math.log(q)
        if log_r > 700.0:
            return 0.0, 0.0
        r = math.exp(log_r)
    k = k_max / (1.0 + r)
    return k, k_max * hill_n * r / (tau_h * (1.0 + r) * (1.0 + r))


def hill_into(
    k_up: FloatArray,
    dk_up: FloatArray,
    tau_h: float,
    s: int,
    hill_kmax: FloatArray,
    hill_k50: FloatArray,
    hill_n: FloatArray,
) -> None:
    """Hill-in-time rates (1/h) and their time derivatives (1/h²) of subject s at ``tau_h``."""
    for h in range(k_up.shape[0]):
        k_up[h], dk_up[h] = hill_rate(tau_h, hill_kmax[s, h], hill_k50[s, h], hill_n[s, h])


def rhs_into(
    dy: FloatArray,
    y: FloatArray,
    k_hill: FloatArray,
    rate: float,
    s: int,
    nz_row: IntArray,
    nz_col: IntArray,
    m0: FloatArray,
    hill_src: IntArray,
    hill_res: IntArray,
    cap_src: IntArray,
    cap_res: IntArray,
    cap_kmax: FloatArray,
    cap_mg: FloatArray,
    venous: int,
) -> None:
    """Write dy/dt (mg/h) of subject ``s`` into ``dy``, given its Hill rates ``k_hill`` (1/h)."""
    for i in range(dy.shape[0]):
        dy[i] = 0.0
    for k in range(nz_row.shape[0]):
        dy[nz_row[k]] += m0[s, k] * y[nz_col[k]]
    for h in range(hill_src.shape[0]):
        flux = k_hill[h] * y[hill_src[h]]
        dy[hill_res[h]] += flux
        dy[hill_src[h]] -= flux
    for c in range(cap_src.shape[0]):
        kup = cap_kmax[s, c] * max(0.0, 1.0 - y[cap_res[c]] / cap_mg[s, c])
        flux = kup * y[cap_src[c]]
        dy[cap_res[c]] += flux
        dy[cap_src[c]] -= flux
    dy[venous] += rate


def jacobian_into(
    jac_t: FloatArray,
    dfdt: FloatArray,
    y: FloatArray,
    k_hill: FloatArray,
    dk_hill: FloatArray,
    s: int,
    nz_row: IntArray,
    nz_col: IntArray,
    m0: FloatArray,
    hill_src: IntArray,
    hill_res: IntArray,
    cap_src: IntArray,
    cap_res: IntArray,
    cap_kmax: FloatArray,
    cap_mg: FloatArray,
) -> None:
    """Write the *transposed* Jacobian ``jac_t[k, j] = d f_j / d y_k`` (1/h) and d f/d t (mg/h²).

    Transposed (column-major) storage makes every update of the LU factorisation and of the
    triangular solves a contiguous, vectorisable ``axpy``.
    """
    n = y.shape[0]
    for i in range(n):
        dfdt[i] = 0.0
        for j in range(n):
            jac_t[i, j] = 0.0
    for k in range(nz_row.shape[0]):
        jac_t[nz_col[k], nz_row[k]] += m0[s, k]
    for h in range(hill_src.shape[0]):
        src, res = hill_src[h], hill_res[h]
        jac_t[src, res] += k_hill[h]
        jac_t[src, src] -= k_hill[h]
        dfdt[res] += dk_hill[h] * y[src]
        dfdt[src] -= dk_hill[h] * y[src]
    for c in range(cap_src.shape[0]):
        src, res = cap_src[c], cap_res[c]
        cap = cap_mg[s, c]
        kup = cap_kmax[s, c] * max(0.0, 1.0 - y[res] / cap)
        jac_t[src, res] += kup
        jac_t[src, src] -= kup
        if y[res] < cap:  # d(flux)/d y_res = -K_max / A_cap * y_src while not full
            d_flux = -cap_kmax[s, c] / cap * y[src]
            jac_t[res, res] += d_flux
            jac_t[res, src] -= d_flux


def lu_in_place(w_t: FloatArray, rows: IntArray) -> bool:
    """LU factorisation without pivoting of W, stored transposed (``w_t[j, i] = W[i, j]``).

    On return ``w_t[j, i]`` holds L[i, j] (i > j, unit diagonal implied) and U[j, i] (i <= j)
    transposed likewise. Only the non-zero multipliers of each pivot column (collected in the
    work array ``rows``) and the non-zero entries of each pivot row are touched, so the sparse
    transfer matrix costs little. Returns False on a non-positive or non-finite pivot (never
    for the column diagonally dominant matrices used here).
    """
    n = w_t.shape[0]
    for k in range(n):
        piv = w_t[k, k]
        if not piv > 0.0 or not math.isfinite(piv):
            return False
        inv = 1.0 / piv
        n_rows = 0
        for i in range(k + 1, n):
            if w_t[k, i] != 0.0:
                w_t[k, i] *= inv
                rows[n_rows] = i
                n_rows += 1
        if n_rows == 0:
            continue
        for j in range(k + 1, n):
            ukj = w_t[j, k]
            if ukj != 0.0:
                for r in range(n_rows):
                    i = rows[r]
                    w_t[j, i] -= w_t[k, i] * ukj
    return True


def compress(
    w_t: FloatArray,
    l_ptr: IntArray,
    l_idx: IntArray,
    l_val: FloatArray,
    u_ptr: IntArray,
    u_idx: IntArray,
    u_val: FloatArray,
    u_diag: FloatArray,
) -> None:
    """Store the non-zeros of each column of L and U (from :func:`lu_in_place`) compactly."""
    n = w_t.shape[0]
    nl, nu = 0, 0
    for j in range(n):
        l_ptr[j] = nl
        u_ptr[j] = nu
        for i in range(j + 1, n):
            v = w_t[j, i]
            if v != 0.0:
                l_idx[nl] = i
                l_val[nl] = v
                nl += 1
        for i in range(j):
            v = w_t[j, i]
            if v != 0.0:
                u_idx[nu] = i
                u_val[nu] = v
                nu += 1
        u_diag[j] = 1.0 / w_t[j, j]
    l_ptr[n] = nl
    u_ptr[n] = nu


def lu_solve_in_place(
    b: FloatArray,
    l_ptr: IntArray,
    l_idx: IntArray,
    l_val: FloatArray,
    u_ptr: IntArray,
    u_idx: IntArray,
    u_val: FloatArray,
    u_diag: FloatArray,
) -> None:
    """Solve ``W x = b`` in place with the compressed factors from :func:`compress`."""
    n = b.shape[0]
    for j in range(n):
        bj = b[j]
        if bj != 0.0:
            for p in range(l_ptr[j], l_ptr[j + 1]):
                b[l_idx[p]] -= l_val[p] * bj
    for j in range(n - 1, -1, -1):
        bj = b[j] * u_diag[j]
        b[j] = bj
        if bj != 0.0:
            for p in range(u_ptr[j], u_ptr[j + 1]):
                b[u_idx[p]] -= u_val[p] * bj


def solve_subject(
    s: int,
    nz_row: IntArray,
    nz_col: IntArray,
    m0: FloatArray,
    hill_src: IntArray,
    hill_res: IntArray,
    hill_kmax: FloatArray,
    hill_k50: FloatArray,
    hill_n: FloatArray,
    cap_src: IntArray,
    cap_res: IntArray,
    cap_kmax: FloatArray,
    cap_mg: FloatArray,
    venous: int,
    seg_a: FloatArray,
    seg_b: FloatArray,
    seg_tref: FloatArray,
    seg_rate: FloatArray,
    seg_bolus: FloatArray,
    seg_lo: IntArray,
    seg_hi: IntArray,
    t_eval: FloatArray,
    rtol: float,
    atol: float,
    out: FloatArray,
    stats: NDArray[np.int64],
) -> None:
    """Integrate subject ``s`` over every segment; write ``out[s]`` and ``stats[s]``."""
    n = out.shape[2]
    y = np.zeros(n)
    y_new = np.zeros(n)
    y_stage = np.zeros(n)
    f0 = np.zeros(n)
    f1 = np.zeros(n)
    dfdt = np.zeros(n)
    jac = np.zeros((n, n))
    w = np.zeros((n, n))
    ks = np.zeros((STAGES, n))
    rows = np.zeros(n, dtype=np.int64)
    l_ptr, u_ptr = np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    l_idx, u_idx = np.zeros(n * n, dtype=np.int64), np.zeros(n * n, dtype=np.int64)
    l_val, u_val, u_diag = np.zeros(n * n), np.zeros(n * n), np.zeros(n)
    c_h = np.zeros(STAGES - 1)
    n_hill = hill_src.shape[0]
    k0, dk0 = np.zeros(n_hill), np.zeros(n_hill)  # Hill rates at the step start
    k_end, dk_end = np.zeros(n_hill), np.zeros(n_hill)  # ... at its end (stages 5, 6, f1)
    k_mid = np.zeros(n_hill)  # ... at stages 2-4
    n_rhs, n_steps, n_rej = 0, 0, 0
    for seg in range(seg_a.shape[0]):
        a, b, t_ref, rate = seg_a[seg], seg_b[seg], seg_tref[seg], seg_rate[s, seg]
        y[venous] += seg_bolus[s, seg]
        i_out = seg_lo[seg]
        while i_out < seg_hi[seg] and t_eval[i_out] <= a:
            for i in range(n):
                out[s, i_out, i] = y[i]
            i_out += 1
        t = a
        hill_into(k0, dk0, t - t_ref, s, hill_kmax, hill_k50, hill_n)
        rhs_into(
            f0,
            y,
            k0,
            rate,
            s,
            nz_row,
            nz_col,
            m0,
            hill_src,
            hill_res,
            cap_src,
            cap_res,
            cap_kmax,
            cap_mg,
            venous,
        )
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
            jacobian_into(
                jac,
                dfdt,
                y,
                k0,
                dk0,
                s,
                nz_row,
                nz_col,
                m0,
                hill_src,
                hill_res,
                cap_src,
                cap_res,
                cap_kmax,
                cap_mg,
            )
            accepted = False
            while not accepted:
                n_steps += 1
                inv = 1.0 / (h * GAMMA)
                for i in range(n):
                    for j in range(n):
                        w[i, j] = -jac[i, j]
                    w[i, i] += inv
                err = math.inf
                if lu_in_place(w, rows):
                    compress(w, l_ptr, l_idx, l_val, u_ptr, u_idx, u_val, u_diag)
                    for st in range(STAGES):
                        if st == 0:
                            for i in range(n):
                                ks[0, i] = f0[i]
                        else:
                            for i in range(n):
                                acc = y[i]
                                for j in range(st):
                                    acc += A[st, j] * ks[j, i]
                                y_stage[i] = acc
                            if ALPHA[st] == 1.0:  # stages 5 and 6 of Rodas4 lie at t + h
                                if ALPHA[st - 1] != 1.0:
                                    t_end = b if last else t + h
                                    hill_into(
                                        k_end, dk_end, t_end - t_ref, s, hill_kmax, hill_k50, hill_n
                                    )
                                rhs_into(
                                    ks[st],
                                    y_stage,
                                    k_end,
                                    rate,
                                    s,
                                    nz_row,
                                    nz_col,
                                    m0,
                                    hill_src,
                                    hill_res,
                                    cap_src,
                                    cap_res,
                                    cap_kmax,
                                    cap_mg,
                                    venous,
                                )
                            else:
                                tau_st = t + ALPHA[st] * h - t_ref
                                for q in range(n_hill):  # rate only: no derivative needed
                                    k_mid[q], _ = hill_rate(
                                        tau_st, hill_kmax[s, q], hill_k50[s, q], hill_n[s, q]
                                    )
                                rhs_into(
                                    ks[st],
                                    y_stage,
                                    k_mid,
                                    rate,
                                    s,
                                    nz_row,
                                    nz_col,
                                    m0,
                                    hill_src,
                                    hill_res,
                                    cap_src,
                                    cap_res,
                                    cap_kmax,
                                    cap_mg,
                                    venous,
                                )
                            n_rhs += 1
                        hg = h * GAMMA_I[st]
                        for j in range(st):
                            c_h[j] = C[st, j] / h
                        for i in range(n):
                            acc = ks[st, i] + hg * dfdt[i]
                            for j in range(st):
                                acc += c_h[j] * ks[j, i]
                            ks[st, i] = acc
                        lu_solve_in_place(ks[st], l_ptr, l_idx, l_val, u_ptr, u_idx, u_val, u_diag)
                    total = 0.0
                    for i in range(n):
                        acc, e = y[i], 0.0
                        for j in range(STAGES):
                            acc += M[j] * ks[j, i]
                            e += E[j] * ks[j, i]
                        y_new[i] = acc
                        sc = atol + rtol * max(abs(y[i]), abs(acc))
                        total += (e / sc) ** 2
                    err = max(math.sqrt(total / n), 1e-10)
                if err <= 1.0:  # accept
                    accepted = True
                    t_new = b if last else t + h
                    rhs_into(
                        f1,
                        y_new,
                        k_end,
                        rate,
                        s,
                        nz_row,
                        nz_col,
                        m0,
                        hill_src,
                        hill_res,
                        cap_src,
                        cap_res,
                        cap_kmax,
                        cap_mg,
                        venous,
                    )
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
    nz_row: IntArray,
    nz_col: IntArray,
    m0: FloatArray,
    hill_src: IntArray,
    hill_res: IntArray,
    hill_kmax: FloatArray,
    hill_k50: FloatArray,
    hill_n: FloatArray,
    cap_src: IntArray,
    cap_res: IntArray,
    cap_kmax: FloatArray,
    cap_mg: FloatArray,
    venous: int,
    seg_a: FloatArray,
    seg_b: FloatArray,
    seg_tref: FloatArray,
    seg_rate: FloatArray,
    seg_bolus: FloatArray,
    seg_lo: IntArray,
    seg_hi: IntArray,
    t_eval: FloatArray,
    rtol: float,
    atol: float,
    out: FloatArray,
    stats: NDArray[np.int64],
) -> None:
    """Solve every subject (in parallel over subjects when compiled with numba)."""
    for s in prange(m0.shape[0]):
        solve_subject(
            s,
            nz_row,
            nz_col,
            m0,
            hill_src,
            hill_res,
            hill_kmax,
            hill_k50,
            hill_n,
            cap_src,
            cap_res,
            cap_kmax,
            cap_mg,
            venous,
            seg_a,
            seg_b,
            seg_tref,
            seg_rate,
            seg_bolus,
            seg_lo,
            seg_hi,
            t_eval,
            rtol,
            atol,
            out,
            stats,
        )
