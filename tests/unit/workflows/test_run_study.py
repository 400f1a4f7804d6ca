"""The study runner: determinism, resume from checkpoints, mechanisms in the right direction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from nanocloak.domain.study import StudySpec
from nanocloak.io.study_specs import study_from_dict
from nanocloak.io.study_store import checkpoint_path, load_checkpoint
from nanocloak.workflows.run_study import checkpoint_key, run_study, total_work
from nanocloak.workflows.study_settings import StudySettings

SETTINGS = StudySettings(step_day=0.25)


def drug_study(**extra: Any) -> StudySpec:
    data: dict[str, Any] = {
        "name": "free DOX",
        "seed": 7,
        "duration": "10 d",
        "tumor": {"model": "4T1", "start_volume": "100 mm^3"},
        "variability": {"tumor.growth_rate": {"cv": 0.2}},
        "readouts": {"metastasis": True, "caliper_every": "1 d"},
        "groups": [
            {"name": "PBS", "animals": 3},
            {
                "name": "DOX",
                "animals": 3,
                "agent": {
                    "kind": "free_drug",
                    "drug": "doxorubicin",
                    "dose": "5 mg/kg",
                    "schedule": "every 72 h x 3",
                },
            },
        ],
    }
    data.update(extra)
    return study_from_dict(data)


def test_same_spec_and_seed_give_identical_results() -> None:
    a = run_study(drug_study(), settings=SETTINGS)
    b = run_study(drug_study(), settings=SETTINGS)
    pd.testing.assert_frame_equal(a.series, b.series)
    pd.testing.assert_frame_equal(a.endpoints, b.endpoints)
    c = run_study(drug_study(seed=8), settings=SETTINGS)
    assert not np.allclose(a.endpoint("final_volume", "PBS"), c.endpoint("final_volume", "PBS"))


def test_untreated_growth_follows_the_growth_law_without_kill() -> None:
    """PBS animals: viable volume = the closed-form Gompertz volume (no kill, no dead tissue)."""
    from nanocloak.kernels.tumor.growth import analytic_volume
    from nanocloak.workflows.study_animals import draw_factors
    from nanocloak.workflows.study_biology import tumor_biology

    spec = drug_study()
    result = run_study(spec, settings=SETTINGS)
    factors = draw_factors(spec, 3)
    biology = tumor_biology(spec, factors, 3)
    days = np.arange(0.0, 10.0 + 1e-9, 1.0)
    expected = analytic_volume(days, biology.start_mm3, biology.growth)
    rows = result.readout("viable_volume", "PBS").sort_values(["animal", "time"])
    got = rows["value"].to_numpy().reshape(3, days.size)
    # the integrator's relative tolerance is 1e-9; 1e-6 leaves room for interpolation at grid points
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_free_drug_slows_growth_and_costs_body_weight() -> None:
    result = run_study(drug_study(), settings=SETTINGS)
    assert (
        result.endpoint("final_volume", "DOX").mean()
        < result.endpoint("final_volume", "PBS").mean()
    )
    assert result.endpoint("min_body_weight", "DOX").max() < 100.0
    assert result.endpoint("min_body_weight", "PBS").min() >= 100.0
    summary = result.summary().set_index("group")
    assert 0.0 < summary.loc["DOX", "tgi_percent"] < 100.0


def test_interrupted_run_resumes_from_checkpoints(tmp_path: Path) -> None:
    spec = drug_study()
    calls: list[str] = []

    class StopError(Exception):
        pass

    def stop_in_second_group(what: str) -> None:
        calls.append(what)
        if what.startswith("DOX: animal"):
            raise StopError

    with pytest.raises(StopError):
        run_study(spec, checkpoints=tmp_path, settings=SETTINGS, progress=stop_in_second_group)
    digest = checkpoint_key(spec, SETTINGS)
    assert load_checkpoint(checkpoint_path(tmp_path, digest, 0)) is not None
    assert load_checkpoint(checkpoint_path(tmp_path, digest, 1)) is None
    seen: list[str] = []
    resumed = run_study(spec, checkpoints=tmp_path, settings=SETTINGS, progress=seen.append)
    assert len(seen) == total_work(spec)
    assert seen[0] == "PBS (checkpoint)"
    fresh = run_study(spec, settings=SETTINGS)
    pd.testing.assert_frame_equal(resumed.endpoints, fresh.endpoints, check_dtype=False)
    assert not (tmp_path / ".checkpoints").exists()


def test_metastasis_counts_are_seeded_and_fewer_with_treatment() -> None:
    result = run_study(drug_study(), settings=SETTINGS)
    pbs = result.endpoint("lung_nodules", "PBS")
    dox = result.endpoint("lung_nodules", "DOX")
    assert np.all(pbs == np.round(pbs))
    assert pbs.sum() >= dox.sum()


def test_event_times_near_grid_points_snap_and_segments_skip_near_points() -> None:
    from nanocloak.workflows.study_time_grid import day_grid, segment_grid, snap

    grid = day_grid(21.0, 1.0 / 12.0)
    assert grid[-1] == 21.0
    assert grid.size == 21 * 12 + 1
    ten_hours = 10.0 / 24.0
    assert snap(ten_hours * (1.0 + 1e-15), grid) == grid[5]
    assert snap(0.2, grid) == 0.2  # off the grid: kept
    inside = np.array([0.25, 0.3333, 0.41, 0.5])
    # points within 0.01 d of the segment's ends are interpolated, not integration nodes
    np.testing.assert_array_equal(segment_grid(0.25, 0.415, inside), [0.25, 0.3333, 0.415])


def test_animals_leave_the_study_at_the_humane_endpoint() -> None:
    spec = drug_study(
        duration="21 d",
        tumor={"model": "4T1", "start_volume": "300 mm^3", "endpoint_volume": "1000 mm^3"},
    )
    result = run_study(spec, settings=SETTINGS)
    times = result.endpoint("survival_time", "PBS")
    events = result.endpoint("event", "PBS")
    assert events.all()  # untreated 4T1 tumors pass 1000 mm^3 within three weeks
    # the final volume is the endpoint volume, measured at the endpoint day
    np.testing.assert_allclose(result.endpoint("final_volume", "PBS"), 1000.0, rtol=1e-9)
    rows = result.readout("tumor_volume", "PBS")
    for animal, last in rows.groupby("animal")["time"].max().items():
        assert last <= times[int(animal)] + 1e-9


def test_virtual_animal_i_is_the_same_animal_in_every_group() -> None:
    """Common random numbers: a paired virtual design."""
    result = run_study(drug_study(), settings=SETTINGS)
    animals = result.animals[result.animals["parameter"] == "tumor.growth_rate"]
    pbs = animals[animals["group"] == "PBS"].sort_values("animal")["factor"].to_numpy()
    dox = animals[animals["group"] == "DOX"].sort_values("animal")["factor"].to_numpy()
    np.testing.assert_array_equal(pbs, dox)
    assert np.unique(pbs).size == pbs.size  # animals differ from each other
