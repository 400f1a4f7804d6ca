"""``calibrate_membrane``: recovers a known membrane constant from a synthetic ratio row."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from nanocloak.errors import SpecificationError
from nanocloak.workflows.calibrate_membrane import calibrate_membrane, calibration_rows
from nanocloak.workflows.validate_pk import COLUMNS, load_observations, predict_ratio

DESIGNS = Path(__file__).resolve().parents[3] / "examples" / "designs"
SHIPPED = DESIGNS.parent / "validation" / "pk_observations.csv"


def _table(folder: Path, observed: float, role: str = "calibration") -> Path:
    shutil.copy(DESIGNS / "rbc_mnc_electroporation.toml", folder / "rbc.toml")
    path = folder / "obs.csv"
    row = {
        "id": "synthetic_blood48_ratio",
        "kind": "value",
        "quantity": "percent_id",
        "output": "blood",
        "time_h": "48",
        "species": "mouse",
        "dose_mg_per_kg": "5",
        "particle": "synthetic",
        "scenario": "design=rbc.toml",
        "reference_scenario": "base",
        "observed": f"{observed:.12g}",
        "unit": "ratio",
        "source": "hu2011",
        "provenance": "synthetic",
        "role": role,
    }
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


def test_recovers_a_known_cd47_factor(tmp_path: Path) -> None:
    truth = 0.4
    probe = _table(tmp_path, 1.0)
    obs = load_observations(probe)[0]
    observed = predict_ratio(obs, tmp_path, {"cd47.min_factor": truth}, 300)
    path = _table(tmp_path, observed)
    fit = calibrate_membrane(
        path, {"cd47.min_factor": (0.05, 1.0)}, start={"cd47.min_factor": 0.8}, n_particles=300
    )
    # noise-free synthetic data: the optimum is the truth up to the optimiser's tolerance
    assert fit.values["cd47.min_factor"] == pytest.approx(truth, rel=0.02)
    assert abs(fit.residuals["synthetic_blood48_ratio"]) < 1e-3
    assert fit.rows == ("synthetic_blood48_ratio",)


def test_validation_rows_are_never_used(tmp_path: Path) -> None:
    path = _table(tmp_path, 1.0, role="validation")
    assert calibration_rows(load_observations(path)) == []
    with pytest.raises(SpecificationError, match="calibration value rows"):
        calibrate_membrane(path)


def test_the_shipped_table_has_sourced_calibration_ratio_rows() -> None:
    rows = calibration_rows(load_observations(SHIPPED))
    assert {r.id for r in rows} == {"hu2011_thalf_ratio_rbc_peg", "hu2011_blood72_ratio_rbc_peg"}
    assert all(r.source == "hu2011" and r.unit == "ratio" for r in rows)
