"""The fast (Rodas4) batch PBPK solver against the scipy solver, closed forms and itself."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from nanocloak.kernels.pk import fast, rodas
from nanocloak.kernels.pk.fast import minimum_degree_order, simulate_fast
from nanocloak.kernels.pk.model import VENOUS, PkParameters, Topology
from nanocloak.kernels.pk.solve import Dose, Solution, simulate
from nanocloak.kernels.pk.uptake import CAPACITY, CONSTANT, HILL, NONE

ORGANS = ("lung", "liver", "spleen", "kidney", "rest", "tumor")
LAWS = (HILL, HILL, CAPACITY, CONSTANT, HILL, NONE)
needs_numba = pytest.mark.skipif(not fast.numba_available(), reason="numba is not installed")


def topology(laws: tuple[int, ...] = LAWS) -> Topology:
    return Topology(
        organs=ORGANS,
        portal=(False, False, True, False, False, False),
        uptake_from_blood=(False, True, False, False, False, False),
        uptake_law=laws,
    )


def params(n_subjects: int = 4, seed: int = 1) -> PkParameters:
    """Mouse-like batch: log-uniform draws spanning the stiffness of the real model."""
    rng = np.random.default_rng(seed)
    s, n = n_subjects, len(ORGANS)

    def u(lo: float, hi: float, shape: tuple[int, ...] = (s, n)) -> np.ndarray:
        return np.exp(rng.uniform(np.log(lo), np.log(hi), shape))

    q = u(0.01, 0.3)
    qc = q[:, 1:].sum(axis=1)
    q[:, 0] = qc
    return PkParameters(
        q_l_per_h=q,
        v_blood_l=u(1e-5, 1e-3),
        v_tissue_l=u(1e-4, 1e-2),
        partition=u(0.01, 1.0),
        pa_l_per_h=u(1e-6, 1e-1),
        k_max_per_h=u(0.01, 5.0),
        k50_h=u(0.5, 50.0),
        hill_n=u(0.5, 5.0),
        k_release_per_h=u(1e-4, 0.5),
        capacity_mg=u(1e-3, 1.0),
        qc_l_per_h=qc,
        v_arterial_l=u(1e-4, 1e-3, (s,)),
        v_venous_l=u(1e-4, 1e-3, (s,)),
        q_liver_out_l_per_h=q[:, 1] + q[:, 2],
        k_bile_l_per_h=u(1e-6, 1e-3, (s,)),
        k_urine_l_per_h=u(1e-6, 1e-3, (s,)),
    )


def rel_diff(a: Solution, b: Solution) -> float:
    """Max |a - b| / max(|b|, 1e-6 × dose): relative, ignoring < 1 ppm-of-dose amounts."""
    floor = 1e-6 * b.dosed_mg.max(axis=1)[:, None, None]
    return float(np.max(np.abs(a.y_mg - b.y_mg) / np.maximum(np.abs(b.y_mg), floor)))


@needs_numba
@pytest.mark.parametrize(
    ("doses", "clock"),
    [
        ([Dose(0.0, np.array([1.0, 2.0, 0.5, 1.5]))], "per_dose"),
        (
            [
                Dose(0.0, np.array([1.0, 2.0, 0.5, 1.5]), 0.5),
                Dose(24.0, np.array([1.0, 1.0, 1.0, 1.0])),
            ],
            "per_dose",
        ),
        (
            [Dose(0.0, np.full(4, 1.0)), Dose(12.0, np.full(4, 2.0), 2.0)],
            "absolute",
        ),
    ],
)
def test_matches_the_scipy_solver_to_1e_4(doses: list[Dose], clock: fast.Clock) -> None:
    """Bolus, infusion and repeat schedules, every uptake law: agreement with the existing
    block-diagonal BDF solver (run tight, rtol 1e-9) within 1e-4 relative at rtol 1e-6; the
    Rodas4 error at that tolerance is ~1e-6, so 1e-4 leaves margin yet fails on any wiring
    error (a wrong sign or index shows up at the percent level)."""
    topo, p = topology(), params()
    t = np.linspace(0.0, 48.0, 97)
    atol = 1e-12 * 3.0
    ref = simulate(topo, p, doses, t, clock=clock, rtol=1e-9, atol_mg=atol)
    got = simulate_fast(topo, p, doses, t, clock=clock, rtol=1e-6, atol_mg=atol, engine="numba")
    assert got.method == "Rodas4"
    assert rel_diff(got, ref) < 1e-4
    np.testing.assert_array_equal(got.dosed_mg, ref.dosed_mg)


@needs_numba
def test_conserves_mass_and_stays_non_negative() -> None:
    topo, p = topology(), params(6, seed=7)
    amounts = np.linspace(0.5, 3.0, 6)
    doses = [Dose(0.0, amounts), Dose(6.0, amounts, 1.0)]
    sol = simulate_fast(topo, p, doses, np.linspace(0.0, 30.0, 61), rtol=1e-5, engine="numba")
    total = sol.y_mg.sum(axis=2)
    np.testing.assert_allclose(total, sol.dosed_mg, rtol=1e-9, atol=1e-12)
    assert sol.y_mg.min() >= -10 * sol.atol_mg


@needs_numba
def test_single_organ_closed_form() -> None:
    """With every rate zero but urinary clearance of a well-mixed blood, AV decays as
    exp(-k t) — checked through the whole pipeline (events, permutation, interpolation)."""
    topo, p = topology((NONE,) * 6), params(2)
    zero = np.zeros_like(p.q_l_per_h)
    p = dataclasses.replace(
        p,
        q_l_per_h=zero,
        pa_l_per_h=zero,
        k_max_per_h=zero,
        qc_l_per_h=np.zeros(2),
        q_liver_out_l_per_h=np.zeros(2),
        k_urine_l_per_h=np.zeros(2),
        k_bile_l_per_h=np.zeros(2),
    )
    t = np.linspace(0.0, 10.0, 41)
    sol = simulate_fast(topo, p, [Dose(0.0, np.array([1.0, 2.0]))], t, rtol=1e-8, engine="numba")
    np.testing.assert_allclose(sol.y_mg[:, :, VENOUS], [[1.0] * 41, [2.0] * 41], rtol=1e-12)


@needs_numba
def test_uncompiled_kernel_equals_compiled() -> None:
    """The pure-Python run of the same kernel (the code numba compiles) gives the same
    numbers to rounding, on a short horizon to keep it quick."""
    topo, p = topology(), params(2)
    doses = [Dose(0.0, np.array([1.0, 2.0]))]
    t = np.linspace(0.0, 0.5, 6)
    compiled = simulate_fast(topo, p, doses, t, rtol=1e-4, engine="numba")
    python = simulate_fast(topo, p, doses, t, rtol=1e-4, engine="python")
    np.testing.assert_allclose(python.y_mg, compiled.y_mg, rtol=1e-9, atol=1e-15)
    assert python.n_rhs == compiled.n_rhs


@needs_numba
def test_parallel_batch_equals_subjects_solved_one_by_one() -> None:
    """A batch large enough for the parallel kernel gives each subject exactly what it gets
    alone (the serial path): subjects share nothing but the read-only model arrays."""
    n = fast.SERIAL_BELOW + 2
    topo, p = topology(), params(n, seed=11)
    amounts = np.linspace(1.0, 2.0, n)
    t = np.linspace(0.0, 24.0, 25)
    kw = {"rtol": 1e-6, "atol_mg": 1e-10}  # the default atol follows the batch's largest dose
    batch = simulate_fast(topo, p, [Dose(0.0, amounts)], t, engine="numba", **kw)
    for i in (0, n - 1):
        one = dataclasses.replace(
            p, **{f: getattr(p, f)[i : i + 1] for f in p.__dataclass_fields__}
        )
        alone = simulate_fast(topo, one, [Dose(0.0, amounts[i : i + 1])], t, **kw)
        np.testing.assert_array_equal(batch.y_mg[i], alone.y_mg[0])


@needs_numba
def test_segments_shorter_than_rounding_are_stepped_over() -> None:
    """A dose at 1e-300 h (found by hypothesis) cuts a segment no step can resolve: it is
    skipped, with an infusion's input over it still added, and the run matches scipy's."""
    topo, p = topology(), params(2)
    t = np.linspace(0.0, 6.0, 13)
    doses = [Dose(1e-300, np.array([1.0, 2.0])), Dose(3.0, np.array([1.0, 1.0]), 1e-14)]
    got = simulate_fast(topo, p, doses, t, rtol=1e-7, atol_mg=1e-13, engine="numba")
    ref = simulate(topo, p, doses, t, rtol=1e-9, atol_mg=1e-13)
    assert rel_diff(got, ref) < 1e-4
    np.testing.assert_allclose(got.y_mg.sum(axis=2), got.dosed_mg, rtol=1e-9, atol=1e-12)


def test_uncompiled_kernel_matches_scipy() -> None:
    """Runs without numba: the kernel in plain Python against the scipy solver."""
    topo, p = topology(), params(1)
    doses = [Dose(0.0, np.array([1.0]))]
    t = np.linspace(0.0, 1.0, 5)
    ref = simulate(topo, p, doses, t, rtol=1e-9, atol_mg=1e-13)
    got = simulate_fast(topo, p, doses, t, rtol=1e-6, atol_mg=1e-13, engine="python")
    assert rel_diff(got, ref) < 1e-4


def test_falls_back_to_scipy_without_numba(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "_numba", lambda: None)
    assert not fast.numba_available()
    topo, p = topology(), params(2)
    doses = [Dose(0.0, np.array([1.0, 2.0]))]
    t = np.linspace(0.0, 2.0, 5)
    got = simulate_fast(topo, p, doses, t)
    ref = simulate(topo, p, doses, t)
    assert got.method == "BDF"
    np.testing.assert_array_equal(got.y_mg, ref.y_mg)
    monkeypatch.setattr(fast, "_COMPILED", {})
    with pytest.raises(RuntimeError, match="needs numba"):
        simulate_fast(topo, p, doses, t, engine="numba")


def test_rejects_bad_input() -> None:
    topo, p = topology(), params(2)
    with pytest.raises(ValueError, match="strictly increasing"):
        simulate_fast(topo, p, [Dose(0.0, np.ones(2))], np.array([0.0, 0.0]), engine="python")
    with pytest.raises(ValueError, match="one per subject"):
        simulate_fast(topo, p, [Dose(0.0, np.ones(3))], np.array([0.0, 1.0]), engine="python")
    with pytest.raises(ValueError, match="at least one dose"):
        simulate_fast(topo, p, [], np.array([0.0, 1.0]), engine="python")


def test_minimum_degree_order_is_a_permutation_eliminating_leaves_first() -> None:
    # a star: centre 0 linked to 1..4; a leaf (degree 1) goes before the centre (degree 4)
    rows = np.array([0, 0, 0, 0], dtype=np.int64)
    cols = np.array([1, 2, 3, 4], dtype=np.int64)
    order = minimum_degree_order(5, rows, cols)
    assert sorted(order) == list(range(5))
    assert order[0] == 1


def _hill(tau: float, k_max: float, k50: float, n: float) -> tuple[float, float]:
    return rodas.hill_rate(tau, math.log(tau) if tau > 0 else 0.0, k_max, math.log(k50), n)


def test_hill_rate_and_its_derivative() -> None:
    k, dk = _hill(10.0, 2.0, 10.0, 3.0)
    assert k == pytest.approx(1.0)
    eps = 1e-6
    numeric = (_hill(10.0 + eps, 2.0, 10.0, 3.0)[0] - k) / eps
    assert dk == pytest.approx(numeric, rel=1e-4)
    assert _hill(0.0, 2.0, 10.0, 3.0) == (0.0, 0.0)
    assert _hill(1e-150, 2.0, 10.0, 5.0) == (0.0, 0.0)  # overflow of (K50/t)^n
    # the closed form K_max t^n / (K50^n + t^n) of model.uptake.hill_in_time
    assert _hill(4.0, 2.0, 10.0, 2.5)[0] == pytest.approx(2.0 * 4.0**2.5 / (10.0**2.5 + 4.0**2.5))


def test_tableau_is_stiffly_accurate() -> None:
    """The kernel forms y_new = stage-6 input + K_6 and takes K_6 as the error estimate, which
    holds because Rodas4's weights are the last row of A plus the last stage (m_j = a_6j + δ_j6)
    and its embedded error weights are e = δ_6."""
    np.testing.assert_array_equal(rodas.M, np.append(rodas.A[5], 0.0) + np.eye(6)[5])
    np.testing.assert_array_equal(rodas.E, np.eye(6)[5])
    np.testing.assert_array_equal(rodas.A[5, :4], rodas.A[4, :4])  # stage 6 = stage 5 + K_5
    assert rodas.A[4, 4] == 0.0
    assert rodas.A[5, 4] == 1.0


def test_lu_plan_factors_and_solves_a_sparse_diagonally_dominant_system() -> None:
    rng = np.random.default_rng(3)
    n = 12
    m = rng.uniform(0.0, 1.0, (n, n)) * (rng.uniform(size=(n, n)) < 0.3)
    np.fill_diagonal(m, 0.0)
    w = np.diag(m.sum(axis=0) + 1.0) - m  # column diagonally dominant, like (I/hγ - J)
    b = rng.normal(size=n)
    plan = fast.lu_plan(w != 0.0)
    pos = plan[0]
    assert np.all(pos[w != 0.0] >= 0)  # the pattern (and its fill) has a place
    packed = np.zeros(int(pos.max()) + 1)
    packed[pos[w != 0.0]] = w[w != 0.0]
    dinv = np.zeros(n)
    assert rodas.lu_factor(packed, dinv, plan)
    x = b.copy()
    rodas.lu_solve(x, packed, dinv, plan)
    np.testing.assert_allclose(w @ x, b, rtol=1e-12, atol=1e-12)
    singular = np.zeros_like(packed)
    assert not rodas.lu_factor(singular, dinv, plan)  # a zero pivot is reported, not divided


def test_lu_plan_of_a_tridiagonal_pattern_has_no_fill() -> None:
    n = 6
    pattern = np.eye(n, dtype=bool) | np.eye(n, k=1, dtype=bool) | np.eye(n, k=-1, dtype=bool)
    pos, diag, ptr, lower, upper, update = fast.lu_plan(pattern)
    assert int((pos >= 0).sum()) == pattern.sum()
    assert lower.shape == (n - 1, 2)
    assert upper.shape == (n - 1, 2)
    assert update.shape == (n - 1, 3)  # one Schur update per pivot: the next diagonal
    np.testing.assert_array_equal(diag, pos[np.arange(n), np.arange(n)])
    assert ptr[:, -1].tolist() == [n - 1, n - 1, n - 1]
