"""Invariants of the imaging kernels (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nanocloak.kernels.imaging import fluorescence as fl
from nanocloak.kernels.imaging.mri_map import t2_weighted_map
from nanocloak.kernels.optics.diffusion import delta_p1_medium


@settings(max_examples=40, deadline=None)
@given(
    r2=st.floats(10.0, 800.0),
    r1=st.floats(0.0, 20.0),
    te=st.floats(5.0, 100.0),
    t2=st.floats(20.0, 120.0),
)
def test_t2_weighted_drop_is_monotone_in_iron(r2: float, r1: float, te: float, t2: float) -> None:
    """In the T2-weighted regime more iron never brightens the image.

    d ln S / d[Fe] = −TE r2 + TR r1 e^(−TR R1)/(1 − e^(−TR R1)); the T1 term is largest at
    [Fe] = 0, so TE r2 above it there (TR = 3 s, T1 = 1.5 s) makes the drop monotone. Outside
    this regime (r1 comparable to r2, short TE) iron brightens first — the T1 effect.
    """
    x = 3.0 / 1.5
    assume(te / 1000.0 * r2 > 3.0 * r1 * np.exp(-x) / (1.0 - np.exp(-x)))
    fe = np.linspace(0.0, 2.0, 41)
    drop = t2_weighted_map(fe, 1500.0, t2, r1, r2, 3000.0, te).percent_drop
    assert np.all(np.diff(drop) >= -1e-9)
    assert np.all((drop >= -1e-9) & (drop <= 100.0 + 1e-9))


@settings(max_examples=40, deadline=None)
@given(
    mua=st.floats(0.005, 0.2),
    musp=st.floats(0.3, 3.0),
    depth=st.floats(0.0, 20.0),
)
def test_escape_fractions_are_probabilities(mua: float, musp: float, depth: float) -> None:
    medium = delta_p1_medium(mua, musp)
    esc = float(fl.diffusion_escape_fraction(medium, depth))
    assert 0.0 <= esc <= 1.0
    assert 0.0 <= float(fl.ballistic_escape_fraction(mua + musp, depth)) <= 0.5


@settings(max_examples=25, deadline=None)
@given(conc=st.floats(0.0, 50.0), qy=st.floats(0.0, 1.0), top=st.floats(0.0, 10.0))
def test_fluorescence_is_non_negative_and_contrast_at_least_one(
    conc: float, qy: float, top: float
) -> None:
    ex, em = delta_p1_medium(0.03, 1.0), delta_p1_medium(0.025, 0.95)
    s = fl.fluorescence_signal(
        ex, em, fl.dye_absorption_per_mm(conc, 2e5), qy, top, 2.0, autofluorescence_yield=1e-3
    )
    assert s.signal >= 0.0
    assert s.background > 0.0
    assert s.signal_to_background >= 1.0
