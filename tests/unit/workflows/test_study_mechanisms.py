"""Mechanisms inside a study: photothermal and photodynamic kill, triggered release, vaccination.

Small studies (2 animals, one week, coarse settings) so each mechanism is seen switching on;
the size of each effect belongs to the kernels' own tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from nanocloak.io.study_specs import study_from_dict
from nanocloak.results.study import StudyResult
from nanocloak.workflows.run_study import run_study
from nanocloak.workflows.study_course import StudySettings

DESIGNS = Path(__file__).resolve().parents[3] / "examples" / "designs"
FAST = StudySettings(step_day=0.25, n_particles=400, thermal_step_mm=1.0, thermal_dt_s=30.0)


def laser(wavelength: str, irradiance: str = "1 W/cm^2") -> dict[str, Any]:
    return {
        "kind": "laser",
        "wavelength": wavelength,
        "irradiance": irradiance,
        "duration": "5 min",
        "after": "24 h",
    }


def run(groups: list[dict[str, Any]], model: str = "4T1", line: str | None = None) -> StudyResult:
    spec = study_from_dict(
        {
            "name": "mechanisms",
            "duration": "7 d",
            "tumor": {"model": model, "line": line},
            "readouts": {"imaging": [], "biodistribution": []},
            "groups": groups,
        },
        base=DESIGNS,
    )
    return run_study(spec, settings=FAST)


def particle(design: str, dose: str = "10 mg/kg") -> dict[str, Any]:
    return {"kind": "particle", "design": design, "dose": dose}


def test_laser_on_gold_nanocages_heats_kills_and_opens_the_phase_change_gate() -> None:
    result = run(
        [
            {"name": "AuNC", "animals": 2, "agent": particle("4t1_aunanocage_dox.toml")},
            {
                "name": "AuNC + laser",
                "animals": 2,
                "agent": particle("4t1_aunanocage_dox.toml"),
                "treatments": [laser("808 nm")],
            },
        ]
    )
    heat = result.endpoint("max_tumor_temperature", "AuNC + laser")
    assert np.all(heat > 40.0)
    assert np.all(result.endpoint("tumor_damage_fraction", "AuNC + laser") > 0.0)
    assert any("phase-change gate" in a for a in result.provenance["assumptions"])
    assert (
        result.endpoint("final_volume", "AuNC + laser").mean()
        < result.endpoint("final_volume", "AuNC").mean()
    )
    temps = result.readout("tumor_temperature", "AuNC + laser")
    assert set(temps["time_unit"]) == {"min"}


def test_red_laser_on_ce6_loaded_particles_kills_by_singlet_oxygen_and_breaks_shells() -> None:
    result = run(
        [
            {
                "name": "RMSN + 660",
                "animals": 2,
                "agent": particle("rbc_msn_dox_ce6.toml"),
                "treatments": [laser("660 nm", "0.5 W/cm^2")],
            }
        ]
    )
    notes = result.provenance["assumptions"]
    assert any("photodynamic kill by chlorin_e6" in a for a in notes)
    assert any("ROS shell rupture" in a for a in notes)
    assert np.all(result.endpoint("tumor_damage_fraction", "RMSN + 660") > 0.0)


def test_membrane_antigens_prime_only_with_an_adjuvant_in_an_immunocompetent_host() -> None:
    from nanocloak.io.specs import load_design

    design = load_design(DESIGNS / "4t1_aunanocage_dox.toml").model_dump(mode="json")
    with_cpg = {
        **design,
        "name": "with CpG",
        "cargos": [{"name": "cpg", "loading": {"basis": "mass", "per_core_mass": "0.05 mg/mg"}}],
    }
    without = {**design, "name": "no cargo", "cargos": []}
    groups = [
        {"name": "no adjuvant", "animals": 2, "agent": particle("x") | {"design": without}},
        {"name": "CpG", "animals": 2, "agent": particle("x") | {"design": with_cpg}},
    ]
    syngeneic = run(groups)
    assert any("membrane vaccine" in a for a in syngeneic.provenance["assumptions"])
    assert (
        syngeneic.endpoint("final_volume", "CpG").mean()
        < syngeneic.endpoint("final_volume", "no adjuvant").mean()
    )
    # same antigens (tumor line 4T1) in a nude host: no T cells, no vaccine effect
    nude = run(groups, model="MCF-7", line="4T1")
    assert not any("membrane vaccine" in a for a in nude.provenance["assumptions"])
    np.testing.assert_allclose(
        nude.endpoint("final_volume", "CpG"), nude.endpoint("final_volume", "no adjuvant")
    )
