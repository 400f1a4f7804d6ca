"""Lab tables: units in headers or a units row, CSV and Excel, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nanocloak.errors import DataFormatError
from nanocloak.io.tables import read_table, table_from_rows


@pytest.mark.parametrize(
    ("header", "name", "unit"),
    [
        ("Time (s)", "Time", "s"),
        ("T [°C]", "T", "degC"),
        ("time / min", "time", "min"),
        ("Signal (a.u.)", "Signal", "dimensionless"),
        ("Released (%)", "Released", "percent"),
        ("t (h)", "t", "hour"),
        ("Fe (mM)", "Fe", "mM"),
        ("Group", "Group", None),
    ],
)
def test_units_in_headers(header: str, name: str, unit: str | None) -> None:
    table = table_from_rows([[header], ["1"]], "x")
    assert table.columns == [name]
    assert table.units[name] == unit


def test_units_row_and_conversion() -> None:
    table = table_from_rows([["time", "T"], ["min", "°C"], ["1", "25"], ["2", "30"]], "x")
    assert table.column(["time", "t"], "s").tolist() == [60.0, 120.0]
    assert table.column(["temperature", "T"], "K") == pytest.approx([298.15, 303.15])


def test_missing_column_names_what_is_there() -> None:
    table = table_from_rows([["Time (s)", "T (°C)"], ["0", "25"]], "run.csv")
    with pytest.raises(DataFormatError, match=r"run.csv: no column for absorbance.*Time \(s\)"):
        table.column(["absorbance", "A"], None, what="absorbance")


def test_unitless_dimensional_column_is_an_error_unless_defaulted() -> None:
    table = table_from_rows([["time", "T (°C)"], ["0", "25"], ["10", "26"]], "run.csv")
    with pytest.raises(DataFormatError, match="has no unit"):
        table.column(["time"], "s")
    assert table.column(["time"], "min", default_unit="s").tolist() == [0.0, 10 / 60]


def test_incompatible_units_and_non_numbers() -> None:
    table = table_from_rows([["time (mg)", "x"], ["0", "a"]], "bad.csv")
    with pytest.raises(DataFormatError, match="cannot be converted to s"):
        table.column(["time"], "s")
    with pytest.raises(DataFormatError, match="non-numbers"):
        table.column(["x"], None)


def test_csv_excel_and_groups(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"group (-)": ["A", "A", "B"], "day (d)": [0, 1, 0], "V (mm^3)": [50.0, 60.0, 55.0]}
    )
    csv, xlsx = tmp_path / "v.csv", tmp_path / "v.xlsx"
    frame.to_csv(csv, index=False)
    frame.to_excel(xlsx, index=False)
    for path in (csv, xlsx):
        table = read_table(path)
        parts = dict(table.groups("group"))
        assert list(parts) == ["A", "B"]
        assert parts["A"].column(["V"], "mm^3").tolist() == [50.0, 60.0]
        assert np.allclose(parts["A"].column(["day"], "h"), [0.0, 24.0])


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="does not exist"):
        read_table(tmp_path / "absent.csv")
    with pytest.raises(DataFormatError, match="header row and at least one data row"):
        table_from_rows([["a"]], "x")


def test_a_file_that_is_not_a_table(tmp_path: Path) -> None:
    prose = tmp_path / "README.md"
    prose.write_text("# Notes\n\nThis folder holds example data, one file per analysis.\n")
    try:  # refused as a table, or read as one text column: never a raw csv.Error
        columns = read_table(prose).columns
    except DataFormatError as error:
        columns = [str(error)]
    assert len(columns) == 1
