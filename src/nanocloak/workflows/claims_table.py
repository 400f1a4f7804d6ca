"""The claims table of :func:`~nanocloak.workflows.validate_studies.validate_studies`.

One row per comparison the review states (columns in :data:`COLUMNS`), e.g. *the tumor
temperature of RBC-MNs-E + laser exceeded that of RBC-MNs-C + laser*: :func:`load_claims`
reads and checks the table into :class:`Claim` s, and :func:`claim_studies` finds the study
files they name.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.units import parse_quantity

COLUMNS = (
    "id",
    "study",
    "readout",
    "site",
    "time",
    "group_a",
    "relation",
    "group_b",
    "study_b",
    "time_b",
    "statement",
    "location",
    "size",
    "role",
    "source",
    "note",
)
RELATIONS = (">", "<", "~")
ROLES = ("validation", "calibration")
ENDPOINTS = (
    "final_volume",
    "max_tumor_temperature",
    "tumor_damage_fraction",
    "min_body_weight",
    "lung_nodules",
)
SURVIVAL = "median_survival_day"
SERIES = (
    "tumor_particles",
    "blood",
    "biodistribution",
    "mri_signal_drop",
    "tumor_volume",
    "viable_volume",
    "body_weight",
)
SITE_REQUIRED = ("biodistribution", "mri_signal_drop")


@dataclass(frozen=True, slots=True)
class Claim:
    """One comparison the review states (a row of the claims table, see :data:`COLUMNS`)."""

    id: str
    study: str
    readout: str
    site: str
    time: str
    group_a: str
    relation: str
    group_b: str
    study_b: str
    time_b: str
    statement: str
    location: str
    size: str
    role: str
    source: str
    note: str

    @property
    def quantity(self) -> str:
        """A short label, e.g. ``"biodistribution liver at 24 h"``."""
        parts = [self.readout, self.site, f"at {self.time}" if self.time else ""]
        return " ".join(p for p in parts if p)

    def side(self, which: str) -> tuple[str, str, str]:
        """(study, group, time) of side ``"a"`` or ``"b"``."""
        if which == "a":
            return self.study, self.group_a, self.time
        return self.study_b or self.study, self.group_b, self.time_b or self.time


def load_claims(path: str | Path) -> tuple[Claim, ...]:
    """Read and check a claims table (CSV with the columns of :data:`COLUMNS`).

    Raises
    ------
    DataFormatError
        A missing column, an unknown readout, relation or role, a series without a time, or a
        biodistribution or imaging readout without a site.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFormatError(f"{path}: cannot read the claims table ({exc})") from None
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFormatError(f"{path}: missing columns {missing}; expected {list(COLUMNS)}")
    claims: list[Claim] = []
    for number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        _check(row, f"{path}, row {number - 1} ({row['id'] or 'no id'})")
        claims.append(Claim(**row))
    if not claims:
        raise DataFormatError(f"{path}: no claims")
    ids = [c.id for c in claims]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DataFormatError(f"{path}: duplicate claim ids {duplicates}")
    return tuple(claims)


def _check(row: Mapping[str, str], where: str) -> None:
    for column in ("id", "study", "readout", "group_a", "relation", "group_b", "statement"):
        if not row[column]:
            raise DataFormatError(f"{where}: empty {column}")
    readouts = (*ENDPOINTS, SURVIVAL, *SERIES)
    choices = {"readout": readouts, "relation": RELATIONS, "role": ROLES}
    for column, allowed in choices.items():
        if row[column] not in allowed:
            raise DataFormatError(f"{where}: {column} {row[column]!r} is not one of {allowed}")
    if row["readout"] in SERIES and not row["time"]:
        raise DataFormatError(f"{where}: {row['readout']} needs a time, e.g. '24 h'")
    if row["readout"] in SITE_REQUIRED and not row["site"]:
        raise DataFormatError(f"{where}: {row['readout']} needs a site (organ), e.g. 'tumor'")
    for column in ("time", "time_b"):
        if row[column]:
            try:
                parse_quantity(row[column], "h", column)
            except SpecificationError as exc:
                raise DataFormatError(f"{where}: {exc}") from None


def claim_studies(claims: Sequence[Claim], studies_dir: Path) -> dict[str, Path]:
    """Study name → file, for every study the claims name (paths relative to ``studies_dir``)."""
    names = sorted({s for c in claims for s in (c.study, c.study_b) if s})
    files = {name: studies_dir / name for name in names}
    for file in files.values():
        if not file.is_file():
            raise DataFormatError(f"study file {file} (named by the claims) does not exist")
    return files


def default_studies_dir(claims_path: Path) -> Path:
    """``examples/studies`` beside ``examples/validation`` (the claims table's folder)."""
    return claims_path.resolve().parent.parent / "studies"
