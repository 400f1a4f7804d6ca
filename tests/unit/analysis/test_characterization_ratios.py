"""FRET fusion, western-blot ratios and CTC capture: hand calculations of values and SEs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from nanocloak.analysis.characterization import (
    analyze_ctc_table,
    analyze_fret_table,
    analyze_western_table,
    band_ratios,
    ctc_capture,
    fret_fusion,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import table_from_rows

R3 = math.sqrt(3.0)


def _triplicate(mean: float, se: float) -> list[float]:
    """Three values with the given mean and standard error (SD = SE·√3)."""
    return [mean - se * R3, mean, mean + se * R3]


def test_lipid_mixing_and_its_propagated_error_match_a_hand_calculation() -> None:
    donor = {
        "labelled": _triplicate(40.0, 1.0),
        "fused": _triplicate(60.0, 2.0),
        "triton": _triplicate(100.0, 3.0),
    }
    result = fret_fusion(donor, baseline="labelled", maximum="triton")
    mixing = result["lipid_mixing[fused]"]
    assert mixing.value == pytest.approx(100 * 20 / 60)
    # ∂/∂F = 100/60, ∂/∂F0 = 100(F − Fmax)/60² = −4000/3600, ∂/∂Fmax = −100·20/60² = −2000/3600
    by_hand = math.sqrt((100 / 60 * 2) ** 2 + (4000 / 3600 * 1) ** 2 + (2000 / 3600 * 3) ** 2)
    assert mixing.stderr == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(3.8888888, rel=1e-6)


def test_fret_efficiency_and_ratio() -> None:
    rows: list[list[object]] = [["sample", "donor", "acceptor"]]
    for sample, d, a in (("base", 50.0, 150.0), ("mix", 75.0, 75.0), ("max", 100.0, 20.0)):
        rows += [[sample, d, a], [sample, d, a]]
    rows += [["dii", 200.0, 1.0], ["dii", 200.0, 1.0]]
    result = analyze_fret_table(
        table_from_rows(rows, "fret"), baseline="base", maximum="max", donor_only="dii"
    )
    assert result.value("lipid_mixing[mix]") == pytest.approx(50.0)
    assert result.value("fret_efficiency[mix]") == pytest.approx(1 - 75 / 200)
    assert result.value("fret_efficiency[base]") == pytest.approx(0.75)
    assert result.value("fret_ratio[base]") == pytest.approx(150 / 200)


def test_fret_checks_its_references() -> None:
    donor = {"a": [10.0, 11.0], "b": [5.0, 6.0], "c": [7.0, 8.0]}
    with pytest.raises(DataFormatError, match="not above"):
        fret_fusion(donor, baseline="a", maximum="b")
    with pytest.raises(SpecificationError, match="baseline"):
        fret_fusion(donor, baseline="zz", maximum="b")
    result = fret_fusion({"a": [10.0], "b": [30.0], "c": [40.0]}, baseline="a", maximum="b")
    assert any("outside 0–100" in w for w in result.warnings)
    assert result["lipid_mixing[c]"].stderr is None


def test_band_ratios_subtract_background_normalise_and_propagate() -> None:
    labels = ["ref", "ref", "s", "s"]
    target = np.array([1100.0, 1300.0, 600.0, 700.0])
    target_bg = np.array([100.0, 100.0, 100.0, 100.0])
    loading = np.array([2050.0, 2450.0, 2050.0, 1650.0])
    loading_bg = np.array([50.0, 50.0, 50.0, 50.0])
    result = band_ratios(
        labels,
        target,
        loading,
        target_background=target_bg,
        loading_background=loading_bg,
        reference="ref",
    )
    ref = np.array([1000 / 2000, 1200 / 2400])  # both 0.5
    s = np.array([500 / 2000, 600 / 1600])  # 0.25, 0.375
    rel = s.mean() / ref.mean()
    se_s = s.std(ddof=1) / math.sqrt(2)
    assert result.value("relative[s]") == pytest.approx(rel)
    # the reference lanes agree exactly, so only the sample's SE contributes
    assert result["relative[s]"].stderr == pytest.approx(se_s / ref.mean(), rel=1e-12)
    assert result.value("relative[ref]") == pytest.approx(1.0)


def test_western_table_groups_and_errors() -> None:
    rows: list[list[object]] = [["protein", "sample", "target", "loading"]]
    rows += [["CD47", "ghost", 100.0, 50.0], ["CD47", "ghost", 110.0, 50.0]]
    rows += [["CD47", "NP", 80.0, 50.0], ["CD47", "NP", 90.0, 50.0]]
    table = table_from_rows(rows, "wb")
    result = analyze_western_table(table, reference="ghost")
    assert result.value("relative[NP]") == pytest.approx(170 / 210)
    with pytest.raises(SpecificationError, match="reference"):
        analyze_western_table(table, reference="nope")
    bad = [["sample", "target", "loading", "loading background"], ["a", 1.0, 5.0, 6.0]]
    with pytest.raises(DataFormatError, match="loading-control"):
        analyze_western_table(table_from_rows(bad, "bad"))


def test_ctc_capture_over_replicate_runs() -> None:
    result = ctc_capture([100, 100, 100], [90, 85, 95], wbc=[10, 15, 5], wbc_input=[1e6, 1e6, 1e6])
    assert result.value("capture_efficiency") == pytest.approx(90.0)
    assert result["capture_efficiency"].stderr == pytest.approx(5.0 / math.sqrt(3))
    purity = np.array([90 / 100, 85 / 100, 95 / 100]) * 100
    assert result.value("purity") == pytest.approx(purity.mean())
    enrichment = purity / (100 * 100 / (100 + 1e6))
    assert result.value("enrichment") == pytest.approx(enrichment.mean())
    depletion = np.log10(1e6 / np.array([10, 15, 5]))
    assert result.value("wbc_depletion") == pytest.approx(depletion.mean())
    ci = result["capture_efficiency"].ci
    assert ci is not None
    assert ci[1] <= 100.0


def test_single_ctc_run_uses_the_wilson_interval() -> None:
    result = ctc_capture([200], [180])
    low, high = proportion_confint(180, 200, alpha=0.05, method="wilson")
    assert result["capture_efficiency"].ci == pytest.approx((100 * low, 100 * high))
    assert result["capture_efficiency"].stderr == pytest.approx(100 * math.sqrt(0.9 * 0.1 / 200))
    assert any("run(s)" in w for w in result.warnings)


def test_ctc_table_and_errors() -> None:
    rows: list[list[object]] = [["spiked", "captured", "WBC"], [100, 80, 20], [100, 90, 10]]
    result = analyze_ctc_table(table_from_rows(rows, "ctc"))
    assert result.value("purity") == pytest.approx(85.0)
    with pytest.raises(DataFormatError, match="positive number of spiked"):
        ctc_capture([0], [0])
    with pytest.raises(DataFormatError, match="spiked target cells"):
        analyze_ctc_table(table_from_rows([["x"], [1]], "bad"))
