"""The design result as text: protocol, storage, cargo table, JSON-safety."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nanocloak.io.specs import load_design
from nanocloak.kernels.manufacture.storage import StorageOutcome, shelf_life_days
from nanocloak.results.protocol import protocol_steps
from nanocloak.workflows.design import design
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def hybrid_result():  # type: ignore[no-untyped-def]
    return design(load_design(EXAMPLES / "rbc_b16_hybrid_cus.toml"), n_particles=2000, n_samples=2)


def test_protocol_walks_through_the_three_steps(hybrid_result) -> None:  # type: ignore[no-untyped-def]
    steps = protocol_steps(hybrid_result)
    text = "\n".join(steps)
    assert steps[0].startswith("Harvest")
    assert "mL of mouse whole blood" in steps[0]
    assert "B16-F10" in steps[1]
    assert "20000 xg for 20 min; keep the pellet" in text
    assert "Sonicate the mixture (bath, 100 W, 42 kHz, 3 min)" in text
    assert "1 mg per mg of core" in text
    assert steps[-1].startswith("Store at 4 °C and use within")


def test_report_sections_and_json(hybrid_result) -> None:  # type: ignore[no-untyped-def]
    report = hybrid_result.report()
    for heading in (
        "## How to make it",
        "## Coating degree distribution",
        "## Batch plan",
        "## Surface markers",
        "## Cargo loading",
        "## Storage at 4 °C",
        "## Sources",
    ):
        assert heading in report
    payload = json.loads(json.dumps(hybrid_result.to_dict()))
    assert payload["cargos"]["doxorubicin"]["encapsulation_efficiency"] == pytest.approx(0.8)
    assert payload["storage"]["days"] == [0.0, 1.0, 3.0, 7.0, 14.0, 28.0]


def test_shelf_life_ends_at_the_first_failing_criterion() -> None:
    days = np.linspace(0.0, 10.0, 11)
    function = 0.5 ** (days / 7.0)
    sizes = np.full(11, 100.0)
    outcome = StorageOutcome(days, function, np.zeros(11), sizes)
    # function < 0.8 first at day 3 (0.5^(3/7) = 0.743)
    assert shelf_life_days(outcome, 0.8, 0.1) == 3.0
    grown = StorageOutcome(days, np.ones(11), np.zeros(11), 100.0 + 3.0 * days)
    assert shelf_life_days(grown, 0.8, 0.1) == 4.0
    stable = StorageOutcome(days, np.ones(11), np.zeros(11), sizes)
    assert shelf_life_days(stable, 0.8, 0.1) == 10.0
