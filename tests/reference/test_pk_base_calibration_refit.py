"""Re-run the base-model calibration and check the values shipped in the knowledge base.

Script: ``examples/calibration/pbpk/fit_base_model.py``. Calibration data (none of them is a
fitting target of ``validate pk``'s validation rows):

* PEG-coated 13-nm gold, 0.85 mg/kg IV, mouse liver and spleen in ng/g, 0.5–4320 h
  (``examples/calibration/pegau_13nm_mouse.csv``; Wu 2025 repository jimengwu/Mouse-general-PBPK,
  primary study believed to be Cho et al., Toxicol Appl Pharmacol 2010;245:116).
* Per-dataset tumor delivery efficiencies DE24 / DE168 / DEmax of the 378 datasets of Cheng et al.,
  ACS Nano 2020;14:3075 (doi:10.1021/acsnano.9b08142), as shipped by UFPBPK/Nano-AI-PBPK-G1
  (``examples/calibration/pbpk/cheng2020_g1_tumor_de.csv``, CC0).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from nanocloak.io.pk_data import read_pk_data
from nanocloak.knowledge import pbpk
from nanocloak.knowledge.schema import Value
from nanocloak.workflows.simulate_pk import simulate_pk

SCRIPT = (
    Path(__file__).resolve().parents[2] / "examples" / "calibration" / "pbpk" / "fit_base_model.py"
)


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fit_base_model", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _load()


@pytest.fixture(scope="module")
def calibration(script: ModuleType) -> Any:
    return script.calibrate()


def _shipped(key: str) -> Value:
    organ, field = key.split(".")
    defaults = pbpk.nanoparticle_defaults()
    entry = defaults.tumor if organ == "tumor" else defaults.organs[organ]
    value = getattr(entry, field)
    assert isinstance(value, Value), key
    return value


def test_pk_base_calibration_shipped_values_are_the_refit(calibration: Any) -> None:
    fitted = calibration.shipped()
    assert set(fitted) == {
        "liver.k_max",
        "liver.k_50",
        "spleen.k_max",
        "spleen.k_50",
        "tumor.permeability",
        "tumor.k_release",
    }
    for key, (value, low, high) in fitted.items():
        shipped = _shipped(key)
        assert shipped.status == "derived", key
        assert "fit_base_model.py" in shipped.note, key
        # The YAML keeps 4 significant digits and the optimizer stops at a relative chi2 change
        # of ~1e-8, so the refit lands within 0.1 % of the shipped value on any platform whose
        # solver agrees to rtol 1e-7; 1 % leaves room for BLAS/platform differences only.
        assert shipped.value == pytest.approx(value, rel=1e-2), key
        assert shipped.low == pytest.approx(low, rel=2e-2), key
        assert shipped.high == pytest.approx(high, rel=2e-2), key
    assert calibration.organs.converged
    assert calibration.tumor.converged


def test_pk_base_calibration_improves_on_the_published_values(
    script: ModuleType, calibration: Any
) -> None:
    """Judged by an independent re-simulation of the PEG-gold liver/spleen rows."""
    obs = script.pegau_observations()

    def sse(params: dict[str, float]) -> float:
        result = simulate_pk("mouse", 0.85, None, 4320.0, params, step_h=0.5)
        predicted = np.array(
            [
                np.interp(t, result.t_h, result.series(organ, "ug/g")) * 1000.0
                for t, organ in zip(obs.time_h, obs.organ, strict=True)
            ]
        )
        return float(np.sum((np.log(predicted) - np.log(obs.value)) ** 2))

    published = script.published_fixed()
    fitted = {**published, **calibration.organs.parameters}
    assert sse(fitted) < sse(published)
    assert sse(fitted) == pytest.approx(calibration.organs.gof["chi2"], rel=1e-6)
    # only liver and spleen rows were fitted; the CSV holds the kidney and lung rows as well
    assert len(obs) == 14 < len(read_pk_data(script.PEGAU_CSV))


def test_pk_base_calibration_reproduces_the_cheng_medians(calibration: Any) -> None:
    """Cheng 2020: median DE24 0.76 and DE168 0.35 %ID (376 datasets, abstract); the G1 file's
    378 datasets give 0.735 and 0.34. Two parameters, two medians: the fit is exact (1e-3).
    DEmax is not fitted: median 0.99 %ID; the model must come within 10 % (its bootstrap
    uncertainty is ~0.08 %ID)."""
    medians = calibration.medians
    assert medians["DE24"] == pytest.approx(0.735)
    assert medians["DE168"] == pytest.approx(0.34)
    assert medians["DEmax"] == pytest.approx(0.99)
    result = simulate_pk("mouse", 5.0, None, 168.0)  # the shipped (calibrated) knowledge base
    metrics = result.metrics()
    # shipped values are rounded to 4 digits: 1 % on the predictions
    assert metrics["DE24_percent"] == pytest.approx(medians["DE24"], rel=1e-2)
    assert metrics["DE168_percent"] == pytest.approx(medians["DE168"], rel=1e-2)
    assert metrics["DEmax_percent"] == pytest.approx(medians["DEmax"], rel=0.1)
    predicted = calibration.predicted
    assert predicted["DE24"] == pytest.approx(medians["DE24"], rel=1e-3)
    assert predicted["DE168"] == pytest.approx(medians["DE168"], rel=1e-3)
