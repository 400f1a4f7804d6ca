"""The envelopment chance of mechanical coating, fitted to published coating-integrity shares.

Liu 2021 (doi:10.1038/s41467-021-26052-x): up to 90 % partially coated; Liu 2022
(doi:10.1038/s41467-022-33889-3): ~6 % fully coated when coated traditionally. The fit lives in
``examples/calibration/manufacture/fit_coating_integrity.py``; this test re-runs it and checks
that ``methods.yaml`` stores its result, so the constant cannot drift from the data by hand.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from nanocloak.knowledge import loader

SCRIPT = (
    Path(__file__).resolve().parents[3]
    / "examples/calibration/manufacture/fit_coating_integrity.py"
)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fit_coating_integrity", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


def test_coverage_fit_recovers_known_parameters() -> None:
    """Synthetic shares from λ = 2.5, w = 0.05 are fitted back to 1e-6 (exact data)."""
    fit = _script()
    shares = fit.predicted_shares(2.5, 0.05)
    fitted = fit.fit(shares)
    assert fitted.mean_events == pytest.approx(2.5, rel=1e-6)
    assert fitted.wrap_probability == pytest.approx(0.05, rel=1e-6)


def test_coverage_fit_to_liu_matches_the_closed_form_and_the_knowledge_base() -> None:
    """Bare = e^(−λ), full = 1 − e^(−λw): λ = ln 25, w = −ln 0.94 / λ (the data sum to 1, so
    the fit is exact). The stored reseal probabilities are that w rounded to 3 significant
    digits (within 0.5 %)."""
    fit = _script()
    fitted = fit.fit()
    assert max(abs(r) for r in fitted.residuals) < 1e-6
    assert fitted.mean_events == pytest.approx(np.log(25.0), rel=1e-6)
    assert fitted.wrap_probability == pytest.approx(-np.log(0.94) / np.log(25.0), rel=1e-6)
    methods = loader.method_parameters()
    for step in ("extrusion", "sonication"):
        stored = methods[step]["reseal_probability"]
        assert stored.value == pytest.approx(fitted.wrap_probability, rel=5e-3)
        assert stored.low is not None
        assert stored.high is not None
        assert stored.low < fitted.wrap_probability < stored.high


def test_coverage_fit_constants_match_the_knowledge_base() -> None:
    """The script's jamming limit and full threshold are the knowledge base's used values."""
    fit = _script()
    limit = loader.method_parameters()["coating"]["patch_jamming_coverage"].value
    assert limit == fit.PATCH_LIMIT
    assert loader.membrane_physics()["full_coating_threshold"].value == fit.FULL_THRESHOLD
    assert fit.PATCH_LIMIT < fit.FULL_THRESHOLD
