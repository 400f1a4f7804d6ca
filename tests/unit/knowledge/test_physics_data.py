"""Physics constants: files parse, sources exist, units have the right dimension."""

import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.kernels.optics import reduced_scattering_per_cm
from nanocloak.knowledge import physics
from nanocloak.knowledge.schema import Value


def test_files_load_and_every_source_exists() -> None:
    tissue = physics.tissue_properties()
    magnetic = physics.magnetic_constants()
    known = physics.all_sources()
    values = list(physics.iter_values(tissue)) + list(physics.iter_values(magnetic))
    assert len(values) > 70
    for path, value in values:
        assert value.source in known, path


def test_jacques_table2_and_derived_scattering() -> None:
    a, b = physics.scattering_law("soft_tissue")
    assert (a, b) == (18.9, 1.286)
    assert float(
        reduced_scattering_per_cm(808.0, *physics.scattering_law("skin"))
    ) == pytest.approx(23.3, abs=0.05)


def test_si_accessors() -> None:
    tumor = physics.thermal_si("tumor")
    assert tumor["conductivity_w_per_m_k"] == pytest.approx(0.527)
    assert physics.thermal_si("fat")["perfusion_per_s"] == 0.0
    assert physics.arrhenius_pair("liver") == (7.39e39, 2.577e5)
    assert physics.absorber_value("oxyhemoglobin", 808).value == 856.0
    magnetite = physics.magnetic_constants().magnetite
    assert magnetite["domain_magnetization"].to("kA/m") == pytest.approx(446.0)


def test_unknown_names_are_explained() -> None:
    with pytest.raises(KnowledgeBaseError, match="unknown tissue 'bone'"):
        physics.thermal_si("bone")
    with pytest.raises(KnowledgeBaseError, match="no sourced value at 1310 nm"):
        physics.absorber_value("oxyhemoglobin", 1310)


def test_wrong_dimension_and_unknown_source_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    bad_unit = physics.ThermalTissue(
        density=Value(value=1.0, unit="W/m^3", source="jacques2013", status="assumed"),
        heat_capacity=Value(value=1.0, unit="J/(kg*K)", source="jacques2013", status="assumed"),
        conductivity=Value(value=1.0, unit="W/(m*K)", source="jacques2013", status="assumed"),
    )
    with pytest.raises(KnowledgeBaseError, match="expected a unit of kg/m\\^3"):
        physics._check("x.yaml", bad_unit)
    bad_source = physics.ScatteringLaw(
        a=Value(value=1.0, unit="1/cm", source="nowhere2099", status="assumed"),
        b=Value(value=1.0, unit="dimensionless", source="jacques2013", status="assumed"),
    )
    with pytest.raises(KnowledgeBaseError, match="nowhere2099"):
        physics._check("x.yaml", bad_source)
