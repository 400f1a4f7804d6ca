"""Release laws: closed-form values, the Baker–Lonsdale root, variants, monotonicity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanocloak.kernels.release import (
    LAWS,
    baker_lonsdale,
    baker_lonsdale_lhs,
    first_order,
    gompertz,
    hixson_crowell,
    hopfenberg,
    korsmeyer_peppas,
    logistic,
    probit,
    release_curve,
    weibull,
)

T = np.array([0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0])


def test_closed_form_values() -> None:
    """Hand-evaluated points of each family (t in h)."""
    assert first_order(np.array([2.0]), 0.5)[0] == pytest.approx(100 * (1 - math.exp(-1)))
    assert korsmeyer_peppas(np.array([4.0]), 25.0, 0.5)[0] == pytest.approx(50.0)
    assert hixson_crowell(np.array([5.0]), 0.1)[0] == pytest.approx(100 * (1 - 0.5**3))
    assert hixson_crowell(np.array([20.0]), 0.1)[0] == pytest.approx(100.0)
    assert hopfenberg(np.array([5.0]), 0.1, n_geom=1.0)[0] == pytest.approx(50.0)
    # Weibull: at t = MDT = alpha^(1/beta), F = 100(1 − 1/e).
    assert weibull(np.array([8.0]), alpha=8.0**0.7, beta=0.7)[0] == pytest.approx(
        100 * (1 - math.exp(-1))
    )
    # Log-time families at log10 t = −α/β sit at their midpoints (50 %) or at 100/e (Gompertz).
    t_mid = 10 ** (1.0 / 2.0)
    assert logistic(np.array([t_mid]), -1.0, 2.0)[0] == pytest.approx(50.0)
    assert probit(np.array([t_mid]), -1.0, 2.0)[0] == pytest.approx(50.0)
    assert gompertz(np.array([1.0]), 1.0, 3.0)[0] == pytest.approx(100 / math.e)


def test_logistic_log_base_is_explicit() -> None:
    """Natural-log variant: F = 50 % at ln t = −α/β."""
    t = math.exp(0.5)
    assert logistic(np.array([t]), -1.0, 2.0, log_base=math.e)[0] == pytest.approx(50.0)


@pytest.mark.parametrize("kbl", [0.001, 0.02, 0.2])
def test_baker_lonsdale_solves_its_implicit_equation(kbl: float) -> None:
    f = baker_lonsdale(T, kbl)
    lhs = baker_lonsdale_lhs(f)
    expected = np.minimum(kbl * T, 0.5)
    np.testing.assert_allclose(lhs, expected, atol=1e-12)


def test_baker_lonsdale_completes_at_half() -> None:
    assert baker_lonsdale(np.array([10.0]), 0.05)[0] == pytest.approx(100.0)


@pytest.mark.parametrize("name", list(LAWS))
def test_every_law_is_zero_at_time_zero(name: str) -> None:
    law = LAWS[name]
    params = {p: 0.5 for p in law.params}
    assert law(np.array([0.0]), **params)[0] == pytest.approx(0.0, abs=1e-12)


def test_lag_and_burst_variants() -> None:
    f = release_curve("first_order", T, {"k1": 0.3}, tlag_h=1.0, f0_pct=5.0)
    assert f[T <= 1.0] == pytest.approx(5.0)
    np.testing.assert_allclose(f[T > 1.0], 5.0 + first_order(T[T > 1.0] - 1.0, 0.3))


def test_plateau_variant_replaces_100() -> None:
    f = release_curve("weibull", np.array([1e6]), {"alpha": 2.0, "beta": 1.0, "fmax": 80.0})
    assert f[0] == pytest.approx(80.0)


def test_fixed_constants_are_overridable() -> None:
    sphere = release_curve("hopfenberg", np.array([5.0]), {"khb": 0.1})
    slab = release_curve("hopfenberg", np.array([5.0]), {"khb": 0.1, "n_geom": 1.0})
    assert sphere[0] == pytest.approx(87.5)
    assert slab[0] == pytest.approx(50.0)


@given(
    st.sampled_from(
        [
            "first_order",
            "weibull",
            "logistic",
            "gompertz",
            "probit",
            "hixson_crowell",
            "baker_lonsdale",
            "higuchi",
        ]
    ),
    st.floats(0.01, 3.0),
    st.floats(0.2, 3.0),
)
def test_tending_laws_are_monotone_and_bounded(name: str, a: float, b: float) -> None:
    """Release never decreases and never exceeds 100 % for the laws that tend to completion."""
    law = LAWS[name]
    values = dict(zip(law.params, (a, b), strict=False))
    t = np.linspace(0.0, 50.0, 400)
    f = law(t, **values)
    assert np.all(np.diff(f) >= -1e-9)
    if name != "higuchi":
        assert np.all(f <= 100.0 + 1e-9)
