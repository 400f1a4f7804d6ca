"""SBML export of the PBPK model: structure round trip (libsbml) and simulation in libroadrunner.

The libroadrunner comparison is a peer-tool check: the exported model, integrated by another
SBML simulator (CVODE), must reproduce ``simulate_pk``'s organ amounts within 1e-6 relative.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pytest

from nanocloak.io import sbml as sbml_io
from nanocloak.io.sbml import SbmlExportError, species_ids
from nanocloak.workflows.export_pk_sbml import export_pk_sbml, pk_model
from nanocloak.workflows.simulate_pk import simulate_pk

libsbml = pytest.importorskip("libsbml", reason="python-libsbml is not installed")

CAPACITY_LAWS = {
    "liver": "constant",
    "spleen": "capacity",
    "kidney": "constant",
    "lung": "capacity",
}
DOSE = 5.0


def _document(text: str) -> Any:
    document = libsbml.readSBMLFromString(text)
    assert document.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0, document.getErrorLog().toString()
    return document


def test_sbml_round_trip_keeps_states_parameters_and_dose() -> None:
    text = export_pk_sbml("mouse", DOSE, {"liver.k_max": 0.5}, uptake_laws=CAPACITY_LAWS)
    document = _document(text)
    # full validation, units included: warnings (a literal 0 rate has no unit) but no errors
    document.checkConsistency()
    severities = [document.getError(i).getSeverity() for i in range(document.getNumErrors())]
    assert all(s < libsbml.LIBSBML_SEV_ERROR for s in severities), document.getErrorLog().toString()
    model = document.getModel()
    topology, kernel, values = pk_model("mouse", {"liver.k_max": 0.5}, uptake_laws=CAPACITY_LAWS)
    ids = [model.getSpecies(i).getId() for i in range(model.getNumSpecies())]
    assert ids == species_ids(topology)
    assert len(ids) == topology.n_states
    assert model.getSpecies("AV").getInitialAmount() == pytest.approx(DOSE * values["body_weight"])
    liver = topology.liver
    assert model.getParameter("Kmax_liver").getValue() == pytest.approx(
        kernel.k_max_per_h[0, liver]
    )
    assert model.getParameter("QC").getValue() == pytest.approx(kernel.qc_l_per_h[0])
    assert model.getCompartment("liver_tissue").getSize() == pytest.approx(
        kernel.v_tissue_l[0, liver]
    )
    # every transfer leaves one state and enters another: the exported model conserves mass
    for i in range(model.getNumReactions()):
        reaction = model.getReaction(i)
        assert reaction.getNumReactants() == reaction.getNumProducts() == 1
    assert "piecewise" in libsbml.formulaToL3String(
        model.getAssignmentRuleByVariable("Kup_spleen").getMath()
    )


@pytest.mark.parametrize("laws", [CAPACITY_LAWS, None], ids=["constant+capacity", "hill"])
def test_sbml_simulates_in_roadrunner_like_simulate_pk(laws: dict[str, str] | None) -> None:
    roadrunner = pytest.importorskip("roadrunner", reason="libroadrunner is not installed")
    text = export_pk_sbml("mouse", DOSE, uptake_laws=laws)
    runner = roadrunner.RoadRunner(text)
    runner.integrator.relative_tolerance = 1e-12
    runner.integrator.absolute_tolerance = 1e-16
    topology = pk_model("mouse", uptake_laws=laws)[0]
    runner.timeCourseSelections = ["time", *species_ids(topology)]
    out = runner.simulate(0.0, 168.0, 169)
    names = list(out.colnames)

    def column(name: str) -> np.ndarray:
        return np.asarray(out[:, names.index(name)], dtype=float)

    result = simulate_pk("mouse", DOSE, None, 168.0, uptake_laws=laws, step_h=1.0, rtol=1e-11)
    np.testing.assert_allclose(column("time"), result.t_h)
    dose_mg = float(result.dosed_mg[0, -1])
    for o, name in enumerate(result.outputs):
        if name == "blood":  # a derived output (venous concentration x blood volume)
            continue
        if name == "central_blood":
            peer = column("AA") + column("AV")
        elif name in ("urine", "bile"):
            peer = column(name)
        else:
            peer = column(f"{name}_b") + column(f"{name}_t") + column(f"{name}_res")
        # 1e-6 relative, as issue 3 asks; both solvers run at 1e-11..1e-12. The absolute floor
        # (1e-9 of the dose) covers the near-zero start of slow organs such as the brain.
        np.testing.assert_allclose(
            peer, result.amount_mg[0, :, o], rtol=1e-6, atol=1e-9 * dose_mg, err_msg=name
        )


def test_sbml_without_libsbml_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, *args: Any) -> Any:
        if name == "libsbml":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(sbml_io.importlib, "import_module", fake)
    with pytest.raises(SbmlExportError, match="pip install python-libsbml"):
        export_pk_sbml("mouse", DOSE)


def test_sbml_rejects_a_subject_outside_the_batch() -> None:
    topology, kernel, _ = pk_model("mouse")
    with pytest.raises(SbmlExportError, match="subject 3"):
        sbml_io.to_sbml(topology, kernel, 0.125, subject=3)
