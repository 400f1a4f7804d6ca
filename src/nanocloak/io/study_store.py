"""The study store: an embedded DuckDB file plus Parquet exports, written atomically.

Layout of a study directory::

    DIR/study.duckdb          tables groups, animals, series, endpoints, provenance
    DIR/parquet/<table>.parquet
    DIR/report.html           (written by the caller)
    DIR/.checkpoints/<spec hash>/group-<k>.duckdb   finished groups of an interrupted run

Every file is written to a temporary name in the same directory and renamed into place, so
an interrupted run never leaves a half-written store; a run of the same spec finds its
finished groups in the checkpoints and resumes from there.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from nanocloak.errors import DataFormatError

STORE_FILE = "study.duckdb"
CHECKPOINTS = ".checkpoints"
TABLES = ("groups", "animals", "series", "endpoints", "provenance")
GROUP_TABLES = ("groups", "animals", "series", "endpoints", "notes")
"""A checkpointed group also keeps its notes (sources and assumptions, for the provenance)."""


def _write_tables(path: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write ``tables`` into a new DuckDB file at ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # duckdb creates the file itself
    try:
        with duckdb.connect(tmp) as con:
            for name, frame in tables.items():
                con.register("frame", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
                con.unregister("frame")
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _read_tables(path: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return {name: con.execute(f'SELECT * FROM "{name}"').df() for name in names}
    except duckdb.Error as exc:
        raise DataFormatError(f"{path} is not a nanocloak study store: {exc}") from None


def save_study(tables: Mapping[str, pd.DataFrame], directory: str | os.PathLike[str]) -> Path:
    """Write the study's tables (:data:`TABLES`) to DuckDB and Parquet; return the DuckDB path."""
    folder = Path(directory)
    tables = {name: tables[name] for name in TABLES}
    store = folder / STORE_FILE
    _write_tables(store, tables)
    parquet = folder / "parquet"
    staging = Path(tempfile.mkdtemp(prefix=".parquet.", dir=folder))
    try:
        with duckdb.connect() as con:
            for name, frame in tables.items():
                con.register("frame", frame)
                target = (staging / f"{name}.parquet").as_posix()
                con.execute(f"COPY frame TO '{target}' (FORMAT PARQUET)")
                con.unregister("frame")
        if parquet.exists():
            shutil.rmtree(parquet)
        os.replace(staging, parquet)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return store


def load_study_tables(directory: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """Read the tables of a study written by :func:`save_study`."""
    store = Path(directory) / STORE_FILE
    if not store.is_file():
        raise DataFormatError(f"{directory} holds no study ({STORE_FILE} is missing)")
    return _read_tables(store, TABLES)


def checkpoint_path(directory: str | os.PathLike[str], spec_hash: str, index: int) -> Path:
    """Where group ``index`` of the spec with ``spec_hash`` is checkpointed."""
    return Path(directory) / CHECKPOINTS / spec_hash[:24] / f"group-{index:03d}.duckdb"


def save_checkpoint(path: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Store one finished group's tables (atomically)."""
    _write_tables(path, {name: tables[name] for name in GROUP_TABLES})


def load_checkpoint(path: Path) -> dict[str, pd.DataFrame] | None:
    """A finished group's tables, or None when it was not checkpointed."""
    if not path.is_file():
        return None
    return _read_tables(path, GROUP_TABLES)


def clear_checkpoints(directory: str | os.PathLike[str], spec_hash: str) -> None:
    """Remove the checkpoints of a finished run."""
    folder = Path(directory) / CHECKPOINTS / spec_hash[:24]
    if folder.exists():
        shutil.rmtree(folder)
    root = Path(directory) / CHECKPOINTS
    if root.exists() and not any(root.iterdir()):
        root.rmdir()


def spec_json(spec: Any) -> str:
    """Canonical JSON of a pydantic spec (sorted keys), the input of the spec hash."""
    return json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
