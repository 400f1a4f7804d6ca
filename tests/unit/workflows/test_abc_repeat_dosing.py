"""Accelerated blood clearance on repeat dosing: superposition, donor relation, dose interval."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pytest

from nanocloak.domain.formulation import Design
from nanocloak.io.specs import design_from_dict, load_design
from nanocloak.knowledge.pbpk_membrane import MECHANISMS
from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_design_pk import simulate_design_pk, superpose_subjects
from nanocloak.workflows.simulate_pk import DoseSchedule, simulate_pk

DESIGNS = Path(__file__).resolve().parents[3] / "examples" / "designs"
CSC = DESIGNS / "csc_fe3o4.toml"
N_PARTICLES, N_BINS = 400, 3


def _at(result: PkResult, output: str, t_h: float, unit: str = "%ID") -> float:
    return float(np.interp(t_h, result.t_h, result.series(output, unit)))


def _with_donor(donor: str) -> Design:
    data = tomllib.loads(CSC.read_text(encoding="utf-8"))
    data["membrane"]["sources"][0]["donor"] = donor
    return design_from_dict(data, f"csc_{donor}")


def _second_dose_blood(
    spec: Design,
    second_h: float,
    mechanisms: Collection[str] | None = None,
    one: PkResult | None = None,
) -> float:
    """Share of the second dose in blood 24 h after it (amounts in mg: %ID of a two-dose run
    refers to both doses); ``one`` is a single-dose run reaching past ``second_h + 24``."""
    until = second_h + 30.0
    if one is None:
        one = simulate_design_pk(
            spec, 5.0, until_h=until, mechanisms=mechanisms, n_particles=N_PARTICLES, n_bins=N_BINS
        )
    two = simulate_design_pk(
        spec,
        5.0,
        until_h=until,
        schedule=DoseSchedule((0.0, second_h)),
        mechanisms=mechanisms,
        n_particles=N_PARTICLES,
        n_bins=N_BINS,
    )
    assert two.mass_balance_error()[0] < 1e-6
    second = _at(two, "blood", second_h + 24.0, "mg") - _at(one, "blood", second_h + 24.0, "mg")
    return second / float(one.dosed_mg[0, -1])


def test_superposition_of_single_doses_equals_the_scheduled_solve() -> None:
    """The PBPK model is linear in amount: with time-invariant (constant) uptake laws a dose at
    0 plus the same dose shifted to 48 h equals solving both doses (to the solver tolerance and
    linear interpolation on the 0.1-h grid: 1e-3 of the dose). With the Hill law the
    superposition gives each dose its own uptake clock (simulate_design_pk's choice)."""
    laws = {o: "constant" for o in ("liver", "spleen", "kidney", "lung", "muscle", "rest", "gi")}
    laws["tumor"] = "constant"
    single = simulate_pk("mouse", 5.0, None, 120.0, uptake_laws=laws)
    both = simulate_pk("mouse", 5.0, "at 0, 48 h", 120.0, uptake_laws=laws)
    combined = superpose_subjects(
        single, np.ones((1, 2, 1)), [0.0, 48.0], DoseSchedule((0.0, 48.0)), {}
    )
    for output in ("blood", "liver", "spleen", "tumor"):
        a = np.interp(
            both.t_h, combined.t_h, combined.amount_mg[0, :, combined.outputs.index(output)]
        )
        b = both.amount_mg[0, :, both.outputs.index(output)]
        assert np.max(np.abs(a - b)) < 1e-3 * both.dosed_mg[0, -1]
    assert combined.mass_balance_error()[0] < 1e-9
    assert combined.dose_times_h == (0.0, 48.0)


def test_syngeneic_membranes_cause_no_abc() -> None:
    spec = _with_donor("syngeneic")
    on = simulate_design_pk(
        spec, 5.0, schedule="at 0, 96 h", n_particles=N_PARTICLES, n_bins=N_BINS
    )
    off = simulate_design_pk(
        spec,
        5.0,
        schedule="at 0, 96 h",
        mechanisms=set(MECHANISMS) - {"abc"},
        n_particles=N_PARTICLES,
        n_bins=N_BINS,
    )
    assert on.solver["membrane_layer"]["superposed_doses"] is True
    assert max(max(r) for r in on.solver["membrane_layer"]["recognised"]) == 0.0
    assert np.array_equal(on.amount_mg, off.amount_mg)
    base = simulate_design_pk(
        spec, 5.0, schedule="at 0, 96 h", mechanisms=(), n_particles=N_PARTICLES, n_bins=N_BINS
    )
    assert base.solver["membrane_layer"]["superposed_doses"] is False


def test_foreign_membranes_clear_faster_on_the_second_dose_the_more_foreign_they_are() -> None:
    # the donor relation changes only the antibodies, so the first dose is the same for all
    one = simulate_design_pk(
        _with_donor("syngeneic"), 5.0, until_h=150.0, n_particles=N_PARTICLES, n_bins=N_BINS
    )
    xeno = _second_dose_blood(_with_donor("xenogeneic"), 120.0, one=one)
    allo = _second_dose_blood(_with_donor("allogeneic"), 120.0, one=one)
    syn = _second_dose_blood(_with_donor("syngeneic"), 120.0, one=one)
    assert xeno < allo < syn


def test_abc_depends_on_the_dose_interval() -> None:
    """IgM peaks ~5 days after the first dose (Ishida & Kiwada 2008): a second dose after 1 day
    meets little antibody, one at the peak the most, one after 6 weeks less again."""
    spec = _with_donor("xenogeneic")
    one = simulate_design_pk(spec, 5.0, until_h=700.0, n_particles=N_PARTICLES, n_bins=N_BINS)
    early = _second_dose_blood(spec, 24.0, one=one)
    peak = _second_dose_blood(spec, 120.0, one=one)
    late = _second_dose_blood(spec, 650.0, one=one)
    assert peak < late
    assert peak < early
    # and with the mechanism off the interval does not matter (first dose unaffected by abc)
    off = set(MECHANISMS) - {"abc"}
    assert _second_dose_blood(spec, 120.0, off, one) == pytest.approx(
        _second_dose_blood(spec, 24.0, off, one), rel=1e-3
    )


def test_the_first_dose_is_never_affected() -> None:
    spec = load_design(CSC)
    one = simulate_design_pk(spec, 5.0, until_h=200.0, n_particles=N_PARTICLES, n_bins=N_BINS)
    two = simulate_design_pk(
        spec, 5.0, until_h=200.0, schedule="at 0, 120 h", n_particles=N_PARTICLES, n_bins=N_BINS
    )
    early = one.t_h < 119.0
    assert np.allclose(
        np.interp(one.t_h[early], two.t_h, two.series("blood")),
        one.series("blood")[early],
        rtol=1e-6,
        atol=1e-9,
    )
    assert two.solver["membrane_layer"]["recognised"][0] == [0.0] * len(
        two.solver["membrane_layer"]["recognised"][0]
    )
