"""The knowledge base: every value has a unit and a known source; tables load and resolve."""

from __future__ import annotations

import pytest

from nanocloak.knowledge import loader
from nanocloak.units import Quantity

REQUIRED_MATERIALS = {
    "fe3o4",
    "fe3o4_mnc",
    "spio",
    "au_nanocage",
    "au_nanorod",
    "au_nanoshell",
    "au_nanocluster",
    "msn",
    "hmsn",
    "ucnp_yb_er",
    "ucnp_yb_tm",
    "cus_hollow",
    "mno2_hollow",
    "zif8",
    "gallium",
}
REQUIRED_MEMBRANES = {
    "rbc",
    "platelet",
    "macrophage",
    "leukocyte",
    "thp1",
    "raw264_7",
    "neutrophil",
    "msc",
    "cancer_stem_cell",
    "4t1",
    "b16_f10",
    "um_scc_7",
    "hela",
    "mcf_7",
    "cal27",
    "lncap",
    "smmc_7721",
}
REQUIRED_CARGOS = {
    "doxorubicin",
    "chlorin_e6",
    "znpc",
    "mc540",
    "glucose_oxidase",
    "sirna",
    "cpg",
    "ir780",
    "cy7",
    "perfluorohexane",
    "cppo",
    "calcium_carbonate",
    "mefuparib",
}


def test_every_value_has_a_parseable_unit_and_a_known_source() -> None:
    sources = loader.sources()
    values = list(loader.iter_values())
    assert len(values) > 200
    for path, value in values:
        assert value.source in sources, f"{path}: unknown source {value.source!r}"
        Quantity(1.0, value.unit.replace("µ", "u"))  # raises if pint cannot parse it
        if value.is_range:
            assert value.low is not None
            assert value.high is not None
            assert value.low <= value.value <= value.high, path


def test_every_source_has_an_identifier() -> None:
    for key, source in loader.sources().items():
        assert source.doi or source.isbn or source.url, key
        if source.doi:
            assert source.doi.startswith("10."), f"{key}: DOI {source.doi!r}"


def test_assumed_values_explain_themselves() -> None:
    for path, value in loader.iter_values():
        if value.status in ("assumed", "derived"):
            assert value.note.strip(), f"{path} ({value.status}) needs a note with its reasoning"


def test_required_entries_exist() -> None:
    assert set(loader.core_materials()) >= REQUIRED_MATERIALS
    assert set(loader.membrane_sources()) >= REQUIRED_MEMBRANES
    assert set(loader.cargos()) >= REQUIRED_CARGOS
    assert {"mouse", "rat", "human"} <= set(loader.species())


def test_membranes_inherit_cell_values_from_their_parent() -> None:
    table = loader.membrane_sources()
    line, parent = table["4t1"], table["cancer_cell"]
    assert line.inherits == "cancer_cell"
    assert line.membrane_area == parent.membrane_area
    assert line.species_origin == "mouse"
    assert "4T1" in line.aliases
    assert not set(parent.aliases) & set(line.aliases)
    for key, entry in table.items():
        assert entry.membrane_area is not None, key
        assert entry.membrane_protein_density is not None, key
        assert entry.membrane_purity is not None, key
        assert entry.vesicle_zeta is not None, key


def test_rbc_protein_density_range_spans_the_measured_ghost_protein() -> None:
    """0.375 pg per purified human ghost (Shelton & Langdon 1984) over 135 µm² is 2.8 mg/m².

    The literature range of RBC membrane-protein density must contain that measurement.
    """
    rbc = loader.membrane_sources()["rbc"]
    assert rbc.membrane_protein_density is not None
    assert rbc.membrane_area is not None
    measured = loader.membrane_physics()["rbc_protein_per_cell_measured"].to("pg")
    density = measured / rbc.membrane_area.to("um^2") * 1000.0  # pg/µm² → mg/m²
    low, high = rbc.membrane_protein_density.bounds("mg/m^2")
    assert low <= density <= high


def test_names_resolve_case_and_punctuation_insensitively() -> None:
    materials = loader.core_materials()
    assert loader.resolve(materials, "Fe3O4") == "fe3o4"
    assert loader.resolve(materials, "MNC") == "fe3o4_mnc"
    assert loader.resolve(loader.membrane_sources(), "B16-F10") == "b16_f10"
    assert loader.resolve(loader.cargos(), "DOX") == "doxorubicin"
    assert loader.resolve(materials, "adamantium") is None
    assert "au_nanorod" in loader.nearest(materials, "gold nanorod")


def test_aliases_do_not_collide_across_entries() -> None:
    for table in (loader.core_materials(), loader.membrane_sources(), loader.cargos()):
        seen: dict[str, str] = {}
        for key, entry in table.items():
            for label in [key, *entry.aliases]:
                folded = "".join(c for c in label.lower() if c.isalnum())
                assert seen.setdefault(folded, key) == key, f"{label!r}: {seen[folded]} and {key}"


@pytest.mark.parametrize("material", sorted(REQUIRED_MATERIALS))
def test_core_densities_are_physical(material: str) -> None:
    density = loader.core_materials()[material].density.to("g/cm^3")
    assert 0.5 < density < 20.0


def test_core_shell_materials_know_their_inner_density() -> None:
    for key, entry in loader.core_materials().items():
        if "shell" in entry.geometries:
            assert "core_density" in entry.properties, key


def test_every_sources_file_is_merged_by_the_loader() -> None:
    from importlib import resources

    names = {p.name for p in resources.files(loader.DATA_PACKAGE).iterdir()}
    assert {n for n in names if n.startswith("sources") and n.endswith(".yaml")} == set(
        loader.SOURCE_FILES
    )
