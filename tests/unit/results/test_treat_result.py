"""TreatmentResult: JSON-safe dictionary, Markdown report, plots."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from nanocloak.errors import NanocloakWarning
from nanocloak.io.specs import load_design
from nanocloak.results.treatment import TreatmentResult
from nanocloak.workflows.treat import (
    FieldSetting,
    LaserSetting,
    TumorSite,
    magnetic_treatment,
    photothermal_treatment,
)
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def result() -> TreatmentResult:
    design = load_design(EXAMPLES / "rbc_mnc_electroporation.toml")
    return photothermal_treatment(
        design, 0.3, LaserSetting(808, 1.0, 5.0, 120.0), TumorSite(3.5, 0.5), step_mm=1.0
    )


def test_treat_result_dict_is_json_safe(result: TreatmentResult) -> None:
    payload = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert payload["kind"] == "treatment_ptt"
    assert len(payload["time_course"]["t_s"]) == result.t_s.size
    assert payload["metrics"]["skin_burn"] is False
    assert len(payload["maps"]["final_temperature_c"]) == result.r_mm.size
    sources = {p["source"] for p in payload["provenance"]["parameters"]}
    assert "querry1985" in sources
    assert "vanrhoon2013" in sources


def test_treat_result_report_names_outcomes_parameters_and_fits(result: TreatmentResult) -> None:
    text = result.report()
    for part in ("# Photothermal therapy: RBC-MNs-E", "## Outcomes", "## Skin", "## Parameters"):
        assert part in text
    assert "tumor perfusion" in text
    assert "fitted" in text
    assert {row["quantity"] for row in result.summary()} >= {"tumor_cem43_t90_min", "skin_burn"}


def test_treat_result_t90_dose_is_below_the_mean_dose(result: TreatmentResult) -> None:
    dose = result.tumor_cem43_min
    assert 0.0 < dose.t90 <= dose.volume_mean <= dose.maximum
    assert 0.0 <= result.tumor_damage_fraction <= 1.0


def test_treat_result_plots(result: TreatmentResult, tmp_path: Path) -> None:
    out = tmp_path / "ptt.png"
    result.save_plot(str(out))
    assert out.stat().st_size > 10_000
    ax = result.plot()
    assert ax.get_xlabel() == "time (min)"
    with pytest.raises(ValueError, match="quantity"):
        result.plot_map(quantity="dose")


def test_mht_result_report_title() -> None:
    design = load_design(EXAMPLES / "rbc_mnc_electroporation.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NanocloakWarning)
        r = magnetic_treatment(
            design, 1.0, FieldSetting(15, 300, 60), TumorSite(3.5, 0.5), step_mm=1.0
        )
    assert r.report().startswith("# Magnetic hyperthermia")
    assert r.to_dict()["setting"]["h_times_f_a_per_m_s"] == pytest.approx(4.5e9)
