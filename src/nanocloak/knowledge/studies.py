"""Query the review's studies table (Song 2022, Tables 1 and 2).

A query is terms joined by ``and`` (``"platelet and PTT"``); a row matches when every term is
found in it, case-insensitively, after expanding a few of the review's synonyms
(``PTT`` ↔ photothermal, ``RBC`` ↔ red blood cell/erythrocyte, ``MSN`` ↔ mesoporous silica…).
Field filters restrict a term to one column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nanocloak.knowledge.loader import StudyRow, studies

SYNONYMS: dict[str, tuple[str, ...]] = {
    "ptt": ("ptt", "photothermal"),
    "photothermal": ("ptt", "photothermal"),
    "pdt": ("pdt", "photodynamic"),
    "photodynamic": ("pdt", "photodynamic"),
    "rbc": ("rbc", "red blood", "erythrocyte"),
    "erythrocyte": ("rbc", "red blood", "erythrocyte"),
    "platelet": ("platelet", "pltm"),
    "cancer": (
        "cancer",
        "ccm",
        "4t1",
        "b16",
        "um-scc",
        "hela",
        "cos7",
        "h22",
        "kb",
        "lncap",
        "mcf-7",
        "smmc",
        "mda-mb",
        "cal27",
        "hct116",
        "du145",
    ),
    "msn": ("msn", "mesoporous silica"),
    "mesoporous silica": ("msn", "mesoporous silica"),
    "gold": ("gold", "au"),
    "iron oxide": ("iron oxide", "fe3o4", "mnp", "mns", "mnc", "spio"),
    "fe3o4": ("iron oxide", "fe3o4", "mnp", "mns", "mnc", "spio"),
    "electroporation": ("electroporation",),
    "extrusion": ("extrusion",),
    "sonication": ("sonication",),
    "macrophage": ("macrophage",),
    "leukocyte": ("leukocyte", "wbc"),
    "stem cell": ("stem cell", "msc"),
    "msc": ("msc", "mesenchymal"),
    "mri": ("mri", "magnetic resonance"),
    "hybrid": ("hcm", "hybrid", "mixed with"),
}
FIELDS = (
    "membrane_type",
    "key_features",
    "shell_origin",
    "core",
    "preparation",
    "cargo",
    "applications",
)


def _alternatives(term: str) -> tuple[str, ...]:
    key = term.strip().lower()
    return SYNONYMS.get(key, (key,))


def _matches(text: str, term: str) -> bool:
    return any(alt in text for alt in _alternatives(term))


def query_studies(
    query: str = "", filters: dict[str, str] | None = None, rows: Iterable[StudyRow] | None = None
) -> list[StudyRow]:
    """Rows matching every ``and``-joined term of ``query`` and every field filter.

    Parameters
    ----------
    query
        Free text such as ``"platelet and PTT"`` or ``"sonication"``; empty matches all.
    filters
        Column name (one of ``FIELDS``) → term that must be found in that column.
    """
    terms = [t for t in re.split(r"\s+and\s+|,", query, flags=re.IGNORECASE) if t.strip()]
    unknown = set(filters or {}) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown study fields {sorted(unknown)}; use {', '.join(FIELDS)}")
    found = []
    for row in rows if rows is not None else studies():
        text = row.text()
        if not all(_matches(text, t) for t in terms):
            continue
        if all(_matches(getattr(row, f).lower(), t) for f, t in (filters or {}).items()):
            found.append(row)
    return found
