"""Reading and writing at the edges: atomic writes, TOML errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanocloak.errors import DataFormatError
from nanocloak.io.files import write_text_atomic
from nanocloak.io.specs import load_design


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.md"
    write_text_atomic(target, "first")
    write_text_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    write_text_atomic(target, "kept")

    def crash(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("nanocloak.io.files.os.replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "lost")
    assert target.read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_broken_toml_and_missing_files_are_data_format_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\n[core\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match="is not valid TOML"):
        load_design(broken)
    with pytest.raises(DataFormatError, match="does not exist"):
        load_design(tmp_path / "absent.toml")
