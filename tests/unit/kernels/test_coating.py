"""Coating Monte Carlo: exact Poisson mixture, membrane conservation, monotonicity, and the
mass-action event count (events per particle grow with the membrane pieces available)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanocloak.kernels.manufacture.coating import (
    EventDraws,
    analytic_coverage_pmf,
    coat,
    coverage_for_rate,
    draw_events,
    membrane_pieces_per_particle,
    productive_events,
    vesicle_capture,
)

N = 40_000
K = 60
LIMIT = 0.7  # patch jamming coverage used in these tests


def _constant_draws(
    n: int, k: int, vesicle_area: float, spread: float, rng: np.random.Generator
) -> EventDraws:
    """Events with one vesicle size and one spread: the analytic case."""
    return EventDraws(
        np.cumsum(rng.exponential(1.0, (n, k)), axis=1),
        np.full((n, k), vesicle_area),
        rng.random((n, k)),
        np.full((n, k), spread),
    )


@pytest.mark.parametrize(
    ("events", "wrap", "patch"), [(0.7, 0.2, 0.4), (2.5, 0.5, 0.3), (4.0, 0.05, 0.6)]
)
def test_monte_carlo_matches_the_poisson_mixture(events: float, wrap: float, patch: float) -> None:
    """Equal particles, vesicles larger than particles, constant patch share.

    Mean coverage and the wrapped share agree with the exact distribution within 5 standard
    errors of a 40,000-particle sample (SE ≤ 0.0025), so the test fails on a real error only.
    """
    rng = np.random.default_rng(1)
    areas = np.full(N, 100.0)
    draws = _constant_draws(N, K, 400.0, patch, rng)
    coverage = coverage_for_rate(events, areas, wrap, LIMIT, draws).degree
    levels, pmf = analytic_coverage_pmf(events, wrap, patch, LIMIT, K)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    mean_exact = float(np.dot(levels, pmf))
    standard_error = float(np.sqrt(np.dot((levels - mean_exact) ** 2, pmf) / N))
    assert coverage.mean() == pytest.approx(mean_exact, abs=5 * standard_error + 1e-12)
    wrapped_exact = 1 - np.exp(-events * wrap)
    wrapped_se = np.sqrt(wrapped_exact * (1 - wrapped_exact) / N)
    assert np.mean(coverage == 1.0) == pytest.approx(wrapped_exact, abs=5 * wrapped_se)
    bare_se = np.sqrt(np.exp(-events) * (1 - np.exp(-events)) / N)
    assert np.mean(coverage == 0.0) == pytest.approx(np.exp(-events), abs=5 * bare_se)
    assert coverage[coverage < 1.0].max() <= LIMIT  # patches alone never pass the jamming limit


def test_small_vesicles_cannot_envelop_and_give_small_patches() -> None:
    """A vesicle with a quarter of the particle's area never wraps and covers ≤ 1/4 per patch."""
    rng = np.random.default_rng(2)
    draws = _constant_draws(5000, K, 25.0, 1.0, rng)
    coverage = coverage_for_rate(1.0, np.full(5000, 100.0), 1.0, 1.0, draws).degree
    assert np.all(coverage < 1.0)
    single = coverage[(coverage > 0) & (coverage <= 0.25 + 1e-12)]
    assert single.size > 0


def _reference_coverage(
    events: float, areas: np.ndarray, reseal: float, limit: float, draws: EventDraws
) -> tuple[np.ndarray, np.ndarray]:
    """The coating rules event by event, in plain loops (the specification of the kernel)."""
    degree, consumed = np.zeros(areas.size), np.zeros(areas.size)
    rates = events * areas / areas.mean()
    for i, area in enumerate(areas):
        uncovered = 1.0
        for k in range(draws.arrivals.shape[1]):
            if draws.arrivals[i, k] >= rates[i]:
                break
            vesicle = draws.vesicle_area_nm2[i, k]
            if vesicle >= area and draws.reseal_draw[i, k] < reseal:
                consumed[i] += area  # the closed coat; a larger vesicle's rest re-forms
                uncovered = -1.0
                break
            share = draws.spread[i, k] * min(1.0, vesicle / area)
            consumed[i] += limit * uncovered * share * area  # the area this patch adds
            uncovered *= 1.0 - share
        degree[i] = 1.0 if uncovered < 0 else limit * (1.0 - uncovered)
    return degree, consumed


@settings(max_examples=30, deadline=None)
@given(
    st.floats(0.05, 20.0),
    st.floats(0.0, 1.0),
    st.floats(1.0, 5e5),
    st.floats(0.3, 1.0),
    st.integers(0, 2**32),
)
def test_membrane_consumed_never_exceeds_the_supply(
    events: float, reseal: float, supply: float, limit: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    areas = 1e4 * np.exp(0.2 * rng.standard_normal(120))
    draws = draw_events(120, 32, 150.0, 1.3, 0.5, 4.0, rng)
    outcome = coat(events, areas, supply, reseal, limit, draws)
    degree, consumed = _reference_coverage(outcome.mean_events, areas, reseal, limit, draws)
    assert outcome.coverage == pytest.approx(degree, abs=1e-9)
    assert consumed.mean() <= supply * (1 + 1e-9)
    assert np.all(degree * areas <= consumed + 1e-6)  # covering needs at least that membrane
    assert outcome.mean_events <= events
    assert outcome.membrane_used_share == pytest.approx(min(1.0, consumed.mean() / supply))


def test_coverage_grows_with_events() -> None:
    rng = np.random.default_rng(3)
    areas = 1e4 * np.exp(0.1 * rng.standard_normal(2000))
    draws = draw_events(2000, 48, 120.0, 1.3, 0.5, 4.0, rng)
    means = [
        coverage_for_rate(e, areas, 0.3, LIMIT, draws).degree.mean() for e in (0, 0.5, 1, 2, 4, 8)
    ]
    assert means[0] == 0.0
    assert all(b >= a for a, b in itertools.pairwise(means))


def test_supply_limited_coating_uses_all_the_membrane() -> None:
    rng = np.random.default_rng(4)
    areas = np.full(3000, 1e4)
    draws = draw_events(3000, 48, 200.0, 1.3, 0.5, 4.0, rng)
    outcome = coat(20.0, areas, 2e3, 0.5, LIMIT, draws)
    assert outcome.supply_limited
    # consumption rises in steps of one coat (1e4 nm² / 3000 particles ≈ 0.2 % of the 2e3 nm²
    # supply per particle), so the cap lands within a few steps below the supply
    assert 0.97 <= outcome.membrane_used_share <= 1.0


def test_membrane_pieces_count_vesicles_or_particle_sized_shares() -> None:
    """n = R·Ā_mid / min(Ā_v, Ā_mid), Ā_v = π d² exp(2 ln² σ): small vesicles count one by one,
    vesicles larger than the particle count as particle-sized pieces (n = R)."""
    small = membrane_pieces_per_particle(10.0, 4e4, 100.0, 1.3)
    assert small == pytest.approx(10.0 * 4e4 / (np.pi * 1e4 * np.exp(2 * np.log(1.3) ** 2)))
    assert membrane_pieces_per_particle(10.0, 4e4, 400.0, 1.3) == pytest.approx(10.0)
    assert membrane_pieces_per_particle(0.0, 4e4, 100.0, 1.3) == 0.0


def test_events_follow_mass_action_with_depletion() -> None:
    """λ̄ = n (1 − e^(−κ)): linear in the membrane pieces, saturating in the process intensity;
    the bare share e^(−λ̄) therefore falls with the membrane excess at any intensity."""
    assert vesicle_capture(0.0) == 0.0
    assert vesicle_capture(1.0) == pytest.approx(1 - np.exp(-1.0))
    assert productive_events(16.0, 50.0) == pytest.approx(16.0)
    for kappa in (0.2, 1.0, 3.0):
        bare = [np.exp(-productive_events(n, kappa)) for n in (1.0, 4.0, 16.0)]
        assert bare[0] > bare[1] > bare[2]
