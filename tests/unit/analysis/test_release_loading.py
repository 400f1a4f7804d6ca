"""Loading definitions and the sampling-volume correction, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.analysis.release import (
    analyze_loading,
    corrected_concentration,
    cumulative_release_pct,
    encapsulation_efficiency_direct,
    encapsulation_efficiency_indirect,
    loading_contents,
)
from nanocloak.errors import SpecificationError


def test_loading_definitions_have_their_own_denominators() -> None:
    """1 mg fed, 0.3 mg free, 0.7 mg loaded on 5 mg core with 1 mg membrane."""
    assert encapsulation_efficiency_indirect(1.0, 0.3) == pytest.approx(70.0)
    assert encapsulation_efficiency_direct(0.7, 1.0) == pytest.approx(70.0)
    c = loading_contents(np.array(0.7), np.array(5.0), np.array(1.0))
    assert c["dlc_carrier"] == pytest.approx(100 * 0.7 / 5.7)
    assert c["dlc_particle"] == pytest.approx(100 * 0.7 / 6.7)
    assert c["lc"] == pytest.approx(100 * 0.7 / 5.0)


def test_sampling_correction_hand_example() -> None:
    """V0 = 10 mL, Vs = 1 mL, C = 10, 20, 30 µg/mL, dose 1 mg.

    Released mass: 10·10 = 100 µg; 10·20 + 1·10 = 210 µg; 10·30 + 1·(10 + 20) = 330 µg,
    i.e. 10 %, 21 %, 33 %; corrected concentrations 10, 21, 33 µg/mL.
    """
    c = np.array([10.0, 20.0, 30.0])
    np.testing.assert_allclose(corrected_concentration(c, 1.0, 10.0), [10.0, 21.0, 33.0])
    np.testing.assert_allclose(cumulative_release_pct(c / 1000, 1.0, 10.0, 1.0), [10, 21, 33])


def test_sampling_without_replacement_shrinks_the_volume() -> None:
    """Volumes 10, 9, 8 mL: 100, 9·20 + 10 = 190, 8·30 + 30 = 270 µg."""
    c = np.array([10.0, 20.0, 30.0]) / 1000
    np.testing.assert_allclose(
        cumulative_release_pct(c, 1.0, 10.0, 1.0, replaced=False), [10, 19, 27]
    )
    with pytest.raises(SpecificationError, match="leave medium"):
        cumulative_release_pct(np.ones(12), 1.0, 10.0, 1.0, replaced=False)


def test_analyze_loading_replicates_and_warnings() -> None:
    result = analyze_loading(
        {
            "fed": [1.0, 1.0, 1.0],
            "free": [0.3, 0.32, 0.28],
            "loaded": [0.55, 0.56, 0.54],
            "carrier": [5.0, 5.0, 5.0],
            "membrane": [1.0, 1.0, 1.0],
        }
    )
    assert result.value("ee_indirect") == pytest.approx(70.0)
    assert result.value("ee_direct") == pytest.approx(55.0)
    assert result["ee_indirect"].stderr == pytest.approx(np.std([70, 68, 72], ddof=1) / np.sqrt(3))
    # DLC uses the directly measured drug when present.
    assert result.value("dlc_carrier") == pytest.approx(100 * 0.55 / 5.55, rel=1e-3)
    assert any("differ by > 10" in w for w in result.warnings)
    assert any("DLC (whole particle)" in f for f in result.formulas)
    with pytest.raises(SpecificationError, match="fed \\+ free"):
        analyze_loading({"membrane": [1.0]})
