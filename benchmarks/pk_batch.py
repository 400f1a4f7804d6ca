"""Batch PBPK benchmark: the compiled Rodas4 batch solver against a loop of ``solve_ivp(LSODA)``.

Draws N virtual mice (default 1,000) log-uniformly within the knowledge-base literature ranges
(``low``-``high``) of every ranged mouse parameter (seeded), builds their model with
:func:`nanocloak.workflows.simulate_pk.build_model`, gives each a 5 mg/kg IV bolus and solves
168 h with outputs every hour in the default (physiological) mode:

* **fast**: :func:`nanocloak.kernels.pk.fast.simulate_fast` (compiled Rodas4 per subject,
  analytic Jacobian, sparse LU with a shared plan, subjects in parallel on all cores; the
  scipy BDF path without numba). Timed three times, before, between and after the baselines
  (the machine may be shared), and the median is used;
* **LSODA loop, lean numpy RHS** (the baseline of the ratio): ``scipy.integrate.solve_ivp(
  method="LSODA")`` subject by subject, over all N subjects, with a minimal numpy right-hand
  side (one precomputed constant matrix per subject plus the Hill terms) and its Jacobian —
  the strongest plain scipy loop;
* **LSODA loop, model RHS**: the same loop with the project's general right-hand side
  (:func:`nanocloak.kernels.pk.solve.simulate`, ``batched=False``), which rebuilds the transfer
  matrix in Python at every call; over ``--model-rhs-subjects`` subjects (it is ~20x slower).

All run at the same tolerances (``--rtol``, ``--atol`` × dose). Accuracy: the first ``--check``
subjects against a tight reference (Radau, rtol 1e-11); the issue's criterion is 1e-4 relative.
Outputs compared are what the model reports per organ: the amount in each organ (capillary
blood + tissue + phagocytes), arterial and venous blood, urine and bile, at every output time;
the relative difference is :math:`|a-b|/\\max(|b|, 10^{-9}\\,\\text{dose})` (the floor only
avoids 0/0 before anything reaches a compartment).

Where the time goes: the phases of the fast path (Python setup, compiled kernel, output
assembly), the kernel's work counts (steps, rejections, right-hand sides, factorisations,
solves) and the measured cost of each compiled component, timed alone in a compiled loop on one
core, times its count — next to the measured one-thread kernel time; and the parallel speed-up
of the kernel on all cores. For the LSODA loop, the share of time in the user right-hand side
and Jacobian versus scipy's own machinery.

Run: ``.venv/bin/python benchmarks/pk_batch.py [--subjects N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from nanocloak.kernels.pk import rodas
from nanocloak.kernels.pk.fast import (
    SERIAL_BELOW,
    compiled_kernel,
    kernel_arrays,
    numba_available,
    simulate_fast,
)
from nanocloak.kernels.pk.model import VENOUS, PkParameters, Topology, system_matrix
from nanocloak.kernels.pk.solve import Dose, dosing_segments, simulate
from nanocloak.kernels.pk.uptake import HILL, LAW_CODES
from nanocloak.knowledge import pbpk
from nanocloak.workflows.simulate_pk import build_model, model_defaults

FloatArray = NDArray[np.float64]
DOSE_MG_PER_KG = 5.0


def virtual_mice(n: int, seed: int) -> tuple[Topology, PkParameters, FloatArray, list[str]]:
    """N mice with every ranged knowledge-base parameter drawn log-uniformly in its range."""
    defaults = model_defaults("mouse")
    ranges = {
        key: value.bounds(pbpk.FIELD_UNITS[key.rsplit(".", 1)[-1]])
        for key, value in defaults.items()
        if value.is_range
    }
    rng = np.random.default_rng(seed)
    sets = [
        {k: float(np.exp(rng.uniform(np.log(lo), np.log(hi)))) for k, (lo, hi) in ranges.items()}
        for _ in range(n)
    ]
    model = build_model("mouse", sets)
    dose = DOSE_MG_PER_KG * model.derived["body_weight_kg"]
    return model.topology, model.parameters, dose, sorted(ranges)


def organ_outputs(topology: Topology, y: FloatArray) -> FloatArray:
    """Organ amounts (b + t + RES), arterial, venous, urine, bile: ``(..., n_organs + 4)``."""
    organs = [
        y[..., topology.blood(i) : topology.res(i) + 1].sum(axis=-1)
        for i in range(topology.n_organs)
    ]
    central = [y[..., 0], y[..., VENOUS], y[..., topology.urine], y[..., topology.bile]]
    return np.stack(organs + central, axis=-1)


def max_rel_diff(topology: Topology, a: FloatArray, b: FloatArray, dose: FloatArray) -> float:
    """Largest relative difference of the organ outputs of two ``(subj, t, state)`` arrays."""
    oa, ob = organ_outputs(topology, a), organ_outputs(topology, b)
    floor = 1e-9 * dose[:, None, None]
    return float(np.max(np.abs(oa - ob) / np.maximum(np.abs(ob), floor)))


class Timer:
    """Accumulates the time spent inside wrapped callables (the user RHS and Jacobian)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    def wrap(self, func: Callable[..., FloatArray]) -> Callable[..., FloatArray]:
        def timed(*args: Any) -> FloatArray:
            start = time.perf_counter()
            try:
                return func(*args)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1

        return timed


def lean_lsoda_loop(
    topology: Topology,
    params: PkParameters,
    dose: FloatArray,
    t_eval: FloatArray,
    rtol: float,
    atol: float,
    timer: Timer | None = None,
) -> FloatArray:
    """``solve_ivp(LSODA)`` per subject with a minimal numpy RHS and Jacobian (bolus at 0)."""
    laws = np.array(topology.uptake_law)
    if not np.all(np.isin(laws, (HILL, LAW_CODES["none"], LAW_CODES["constant"]))):
        raise ValueError("the lean baseline handles the Hill, constant and no-uptake laws only")
    hill = np.flatnonzero(laws == HILL)
    k_max = np.where((laws == HILL)[None, :], 0.0, params.k_max_per_h)
    m0 = system_matrix(
        topology,
        PkParameters(**{**_fields(params), "k_max_per_h": k_max}),
        0.0,
        np.zeros((params.n_subjects, topology.n_states)),
    )
    src = np.array(
        [
            topology.blood(i) if topology.uptake_from_blood[i] else topology.tissue(i)
            for i in hill.tolist()
        ]
    )
    res = np.array([topology.res(i) for i in hill.tolist()])
    out = np.zeros((params.n_subjects, t_eval.size, topology.n_states))
    for s in range(params.n_subjects):
        m, kmax, k50 = m0[s], params.k_max_per_h[s, hill], params.k50_h[s, hill]
        n = params.hill_n[s, hill]

        def k_up(
            t: float, kmax: FloatArray = kmax, k50: FloatArray = k50, n: FloatArray = n
        ) -> FloatArray:
            if t <= 0.0:
                return np.zeros_like(kmax)
            with np.errstate(over="ignore"):
                return np.asarray(kmax / (1.0 + (k50 / t) ** n))

        def fun(
            t: float, y: FloatArray, m: FloatArray = m, k_up: Callable[[float], FloatArray] = k_up
        ) -> FloatArray:
            dy = m @ y
            flux = k_up(t) * y[src]
            dy[res] += flux
            dy[src] -= flux
            return dy

        def jac(
            t: float, y: FloatArray, m: FloatArray = m, k_up: Callable[[float], FloatArray] = k_up
        ) -> FloatArray:
            j = m.copy()
            k = k_up(t)
            j[res, src] += k
            j[src, src] -= k
            return j

        y0 = np.zeros(topology.n_states)
        y0[VENOUS] = dose[s]
        f, jf = (fun, jac) if timer is None else (timer.wrap(fun), timer.wrap(jac))
        sol = solve_ivp(
            f, (t_eval[0], t_eval[-1]), y0, "LSODA", t_eval, jac=jf, rtol=rtol, atol=atol
        )
        if sol.status != 0:
            raise RuntimeError(f"LSODA failed for subject {s}: {sol.message}")
        out[s] = sol.y.T
    return out


def _fields(params: PkParameters) -> dict[str, FloatArray]:
    return {name: getattr(params, name) for name in params.__dataclass_fields__}


def _subset(params: PkParameters, k: int) -> PkParameters:
    return PkParameters(**{name: v[:k] for name, v in _fields(params).items()})


def _clock(call: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, wall seconds and CPU seconds (all threads of this process) of ``call()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def component_costs(model: tuple[Any, ...], plan: tuple[Any, ...]) -> dict[str, float]:
    """CPU µs per call of each compiled kernel component, timed alone in a compiled loop."""
    import numba  # only called when numba is available

    k = compiled_kernel("numba")
    rhs_into, w_into, lu_factor, lu_solve, hill_into = (
        k[name] for name in ("rhs_into", "w_into", "lu_factor", "lu_solve", "hill_into")
    )
    n = int(plan[1].shape[0])
    n_packed = n + int(plan[3].shape[0]) + int(plan[4].shape[0])
    n_hill = int(model[3].shape[0])

    @numba.njit
    def rhs_loop(model: Any, reps: int) -> float:  # pragma: no cover - compiled
        y, dy, kh = np.ones(n), np.zeros(n), np.full(n_hill, 0.1)
        for r in range(reps):
            y[0] = r * 1e-9
            rhs_into(dy, y, kh, 0.0, 0, model, 1)
        return dy[0]

    @numba.njit
    def lu_loop(model: Any, plan: Any, reps: int) -> float:  # pragma: no cover - compiled
        w0, lu, dinv = np.zeros(n_packed), np.zeros(n_packed), np.zeros(n)
        y, kh = np.ones(n), np.full(n_hill, 0.1)
        for r in range(reps):
            w_into(lu, w0, 10.0 + r * 1e-9, y, kh, 0, model, plan)
            lu_factor(lu, dinv, plan)
        return lu[0]

    @numba.njit
    def solve_loop(model: Any, plan: Any, reps: int) -> float:  # pragma: no cover - compiled
        w0, lu, dinv = np.zeros(n_packed), np.zeros(n_packed), np.zeros(n)
        y, kh, b = np.ones(n), np.full(n_hill, 0.1), np.ones(n)
        w_into(lu, w0, 10.0, y, kh, 0, model, plan)
        lu_factor(lu, dinv, plan)
        for _ in range(reps):
            b[0] += 1.0
            lu_solve(b, lu, dinv, plan)
        return b[0]

    @numba.njit
    def hill_loop(model: Any, reps: int) -> float:  # pragma: no cover - compiled
        kh, dk = np.zeros(n_hill), np.zeros(n_hill)
        acc = 0.0
        for r in range(reps):
            hill_into(kh, dk, 0.5 + r * 1e-5, 0, model)
            acc += kh[0]
        return acc

    loops: dict[str, Callable[[int], float]] = {
        "right-hand side": lambda reps: rhs_loop(model, reps),
        "W = I/(h gamma) - J, LU factorisation": lambda reps: lu_loop(model, plan, reps),
        "triangular solve": lambda reps: solve_loop(model, plan, reps),
        "Hill rates (all organs, one time)": lambda reps: hill_loop(model, reps),
    }
    reps = 200_000
    out = {}
    for name, loop in loops.items():
        loop(10)  # compile
        best = min(_clock(lambda loop=loop: loop(reps))[2] for _ in range(5))
        out[name] = best / reps * 1e6
    return out


def where_fast_time_goes(
    topology: Topology,
    params: PkParameters,
    dose: FloatArray,
    t_eval: FloatArray,
    rtol: float,
    atol: float,
    fast_wall: float,
) -> None:
    """Print the fast path's phases, work counts and component costs (see module docstring)."""
    n_s = params.n_subjects
    doses = [Dose(0.0, dose)]
    (model, plan, new), t_setup, _ = _clock(lambda: kernel_arrays(topology, params))
    segments, t_seg, _ = _clock(lambda: dosing_segments(doses, t_eval, "per_dose", n_s))
    out = np.zeros((n_s, t_eval.size, topology.n_states))
    stats = np.zeros((n_s, 4), dtype=np.int64)
    kernel = compiled_kernel("numba")["solve_batch"]
    args = (model, plan, int(new[VENOUS]), segments, t_eval, rtol, atol, out, stats)
    _, t_kernel, cpu_kernel = _clock(lambda: kernel(*args))
    _, t_assemble, _ = _clock(lambda: np.ascontiguousarray(out[:, :, new]))
    import numba

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    one = [_clock(lambda: kernel(*args)) for _ in range(3)]
    numba.set_num_threads(threads)
    t_one = min(wall for _, wall, _ in one)
    cpu_one = min(cpu for _, _, cpu in one)

    steps = stats[:, rodas.STAT_STEPS].astype(float)  # attempts, accepted + rejected
    rejected = stats[:, rodas.STAT_REJECTED].astype(float)
    rhs = stats[:, rodas.STAT_RHS].astype(float)
    print("\nwhere the fast path's time goes")
    print(
        f"  phases (wall, {n_s} subjects): setup {1e3 * (t_setup + t_seg):.1f} ms (kernel "
        f"arrays, fill-reducing order, LU plan, dosing segments), compiled kernel "
        f"{1e3 * t_kernel:.1f} ms, output reorder {1e3 * t_assemble:.1f} ms; "
        f"simulate_fast total {1e3 * fast_wall:.1f} ms"
    )
    print(
        f"  kernel on {threads} threads: {1e3 * t_kernel:.1f} ms wall, {1e3 * cpu_kernel:.1f} ms "
        f"CPU; on 1 thread {1e3 * t_one:.1f} ms wall, {1e3 * cpu_one:.1f} ms CPU -> parallel "
        f"speed-up {t_one / t_kernel:.2f}x"
    )
    print(
        f"  work per subject: {steps.mean():.0f} step attempts (min {steps.min():.0f}, max "
        f"{steps.max():.0f}), {rejected.mean():.1f} rejected, {rhs.mean():.0f} right-hand "
        f"sides, {steps.mean():.0f} LU factorisations, {6 * steps.mean():.0f} triangular solves"
    )
    costs = component_costs(model, plan)
    counts = {
        "right-hand side": rhs.mean(),
        "W = I/(h gamma) - J, LU factorisation": steps.mean(),
        "triangular solve": 6 * steps.mean(),
        # per attempt: the end-of-step rates with derivative + 3 stage times (rates only)
        "Hill rates (all organs, one time)": 4 * steps.mean(),
    }
    per_subject_us = 1e6 * cpu_one / n_s
    print(f"  {'component (1 core, compiled)':40s} {'µs/call':>8s} {'calls':>7s} {'µs/subj':>8s}")
    accounted = 0.0
    for name, cost in costs.items():
        total = cost * counts[name]
        accounted += total
        print(f"  {name:40s} {cost:8.3f} {counts[name]:7.0f} {total:8.1f}")
    print(
        f"  {'rest: stage sums, error norm, control, output':40s} {'':8s} {'':7s} "
        f"{per_subject_us - accounted:8.1f}"
    )
    print(
        f"  {'measured kernel, 1 thread, CPU time':40s} {'':8s} {'':7s} {per_subject_us:8.1f} "
        f"({1e3 * per_subject_us / max(steps.mean(), 1.0):.0f} ns per step attempt)"
    )


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--subjects", type=int, default=1000, help="virtual mice (1000)")
    parser.add_argument("--seed", type=int, default=20240601, help="parameter draw seed")
    parser.add_argument("--until", type=float, default=168.0, help="end time, h (168)")
    parser.add_argument("--step", type=float, default=1.0, help="output step, h (1)")
    parser.add_argument("--rtol", type=float, default=1e-5, help="relative tolerance (1e-5)")
    parser.add_argument("--atol", type=float, default=1e-12, help="absolute tol. × dose (1e-12)")
    parser.add_argument("--check", type=int, default=20, help="subjects vs Radau reference")
    parser.add_argument(
        "--model-rhs-subjects",
        type=int,
        default=50,
        help="subjects of the (slow) model-RHS LSODA loop (50; 0 skips it)",
    )
    args = parser.parse_args()

    load_start = os.getloadavg()
    topology, params, dose, ranged = virtual_mice(args.subjects, args.seed)
    n = params.n_subjects
    t_eval = np.arange(0.0, args.until + 0.5 * args.step, args.step)
    atol = args.atol * float(dose.max())
    doses = [Dose(0.0, dose)]

    print(
        f"nanocloak PBPK batch benchmark: {n} virtual mice, {args.until:g} h, outputs every "
        f"{args.step:g} h, IV bolus {DOSE_MG_PER_KG:g} mg/kg, {topology.n_states} states"
    )
    print(
        f"parameters drawn log-uniformly (seed {args.seed}) in the knowledge-base ranges of: "
        f"{', '.join(ranged)}"
    )
    print(
        f"tolerances (all solvers): rtol {args.rtol:g}, atol {args.atol:g} x dose; "
        f"CPU cores: {os.cpu_count()}; numba: {'yes' if numba_available() else 'no'}; "
        f"load average at start: {load_start[0]:.2f}"
    )

    def run_fast() -> FloatArray:
        return simulate_fast(topology, params, doses, t_eval, rtol=args.rtol, atol_mg=atol).y_mg

    one, few = _subset(params, 1), _subset(params, SERIAL_BELOW)
    _, warm, _ = _clock(  # compile or load both kernels: serial (small batches) and parallel
        lambda: (
            simulate_fast(topology, one, [Dose(0.0, dose[:1])], t_eval[:3]),
            simulate_fast(topology, few, [Dose(0.0, dose[:SERIAL_BELOW])], t_eval[:3]),
        )
    )
    singles = [
        _clock(
            lambda: simulate_fast(
                topology, one, [Dose(0.0, dose[:1])], t_eval, rtol=args.rtol, atol_mg=atol
            )
        )[1]
        for _ in range(5)
    ]
    fast, wall_1, cpu_1 = _clock(run_fast)
    lean, t_lean, cpu_lean = _clock(
        lambda: lean_lsoda_loop(topology, params, dose, t_eval, args.rtol, atol)
    )
    _, wall_2, cpu_2 = _clock(run_fast)
    k_model = min(n, args.model_rhs_subjects)
    if k_model:
        _, t_base, cpu_base = _clock(
            lambda: (
                simulate(
                    topology,
                    _subset(params, k_model),
                    [Dose(0.0, dose[:k_model])],
                    t_eval,
                    method="LSODA",
                    rtol=args.rtol,
                    atol_mg=atol,
                    batched=False,
                ).y_mg
            )
        )
    _, wall_3, cpu_3 = _clock(run_fast)
    walls = [wall_1, wall_2, wall_3]
    t_fast = statistics.median(walls)
    cpu_fast = statistics.median([cpu_1, cpu_2, cpu_3])

    k_chk = min(args.check, n)
    ref = simulate(
        topology,
        _subset(params, k_chk),
        [Dose(0.0, dose[:k_chk])],
        t_eval,
        method="Radau",
        rtol=1e-11,
        atol_mg=1e-16 * float(dose.max()),
    ).y_mg

    engine = "numba Rodas4" if numba_available() else "scipy BDF"
    rows = [
        (f"fast ({engine}), median of 3", n, t_fast, cpu_fast),
        ("solve_ivp LSODA loop, lean numpy RHS (baseline)", n, t_lean, cpu_lean),
    ]
    if k_model:
        rows.append(("solve_ivp LSODA loop, model RHS", k_model, t_base, cpu_base))
    print(f"\n{'solver':50s} {'subjects':>8s} {'wall s':>8s} {'ms/subj':>8s} {'CPU ms/subj':>11s}")
    for name, count, wall, cpu in rows:
        print(
            f"{name:50s} {count:8d} {wall:8.3f} {1e3 * wall / count:8.3f} {1e3 * cpu / count:11.3f}"
        )
    print(f"fast runs (wall s): {', '.join(f'{w:.3f}' for w in walls)}")
    print(
        f"single mouse, fast solver: {1e3 * statistics.median(singles):.2f} ms (median of 5; "
        f"first call incl. compile or cache load: {warm:.2f} s)"
    )
    ratio = t_lean / t_fast
    print(
        f"\nper-subject speed ratio vs solve_ivp LSODA loop (lean numpy RHS), wall: {ratio:.1f}x "
        f"(CPU time: {cpu_lean / cpu_fast:.1f}x; floor 10x, aim 30x)"
    )
    if k_model:
        ratio_model = (t_base / k_model) / (t_fast / n)
        print(
            f"per-subject speed ratio vs solve_ivp LSODA loop (model RHS), wall: {ratio_model:.1f}x"
        )
    d_lean = max_rel_diff(topology, fast, lean, dose)
    print(f"largest relative difference of organ outputs, fast vs LSODA (all {n}): {d_lean:.2e}")
    e_fast = max_rel_diff(topology, fast[:k_chk], ref, dose[:k_chk])
    e_lean = max_rel_diff(topology, lean[:k_chk], ref, dose[:k_chk])
    verdict = "yes" if max(e_fast, e_lean) <= 1e-4 else "NO"
    print(
        f"error vs Radau rtol 1e-11 on {k_chk} subjects: fast {e_fast:.2e}, LSODA "
        f"{e_lean:.2e} (both within 1e-4 relative: {verdict})"
    )
    k_timed = min(n, 50)  # timing the callbacks costs a little, so on a separate sample
    timer = Timer()
    _, t_timed, _ = _clock(
        lambda: lean_lsoda_loop(
            topology, _subset(params, k_timed), dose, t_eval, args.rtol, atol, timer
        )
    )
    print(
        f"\nwhere the LSODA loop's time goes ({k_timed} subjects): {timer.calls / k_timed:.0f} "
        f"user RHS + Jacobian calls per subject, {100 * timer.seconds / t_timed:.0f}% of the "
        "time inside them (numpy), the rest in scipy's solve_ivp / LSODA machinery"
    )
    if numba_available():
        where_fast_time_goes(topology, params, dose, t_eval, args.rtol, atol, t_fast)
    load_end = os.getloadavg()
    print(
        f"\nload average at end: {load_end[0]:.2f} (above {os.cpu_count()} other processes "
        "share the cores: wall-time ratios are then less reliable than CPU-time ratios)"
    )


if __name__ == "__main__":
    main()
