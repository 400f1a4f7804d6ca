"""Kaplan–Meier, at-risk tables, log-rank with Holm, Cox, event parsing and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from nanocloak.analysis.survival import analyze_survival, at_risk_table, nice_times, parse_events
from nanocloak.cli.app import app
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable, table_from_rows

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "data" / "efficacy"


def _table(
    rows: list[tuple[Any, ...]], header: tuple[str, ...] = ("group", "time", "event")
) -> LabTable:
    return table_from_rows([list(header), *[list(r) for r in rows]], "hand")


def test_km_without_censoring_is_the_empirical_survival() -> None:
    times = np.array([1.0, 2.0, 2.0, 3.0, 5.0, 8.0, 8.0, 9.0])
    result = analyze_survival(_table([("a", t, 1) for t in times]))
    km = pd.DataFrame(result.tables["kaplan_meier"])
    for t, s in zip(km["time"], km["survival"], strict=True):
        assert s == pytest.approx(np.mean(times > t))
    # S = 0.5 on [3, 5): lifelines' median is the first t with S(t) < 0.5.
    assert result.value("median[a]") == 5.0


def test_at_risk_table_by_hand() -> None:
    rows = at_risk_table(
        np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 0, 1, 1.0]), np.array([0, 2, 4.0])
    )
    assert [r["at_risk"] for r in rows] == [4, 3, 1]
    assert [r["events"] for r in rows] == [0, 1, 3]
    assert [r["censored"] for r in rows] == [0, 1, 1]


def test_nice_times() -> None:
    assert nice_times(60.0).tolist() == [0, 20, 40, 60]
    assert nice_times(35.0).tolist() == [0, 10, 20, 30]
    assert nice_times(0.0).tolist() == [0.0]


def test_event_parsing() -> None:
    assert parse_events([0, 1, 1], "x")[0].tolist() == [0, 1, 1]
    events, how = parse_events([1, 2, 2], "x")
    assert events.tolist() == [0, 1, 1]
    assert "R survival" in how
    assert parse_events(["Dead", "alive", "censored"], "x")[0].tolist() == [1, 0, 0]
    with pytest.raises(DataFormatError, match="holds"):
        parse_events([0, 3], "x")
    with pytest.raises(DataFormatError, match="not understood"):
        parse_events(["maybe"], "x")


def _three_groups() -> LabTable:
    rng = np.random.default_rng(4)
    rows = []
    for group, hazard in (("Vehicle", 0.2), ("A", 0.1), ("B", 0.05)):
        t = rng.exponential(1 / hazard, 12)
        rows += [(group, min(x, 30.0), int(x <= 30.0)) for x in t]
    return _table(rows)


def test_pairwise_logrank_holm_by_hand() -> None:
    from lifelines.statistics import logrank_test

    result = analyze_survival(_three_groups())
    pairs = pd.DataFrame(result.tables["pairwise_logrank"])
    assert list(pairs["comparison"]) == ["Vehicle vs A", "Vehicle vs B", "A vs B"]
    p = pairs["p"].to_numpy()
    order = np.argsort(p)
    holm = np.minimum(1, np.maximum.accumulate(p[order] * np.array([3, 2, 1])))
    expected = np.empty(3)
    expected[order] = holm
    assert pairs["p_adj"].to_numpy() == pytest.approx(expected)
    frame = pd.DataFrame(result.tables["kaplan_meier"])
    assert set(frame["group"]) == {"Vehicle", "A", "B"}
    # Raw p of the first pair is lifelines' two-sample log-rank.
    data = _three_groups().frame
    a, b = data[data["group"] == "Vehicle"], data[data["group"] == "A"]
    direct = logrank_test(a["time"], b["time"], a["event"], b["event"])
    assert p[0] == pytest.approx(direct.p_value)
    assert result.provenance["reference"] == "Vehicle"
    assert result.value("hr[group=B]") < 1.0


def test_two_groups_logrank_equals_the_pairwise_test() -> None:
    rows = [("c", t, 1) for t in (1, 2, 3, 4, 5, 6)] + [
        ("d", t, e) for t, e in ((4, 1), (6, 0), (7, 1), (9, 1), (12, 0), (15, 1))
    ]
    result = analyze_survival(_table(rows), reference="c")
    pair = result.tables["pairwise_logrank"][0]
    assert result.value("logrank_chi2") == pytest.approx(pair["chi2"])
    assert pair["p_adj"] == pytest.approx(pair["p"])
    assert result.value("hr[group=d]") == pytest.approx(np.exp(result.value("coef[group=d]")))


def test_group_without_events_warns() -> None:
    rows = [("c", t, 1) for t in (1, 2, 3, 4)] + [("d", t, 0) for t in (5, 6, 7, 8)]
    result = analyze_survival(_table(rows))
    assert any("no events" in w for w in result.warnings)


def test_missing_event_column() -> None:
    with pytest.raises(DataFormatError, match="no event column"):
        analyze_survival(table_from_rows([["time", "group"], [1, "a"]], "x"))
    with pytest.raises(DataFormatError, match="negative"):
        analyze_survival(_table([("a", -1.0, 1)]))


def test_cli_on_example(tmp_path: Path) -> None:
    runner = CliRunner()
    plot = tmp_path / "km.png"
    out = runner.invoke(
        app,
        ["analyze", "survival", str(EXAMPLES / "survival.csv"), "--json", "--plot", str(plot)],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["kind"] == "survival"
    assert {"at_risk", "pairwise_logrank", "cox"} <= set(payload["tables"])
    assert plot.stat().st_size > 0
    # Generated with hazard ratios 0.5 (Free drug) and 0.25 (CM-NP) against Vehicle.
    hr = {e["name"]: e for e in payload["estimates"]}["hr[group=CM-NP]"]
    assert hr["ci"][0] < 0.25 < hr["ci"][1]


def test_cli_endpoints_from_growth_data() -> None:
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "analyze",
            "survival",
            str(EXAMPLES / "tumor_growth.csv"),
            "--threshold",
            "1000 mm^3",
            "--endpoint",
            "os",
            "--time-cap",
            "18 day",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert any("TumGrowth OS" in f for f in payload["formulas"])
    groups = {row["group"]: row for row in payload["tables"]["groups"]}
    assert groups["CM-NP"]["events"] == 0  # CM-NP tumors stay below 1000 mm³ by day 18
    assert groups["Vehicle"]["events"] > 0
    bad = runner.invoke(
        app, ["analyze", "survival", str(EXAMPLES / "survival.csv"), "--threshold", "1000"]
    )
    assert bad.exit_code != 0
