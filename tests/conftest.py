"""Shared fixtures: example designs and a builder for design dictionaries."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "designs"


def example_dict(name: str) -> dict[str, Any]:
    """The parsed TOML of an example design, as a fresh dictionary."""
    return tomllib.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def rbc_extrusion() -> dict[str, Any]:
    """The RBC-MNC co-extrusion example as a dictionary."""
    return example_dict("rbc_mnc_extrusion.toml")


def with_assembly(base: dict[str, Any], assembly: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with another assembly method."""
    data = copy.deepcopy(base)
    data["preparation"]["assembly"] = assembly
    return data


SONICATION = {
    "method": "sonication",
    "mode": "bath",
    "power": "100 W",
    "frequency": "42 kHz",
    "time": "2 min",
}
CO_INCUBATION = {"method": "co_incubation", "time": "4 h", "temperature": "37 degC"}
ELECTROPORATION = {
    "method": "microfluidic_electroporation",
    "pulse_voltage": "50 V",
    "pulse_width": "200 us",
    "pulse_rate": "10 Hz",
    "flow_rate": "20 uL/min",
    "electrode_gap": "20 um",
    "zone_volume": "2 uL",
    "buffer_conductivity": "0.02 S/m",
}
