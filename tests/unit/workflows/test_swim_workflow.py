"""``simulate_swimming`` and its ``SwimResult``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.knowledge import capture as kb
from nanocloak.workflows.swim import simulate_swimming, swimmer_condition


def test_swim_result_is_complete_and_json_safe(tmp_path: Path) -> None:
    result = simulate_swimming(n_swimmers=300, n_records=10, seed=1)
    payload = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert payload["kind"] == "nanoswimmer"
    assert len(payload["conditions"]) == 6
    assert result.report().startswith("# Gallium nanoswimmers")
    assert len(result.summary()) == 6
    assert result.simulated["medium"] == "blood"
    path = tmp_path / "swim.png"
    result.save_plot(str(path))
    assert path.stat().st_size > 0
    # Same seed, same MSD.
    again = simulate_swimming(n_swimmers=300, n_records=10, seed=1)
    np.testing.assert_array_equal(result.msd_simulated_um2, again.msd_simulated_um2)


def test_swim_blood_slows_swimmers_and_speed_scales_with_pressure_squared() -> None:
    serum = swimmer_condition(1e6, "serum", "leukocyte")
    blood = swimmer_condition(1e6, "blood", "leukocyte")
    assert blood["speed_um_per_s"] < serum["speed_um_per_s"]
    assert blood["effective_um2_per_s"] < serum["effective_um2_per_s"]
    half = swimmer_condition(0.5e6, "blood", "leukocyte")
    assert blood["speed_um_per_s"] / half["speed_um_per_s"] == pytest.approx(4.0)
    # Fouling: in blood the bare rod carries the full corona, the coated one a share of it.
    bare = swimmer_condition(1e6, "blood", "none")
    assert bare["diameter_nm"] > blood["diameter_nm"]
    assert bare["speed_um_per_s"] < blood["speed_um_per_s"]


def test_swim_speed_is_of_the_order_reported_by_wang_2020() -> None:
    """Wang D et al., Research 2020 (doi:10.34133/2020/3676954): up to 108.7 µm/s.

    The paper gives a drive voltage, not a pressure, so this is an order-of-magnitude check:
    at 0.5-1 MPa (typical of such resonators) the model's speeds in serum and blood must lie
    within a factor of 5 of the reported maximum.
    """
    reported = kb.si("swimmer.reported_max_speed") * 1e6
    for medium in ("serum", "blood"):
        speed = float(swimmer_condition(1e6, medium, "leukocyte")["speed_um_per_s"])
        assert reported / 5 <= speed <= reported * 5


def test_swim_invalid_inputs_name_the_field() -> None:
    with pytest.raises(SpecificationError, match="--medium"):
        simulate_swimming(medium="plasma")
    with pytest.raises(SpecificationError, match="--pressure"):
        simulate_swimming(pressure_pa=-1.0)
    with pytest.raises(SpecificationError, match="--membrane"):
        simulate_swimming(membrane="rbc")
