"""The review's studies table (Song 2022, Tables 1 and 2) and its queries."""

from __future__ import annotations

from collections import Counter

import pytest

from nanocloak.knowledge import loader
from nanocloak.knowledge.studies import query_studies


def test_every_row_of_both_tables_is_there() -> None:
    """Table 1 has 9 rows and Table 2 has 19 rows in the review (counted in the seed text)."""
    counts = Counter(row.table for row in loader.studies())
    assert counts == {1: 9, 2: 19}


def test_table2_covers_the_six_membrane_families() -> None:
    types = {row.membrane_type for row in loader.studies() if row.table == 2}
    assert types == {"RBCM-INPs", "CCM-INPs", "MSCM-INPs", "WBCM-INPs", "PLTM-INPs", "HCM-INPs"}


def test_every_reference_has_its_citation() -> None:
    references = loader.review_references()
    for row in loader.studies():
        assert row.ref in references, row
        assert len(references[row.ref].citation) > 30


def test_review_rows_are_transcribed() -> None:
    rows = {(r.table, r.ref, r.shell_origin, r.core) for r in loader.studies()}
    assert (2, 48, "RBC", "MNs") in rows
    electroporation = next(r for r in loader.studies() if r.ref == 48)
    assert electroporation.preparation == "Microfluidic Electroporation"
    assert (1, 70, "B16-F10 (mixed with RBC membrane)", "Hollow copper sulfide") in rows


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ("platelet and PTT", {32, 103, 108}),
        ("sonication", {38, 82, 91, 96, 70, 108}),
        ("RBC and electroporation", {48}),
        ("hybrid", {70, 108}),
    ],
)
def test_queries(query: str, refs: set[int]) -> None:
    found = {row.ref for row in query_studies(query) if row.table == 2}
    assert found == refs


def test_field_filters() -> None:
    rows = query_studies(filters={"preparation": "extrusion", "shell_origin": "MSC"})
    assert [r.ref for r in rows] == [81]
    with pytest.raises(ValueError, match="unknown study fields"):
        query_studies(filters={"colour": "red"})
