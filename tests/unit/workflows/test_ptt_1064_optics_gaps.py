"""PTT at 1064 nm: the haemoglobin and Fe3O4-cluster optics are tabulated, so no gap notes.

Before the 1064-nm lines were sourced, the workflow warned that the cluster's absorption share
was taken as 1 and that haemoglobin was left out of the tissue absorption. These tests pin that
the sourced values are now used (and said so in the provenance), with the tissue absorption
recomputed independently from Jacques 2013 eq. 12.
"""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from nanocloak.cli.app import app
from nanocloak.domain.formulation import Design
from nanocloak.io.specs import load_design
from nanocloak.knowledge import loader, physics
from nanocloak.workflows import calibrate_ptt
from nanocloak.workflows.treat import LaserSetting, TumorSite, photothermal_treatment
from nanocloak.workflows.treat_optics import designed_core_optics, tissue_optics
from tests.conftest import EXAMPLES

DESIGN = EXAMPLES / "rbc_mnc_electroporation.toml"
SITE = TumorSite(3.5, 0.5)
GAP_PHRASES = ("not tabulated", "left out", "upper bound")


@pytest.fixture(scope="module")
def electro() -> Design:
    return load_design(DESIGN)


def test_cluster_optics_at_1064_come_from_the_table(electro: Design) -> None:
    ext, share, rows, notes = designed_core_optics(electro.core, 1064.0)
    props = loader.core_materials()["fe3o4_mnc"].properties
    assert ext == props["mass_extinction_1064nm"].value
    assert share == props["absorption_to_extinction_1064nm"].value < 1.0
    assert notes == []
    row = next(r for r in rows if r["name"] == "fe3o4_mnc absorption share at 1064 nm")
    assert (row["source"], row["status"]) == ("querry1985", "derived")


def test_tissue_absorption_at_1064_includes_haemoglobin() -> None:
    """μa = B[S μa,oxy + (1−S) μa,deoxy] + W μa,water with μa,blood = ln 10 · (150/64458) · ε
    (Jacques 2013 eq. 12), recomputed here from the knowledge-base numbers; rel 1e-12 because
    it is the same arithmetic."""
    mua_mm, _, _, notes = tissue_optics(1064.0)
    assert notes == []
    cal = calibrate_ptt.calibration_values()
    b = cal["tumor.blood_fraction"].to("dimensionless")
    s = cal["tumor.saturation"].to("dimensionless")
    w = cal["tumor.water_fraction"].to("dimensionless")
    per_eps = math.log(10.0) * 150.0 / 64458.0
    oxy = per_eps * physics.absorber_value("oxyhemoglobin", 1064).to("1/(cm*M)")
    deoxy = per_eps * physics.absorber_value("deoxyhemoglobin", 1064).to("1/(cm*M)")
    water = physics.absorber_value("water", 1064).to("1/cm")
    expected_cm = b * (s * oxy + (1.0 - s) * deoxy) + w * water
    assert mua_mm == pytest.approx(expected_cm / 10.0, rel=1e-12)
    assert mua_mm > w * water / 10.0  # haemoglobin now contributes


def test_ptt_at_1064_warns_of_no_optics_gap(electro: Design) -> None:
    laser = LaserSetting(1064, 1, 5, 60)
    r = photothermal_treatment(electro, 0.1, laser, SITE, step_mm=1.0, dt_s=10.0)
    assert not [w for w in r.warnings if any(p in w for p in GAP_PHRASES)]
    props = loader.core_materials()["fe3o4_mnc"].properties
    # ln(10) ε_m s_abs c in mm⁻¹: the tabulated share (0.98), not 1, scales the particle heating
    expected = (
        math.log(10.0)
        * props["mass_extinction_1064nm"].value
        * props["absorption_to_extinction_1064nm"].value
        * 0.1
        / 10.0
    )
    assert r.heating["particle_absorption_per_mm"] == pytest.approx(expected, rel=1e-12)


def test_ptt_command_at_1064_prints_no_optics_gap_warning() -> None:
    result = CliRunner().invoke(
        app,
        [
            "ptt",
            str(DESIGN),
            "--laser",
            "1064nm",
            "--irradiance",
            "1W/cm2",
            "--minutes",
            "1",
            "--concentration",
            "0.1mg/mL",
            "--step",
            "1mm",
        ],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # rich wraps long warnings across lines
    assert "tumor max" in text
    for phrase in GAP_PHRASES:
        assert phrase not in text


def test_tissue_absorption_names_the_haemoglobin_source_of_each_line() -> None:
    """The μa provenance names the table each haemoglobin value came from: Bosschaart 2014
    at 1064 nm (Prahl's table stops at 1000 nm), Prahl at 808 nm."""
    sources = {wl: tissue_optics(wl)[2][0]["source"] for wl in (808.0, 1064.0)}
    assert "bosschaart2014_blood" in sources[1064.0]
    assert "prahl_hemoglobin" not in sources[1064.0]
    assert "prahl_hemoglobin" in sources[808.0]
    assert all("hale_querry1973" in s for s in sources.values())
