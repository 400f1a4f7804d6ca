"""Invariants of the treatment heating: energy conservation and no cooling below baseline."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nanocloak.errors import NanocloakWarning
from nanocloak.io.specs import load_design
from nanocloak.workflows.treat import FieldSetting, TumorSite, magnetic_treatment
from tests.conftest import EXAMPLES

DESIGN = load_design(EXAMPLES / "rbc_mnc_electroporation.toml")


@settings(max_examples=8, deadline=None)
@given(
    conc=st.floats(0.0, 10.0),
    radius=st.sampled_from([2.0, 3.0, 4.0]),
    depth=st.sampled_from([0.0, 1.0, 2.0]),
)
def test_treat_heating_conserves_energy_and_never_cools(
    conc: float, radius: float, depth: float
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NanocloakWarning)
        r = magnetic_treatment(
            DESIGN, conc, FieldSetting(10, 200, 120), TumorSite(radius, depth), step_mm=1.0, dt_s=10
        )
    e = r.energy_j
    assert abs(e["residual"]) <= 1e-9 * max(e["deposited"], 1e-12)
    assert e["deposited"] >= 0.0
    assert e["perfusion"] >= 0.0
    assert e["surface"] >= 0.0
    assert np.all(r.final_temperature_c >= r.baseline_c - 1e-12)
    assert np.all(np.diff(r.tumor_max_c) >= -1e-12)
