"""``calibrate_pk`` recovers known PBPK parameters from synthetic time courses.

Synthetic data are simulated by ``simulate_pk`` with known parameters at the observation times
(which lie on the output grid the fit uses), so without noise the fit must return the truth to
the solver's tolerance; with seeded noise the truth must lie inside the stated intervals.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.pk_data import PkObservations
from nanocloak.workflows.calibrate_pk import calibrate_pk, grid_step
from nanocloak.workflows.simulate_pk import simulate_pk

TRUE = {"liver.k_max": 0.6, "spleen.k_max": 2.0}
TIMES_H = (1.0, 4.0, 24.0, 72.0, 168.0)
SERIES = (("liver", "%ID"), ("spleen", "%ID/g"), ("blood", "%ID"))
DOSE = 5.0


def synthetic(
    truth: Mapping[str, float],
    cv: float = 0.0,
    seed: int | None = None,
    with_sd: bool = False,
    series: Sequence[tuple[str, str]] = SERIES,
) -> PkObservations:
    """Observations of a simulated mouse; noise multiplies (log) or adds (SD) at ``cv``."""
    result = simulate_pk("mouse", DOSE, None, max(TIMES_H), dict(truth), step_h=1.0)
    times, organs, quantities, values = [], [], [], []
    for organ, quantity in series:
        curve = result.series(organ, quantity)
        for t in TIMES_H:
            times.append(t)
            organs.append(organ)
            quantities.append(quantity)
            values.append(float(np.interp(t, result.t_h, curve)))
    exact = np.array(values)
    rng = np.random.default_rng(seed)
    if with_sd:
        sd = cv * exact
        noisy = exact + sd * rng.standard_normal(exact.size)
        return PkObservations.from_rows(times, organs, quantities, noisy, list(sd))
    noisy = exact * np.exp(cv * rng.standard_normal(exact.size))
    return PkObservations.from_rows(times, organs, quantities, noisy)


def test_pk_fit_recovers_exact_parameters_without_noise() -> None:
    fit = calibrate_pk(synthetic(TRUE), list(TRUE), dose_mg_per_kg=DOSE, ci="covariance")
    assert fit.converged
    assert fit.residual_model == "log"
    for key, value in TRUE.items():
        # the data come from the same solver (rtol 1e-7) on the same grid: only optimizer
        # tolerance separates the estimate from the truth
        assert fit.value(key) == pytest.approx(value, rel=1e-6)
    assert fit.gof["chi2"] < 1e-12
    assert fit.gof["r2_log"] == pytest.approx(1.0, abs=1e-12)
    assert fit.gof["within_2fold"] == 1.0


def test_pk_fit_log_noise_truth_inside_covariance_intervals() -> None:
    data = synthetic(TRUE, cv=0.1, seed=11)
    fit = calibrate_pk(data, list(TRUE), dose_mg_per_kg=DOSE)
    assert fit.ci_method == "covariance"  # auto with two parameters
    for key, value in TRUE.items():
        low, high = fit[key].ci or (math.nan, math.nan)
        assert low < fit.value(key) < high
        assert low < value < high
    # residual SD estimated from the fit: near the 10 % noise put in (15 observations, 13 dof)
    assert 0.05 < math.sqrt(fit.gof["redchi"]) < 0.2
    corr = fit.correlation
    assert corr.shape == (2, 2)
    np.testing.assert_allclose(np.diag(corr), 1.0)
    assert abs(corr[0, 1]) < 1.0


@pytest.mark.parametrize("seed", [0, 1])
def test_pk_fit_weighted_profile_interval_covers_the_truth(seed: int) -> None:
    data = synthetic(TRUE, cv=0.1, seed=seed, with_sd=True)
    fit = calibrate_pk(
        data, ["liver.k_max"], dose_mg_per_kg=DOSE, fixed={"spleen.k_max": TRUE["spleen.k_max"]}
    )
    assert fit.residual_model == "weighted"
    assert fit.ci_method == "profile"
    low, high = fit["liver.k_max"].ci or (math.nan, math.nan)
    # 95 % profile interval with known SDs: both seeds cover with probability 0.95^2 ≈ 0.90
    assert low < TRUE["liver.k_max"] < high
    # a nearly linear problem: the profile interval is close to the covariance one
    se = fit["liver.k_max"].stderr or math.nan
    assert (high - low) == pytest.approx(2 * 1.96 * se, rel=0.25)


def test_pk_fit_result_serializes_reports_and_plots(tmp_path: Path) -> None:
    data = synthetic(TRUE, series=(("liver", "%ID"),))
    fit = calibrate_pk(
        data, ["liver.k_max"], dose_mg_per_kg=DOSE, initial={"liver.k_max": 0.2}, ci="covariance"
    )
    payload = json.loads(json.dumps(fit.to_dict(), allow_nan=False))
    assert payload["kind"] == "pk_calibration"
    assert payload["estimates"][0]["parameter"] == "liver.k_max"
    assert payload["estimates"][0]["initial"] == pytest.approx(0.2)
    assert len(payload["observations"]) == len(TIMES_H)
    text = fit.report()
    assert "## Estimates" in text
    assert "proportional errors" in text
    out = tmp_path / "fit.png"
    fit.save_plot(str(out))
    assert out.stat().st_size > 0
    assert len(fit.panels()) == 2


def test_pk_fit_input_errors() -> None:
    data = synthetic(TRUE, series=(("liver", "%ID"),))
    with pytest.raises(SpecificationError, match="a model parameter"):
        calibrate_pk(data, ["liver.speed"], dose_mg_per_kg=DOSE)
    with pytest.raises(SpecificationError, match="not also fitted"):
        calibrate_pk(data, ["liver.k_max"], dose_mg_per_kg=DOSE, fixed={"liver.k_max": 1.0})
    with pytest.raises(SpecificationError, match="an SD > 0 on every observation"):
        calibrate_pk(data, ["liver.k_max"], dose_mg_per_kg=DOSE, residuals="weighted")
    with pytest.raises(SpecificationError, match="0 < lower < upper"):
        calibrate_pk(data, ["liver.k_max"], dose_mg_per_kg=DOSE, bounds={"liver.k_max": (1, 0.1)})
    with pytest.raises(SpecificationError, match="inside the bounds"):
        calibrate_pk(data, ["liver.k_max"], dose_mg_per_kg=DOSE, bounds={"liver.k_max": (1.0, 2.0)})
    with pytest.raises(SpecificationError, match="parameters of this model"):
        calibrate_pk(data, ["brain.k_max"], dose_mg_per_kg=DOSE)
    with pytest.raises(SpecificationError, match="positive starting value"):
        calibrate_pk(data, ["liver.k_max"], dose_mg_per_kg=DOSE, initial={"liver.k_max": 0.0})
    heart = PkObservations.from_rows([1.0], ["heart"], ["%ID"], [1.0])
    with pytest.raises(DataFormatError, match="'heart' is not a model output"):
        calibrate_pk(heart, ["liver.k_max"], dose_mg_per_kg=DOSE)
    urine = PkObservations.from_rows([1.0], ["urine"], ["%ID/g"], [1.0])
    with pytest.raises(DataFormatError, match="urine has no mass"):
        calibrate_pk(urine, ["liver.k_max"], dose_mg_per_kg=DOSE)


def test_pk_fit_grid_step_puts_every_time_on_the_grid() -> None:
    step, exact = grid_step(np.array([0.5, 4.0, 24.0, 4320.0]), 4320.0)
    assert exact
    assert step == 0.5
    step, exact = grid_step(np.array([1 / 12, 0.25, 1.0]), 1.0)  # 5 min, 15 min
    assert exact
    assert step == pytest.approx(1 / 12)
    # a time that is not a whole number of seconds: interpolation on a fine grid
    step, exact = grid_step(np.array([0.123456789, 10.0]), 10.0)
    assert not exact
    assert step == pytest.approx(10.0 / 20_000)
