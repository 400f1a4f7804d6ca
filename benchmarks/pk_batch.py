"""Batch PBPK benchmark: the fast batch solver against a loop of ``solve_ivp(LSODA)``.

Draws N virtual mice (default 1,000) from the knowledge-base literature ranges (log-uniform
between ``low`` and ``high`` of every ranged mouse parameter: body weight, plasma and blood
volume, GI flow and blood fractions, and the tumor's volume, flow, blood fraction, partition,
permeability and uptake parameters; seeded), gives each a 5 mg/kg IV bolus and solves 168 h
with outputs every hour in the default (physiological) mode:

* **fast**: :func:`nanocloak.kernels.pk.fast.simulate_fast` (compiled Rodas4 per subject,
  analytic Jacobian, subjects in parallel on all cores; the scipy BDF path without numba);
* **LSODA loop, model RHS**: ``scipy.integrate.solve_ivp(method="LSODA")`` subject by subject
  with the project's right-hand side and analytic Jacobian
  (:func:`nanocloak.kernels.pk.solve.simulate` with ``batched=False``) — the baseline the
  issue names;
* **LSODA loop, lean RHS**: the same loop with a minimal numpy right-hand side (one
  precomputed constant matrix per subject plus the Hill terms) and Jacobian — a stronger
  baseline, to show how much of the ratio is scipy's per-call overhead.

All three run at the same tolerances (``--rtol``, ``--atol`` × dose). Accuracy is checked on
the first ``--check`` subjects against a tight reference (Radau, rtol 1e-11). Outputs compared
are what the model reports per organ: the amount in each organ (capillary blood + tissue +
phagocytes), arterial and venous blood, urine and bile, at every output time; the relative
difference is :math:`|a-b|/\\max(|b|, 10^{-9}\\,\\text{dose})` (the floor only avoids 0/0 before
anything reaches a compartment).

Run: ``.venv/bin/python benchmarks/pk_batch.py [--subjects N]``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from nanocloak.kernels.pk.fast import numba_available, simulate_fast
from nanocloak.kernels.pk.model import VENOUS, PkParameters, Topology, system_matrix
from nanocloak.kernels.pk.solve import Dose, Solution, simulate
from nanocloak.kernels.pk.uptake import HILL, LAW_CODES
from nanocloak.knowledge import pbpk
from nanocloak.workflows import simulate_pk as workflow

FloatArray = NDArray[np.float64]
DOSE_MG_PER_KG = 5.0


def virtual_mice(n: int, seed: int) -> tuple[Topology, PkParameters, FloatArray, list[str]]:
    """N mice with every ranged knowledge-base parameter drawn log-uniformly in its range.

    Uses the workflow's own (private) conversion helpers so the kernel parameters are exactly
    what ``simulate_pk`` would build for the same overrides.
    """
    species = "mouse"
    kb = pbpk.physiology()[species]
    organs = tuple(o for o in workflow.ORGAN_ORDER if o in kb.organs or o == "tumor")
    defaults = workflow._defaults(species, organs)
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
    laws = workflow._laws(organs, None)
    values = [workflow._resolve(defaults, s, i) for i, s in enumerate(sets)]
    topology = Topology(
        organs=organs,
        portal=tuple(o in workflow.PORTAL for o in organs),
        uptake_from_blood=tuple(workflow._nanoparticle(o).uptake_site == "blood" for o in organs),
        uptake_law=tuple(LAW_CODES[laws[o]] for o in organs),
    )
    kernel, _ = workflow._kernel_parameters(topology, values, "physiological")
    dose = DOSE_MG_PER_KG * np.array([v["body_weight"] for v in values])
    return topology, kernel, dose, sorted(ranges)


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


def lean_lsoda_loop(
    topology: Topology,
    params: PkParameters,
    dose: FloatArray,
    t_eval: FloatArray,
    rtol: float,
    atol: float,
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
        sol = solve_ivp(
            fun, (t_eval[0], t_eval[-1]), y0, "LSODA", t_eval, jac=jac, rtol=rtol, atol=atol
        )
        if sol.status != 0:
            raise RuntimeError(f"LSODA failed for subject {s}: {sol.message}")
        out[s] = sol.y.T
    return out


def _fields(params: PkParameters) -> dict[str, FloatArray]:
    return {name: getattr(params, name) for name in params.__dataclass_fields__}


def _subset(params: PkParameters, k: int) -> PkParameters:
    return PkParameters(**{name: v[:k] for name, v in _fields(params).items()})


def _timed(call: Callable[[], Solution | FloatArray]) -> tuple[FloatArray, float]:
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    return (result.y_mg if isinstance(result, Solution) else result), elapsed


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
        "--baseline-subjects",
        type=int,
        default=None,
        help="loop the LSODA baselines over the first K subjects only (default: all)",
    )
    args = parser.parse_args()

    topology, params, dose, ranged = virtual_mice(args.subjects, args.seed)
    n = params.n_subjects
    t_eval = np.arange(0.0, args.until + 0.5 * args.step, args.step)
    atol = args.atol * float(dose.max())
    doses = [Dose(0.0, dose)]
    k_base = n if args.baseline_subjects is None else min(n, args.baseline_subjects)
    sub, sub_doses = _subset(params, k_base), [Dose(0.0, dose[:k_base])]

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
        f"CPU cores: {os.cpu_count()}; numba: {'yes' if numba_available() else 'no'}"
    )

    start = time.perf_counter()
    simulate_fast(topology, _subset(params, 1), [Dose(0.0, dose[:1])], t_eval[:3])
    warm = time.perf_counter() - start
    _, t_one = _timed(
        lambda: simulate_fast(
            topology,
            _subset(params, 1),
            [Dose(0.0, dose[:1])],
            t_eval,
            rtol=args.rtol,
            atol_mg=atol,
        )
    )
    fast, t_fast = _timed(
        lambda: simulate_fast(topology, params, doses, t_eval, rtol=args.rtol, atol_mg=atol)
    )
    base, t_base = _timed(
        lambda: simulate(
            topology,
            sub,
            sub_doses,
            t_eval,
            method="LSODA",
            rtol=args.rtol,
            atol_mg=atol,
            batched=False,
        )
    )
    lean, t_lean = _timed(
        lambda: lean_lsoda_loop(topology, sub, dose[:k_base], t_eval, args.rtol, atol)
    )
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

    per = 1e3 / n
    per_b = 1e3 / k_base
    rows = [
        ("fast (" + ("numba Rodas4" if numba_available() else "scipy BDF") + ")", t_fast, per),
        ("solve_ivp LSODA loop, model RHS (baseline)", t_base, per_b),
        ("solve_ivp LSODA loop, lean numpy RHS", t_lean, per_b),
    ]
    print(f"\n{'solver':46s} {'subjects':>8s} {'wall s':>9s} {'ms/subject':>11s}")
    for (name, wall, scale), count in zip(rows, (n, k_base, k_base), strict=True):
        print(f"{name:46s} {count:8d} {wall:9.3f} {wall * scale:11.3f}")
    print(
        f"single mouse, fast solver: {t_one * 1e3:.2f} ms (first call incl. compile or "
        f"cache load: {warm:.2f} s)"
    )
    ratio = (t_base * per_b) / (t_fast * per)
    ratio_lean = (t_lean * per_b) / (t_fast * per)
    print(f"\nper-subject speed ratio vs solve_ivp LSODA loop (model RHS): {ratio:.1f}x")
    print(f"per-subject speed ratio vs solve_ivp LSODA loop (lean numpy RHS): {ratio_lean:.1f}x")
    d_base = max_rel_diff(topology, fast[:k_base], base, dose[:k_base])
    d_lean = max_rel_diff(topology, fast[:k_base], lean, dose[:k_base])
    print(
        f"largest relative difference of organ outputs, fast vs LSODA (model RHS): "
        f"{d_base:.2e}; vs LSODA (lean RHS): {d_lean:.2e}"
    )
    e_fast = max_rel_diff(topology, fast[:k_chk], ref, dose[:k_chk])
    e_base = max_rel_diff(topology, base[:k_chk], ref, dose[:k_chk])
    verdict = "yes" if max(e_fast, e_base) <= 1e-4 else "NO"
    print(
        f"error vs Radau rtol 1e-11 on {k_chk} subjects: fast {e_fast:.2e}, LSODA "
        f"{e_base:.2e} (both within 1e-4 relative: {verdict})"
    )


if __name__ == "__main__":
    main()
