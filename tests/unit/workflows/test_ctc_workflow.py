"""``simulate_ctc_capture`` and its ``CaptureResult``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.workflows.ctc_capture import simulate_ctc_capture


def test_ctc_result_is_complete_and_json_safe(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    result = simulate_ctc_capture(progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (25, 25)
    payload = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert payload["kind"] == "ctc_capture"
    assert payload["metrics"]["binding_conservation_error"] < 1e-9
    assert set(payload["membranes"]) == {"leukocyte", "none"}
    for p in payload["parameters"].values():
        assert {"value", "unit", "source", "status"} <= set(p)
    assert result.report().startswith("# CTC capture")
    assert {r["metric"] for r in result.summary()} >= {"capture_efficiency", "purity"}
    # Incubation-time grid has the requested incubation at its midpoint.
    assert result.t_min[len(result.t_min) // 2] == pytest.approx(30.0)
    assert result.efficiency_vs_time[0] == 0.0
    assert np.all(np.diff(result.efficiency_vs_time) >= -1e-12)
    # Faster flow, shorter residence: capture cannot rise.
    assert np.all(np.diff(result.efficiency_vs_flow) <= 1e-12)
    path = tmp_path / "ctc.png"
    result.save_plot(str(path))
    assert path.stat().st_size > 0
    assert result.plot() is not None


def test_ctc_no_field_no_capture_and_membrane_lowers_background() -> None:
    none = simulate_ctc_capture(field_gradient_t_per_m=0.0, n_times=5, n_flows=2)
    assert none.efficiency == 0.0
    strong = simulate_ctc_capture(field_gradient_t_per_m=500.0, n_times=5, n_flows=2)
    assert strong.efficiency == pytest.approx(1.0, abs=1e-6)
    bare = simulate_ctc_capture(membrane="none", n_times=5, n_flows=2)
    coated = simulate_ctc_capture(membrane="leukocyte", n_times=5, n_flows=2)
    assert coated.metrics["captured_leukocytes"] < bare.metrics["captured_leukocytes"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"blood_ml": 0.0}, "--blood"),
        ({"membrane": "platelet"}, "--membrane"),
        ({"field_gradient_t_per_m": -1.0}, "--gradient"),
        ({"dose_ug_per_ml": 0.0}, "--dose"),
    ],
)
def test_ctc_invalid_inputs_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(SpecificationError, match=field):
        simulate_ctc_capture(**kwargs)  # type: ignore[arg-type]
