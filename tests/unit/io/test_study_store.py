"""The study store round-trips every table, writes atomically and checkpoints groups."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from nanocloak.errors import DataFormatError
from nanocloak.io.study_store import (
    checkpoint_path,
    clear_checkpoints,
    load_checkpoint,
    load_study_tables,
    save_checkpoint,
    save_study,
)
from nanocloak.results.study import StudyResult, series_frame
from nanocloak.results.study_report import study_report_html


def synthetic_study() -> StudyResult:
    """Two groups of three animals: exponential growth, the treated group at half the rate."""
    rows, endpoints, animals = [], [], []
    days = np.arange(0.0, 11.0, 2.0)
    for group, rate in (("PBS", 0.2), ("Treated", 0.1)):
        for i in range(3):
            volume = 100.0 * (1.0 + 0.05 * i) * np.exp(rate * days)
            rows += [
                {
                    "group": group,
                    "animal": i,
                    "readout": "tumor_volume",
                    "site": "tumor",
                    "time": float(d),
                    "time_unit": "d",
                    "value": float(v),
                    "unit": "mm^3",
                }
                for d, v in zip(days, volume, strict=True)
            ]
            reached = volume[-1] >= 600.0
            time = float(np.log(600.0 / volume[0]) / rate) if reached else 10.0
            endpoints += [
                {
                    "group": group,
                    "animal": i,
                    "name": "final_volume",
                    "value": volume[-1],
                    "unit": "mm^3",
                },
                {"group": group, "animal": i, "name": "survival_time", "value": time, "unit": "d"},
                {
                    "group": group,
                    "animal": i,
                    "name": "event",
                    "value": float(reached),
                    "unit": "1",
                },
            ]
            animals.append(
                {"group": group, "animal": i, "parameter": "tumor.growth_rate", "factor": 1.0}
            )
    groups = pd.DataFrame(
        {
            "group": ["PBS", "Treated"],
            "agent": ["none", "particle"],
            "description": ["PBS", "particle"],
            "treatments": ["", "laser 1 after dose 1"],
            "animals": [3, 3],
        }
    )
    return StudyResult(
        name="synthetic",
        groups=groups,
        animals=pd.DataFrame(animals),
        series=series_frame(rows),
        endpoints=pd.DataFrame(endpoints),
        provenance={"name": "synthetic", "seed": 1, "version": "test", "spec_hash": "ab" * 32},
    )


def test_store_round_trips_every_table(tmp_path: Path) -> None:
    study = synthetic_study()
    store = save_study(study.tables(), tmp_path)
    assert store.is_file()
    back = StudyResult.from_tables(load_study_tables(tmp_path))
    for name in ("groups", "animals", "series", "endpoints"):
        pd.testing.assert_frame_equal(
            back.table(name), study.table(name), check_dtype=False, check_like=True
        )
    assert back.provenance == study.provenance
    assert back.name == "synthetic"
    with duckdb.connect() as con:
        count = con.execute(
            f"SELECT count(*) FROM '{tmp_path / 'parquet' / 'series.parquet'}'"
        ).fetchall()
    assert count == [(len(study.series),)]


def test_summary_tgi_and_median_survival() -> None:
    summary = synthetic_study().summary().set_index("group")
    # exact: TGI = 1 - dT/dC with V = V0 e^{rt} and the same V0 per animal in both groups
    assert summary.loc["Treated", "tgi_percent"] == pytest.approx(
        100.0 * (1.0 - (np.exp(1.0) - 1.0) / (np.exp(2.0) - 1.0))
    )
    # control: all three reach 600 mm^3 before day 10; the middle time is the KM median
    times = sorted(np.log(600.0 / (100.0 * (1.0 + 0.05 * np.arange(3)))) / 0.2)
    assert summary.loc["PBS", "median_survival_day"] == pytest.approx(times[1])
    assert summary.loc["Treated", "median_survival_day"] == np.inf


def test_interrupted_write_leaves_the_old_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = synthetic_study()
    save_study(study.tables(), tmp_path)
    before = (tmp_path / "study.duckdb").read_bytes()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        save_study(study.tables(), tmp_path)
    assert (tmp_path / "study.duckdb").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_checkpoints_round_trip_and_clear(tmp_path: Path) -> None:
    study = synthetic_study()
    path = checkpoint_path(tmp_path, "f" * 64, 1)
    assert load_checkpoint(path) is None
    tables = {name: study.table(name) for name in ("groups", "animals", "series", "endpoints")}
    tables["notes"] = pd.DataFrame(
        {"group": ["PBS"], "kind": ["source"], "key": ["tumor.x"], "value": ["src"]}
    )
    save_checkpoint(path, tables)
    back = load_checkpoint(path)
    assert back is not None
    assert len(back["series"]) == len(study.series)
    assert back["notes"]["value"].tolist() == ["src"]
    clear_checkpoints(tmp_path, "f" * 64)
    assert not (tmp_path / ".checkpoints").exists()


def test_loading_a_folder_without_a_study_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="holds no study"):
        load_study_tables(tmp_path)


def test_report_is_self_contained_html() -> None:
    text = study_report_html(synthetic_study(), notes=["a stated assumption"])
    assert text.startswith("<!DOCTYPE html>")
    assert text.count("data:image/png;base64,") >= 2  # growth and survival figures
    assert "a stated assumption" in text
    assert "http://" not in text
    assert "https://" not in text


def test_kaplan_meier_median_counts_tied_censorings_as_at_risk() -> None:
    from nanocloak.results.study import _median_survival

    # an event and a censoring at day 2: S = 1 - 1/3 after it, so the median is not reached
    assert _median_survival(np.array([2.0, 2.0, 7.0]), np.array([0.0, 1.0, 0.0])) == np.inf
    # two events of three: S drops to 1/3 at the second, the median is that time
    assert _median_survival(np.array([1.0, 3.0, 9.0]), np.array([1.0, 1.0, 0.0])) == 3.0
