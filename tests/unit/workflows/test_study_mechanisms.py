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
from nanocloak.workflows.study_settings import StudySettings

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


def test_imaging_readouts_follow_the_particle_mri_for_iron_fluorescence_for_a_dye() -> None:
    from nanocloak.io.specs import load_design

    design = load_design(DESIGNS / "rbc_mnc_electroporation.toml").model_dump(mode="json")
    dyed = {
        **design,
        "cargos": [{"name": "ir780", "loading": {"basis": "mass", "per_core_mass": "0.01 mg/mg"}}],
    }
    spec = study_from_dict(
        {
            "name": "imaging",
            "duration": "3 d",
            "tumor": {"model": "4T1"},
            "readouts": {
                "imaging": ["1 h", "24 h"],
                "imaging_modalities": ["mri", "fluorescence"],
                "biodistribution": [],
            },
            "groups": [
                {"name": "dyed MNs", "animals": 2, "agent": particle("x") | {"design": dyed}},
                {
                    "name": "AuNC",
                    "animals": 2,
                    "agent": particle("4t1_aunanocage_dox.toml"),
                },
            ],
        },
        base=DESIGNS,
    )
    result = run_study(spec, settings=FAST)
    mri = result.readout("mri_signal_drop", "dyed MNs")
    fluo = result.readout("fluorescence", "dyed MNs")
    assert set(mri["time"]) == {1.0, 24.0}
    assert set(mri["animal"]) == set(fluo["animal"]) == {0, 1}  # every animal is imaged
    assert (fluo[fluo["site"] == "tumor"]["value"] > 1.0).all()  # signal above background
    # a gold core darkens no T2 image and carries no fluorophore
    assert result.readout("mri_signal_drop", "AuNC").empty
    assert result.readout("fluorescence", "AuNC").empty


def test_gold_in_the_tumor_enhances_an_xray_fraction() -> None:
    xray = {"kind": "xray", "dose": "4 Gy", "beam": "kV", "after": "24 h"}
    result = run(
        [
            {"name": "PBS + x-ray", "animals": 2, "treatments": [xray]},
            {
                "name": "AuNC + x-ray",
                "animals": 2,
                "agent": particle("4t1_aunanocage_dox.toml")
                | {"design": "4t1_aunanocage_dox.toml"},
                "treatments": [xray],
            },
        ]
    )
    alone = result.endpoint("tumor_damage_fraction", "PBS + x-ray")
    # closed form without gold: 1 - exp(-alpha d - beta d^2) with the knowledge base's alpha, beta
    from nanocloak.knowledge import tumor as tumor_kb

    rad = tumor_kb.tumor_response().radiation
    a, b = rad["alpha"].to("1/Gy"), rad["beta"].to("1/Gy^2")
    np.testing.assert_allclose(alone, 1.0 - np.exp(-a * 4.0 - b * 16.0), rtol=1e-12)
    assert np.all(result.endpoint("tumor_damage_fraction", "AuNC + x-ray") > alone)


def test_glucose_oxidase_starves_the_tumor_at_the_quasi_steady_state() -> None:
    """Resupply balances consumption at the returned glucose; starvation slows growth."""
    from nanocloak.kernels.photochem.gox import gox_rate_um_per_s
    from nanocloak.knowledge import photochem as photochem_kb
    from nanocloak.workflows.study_modulation import _starved_glucose_fraction

    t_h = np.array([0.0, 24.0, 48.0])
    core = np.array([[0.0, 20.0, 10.0]])  # µg/g core in the tumor
    g = _starved_glucose_fraction(core, t_h, np.array([0.0, 1.0, 2.0]), 0.1)
    assert g[0, 0] == 1.0  # no enzyme, no starvation
    c = photochem_kb.photochem_constants()
    g0 = c.tumor_chemistry.glucose.to("uM")
    enzyme = 20.0 * 0.1 / 1000.0 / 160000.0 * 1e6
    use = gox_rate_um_per_s(
        enzyme,
        g[0, 1] * g0,
        c.oxygen.tissue_initial.to("uM"),
        c.glucose_oxidase.kcat.to("1/s"),
        c.glucose_oxidase.km_glucose.to("uM"),
        c.glucose_oxidase.km_oxygen.to("uM"),
    )
    supply = c.tumor_chemistry.glucose_resupply_rate.to("1/s") * g0 * (1.0 - g[0, 1])
    # bisection to 60 halvings of G0: balance to round-off relative to the supply scale
    assert abs(float(use) - supply) < 1e-9 * g0
    assert g[0, 2] > g[0, 1]  # less enzyme, less starvation


def test_xray_alone_needs_no_particle_in_the_study() -> None:
    xray = {"kind": "xray", "dose": "2 Gy", "beam": "MV", "after": "0 h"}
    result = run([{"name": "x-ray", "animals": 2, "treatments": [xray]}])
    assert np.all(result.endpoint("tumor_damage_fraction", "x-ray") > 0.0)


def test_animals_of_different_body_weight_get_their_own_dose_and_mass_balance() -> None:
    from nanocloak.io.specs import load_design
    from nanocloak.workflows.simulate_design_pk import simulate_design_pk

    design = load_design(DESIGNS / "rbc_mnc_electroporation.toml")
    pk = simulate_design_pk(
        design,
        5.0,
        "mouse",
        48.0,
        subject_scales=[{"body_weight": 0.8}, {"body_weight": 1.2}],
        n_particles=400,
    )
    np.testing.assert_allclose(pk.body_weight_kg[1] / pk.body_weight_kg[0], 1.5, rtol=1e-12)
    # the dose is per kg: each animal received its own amount, and every amount is accounted for
    np.testing.assert_allclose(pk.dosed_mg[1, -1] / pk.dosed_mg[0, -1], 1.5, rtol=1e-12)
    np.testing.assert_allclose(pk.states_total_mg, pk.dosed_mg, rtol=1e-6)


def test_a_magnet_over_the_tumor_draws_magnetic_cores_but_not_gold() -> None:
    magnet = {"kind": "magnet", "duration": "60 min"}
    result = run(
        [
            {"name": "MNs", "animals": 2, "agent": particle("rbc_mnc_electroporation.toml")},
            {
                "name": "MNs + magnet",
                "animals": 2,
                "agent": particle("rbc_mnc_electroporation.toml"),
                "treatments": [magnet],
            },
            {
                "name": "AuNC + magnet",
                "animals": 2,
                "agent": particle("4t1_aunanocage_dox.toml"),
                "treatments": [magnet],
            },
        ]
    )
    tumor = result.readout("tumor_particles")
    at = tumor[tumor["time"] == tumor["time"].max()].groupby("group")["value"].mean()
    assert at["MNs + magnet"] > at["MNs"]
    notes = result.provenance["assumptions"]
    assert any("magnet: drift" in a for a in notes)
    assert any("au_nanocage is not magnetic" in a for a in notes)
