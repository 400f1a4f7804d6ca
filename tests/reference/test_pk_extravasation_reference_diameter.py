"""Recompute the extravasation reference diameter from the G1 particle sizes and check the YAML.

Data: hydrodynamic diameters (column HD) and fitted tumor permeabilities (PATC) of the 378
datasets of Cheng et al., ACS Nano 2020;14:3075 (doi:10.1021/acsnano.9b08142), as shipped by
UFPBPK/Nano-AI-PBPK-G1 (``examples/calibration/pbpk/cheng2020_g1_particle_size.csv``, CC0).
Script: ``examples/calibration/pbpk/extravasation_size.py`` (reference diameter = median size;
effective Renkin pore diameter fitted to ln PA_C over the same datasets).
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from nanocloak.knowledge.pbpk_membrane import membrane_layer

HERE = Path(__file__).resolve().parents[2] / "examples" / "calibration" / "pbpk"
SCRIPT = HERE / "extravasation_size.py"
SIZE_CSV = HERE / "cheng2020_g1_particle_size.csv"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extravasation_size", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _load()


def _diameters() -> np.ndarray:
    """HD column read straight from the CSV (independent of the script)."""
    lines = [x for x in SIZE_CSV.read_text().splitlines() if not x.startswith("#")]
    rows = list(csv.DictReader(lines))
    assert len(rows) == 378  # every G1 dataset, with or without a size
    return np.array(
        [float(r["hydrodynamic_diameter_nm"]) for r in rows if r["hydrodynamic_diameter_nm"]]
    )


def test_pk_extravasation_reference_diameter_is_the_g1_median_size() -> None:
    """Value = median HD of the 342 datasets that report one (exact: same numbers, no fit)."""
    d = _diameters()
    assert d.size == 342
    shipped = membrane_layer()["extravasation"].parameters["reference_diameter"]
    assert shipped.to("nm") == pytest.approx(float(np.median(d)), rel=1e-12)
    assert shipped.status == "derived"
    assert shipped.source == "nano_ai_pbpk_g1_data"


def test_pk_extravasation_reference_range_is_recomputed(script: ModuleType) -> None:
    """low/high = the widest of the bootstrap CI, geometric mean and DE24-band median.

    Tolerance 1e-3 relative: the YAML holds these to 4 significant figures.
    """
    ref = script.reference_diameter(script.read_sizes())
    value, low, high = ref.shipped()
    shipped = membrane_layer()["extravasation"].parameters["reference_diameter"]
    assert shipped.to("nm") == pytest.approx(value, rel=1e-12)
    assert shipped.unit == "nm"  # low/high are in the entry's unit
    assert shipped.low is not None
    assert shipped.high is not None
    assert shipped.low == pytest.approx(low, rel=1e-3)
    assert shipped.high == pytest.approx(high, rel=1e-3)
    assert low < value < high
    assert ref.geometric_mean_nm == pytest.approx(np.exp(np.mean(np.log(_diameters()))))


def test_pk_extravasation_pore_is_the_renkin_fit_to_the_g1_sizes(script: ModuleType) -> None:
    """Pore = least-squares Renkin fit of ln PA_C on size (unadjusted), range = the smaller
    profile-interval end to the search bound. Tolerance 1e-3 relative: the YAML holds four
    significant figures of the value and low end."""
    table = script.read_sizes()
    plain = script.fit_pore_diameter(table)
    adjusted = script.fit_pore_diameter(table, script.COVARIATES)
    value, low, high = script.shipped_pore(plain, adjusted)
    pore = membrane_layer()["extravasation"].parameters["pore_diameter"]
    ref = membrane_layer()["extravasation"].parameters["reference_diameter"]
    assert (pore.source, pore.status, pore.unit) == ("nano_ai_pbpk_g1_data", "derived", "nm")
    assert pore.to("nm") == pytest.approx(value, rel=1e-3)
    assert pore.low == pytest.approx(low, rel=1e-3)
    assert pore.high == pytest.approx(high, rel=1e-12)
    assert ref.high is not None
    assert low > ref.high  # every combination in range is admissible
    # adjusting for material, shape, targeting, tumour model and cancer type removes the effect
    assert adjusted.at_bound
    assert adjusted.low_nm > plain.low_nm


def test_pk_extravasation_pore_fit_recovers_a_known_pore(script: ModuleType) -> None:
    """Synthetic PA_C = 0.01 H(d / 600 nm) x lognormal noise on the G1 sizes, with the real
    residual SD of ln PA_C (2.1): over 10 seeded replicates the 95 % profile interval holds
    600 nm in at least 8 (binomial: P(<= 7 of 10 | 0.95) = 1 %) and excludes the 2552 nm
    fitted to the real data in every one, so the real fit's rejection of small pores is not
    an artefact of the method."""
    table = script.read_sizes()
    hindrance = np.array([script.renkin_hindrance(v / 600.0) for v in table.diameter_nm])
    covered = 0
    for seed in range(10):
        noise = np.random.default_rng(seed).normal(0.0, 2.1, size=hindrance.size)
        synthetic = script.SizeTable(
            dataset_id=table.dataset_id,
            diameter_nm=table.diameter_nm,
            patc=0.01 * hindrance * np.exp(noise),
            de24_percent=table.de24_percent,
            covariates=table.covariates,
            n_total=table.n_total,
        )
        fit = script.fit_pore_diameter(synthetic)
        assert fit.high_nm is not None
        assert fit.high_nm < 2552.0
        covered += fit.low_nm < 600.0 < fit.high_nm
    assert covered >= 8


def test_pk_extravasation_implied_pore_inverts_the_renkin_slope(script: ModuleType) -> None:
    """The pore-diameter check: the pore whose Renkin slope is that of a 600-nm pore is 600 nm,
    and a gentler slope means a wider pore."""
    d = _diameters()
    slope = script.renkin_slope(d, 600.0)
    assert script.implied_pore_nm(d, slope) == pytest.approx(600.0, rel=1e-4)
    assert script.implied_pore_nm(d, 0.5 * slope) > 600.0
    observed = script.size_slope(script.read_sizes())
    assert observed.low < observed.value < observed.high
