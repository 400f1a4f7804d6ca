"""Haemoglobin at 1064 nm: the knowledge-base extinction against its tabulated source.

Source: Bosschaart N et al., Lasers Med Sci 2014;29:453, doi:10.1007/s10103-013-1446-7,
appendix (compiled μa of whole blood, haematocrit 45 %), rows committed in
``knowledge/data/blood_absorption_bosschaart2014.csv``. Prahl's 1000-nm row (omlc.org,
Gratzer/Kollias compilation; source key ``prahl_hemoglobin``): ε(HbO₂) = 1024, ε(Hb) = 206.784
cm⁻¹ M⁻¹.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from nanocloak.kernels.optics.tissue import (
    BLOOD_HEMOGLOBIN_G_PER_L,
    HEMOGLOBIN_MOLAR_MASS_G_PER_MOL,
    blood_absorption_per_cm,
)
from nanocloak.knowledge import physics
from nanocloak.knowledge.data_files import read_text

PRAHL_1000_NM = {"oxyhemoglobin": 1024.0, "deoxyhemoglobin": 206.784}
COLUMN = {"oxyhemoglobin": "mua_oxy_per_mm", "deoxyhemoglobin": "mua_deoxy_per_mm"}
# decadic molar extinction -> whole-blood μa (cm⁻¹) at 150 g/L: ln 10 · c_Hb / M_Hb
PER_EPSILON = math.log(10.0) * BLOOD_HEMOGLOBIN_G_PER_L / HEMOGLOBIN_MOLAR_MASS_G_PER_MOL


def _table() -> dict[str, np.ndarray]:
    body = [
        line
        for line in read_text("blood_absorption_bosschaart2014.csv").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    rows = list(csv.DictReader(body))
    return {key: np.array([float(r[key]) for r in rows]) for key in rows[0]}


def _mua_per_cm(absorber: str, wavelength_nm: float) -> float:
    t = _table()
    return 10.0 * float(np.interp(wavelength_nm, t["wavelength_nm"], t[COLUMN[absorber]]))


@pytest.mark.parametrize("absorber", ["oxyhemoglobin", "deoxyhemoglobin"])
def test_1064_high_end_is_the_tabulated_blood_absorption(absorber: str) -> None:
    """high = μa(1064) / (ln 10 · 150 g/L / 64458 g/mol), μa linear between 1060 and 1065 nm
    (the suspension data's own scale). Tolerance 0.5 cm⁻¹ M⁻¹: the knowledge base rounds ε to
    an integer."""
    value = physics.absorber_value(absorber, 1064)
    assert value.source == "bosschaart2014_blood"
    assert value.status == "derived"
    assert value.high == pytest.approx(_mua_per_cm(absorber, 1064.0) / PER_EPSILON, abs=0.5)


def test_blood_model_gives_back_the_tabulated_whole_blood_absorption() -> None:
    """Round trip through the kernel at the high end: fully oxygenated and deoxygenated blood at
    1064 nm give Bosschaart's 4.52 and 2.02 cm⁻¹. Tolerance 0.005 cm⁻¹, the integer rounding of
    ε (0.5 · 5.36e-3 cm⁻¹)."""
    oxy = physics.absorber_value("oxyhemoglobin", 1064).high
    deoxy = physics.absorber_value("deoxyhemoglobin", 1064).high
    assert oxy is not None
    assert deoxy is not None
    assert blood_absorption_per_cm(oxy, deoxy, 1.0) == pytest.approx(4.52, abs=0.005)
    assert blood_absorption_per_cm(oxy, deoxy, 0.0) == pytest.approx(2.02, abs=0.005)


@pytest.mark.parametrize("absorber", ["oxyhemoglobin", "deoxyhemoglobin"])
def test_value_is_prahls_scale_with_bosschaarts_shape(absorber: str) -> None:
    """value = low = ε_Prahl(1000) · μa(1064)/μa(1000), both μa from the appendix, so the
    1064-nm line is on the same (haemolysate) scale as the 660-980 nm lines. Tolerance 0.5:
    integer rounding."""
    value = physics.absorber_value(absorber, 1064)
    ratio = _mua_per_cm(absorber, 1064.0) / _mua_per_cm(absorber, 1000.0)
    assert value.low == pytest.approx(PRAHL_1000_NM[absorber] * ratio, abs=0.5)
    assert value.value == value.low


def test_1064_continues_the_near_infrared_trend() -> None:
    """Past the ~800-nm isosbestic point HbO₂ absorbs more than Hb (808, 980 and 1064 nm alike),
    and HbO₂ falls beyond its ~920-nm band; in the source itself both species fall from 980 to
    1064 nm and fall monotonically over the suspension-only segment 1005-1065 nm."""
    oxy = {wl: physics.absorber_value("oxyhemoglobin", wl).value for wl in (808, 980, 1064)}
    deoxy = {wl: physics.absorber_value("deoxyhemoglobin", wl).value for wl in (808, 980, 1064)}
    for wl in (808, 980, 1064):
        assert oxy[wl] > deoxy[wl]
    assert oxy[1064] < oxy[980]
    hb_1064 = physics.absorber_value("deoxyhemoglobin", 1064)
    assert hb_1064.low is not None
    assert hb_1064.high is not None
    # Hb falls from its 760-nm band: below 808 at either end of the 1064-nm range
    assert hb_1064.high < deoxy[808]
    # the Prahl-scaled value continues Prahl's own decline past 980 nm
    assert deoxy[1064] == hb_1064.low < deoxy[980]
    t = _table()
    for absorber in COLUMN:
        assert _mua_per_cm(absorber, 1064.0) < _mua_per_cm(absorber, 980.0)
        segment = t[COLUMN[absorber]][(t["wavelength_nm"] >= 1005) & (t["wavelength_nm"] <= 1065)]
        assert np.all(np.diff(segment) <= 0.0)


def test_data_file_names_its_source_and_licence() -> None:
    header = [
        line
        for line in read_text("blood_absorption_bosschaart2014.csv").splitlines()
        if line.startswith("#")
    ]
    text = " ".join(header)
    assert "10.1007/s10103-013-1446-7" in text
    assert "Licence" in text
    t = _table()
    assert np.all(np.diff(t["wavelength_nm"]) > 0.0)
    assert t["wavelength_nm"][0] <= 980.0
    assert t["wavelength_nm"][-1] >= 1070.0
