"""Membrane-layer multipliers of the PBPK model: no effect by default, monotone, hybrids."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanocloak.kernels.pk.membrane import (
    MembraneConstants,
    SourceInput,
    cd47_factor,
    combine_hybrid,
    extravasation_factor,
    homotypic_factor,
    multipliers,
    opsonization_factor,
    renkin_hindrance,
)
from nanocloak.knowledge.pbpk_membrane import MECHANISMS, constant, membrane_layer

shares = st.floats(0.0, 1.0)
ACTIVE = MembraneConstants(
    cd47_min_factor=0.3,
    cd47_half_density=0.3,
    opsonization_bare_excess=1.0,
    reference_diameter_nm=100.0,
    pore_diameter_nm=600.0,
    homotypic_enhancement=2.5,
)


@given(rho=st.floats(0.0, 10.0), c=shares, d=st.floats(1.0, 2000.0))
def test_default_constants_have_exactly_no_effect(rho: float, c: float, d: float) -> None:
    sources = [SourceInput(0.4, rho, True), SourceInput(0.6, 2.0 * rho, False)]
    m = multipliers(sources, c, d)
    assert (m.res_k_max, m.tumor_k_max, m.tumor_permeability) == (1.0, 1.0, 1.0)
    assert cd47_factor(rho, c) == 1.0
    assert opsonization_factor(c) == 1.0
    assert homotypic_factor(True, c) == 1.0
    assert extravasation_factor(d, 100.0) == 1.0


def test_cd47_factor_falls_with_density_and_coverage() -> None:
    rho = np.linspace(0.0, 5.0, 51)
    c = np.linspace(0.0, 1.0, 21)
    by_rho = [cd47_factor(r, 1.0, 0.3, 0.3) for r in rho]
    by_c = [cd47_factor(1.0, x, 0.3, 0.3) for x in c]
    assert np.all(np.diff(by_rho) < 0.0)
    assert np.all(np.diff(by_c) < 0.0)
    assert cd47_factor(0.0, 1.0, 0.3, 0.3) == 1.0  # no CD47, no effect
    assert cd47_factor(5.0, 0.0, 0.3, 0.3) == 1.0  # bare particle carries no membrane
    # closed form at RBC density, full coating: 0.3 + 0.7 * 0.3 / 1.3
    assert cd47_factor(1.0, 1.0, 0.3, 0.3) == pytest.approx(0.3 + 0.7 * 0.3 / 1.3, rel=1e-12)
    assert cd47_factor(1e9, 1.0, 0.3, 0.3) == pytest.approx(0.3, rel=1e-6)


def test_opsonization_rises_with_the_bare_share() -> None:
    c = np.linspace(0.0, 1.0, 21)
    values = [opsonization_factor(x, 1.0) for x in c]
    assert np.all(np.diff(values) < 0.0)
    assert values[0] == 2.0
    assert values[-1] == 1.0


def test_extravasation_falls_with_size_and_is_one_at_the_reference() -> None:
    d = np.linspace(10.0, 590.0, 59)
    values = [extravasation_factor(x, 100.0, 600.0) for x in d]
    assert np.all(np.diff(values) < 0.0)
    assert extravasation_factor(100.0, 100.0, 600.0) == pytest.approx(1.0, rel=1e-14)
    assert extravasation_factor(600.0, 100.0, 600.0) == 0.0
    assert renkin_hindrance(0.0) == 1.0
    # Renkin's formula at lambda = 0.5: 0.25 * (1 - 1.052 + 0.26125 - 0.0296875)
    assert renkin_hindrance(0.5) == pytest.approx(0.25 * (1 - 1.052 + 0.26125 - 0.0296875))
    with pytest.raises(ValueError, match="must exceed the reference"):
        extravasation_factor(50.0, 100.0, 80.0)


def test_homotypic_acts_only_on_the_own_line_and_grows_with_coverage() -> None:
    c = np.linspace(0.0, 1.0, 11)
    own = [homotypic_factor(True, x, 2.5) for x in c]
    other = [homotypic_factor(False, x, 2.5) for x in c]
    assert np.all(np.diff(own) > 0.0)
    assert own[-1] == 2.5
    assert other == [1.0] * len(c)
    with pytest.raises(ValueError, match="enhancement must be >= 1"):
        homotypic_factor(True, 0.5, 0.5)


@given(a=shares, f1=st.floats(0.01, 5.0), f2=st.floats(0.01, 5.0))
def test_hybrid_lies_between_its_parents_and_reduces_to_a_single_parent(
    a: float, f1: float, f2: float
) -> None:
    for rule in ("geometric", "arithmetic"):
        mixed = combine_hybrid([a, 1.0 - a], [f1, f2], rule)
        assert min(f1, f2) * (1 - 1e-12) <= mixed <= max(f1, f2) * (1 + 1e-12)
        assert combine_hybrid([1.0], [f1], rule) == pytest.approx(f1)
    assert combine_hybrid([a, 1.0 - a], [1.0, 1.0]) == 1.0


def test_hybrid_moves_monotonically_with_the_mixing_fraction() -> None:
    rbc, cancer = SourceInput(1.0, 1.0, False), SourceInput(1.0, 0.5, True)
    res, tumor = [], []
    for a in np.linspace(0.0, 1.0, 11):
        sources = [
            SourceInput(float(a), rbc.relative_cd47, False),
            SourceInput(float(1 - a), cancer.relative_cd47, True),
        ]
        m = multipliers(sources, 1.0, 100.0, ACTIVE)
        res.append(m.res_k_max)
        tumor.append(m.tumor_k_max)
    assert np.all(np.diff(res) < 0.0)  # more RBC: more CD47, less phagocytic uptake
    assert np.all(np.diff(tumor) < 0.0)  # less cancer membrane: less homotypic adhesion
    with pytest.raises(ValueError, match="sum to 1"):
        combine_hybrid([0.5, 0.4], [1.0, 1.0])


def test_multipliers_order_bare_below_coated() -> None:
    bare = multipliers([SourceInput(1.0, 1.0)], 0.0, 150.0, ACTIVE)
    coated = multipliers([SourceInput(1.0, 1.0)], 1.0, 165.0, ACTIVE)
    assert coated.res_k_max < 1.0 < bare.res_k_max
    static = set(MECHANISMS) - {"shedding", "epr_heterogeneity", "abc"}
    assert static <= set(coated.factors)
    assert coated.res_k_50 == 1.0  # the no-effect lag ratio of ACTIVE


def test_knowledge_base_constants_are_sourced_and_within_their_ranges() -> None:
    layer = membrane_layer()
    assert set(layer) == set(MECHANISMS)
    for mechanism in layer.values():
        assert mechanism.organs
        assert mechanism.description
        for value in mechanism.parameters.values():
            assert value.source
            assert value.note
            if value.source == "nanocloak_assumption":
                assert value.status == "assumed"
    assert 0.0 < constant("cd47", "min_factor") < 1.0
    assert constant("homotypic", "enhancement") >= 1.0
    assert constant("extravasation", "pore_diameter") > constant(
        "extravasation", "reference_diameter"
    )
    assert math.isfinite(constant("opsonization", "bare_excess"))
