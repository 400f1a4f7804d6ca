"""The imaging and optical-constant data files load, carry units and sources, and say so."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import imaging, optical_constants


def test_imaging_constants_load_with_every_fluorophore() -> None:
    table = imaging.imaging_constants().fluorophores
    assert {"icg", "ir780", "dir", "cy55", "ucnp_er"} <= set(table)
    for dye in table.values():
        assert dye.excitation_peak.to("nm") > 500.0
        if dye.kind == "dye":
            assert dye.molar_extinction is not None
            assert dye.extinction_spectrum is not None
    assert imaging.fluorophore("Cy5.5").name.startswith("Cy5.5")
    with pytest.raises(KnowledgeBaseError, match="unknown fluorescent label"):
        imaging.fluorophore("gfp")


def test_spectra_peak_at_the_excitation_wavelength() -> None:
    for label in ("icg", "ir780", "dir", "cy55"):
        wl, eps = imaging.extinction_spectrum(label)
        peak = imaging.fluorophore(label).excitation_peak.to("nm")
        assert wl[int(np.argmax(eps))] == pytest.approx(peak, abs=1.0)


def test_mri_tables_and_field_lookup() -> None:
    t1_15, t2_15 = imaging.tissue_relaxation_ms(1.5, "liver")
    t1_3, _ = imaging.tissue_relaxation_ms(3.0, "liver")
    assert t1_3 > t1_15
    assert t2_15 > 0.0
    with pytest.raises(KnowledgeBaseError, match=r"9\.4"):
        imaging.r2_field_ratio(9.4)
    with pytest.raises(KnowledgeBaseError, match="tissue"):
        imaging.tissue_relaxation_ms(3.0, "brain")


def test_check_rejects_bad_source_and_unit() -> None:
    from nanocloak.knowledge.schema import Value

    bad = imaging.Relaxation(
        t1=Value(value=1.0, unit="ms", source="nowhere", status="assumed"),
        t2=Value(value=1.0, unit="ms", source="jacques2013", status="assumed"),
    )
    with pytest.raises(KnowledgeBaseError, match="nowhere"):
        imaging.check("x.yaml", bad)
    wrong = imaging.Relaxation(
        t1=Value(value=1.0, unit="m", source="jacques2013", status="assumed"),
        t2=Value(value=1.0, unit="ms", source="jacques2013", status="assumed"),
    )
    with pytest.raises(KnowledgeBaseError, match="expected a unit"):
        imaging.check("x.yaml", wrong)


@pytest.mark.parametrize("material", ["gold", "magnetite"])
def test_index_tables_name_source_and_licence(material: str) -> None:
    table = optical_constants.index_table(material)
    text = " ".join(table.header)
    assert "Source" in text
    assert "CC0" in text
    lo, hi = table.range_nm
    assert lo < 660.0
    assert hi > 1064.0
    assert np.all(np.diff(table.wavelength_nm) > 0.0)


def test_johnson_christy_gold_value() -> None:
    """J&C 1972 Table 1: n = 0.16, k = 5.083 at 821.1 nm (1.51 eV)."""
    table = optical_constants.index_table("gold")
    i = int(np.argmin(abs(table.wavelength_nm - 821.1)))
    assert (table.n[i], table.k[i]) == (0.16, 5.083)


def test_drude_media_and_tables() -> None:
    assert optical_constants.drude("gallium")["plasma_ev"] == pytest.approx(14.7)
    assert optical_constants.medium_index("water") == 1.33
    wl, values = optical_constants.tabulated_mass_extinction("cus_hollow")
    assert wl[int(np.argmax(values))] == 900.0
    with pytest.raises(KnowledgeBaseError, match="no optical-constant table"):
        optical_constants.index_table("silver")
    with pytest.raises(KnowledgeBaseError, match="no Drude"):
        optical_constants.drude("silver")
