"""Human physiology of the PBPK model: ICRP 89 reference male, mass balance, BW^0.75 scaling."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.knowledge import pbpk
from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_pk import simulate_pk

#: ICRP Publication 89 reference adult male, organ masses (g), as reproduced in the J Nucl Med
#: reference-mass table and Turner's Table 16.1: body 73 000; lungs with blood 642 + 558; liver
#: 1800; spleen 150; kidneys 155 + 155; brain 1450; skeletal muscle 29 000; GI walls (stomach 150,
#: small intestine 650, colon 150 + 150, rectosigmoid 70) + pancreas 140.
ICRP89_MASS_G = {
    "lung": 1200.0,
    "liver": 1800.0,
    "spleen": 150.0,
    "kidney": 310.0,
    "brain": 1450.0,
    "muscle": 29000.0,
    "gi": 1310.0,
}
#: Reference regional blood flows, % of cardiac output, adult male (NRC BEIR VI 1999, Table A-1;
#: Williams & Leggett 1989); GI = stomach 1 + small intestine 10 + large intestine 2 + 2 +
#: pancreas 1. Adult cardiac output 6.5 L/min.
BEIR6_FLOW_PERCENT = {
    "liver": 6.5,
    "spleen": 3.0,
    "kidney": 19.0,
    "brain": 12.0,
    "muscle": 17.0,
    "gi": 16.0,
}
CARDIAC_OUTPUT_L_PER_H = 6.5 * 60.0


@pytest.fixture(scope="module")
def human() -> PkResult:
    return simulate_pk("human", 1.0, None, 168.0, step_h=0.5)


def test_pk_human_runs_and_conserves_mass(human: PkResult) -> None:
    assert human.species == "human"
    assert human.mass_balance_error()[0] < 1e-6
    assert np.all(human.amount_mg >= -1e-12)
    assert human.dosed_mg[0, -1] == pytest.approx(73.0)  # 1 mg/kg x 73 kg
    metrics = human.metrics()
    assert metrics["t_half_elimination_h"] > 0.0
    assert 0.0 < metrics["DE24_percent"] < 100.0


def test_pk_human_organ_masses_reproduce_icrp89(human: PkResult) -> None:
    # volume fractions are stored to 4 significant digits: 1e-3 relative
    for organ, grams in ICRP89_MASS_G.items():
        mass = human.mass_g[0, human.outputs.index(organ)]
        assert mass == pytest.approx(grams, rel=1e-3), organ
    assert human.body_weight_kg[0] == pytest.approx(73.0)


def test_pk_human_flows_reproduce_the_reference_table(human: PkResult) -> None:
    values = human.parameters[0]
    qc = values["cardiac_output"] * values["body_weight"] ** 0.75
    assert qc == pytest.approx(CARDIAC_OUTPUT_L_PER_H, rel=1e-3)  # QCC stored to 4 digits
    for organ, percent in BEIR6_FLOW_PERCENT.items():
        assert 100.0 * values[f"{organ}.flow_fraction"] == pytest.approx(percent), organ
    # hepatic artery + spleen + GI = total liver blood flow 25.5 % (ICRP 89 / Williams & Leggett)
    inflow = sum(values[f"{o}.flow_fraction"] for o in ("liver", "spleen", "gi"))
    assert 100.0 * inflow == pytest.approx(25.5)


def test_pk_human_cardiac_output_scales_with_body_weight_to_the_three_quarters() -> None:
    """QC = QCC BW^0.75 (Brown 1997; the Lin/Cheng lineage): a 60-kg subject gets
    (60/73)^0.75 of the reference cardiac output, and the mouse the same law with its QCC."""
    sets = [{}, {"body_weight": 60.0}]
    both = simulate_pk("human", 1.0, None, 24.0, sets, step_h=0.5)
    qc = [p["cardiac_output"] * p["body_weight"] ** 0.75 for p in both.parameters]
    assert qc[1] / qc[0] == pytest.approx((60.0 / 73.0) ** 0.75)
    assert both.mass_balance_error().max() < 1e-6
    mouse = pbpk.physiology()["mouse"]
    human = pbpk.physiology()["human"]
    assert mouse.cardiac_output.unit == human.cardiac_output.unit == "L/h/kg^0.75"
