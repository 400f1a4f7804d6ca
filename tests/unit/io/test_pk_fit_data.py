"""Reading long-format biodistribution tables for PBPK calibration (``nanocloak.io.pk_data``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nanocloak.errors import DataFormatError
from nanocloak.io.pk_data import PkObservations, normalize_quantity, read_pk_data


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_pk_fit_data_reads_units_sd_and_n(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# a comment line\n"
        "Time (min),Organ,Quantity,Value,SD,n\n"
        "30,Liver,%ID,20.5,2.0,4\n"
        "240,spleen,%ID/g,150,,\n"
        "1440,blood,µg/g,3.5,0.5,3\n",
    )
    obs = read_pk_data(path)
    np.testing.assert_allclose(obs.time_h, [0.5, 4.0, 24.0])
    assert obs.organ == ("liver", "spleen", "blood")
    assert obs.quantity == ("%ID", "%ID/g", "ug/g")
    assert np.isnan(obs.sd[1])
    assert not obs.has_sd
    # SE of a mean = SD / sqrt(n); SD itself where n is not given
    np.testing.assert_allclose(obs.standard_error()[[0, 2]], [1.0, 0.5 / np.sqrt(3.0)])
    assert obs.series_keys == (("liver", "%ID"), ("spleen", "%ID/g"), ("blood", "ug/g"))


def test_pk_fit_data_without_optional_columns_ignores_a_note_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "time (h),organ,quantity,value,note\n1,liver,%ID,10,first\n")
    obs = read_pk_data(path)
    assert len(obs) == 1
    assert obs.n[0] == 0.0


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("time,organ,quantity,value\n1,liver,%ID,10\n", "has no unit"),
        ("time (h),quantity,value\n1,%ID,10\n", "no column for the organ"),
        ("time (h),organ,value\n1,liver,10\n", "no column for the quantity"),
        ("time (h),organ,quantity,value\n1,liver,mg,10\n", "quantity 'mg' is not one of"),
        ("time (h),organ,quantity,value\n1,liver,%ID,0\n", "values must be positive"),
        ("time (h),organ,quantity,value\n0,liver,%ID,5\n", "times must be > 0"),
        ("time (h),organ,quantity,value,n\n1,liver,%ID,5,2.5\n", "whole number"),
        ("time (h),organ,quantity,value,sd\n1,liver,%ID,5,-1\n", "sd -1;"),
        ("time (h),organ,quantity,value\n1,liver,%ID,abc\n", "non-numbers"),
        ("time (h),organ,quantity,value\n1,,%ID,5\n", "organ is empty"),
    ],
)
def test_pk_fit_data_errors_name_the_problem(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(DataFormatError, match=match):
        read_pk_data(_write(tmp_path, text))


def test_pk_fit_data_missing_file_is_a_data_format_error(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="does not exist"):
        read_pk_data(tmp_path / "absent.csv")


def test_pk_fit_data_quantity_spellings() -> None:
    assert normalize_quantity(" %ID / g ") == "%ID/g"
    assert normalize_quantity("percent_id") == "%ID"
    assert normalize_quantity("NG/G") == "ng/g"
    with pytest.raises(DataFormatError, match="row 3"):
        normalize_quantity("mg/kg", "table", 2)


def test_pk_fit_data_from_rows_checks_lengths() -> None:
    with pytest.raises(DataFormatError, match="column organ needs 2 entries"):
        PkObservations(
            time_h=np.array([1.0, 2.0]),
            organ=("liver",),
            quantity=("%ID", "%ID"),
            value=np.array([1.0, 2.0]),
            sd=np.array([np.nan, np.nan]),
            n=np.zeros(2),
        )
