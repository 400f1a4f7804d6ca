"""Tests of workflows/imaging.py: MRI darkening and fluorescence from PBPK, thermal images."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.io.specs import load_design
from nanocloak.results.pk import PkResult
from nanocloak.workflows import imaging as wi
from nanocloak.workflows.simulate_design_pk import simulate_design_pk

DESIGNS = Path(__file__).resolve().parents[3] / "examples" / "designs"
TIMES = (4.0, 24.0, 48.0)


@cache
def _pk(name: str) -> PkResult:
    return simulate_design_pk(load_design(DESIGNS / f"{name}.toml"), 5.0, until_h=48.0)


def test_two_formulations_darken_the_tumor_differently() -> None:
    """Electroporation vs extrusion RBC-MNs: same core and r2, different tumor iron → different
    darkening; the difference comes only from the PBPK tumor concentration."""
    e, c = "rbc_mnc_electroporation", "rbc_mnc_extrusion"
    res_e = wi.mri_darkening(_pk(e), load_design(DESIGNS / f"{e}.toml"), times_h=TIMES)
    res_c = wi.mri_darkening(_pk(c), load_design(DESIGNS / f"{c}.toml"), times_h=TIMES)
    assert res_e.r2_per_mm_s == res_c.r2_per_mm_s
    tumor_e, tumor_c = res_e.percent_drop["tumor"], res_c.percent_drop["tumor"]
    assert np.all((tumor_e > 0.0) & (tumor_e < 100.0))
    assert abs(tumor_e[-1] - tumor_c[-1]) > 1.0
    more_iron = res_e.iron_mm["tumor"][-1] > res_c.iron_mm["tumor"][-1]
    assert more_iron == (tumor_e[-1] > tumor_c[-1])
    d = res_e.to_dict()
    assert d["kind"] == "mri_darkening"
    assert len(d["rows"]) == 3 * len(TIMES)
    assert "T2-weighted" in res_e.report()


def test_r2_from_outer_sphere_and_knowledge() -> None:
    design = load_design(DESIGNS / "msc_spio_sonication.toml")
    known, _, origin = wi.r2_for_core(design.core, 3.0, "knowledge")
    assert "core_materials" in origin
    assert known == pytest.approx(65.0 * 1.005)
    estimate, _, origin = wi.r2_for_core(design.core, 3.0, "outer_sphere")
    assert "outer-sphere" in origin
    assert estimate > 0.0
    gold = load_design(DESIGNS / "macrophage_au_nanoshell.toml")
    with pytest.raises(SpecificationError, match="iron-oxide"):
        wi.r2_for_core(gold.core, 3.0)


def test_fluorescence_time_course_dye_and_ucnp() -> None:
    pk = _pk("rbc_mnc_electroporation")
    res = wi.fluorescence_time_course(pk, "ir780", times_h=TIMES, depth_mm=2.0)
    assert res.concentration_unit == "uM"
    for organ in res.organs:
        assert np.all(res.signal[organ] > 0.0)
        assert np.all(res.sbr[organ] > 1.0)
    doubled = wi.fluorescence_time_course(
        pk, "ir780", times_h=TIMES, depth_mm=2.0, loading_ug_per_mg=20.0
    )
    assert np.allclose(doubled.signal["tumor"], 2.0 * res.signal["tumor"], rtol=1e-12)
    ucnp = wi.fluorescence_time_course(pk, "ucnp_er", times_h=(24.0,))
    assert ucnp.concentration_unit == "particles_per_ml"
    assert ucnp.provenance["excitation_absorption"].startswith("interpolated")
    assert "nearest" in ucnp.provenance["emission_absorption"]
    assert ucnp.to_dict()["rows"][0]["signal"] > 0.0


def test_times_outside_the_simulation_are_rejected() -> None:
    with pytest.raises(SpecificationError, match="times"):
        wi.fluorescence_time_course(_pk("rbc_mnc_electroporation"), "icg", times_h=(100.0,))
    with pytest.raises(SpecificationError, match="organs"):
        wi.fluorescence_time_course(_pk("rbc_mnc_electroporation"), "icg", organs=("nowhere",))


def test_tissue_optics_between_lines_and_outside() -> None:
    mua, musp, note = wi.tissue_optics_per_mm(808.0)
    assert 0.005 < mua < 0.05
    assert 0.5 < musp < 2.0
    assert note.startswith("interpolated")
    assert "nearest" in wi.tissue_optics_per_mm(1064.0)[2]


def test_thermal_image_defaults_from_knowledge() -> None:
    r = np.linspace(0.0, 15.0, 151)
    res = wi.thermal_image(r, 34.0 + 20.0 * np.exp(-(r**2) / 9.0), netd_k=0.0)
    assert res.settings["pixel_mm"] == 0.25
    assert 50.0 < res.peak_c <= 54.0
    assert res.to_dict()["kind"] == "thermal_image"
    assert "Thermal camera" in res.report()


@pytest.mark.parametrize(
    ("design", "model"),
    [
        ("rbc_mnc_electroporation", "maxwell_garnett_mie"),
        ("macrophage_au_nanoshell", "mie_coated_sphere"),
        ("4t1_aunanocage_dox", "hollow_sphere_equivalent_cage"),
        ("rbc_b16_hybrid_cus", "tabulated"),
        ("msc_spio_sonication", "mie_sphere"),
    ],
)
def test_core_mass_extinction_picks_the_mechanism(design: str, model: str) -> None:
    cs, value = wi.core_mass_extinction(load_design(DESIGNS / f"{design}.toml").core, 808.0)
    assert cs.model == model
    assert value > 0.0


def test_imaging_follows_the_chosen_subject() -> None:
    """Two animals whose tumour permeability differs 4-fold: the one with more particles in
    the tumour darkens more (MRI) and shines more (fluorescence); subject 0 is the default."""
    from nanocloak.workflows.simulate_pk import simulate_pk

    pk = simulate_pk("mouse", 5.0, None, 48.0, [{}, {}], scales=[{}, {"tumor.permeability": 4.0}])
    design = load_design(DESIGNS / "rbc_mnc_electroporation.toml")
    low = wi.mri_darkening(pk, design, times_h=[24.0]).percent_drop["tumor"][0]
    high = wi.mri_darkening(pk, design, times_h=[24.0], subject=1).percent_drop["tumor"][0]
    assert high > low
    assert wi.mri_darkening(pk, design, times_h=[24.0], subject=0).percent_drop["tumor"][0] == low
    f0 = wi.fluorescence_time_course(pk, "icg", times_h=[24.0]).sbr["tumor"][0]
    f1 = wi.fluorescence_time_course(pk, "icg", times_h=[24.0], subject=1).sbr["tumor"][0]
    assert f1 > f0
    with pytest.raises(SpecificationError, match="subject"):
        wi.mri_darkening(pk, design, times_h=[24.0], subject=2)
