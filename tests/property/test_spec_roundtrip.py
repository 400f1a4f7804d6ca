"""Design specs survive a TOML round trip exactly, and invalid hybrids always fail."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nanocloak.errors import InvalidSpecificationError
from nanocloak.io.specs import design_from_dict, dump_design, load_design, save_design
from tests.conftest import EXAMPLES, example_dict

CELLS = ["rbc", "platelet", "4t1", "b16_f10", "msc", "raw264_7", "thp1", "hela"]
lengths = st.one_of(
    st.integers(min_value=20, max_value=400).map(lambda n: f"{n} nm"),
    st.floats(min_value=20.0, max_value=400.0).map(lambda x: f"{x:.6g} nm"),
    st.floats(min_value=0.02, max_value=0.4).map(lambda x: f"{x:.4g} µm"),
    st.floats(min_value=2e-8, max_value=4e-7).map(lambda x: f"{x:.5e} m"),
)

assemblies = st.one_of(
    st.builds(
        lambda pore, passes: {"method": "extrusion", "pore_size": pore, "passes": passes},
        st.sampled_from(["100 nm", "200 nm", "400 nm"]),
        st.integers(1, 41),
    ),
    st.builds(
        lambda mode, power, seconds, duty, celsius: {
            "method": "sonication",
            "mode": mode,
            "power": f"{power} W",
            "frequency": "42 kHz",
            "time": f"{seconds} s",
            "duty_cycle": duty,
            "temperature": f"{celsius:.3g} degC",
        },
        st.sampled_from(["bath", "probe"]),
        st.integers(1, 500),
        st.integers(3, 3600),
        st.sampled_from([0.25, 0.5, 1.0, "50 %"]),
        st.floats(0.0, 60.0),
    ),
    st.builds(
        lambda volts, flow, conductivity: {
            "method": "microfluidic_electroporation",
            "pulse_voltage": f"{volts} V",
            "pulse_width": "200 us",
            "pulse_rate": "10 Hz",
            "flow_rate": f"{flow} uL/min",
            "electrode_gap": "20 um",
            "zone_volume": "2 uL",
            "buffer_conductivity": f"{conductivity:g} S/m",
        },
        st.integers(1, 500),
        st.integers(1, 1000),
        st.floats(1e-4, 2.0, allow_nan=False),
    ),
    st.builds(
        lambda hours, stir: {
            "method": "co_incubation",
            "time": f"{hours} h",
            "temperature": "37 degC",
            "stirring": stir,
        },
        st.integers(1, 48),
        st.booleans(),
    ),
)


@st.composite
def membranes(draw: st.DrawFn) -> list[dict[str, Any]]:
    cells = draw(st.lists(st.sampled_from(CELLS), min_size=1, max_size=3, unique=True))
    parts = draw(st.lists(st.integers(1, 9), min_size=len(cells), max_size=len(cells)))
    total = sum(parts)
    fractions = [p / total for p in parts[:-1]]
    fractions.append(1.0 - sum(fractions))
    return [{"cell": c, "fraction": f} for c, f in zip(cells, fractions, strict=True)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lengths, membranes(), assemblies, st.integers(1, 100))
def test_toml_round_trip_is_exact(
    diameter: str, sources: list[dict[str, Any]], assembly: dict[str, Any], ratio_percent: int
) -> None:
    data = example_dict("rbc_mnc_extrusion.toml")
    data["core"]["geometry"] = {
        "kind": "cluster",
        "diameter": diameter,
        "crystal_diameter": "10 nm",
    }
    data["membrane"]["sources"] = sources
    data["preparation"]["assembly"] = assembly
    data["preparation"]["membrane_to_core_ratio"] = f"{ratio_percent / 100} mg/mg"
    original = design_from_dict(data)
    text = dump_design(original)
    again = design_from_dict(tomllib.loads(text))
    assert again == original
    assert dump_design(again) == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=3))
def test_hybrid_fractions_off_one_always_fail(fractions: list[float]) -> None:
    if abs(sum(fractions) - 1.0) <= 1e-6:
        return
    data = example_dict("rbc_mnc_extrusion.toml")
    data["membrane"]["sources"] = [
        {"cell": c, "fraction": f} for c, f in zip(CELLS, fractions, strict=False)
    ]
    with pytest.raises(InvalidSpecificationError, match="sum to 1"):
        design_from_dict(copy.deepcopy(data))


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_examples_round_trip_through_files(example: str, tmp_path: Path) -> None:
    design = load_design(EXAMPLES / example)
    path = save_design(design, tmp_path / example)
    assert load_design(path) == design
