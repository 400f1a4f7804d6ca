"""Flow-cytometry MFI fold change on synthetic FCS files written with FlowIO."""

from __future__ import annotations

import math
from pathlib import Path

import flowio
import numpy as np
import pytest

from nanocloak.analysis.characterization import (
    analyze_fcs_files,
    analyze_mfi_table,
    mfi_fold_change,
    read_fcs_channel,
)
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import table_from_rows


def _write_fcs(path: Path, fluorescence: np.ndarray, seed: int) -> np.ndarray:
    """Write FSC-A and FL1-A (marker 'CD47'); return FL1-A as stored (float32)."""
    rng = np.random.default_rng(seed)
    fsc = rng.normal(5e4, 5e3, fluorescence.size)
    with path.open("wb") as handle:
        flowio.create_fcs(
            handle,
            np.column_stack([fsc, fluorescence]).flatten().tolist(),
            ["FSC-A", "FL1-A"],
            opt_channel_names=["", "CD47"],
        )
    return fluorescence.astype(np.float32).astype(float)


@pytest.fixture
def fcs_files(tmp_path: Path) -> dict[str, tuple[Path, np.ndarray]]:
    rng = np.random.default_rng(0)
    files = {}
    for i, (name, median) in enumerate((("unstained", 100.0), ("control", 300.0), ("np", 900.0))):
        path = tmp_path / f"{name}.fcs"
        stored = _write_fcs(path, rng.lognormal(math.log(median), 0.5, 4000), i)
        files[name] = (path, stored)
    return files


def test_channel_is_found_by_pnn_or_pns(fcs_files: dict[str, tuple[Path, np.ndarray]]) -> None:
    path, stored = fcs_files["np"]
    np.testing.assert_array_equal(read_fcs_channel(path, "FL1-A"), stored)
    np.testing.assert_array_equal(read_fcs_channel(path, "cd47"), stored)
    with pytest.raises(DataFormatError, match=r"channels are: FSC-A, FL1-A \(CD47\)"):
        read_fcs_channel(path, "PE-A")


def test_mfi_fold_change_and_percent_positive_are_exact(
    fcs_files: dict[str, tuple[Path, np.ndarray]],
) -> None:
    (s_path, s), (c_path, c), (u_path, u) = (fcs_files[k] for k in ("np", "control", "unstained"))
    result = analyze_fcs_files(s_path, c_path, "FL1-A", unstained=u_path, n_boot=200)
    ms, mc, mu = np.median(s), np.median(c), np.median(u)
    assert result.value("mfi_sample") == pytest.approx(ms, rel=1e-12)
    assert result.value("fold_change") == pytest.approx((ms - mu) / (mc - mu), rel=1e-12)
    gate = np.percentile(u, 99.0)
    assert result.value("gate") == pytest.approx(gate)
    assert result.value("percent_positive") == pytest.approx(100 * np.mean(s > gate))
    # lognormal medians 900/300/100 → population fold change 4; the bootstrap interval of
    # 4000 events per file has a half-width of ~6 %, so it must contain the truth.
    ci = result["fold_change"].ci
    assert ci is not None
    assert ci[0] < 4.0 < ci[1]


def test_explicit_gate_and_no_unstained() -> None:
    sample = np.array([1.0, 2.0, 3.0, 4.0, 5.0] * 300)
    control = np.array([1.0, 1.0, 2.0, 2.0, 2.0] * 300)
    result = mfi_fold_change(sample, control, gate=3.5, n_boot=100)
    assert result.value("fold_change") == pytest.approx(3.0 / 2.0)
    assert result.value("percent_positive") == pytest.approx(40.0)
    with pytest.raises(DataFormatError, match="not above"):
        mfi_fold_change(sample, control, unstained=control * 10, n_boot=100)


def test_replicate_mfi_table_propagates_the_replicate_error() -> None:
    rows: list[list[object]] = [["sample", "MFI"]]
    rows += [["unst", 100.0], ["unst", 100.0]]
    rows += [["ctrl", 290.0], ["ctrl", 310.0]]
    rows += [["np", 880.0], ["np", 920.0]]
    result = analyze_mfi_table(table_from_rows(rows, "mfi"), control="ctrl", unstained="unst")
    fold = result["fold_change[np]"]
    assert fold.value == pytest.approx(800 / 200)
    # SE = SD/√2: np 28.28/√2 = 20, ctrl 14.14/√2 = 10, unst 0;
    # SE(FC) = FC·√((SE_np/(np − u))² + (SE_c/(c − u))²) = 4·√((20/800)² + (10/200)²)
    assert fold.stderr == pytest.approx(4.0 * math.sqrt((20 / 800) ** 2 + (10 / 200) ** 2))
