"""SBML export of dosing schedules: repeated boluses, infusions and the uptake clock as events.

The exported model, integrated by another SBML simulator (libroadrunner, CVODE), must reproduce
``simulate_pk`` for every organ and conserve mass (sum of all species, excreta included, equals
the amount dosed so far).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nanocloak.io.sbml import SbmlExportError, species_ids, to_sbml
from nanocloak.kernels.pk.solve import Dose
from nanocloak.results.pk import PkResult
from nanocloak.workflows.export_pk_sbml import export_pk_sbml, pk_model
from nanocloak.workflows.simulate_pk import simulate_pk

libsbml = pytest.importorskip("libsbml", reason="python-libsbml is not installed")

DOSE = 5.0
UNTIL_H = 168.0
CAPACITY_LAWS = {"liver": "constant", "spleen": "capacity", "lung": "capacity"}
CASES = {
    # (schedule, mode, uptake laws, overrides)
    "two boluses": ("at 0, 120 h", "physiological", None, None),
    "three boluses, capacity laws": ("every 24 h x 3", "physiological", CAPACITY_LAWS, None),
    "first dose late, K50 = 0": ("at 6, 30, 54 h", "physiological", None, {"liver.k_50": 0.0}),
    "three infusions": ("at 2, 26, 50 h infusion 1 h", "physiological", None, None),
    "reference: absolute clock, 0.005-h infusions": ("at 0, 120 h", "reference", None, None),
}


def _roadrunner(text: str, selections: list[str]) -> dict[str, np.ndarray]:
    roadrunner = pytest.importorskip("roadrunner", reason="libroadrunner is not installed")
    runner = roadrunner.RoadRunner(text)
    runner.integrator.relative_tolerance = 1e-12
    runner.integrator.absolute_tolerance = 1e-16
    runner.timeCourseSelections = ["time", *selections]
    out = runner.simulate(0.0, UNTIL_H, int(UNTIL_H) + 1)
    names = list(out.colnames)
    return {name: np.asarray(out[:, names.index(name)], dtype=float) for name in names}


def _organ_amounts(result: PkResult, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The SBML run's amount (mg) of each of ``simulate_pk``'s outputs but the derived blood."""
    peers = {}
    for name in result.outputs:
        if name == "blood":  # derived: venous concentration x total blood volume
            continue
        if name == "central_blood":
            peers[name] = columns["AA"] + columns["AV"]
        elif name in ("urine", "bile"):
            peers[name] = columns[name]
        else:
            peers[name] = columns[f"{name}_b"] + columns[f"{name}_t"] + columns[f"{name}_res"]
    return peers


def _simulate_pk(case: str) -> PkResult:
    schedule, mode, laws, params = CASES[case]
    return simulate_pk(
        "mouse",
        DOSE,
        schedule,
        UNTIL_H,
        params,
        mode=mode,
        uptake_laws=laws,
        step_h=1.0,
        rtol=1e-11,
    )


@pytest.mark.parametrize("case", list(CASES))
def test_scheduled_sbml_simulates_like_simulate_pk_and_conserves_mass(case: str) -> None:
    schedule, mode, laws, params = CASES[case]
    text = export_pk_sbml("mouse", DOSE, params, mode=mode, uptake_laws=laws, schedule=schedule)
    topology, _, values = pk_model("mouse", params, mode=mode, uptake_laws=laws)
    ids = species_ids(topology)
    columns = _roadrunner(text, [*ids, "dosed"])
    result = _simulate_pk(case)
    np.testing.assert_allclose(columns["time"], result.t_h)
    dosed = result.dosed_mg[0]
    total = float(dosed[-1])
    assert total == pytest.approx(DOSE * values["body_weight"] * len(result.dose_times_h))
    for name, peer in _organ_amounts(result, columns).items():
        o = result.outputs.index(name)
        # 1e-6 of the dose, as issue 3 asks: both integrate the same ODEs at 1e-11..1e-12 and
        # the dose events fire at their exact times (CVODE root-finding; the kernel cuts its
        # segments there), so the agreement is ~1e-10; a wrong clock or dose is off by >1e-3.
        np.testing.assert_allclose(peer, result.amount_mg[0, :, o], rtol=0, atol=1e-6 * total)
    # mass balance in the SBML run: all species (urine and bile included) = amount dosed so far
    states = sum(columns[s] for s in ids)
    np.testing.assert_allclose(states, columns["dosed"], rtol=0, atol=1e-9 * total)
    np.testing.assert_allclose(columns["dosed"], dosed, rtol=0, atol=1e-9 * total)


def test_per_dose_clock_is_what_makes_the_second_dose_match() -> None:
    """The same doses with the clock running from the first dose miss ``simulate_pk``'s
    per-dose clock by far more than the tolerance: the comparison above can fail."""
    topology, kernel, values = pk_model("mouse")
    doses = [Dose(t, np.array([DOSE * values["body_weight"]])) for t in (0.0, 120.0)]
    text = to_sbml(topology, kernel, doses, clock="absolute")
    columns = _roadrunner(text, species_ids(topology))
    result = _simulate_pk("two boluses")
    peer = _organ_amounts(result, columns)["liver"]
    gap = np.max(np.abs(peer - result.amount_mg[0, :, result.outputs.index("liver")]))
    assert gap > 1e-3 * float(result.dosed_mg[0, -1])


def _events(text: str) -> dict[float, dict[str, str]]:
    document = libsbml.readSBMLFromString(text)
    document.checkConsistency()  # units included: warnings at most
    errors = [
        document.getError(i)
        for i in range(document.getNumErrors())
        if document.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]
    assert not errors, document.getErrorLog().toString()
    model = document.getModel()
    events: dict[float, dict[str, str]] = {}
    for i in range(model.getNumEvents()):
        event = model.getEvent(i)
        trigger = event.getTrigger().getMath()
        assert libsbml.formulaToL3String(trigger.getChild(0)) == "time"
        assignments = {
            a.getVariable(): libsbml.formulaToL3String(a.getMath())
            for a in event.getListOfEventAssignments()
        }
        events[trigger.getChild(1).getValue()] = assignments
    return events


def test_events_reset_the_clock_per_dose_and_switch_infusions() -> None:
    bolus = _events(export_pk_sbml("mouse", DOSE, schedule="every 24 h x 3"))
    assert sorted(bolus) == [24.0, 48.0]
    for t_h, assignments in bolus.items():
        assert set(assignments) == {"AV", "dosed", "t_last_dose"}
        assert assignments["t_last_dose"].startswith(f"{t_h:g}")
    infused = _events(export_pk_sbml("mouse", DOSE, schedule="at 0, 24 h infusion 2 h"))
    assert sorted(infused) == [2.0, 24.0, 26.0]
    assert set(infused[2.0]) == set(infused[26.0]) == {"infusion_rate"}
    assert set(infused[24.0]) == {"infusion_rate", "t_last_dose"}
    # the published code's clock never resets: only the infusion switches
    reference = _events(export_pk_sbml("mouse", DOSE, mode="reference", schedule="at 0, 24 h"))
    assert all(set(a) == {"infusion_rate"} for a in reference.values())


def _checked(doses: list[Dose], **kwargs: Any) -> str:
    topology, kernel, _ = pk_model("mouse")
    return to_sbml(topology, kernel, doses, **kwargs)


def test_scheduled_export_rejects_impossible_doses() -> None:
    with pytest.raises(SbmlExportError, match="at least one dose"):
        _checked([])
    with pytest.raises(SbmlExportError, match="1 amounts"):
        _checked([Dose(0.0, np.array([0.1, 0.2]))])
    with pytest.raises(SbmlExportError, match=">= 0 h"):
        _checked([Dose(-1.0, np.array([0.1]))])
    with pytest.raises(SbmlExportError, match="uptake clock"):
        _checked([Dose(0.0, np.array([0.1]))], clock="wall")  # type: ignore[arg-type]
