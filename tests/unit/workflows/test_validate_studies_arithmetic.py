"""Claim arithmetic of ``validate_studies`` on a hand-built StudyResult (no simulation)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nanocloak.errors import DataFormatError
from nanocloak.results.study import ENDPOINT_COLUMNS, SERIES_COLUMNS, StudyResult
from nanocloak.workflows.validate_studies import (
    COLUMNS,
    Claim,
    Measurement,
    evaluate_claims,
    load_claims,
    measure,
    verdict,
)

GROUPS = ("Low", "High", "Noisy low", "Noisy high")
VOLUMES = {
    "Low": [1.0, 2.0, 3.0],
    "High": [10.0, 11.0, 12.0],
    "Noisy low": [1.0, 5.0, 9.0],
    "Noisy high": [2.0, 6.0, 10.0],
}


def _result(name: str = "synthetic", blood_scale: float = 1.0) -> StudyResult:
    endpoints = []
    for group, values in VOLUMES.items():
        for i, v in enumerate(values):
            endpoints.append(
                {"group": group, "animal": i, "name": "final_volume", "value": v, "unit": "mm^3"}
            )
            # survival: "Low" animals never reach the endpoint, "High" ones at day 5, 6, 7
            event = 0.0 if group == "Low" else 1.0
            endpoints.append(
                {
                    "group": group,
                    "animal": i,
                    "name": "survival_time",
                    "value": 20.0 if group == "Low" else 5.0 + i,
                    "unit": "d",
                }
            )
            endpoints.append(
                {"group": group, "animal": i, "name": "event", "value": event, "unit": "1"}
            )
    series = []
    for group, top in (("Low", 100.0), ("High", 50.0), ("Noisy low", 50.0), ("Noisy high", 80.0)):
        for t, v in ((0.0, top), (48.0, top / 5.0)):
            series.append(
                {
                    "group": group,
                    "animal": -1,
                    "readout": "blood",
                    "site": "blood",
                    "time": t,
                    "time_unit": "h",
                    "value": v * blood_scale,
                    "unit": "%ID",
                }
            )
        for i in range(2):
            for d, v in ((0.0, 100.0), (2.0, 100.0 + 50.0 * (i + 1))):
                series.append(
                    {
                        "group": group,
                        "animal": i,
                        "readout": "tumor_volume",
                        "site": "tumor",
                        "time": d,
                        "time_unit": "d",
                        "value": v,
                        "unit": "mm^3",
                    }
                )
    groups = pd.DataFrame(
        {
            "group": list(GROUPS),
            "agent": ["none"] * 4,
            "description": [""] * 4,
            "treatments": [""] * 4,
            "animals": [3] * 4,
        }
    )
    return StudyResult(
        name=name,
        groups=groups,
        animals=pd.DataFrame({"group": [], "animal": [], "parameter": [], "factor": []}),
        series=pd.DataFrame(series, columns=list(SERIES_COLUMNS)),
        endpoints=pd.DataFrame(endpoints, columns=list(ENDPOINT_COLUMNS)),
        provenance={"name": name},
    )


def _claim(**fields: str) -> Claim:
    base = dict.fromkeys(COLUMNS, "")
    base.update(id="c", study="s.toml", statement="stated", role="validation")
    base.update(fields)
    return Claim(**base)


def test_validate_studies_endpoint_mean_sd_and_verdict() -> None:
    claim = _claim(readout="final_volume", group_a="Low", relation="<", group_b="High")
    result = evaluate_claims([claim], {"s.toml": _result()})
    row = result.tables["claims"][0]
    assert row["value_a"] == pytest.approx(2.0)
    assert row["value_b"] == pytest.approx(11.0)
    assert row["ratio"] == pytest.approx(2.0 / 11.0)
    assert row["difference"] == pytest.approx(-9.0)
    # SD of each group is 1 (n = 3): SE of the difference sqrt(1/3 + 1/3)
    assert row["se_difference"] == pytest.approx(math.sqrt(2.0 / 3.0))
    assert row["verdict"] == "agrees"
    assert result.value("claims_agreeing_validation") == 1.0
    assert not result.warnings


def test_validate_studies_wrong_direction_is_named_in_warnings() -> None:
    claim = _claim(
        id="wrong",
        readout="final_volume",
        group_a="Low",
        relation=">",
        group_b="High",
        statement="Low grew more",
    )
    result = evaluate_claims([claim], {"s.toml": _result()})
    assert result.tables["claims"][0]["verdict"] == "disagrees"
    assert result.value("claims_agreeing_validation") == 0.0
    assert any(w.startswith("wrong disagrees") and "Low grew more" in w for w in result.warnings)


def test_validate_studies_ordered_within_noise_does_not_agree() -> None:
    # means 5 vs 6 with SD 4 each (n = 3): difference 1 < 2 x SE = 2 x 3.27
    claim = _claim(readout="final_volume", group_a="Noisy low", relation="<", group_b="Noisy high")
    outcome = evaluate_claims([claim], {"s.toml": _result()}).tables["claims"][0]
    assert outcome["value_a"] < outcome["value_b"]
    assert outcome["verdict"] == "within noise"


def test_validate_studies_group_series_interpolates_and_ties_disagree() -> None:
    result = _result()
    claim = _claim(readout="blood", time="24 h", group_a="Low", relation=">", group_b="High")
    a = measure(result, claim, "a")
    # linear between 100 %ID at 0 h and 20 %ID at 48 h
    assert a.value == pytest.approx(60.0)
    assert a.n == 1
    assert math.isnan(a.sd)
    tie = _claim(readout="blood", time="1 d", group_a="High", relation=">", group_b="Noisy low")
    assert evaluate_claims([tie], {"s.toml": result}).tables["claims"][0]["verdict"] == "disagrees"


def test_validate_studies_per_animal_series_mean_and_time_units() -> None:
    claim = _claim(readout="tumor_volume", time="24 h", group_a="Low", relation="<", group_b="High")
    m = measure(_result(), claim, "a")
    # animals at day 1: 125 and 150 mm^3 (24 h converted to the series' days)
    assert m.value == pytest.approx(137.5)
    assert m.n == 2
    assert m.sd == pytest.approx(float(np.std([125.0, 150.0], ddof=1)))


def test_validate_studies_about_equal_cross_time_and_cross_study() -> None:
    same = _claim(
        readout="blood",
        site="blood",
        time="48 h",
        time_b="0 h",
        group_a="Low",
        relation="~",
        group_b="Low",
    )
    row = evaluate_claims([same], {"s.toml": _result()}).tables["claims"][0]
    assert row["ratio"] == pytest.approx(0.2)
    assert row["verdict"] == "disagrees"  # fell 5-fold: not within 2-fold
    other = _claim(
        readout="blood", time="24 h", group_a="Low", relation="<", group_b="Low", study_b="t.toml"
    )
    both = {"s.toml": _result(), "t.toml": _result("twin", blood_scale=1.5)}
    row = evaluate_claims([other], both).tables["claims"][0]
    assert row["value_b"] == pytest.approx(1.5 * row["value_a"])
    assert row["verdict"] == "agrees"


def test_validate_studies_survival_median_and_missing_quantity() -> None:
    claim = _claim(readout="median_survival_day", group_a="Low", relation=">", group_b="High")
    row = evaluate_claims([claim], {"s.toml": _result()}).tables["claims"][0]
    assert math.isinf(row["value_a"])  # no event in "Low"
    assert row["value_b"] == pytest.approx(6.0)  # KM median of 5, 6, 7
    assert row["verdict"] == "agrees"
    heat = _claim(readout="max_tumor_temperature", group_a="Low", relation=">", group_b="High")
    assert evaluate_claims([heat], {"s.toml": _result()}).tables["claims"][0]["verdict"] == (
        "no prediction"
    )


def test_validate_studies_verdict_rule_directly() -> None:
    a = Measurement(10.0, 1.0, 5, "x")
    b = Measurement(8.0, 1.0, 5, "x")
    assert verdict(">", a, b)[0] == "agrees"  # difference 2 > 2 x 0.632
    assert verdict("<", a, b)[0] == "disagrees"
    assert verdict("~", a, b)[0] == "agrees"
    assert verdict(">", Measurement(math.nan, math.nan, 0, ""), b)[0] == "no prediction"


def test_validate_studies_unknown_group_is_a_clear_error() -> None:
    claim = _claim(readout="final_volume", group_a="Nope", relation="<", group_b="High")
    with pytest.raises(DataFormatError, match="no group 'Nope'"):
        evaluate_claims([claim], {"s.toml": _result()})


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "claims.csv"
    lines = [",".join(COLUMNS)]
    for row in rows:
        full = {c: "" for c in COLUMNS} | row
        lines.append(",".join(full[c] for c in COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {
    "id": "x",
    "study": "s.toml",
    "readout": "blood",
    "time": "24 h",
    "group_a": "A",
    "relation": ">",
    "group_b": "B",
    "statement": "s",
    "role": "validation",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"readout": "tumour_size"}, "readout 'tumour_size' is not one of"),
        ({"relation": ">="}, "relation '>=' is not one of"),
        ({"role": "fit"}, "role 'fit' is not one of"),
        ({"time": ""}, "blood needs a time"),
        ({"readout": "biodistribution"}, "biodistribution needs a site"),
        ({"time": "soon"}, "time"),
        ({"statement": ""}, "empty statement"),
    ],
)
def test_validate_studies_claims_table_errors(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    with pytest.raises(DataFormatError, match=message):
        load_claims(_write(tmp_path, [GOOD | change]))


def test_validate_studies_claims_table_reads_and_rejects_duplicates(tmp_path: Path) -> None:
    (claim,) = load_claims(_write(tmp_path, [GOOD]))
    assert claim.quantity == "blood at 24 h"
    assert claim.side("b") == ("s.toml", "B", "24 h")
    with pytest.raises(DataFormatError, match="duplicate claim ids"):
        load_claims(_write(tmp_path, [GOOD, GOOD]))
    (tmp_path / "bad.csv").write_text("id,study\nx,y\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="missing columns"):
        load_claims(tmp_path / "bad.csv")
