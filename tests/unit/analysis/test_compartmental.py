"""One- and two-compartment IV bolus fits: exact recovery, micro-constants, CI coverage, CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from nanocloak.analysis.compartmental import (
    fit_iv_bolus,
    residual_weights,
    strip_two_compartment,
    two_compartment,
)
from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError, SpecificationError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "data" / "pk"
T = np.array([0.083, 0.25, 0.5, 1, 2, 4, 8, 12, 24, 36, 48])


@pytest.mark.parametrize("weighting", ["1", "1/y", "1/y2"])
def test_two_compartment_noise_free_recovery(weighting: str) -> None:
    """A = 10, α = 1, B = 5, β = 0.1 h⁻¹, dose 150 mg. By hand:
    k21 = (Aβ + Bα)/(A + B) = 6/15 = 0.4; k10 = αβ/k21 = 0.25; k12 = α + β − k21 − k10 = 0.45;
    V1 = 150/15 = 10 L; AUC = A/α + B/β = 60; CL = 2.5 L/h; Vss = V1(1 + k12/k21) = 21.25 L;
    Vβ = CL/β = 25 L; MRT = (A/α² + B/β²)/AUC = 510/60."""
    r = fit_iv_bolus(T, two_compartment(T, 10, 1, 5, 0.1), 150.0, weighting=weighting)  # type: ignore[arg-type]
    expected = {
        "a": 10,
        "alpha": 1,
        "b": 5,
        "beta": 0.1,
        "k21": 0.4,
        "k10": 0.25,
        "k12": 0.45,
        "v1": 10,
        "auc": 60,
        "cl": 2.5,
        "vss": 21.25,
        "vz": 25,
        "v2": 11.25,
        "mrt": 510 / 60,
        "half_life_alpha": math.log(2),
        "half_life_beta": 10 * math.log(2),
    }
    for name, value in expected.items():
        assert r.value(name) == pytest.approx(value, rel=1e-7), name
    assert r["cl"].unit == "L/h"
    assert r["v1"].unit == "L"
    assert not r.warnings


def test_one_compartment_noise_free_recovery() -> None:
    """C = 10·exp(−0.1 t), dose 100: V = 10, CL = 1, AUC = C0/k = 100, t½ = ln2/k, MRT = 10."""
    r = fit_iv_bolus(T, 10 * np.exp(-0.1 * T), 100.0, compartments=1)
    for name, value in {
        "c0": 10,
        "k": 0.1,
        "v": 10,
        "cl": 1,
        "auc": 100,
        "mrt": 10,
        "half_life": 10 * math.log(2),
    }.items():
        assert r.value(name) == pytest.approx(value, rel=1e-8), name


def test_curve_stripping_is_close_on_clean_data() -> None:
    a, alpha, b, beta = strip_two_compartment(T, two_compartment(T, 10, 1, 5, 0.1))
    # the tail (t ≥ 4 h) still holds a little of 10·e^(−t), so β and B are slightly off
    assert beta == pytest.approx(0.1, rel=1e-3)
    assert b == pytest.approx(5, rel=1e-2)
    assert alpha == pytest.approx(1.0, rel=0.2)  # stripping is only a starting point
    assert a == pytest.approx(10, rel=0.2)


def test_weights_are_square_roots_of_wls_weights() -> None:
    c = np.array([4.0, 1.0])
    assert residual_weights(c, "1").tolist() == [1.0, 1.0]
    assert residual_weights(c, "1/y").tolist() == [0.5, 1.0]
    assert residual_weights(c, "1/y2").tolist() == [0.25, 1.0]
    with pytest.raises(SpecificationError, match="weighting"):
        residual_weights(c, "1/x")  # type: ignore[arg-type]


def test_confidence_interval_coverage_with_proportional_noise() -> None:
    """5 % log-normal noise, weighting 1/y² (right for proportional error): the 95 % Wald
    CIs of β and CL should cover the truth in about 95 % of 200 seeded replicates. With 200
    replicates the binomial SD of the coverage is 1.5 %; Wald intervals of a nonlinear fit
    with 7 degrees of freedom run a little narrow, so accept ≥ 88 % (≈ 4.5 SD below 95 %)."""
    rng = np.random.default_rng(2024)
    truth = two_compartment(T, 10, 1, 5, 0.1)
    covered = {"beta": 0, "cl": 0}
    n = 200
    for _ in range(n):
        c = truth * np.exp(rng.normal(0, 0.05, T.size))
        r = fit_iv_bolus(T, c, 150.0, weighting="1/y2")
        for name, true in (("beta", 0.1), ("cl", 2.5)):
            low, high = r[name].ci or (math.nan, math.nan)
            covered[name] += low <= true <= high
    assert covered["beta"] / n >= 0.88
    assert covered["cl"] / n >= 0.88


def test_noisy_fit_recovers_parameters_within_tolerance() -> None:
    """One seeded 5 % noise replicate: β within 10 % and CL within 10 % (each is > 3 SE of
    the fitted parameter here, about 3 % for both)."""
    rng = np.random.default_rng(11)
    c = two_compartment(T, 10, 1, 5, 0.1) * np.exp(rng.normal(0, 0.05, T.size))
    r = fit_iv_bolus(T, c, 150.0, weighting="1/y2")
    assert r.value("beta") == pytest.approx(0.1, rel=0.1)
    assert r.value("cl") == pytest.approx(2.5, rel=0.1)
    assert r["beta"].stderr is not None
    assert r["beta"].stderr < 0.05 * 0.1


def test_one_compartment_data_warns_and_aic_prefers_one_compartment() -> None:
    rng = np.random.default_rng(3)
    c = 10 * np.exp(-0.1 * T) * np.exp(rng.normal(0, 0.03, T.size))
    one = fit_iv_bolus(T, c, 100.0, compartments=1, weighting="1/y2")
    two = fit_iv_bolus(T, c, 100.0, compartments=2, weighting="1/y2")
    assert one.value("aic") < two.value("aic")
    assert two.warnings


def test_input_errors() -> None:
    with pytest.raises(SpecificationError, match="compartments"):
        fit_iv_bolus(T, np.exp(-T), compartments=3)  # type: ignore[arg-type]
    with pytest.raises(DataFormatError, match="at least 5"):
        fit_iv_bolus(T[:4], np.exp(-T[:4]), compartments=2)
    with pytest.raises(SpecificationError, match="ci_level"):
        fit_iv_bolus(T, np.exp(-T), ci_level=95)


def test_cli_runs_on_example(tmp_path: Path) -> None:
    out = CliRunner().invoke(
        app,
        [
            "analyze",
            "pk-fit",
            str(EXAMPLES / "iv_bolus_two_compartment.csv"),
            "--group-by",
            "Animal",
            "--compartments",
            "both",
            "--weighting",
            "1/y2",
            "--json",
            "--plot",
            str(tmp_path / "fit.png"),
        ],
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert len(rows) == 6  # 3 animals × 2 models
    two = [r for r in rows if r["kind"] == "iv_bolus_2cpt"]
    for r in two:
        beta = next(e for e in r["estimates"] if e["name"] == "beta")
        # synthetic truth β = 0.1 /h with 8 % noise (README): within 25 %
        assert beta["value"] == pytest.approx(0.1, rel=0.25)
    assert (tmp_path / "fit.png").exists()
