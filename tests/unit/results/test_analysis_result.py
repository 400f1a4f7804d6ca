"""AnalysisResult: rows, Markdown, JSON-safe dict and plots agree."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from nanocloak.plotting.series import Panel, Series, save
from nanocloak.results.analysis import AnalysisResult, Estimate


def _result() -> AnalysisResult:
    x = np.linspace(0, 10, 5)
    panel = Panel((Series(x, 2 * x, "data", "points"), Series(x, 2 * x, "fit")), "t (s)", "y")
    return AnalysisResult(
        kind="demo",
        title="demo.csv",
        formulas=("y = a·t",),
        warnings=("few points",),
        estimates=(
            Estimate("a", 2.0, "1/s", stderr=0.1, ci=(1.8, 2.2), label="slope"),
            Estimate("b", math.nan, ""),
        ),
        panels=(panel,),
        tables={"fits": [{"model": "line", "aic": -3.5}]},
        provenance={"file": "demo.csv"},
    )


def test_summary_report_and_dict_agree() -> None:
    result = _result()
    assert result.value("a") == 2.0
    assert result["a"].ci == (1.8, 2.2)
    with pytest.raises(KeyError, match="this result has"):
        result["c"]
    payload = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert payload["estimates"][0]["ci"] == [1.8, 2.2]
    assert payload["estimates"][1]["value"] is None  # NaN is not JSON
    report = result.report()
    for text in (
        "| slope | 2 | 1/s | 0.1 | 1.8 – 2.2 (95%) |",
        "### fits",
        "### Formulas and conventions",
        "- y = a·t",
        "### Warnings",
        "few points",
    ):
        assert text in report


def test_plot_draws_and_saves(tmp_path: Path) -> None:
    ax = _result().plot()
    assert ax.get_xlabel() == "t (s)"
    assert len(ax.lines) == 2
    path = tmp_path / "plot.png"
    save(list(_result().panels), str(path))
    assert path.stat().st_size > 1000
