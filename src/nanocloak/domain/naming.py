"""Resolve a user's name for a material, cell or cargo to its knowledge-base id."""

from __future__ import annotations

from collections.abc import Mapping

from nanocloak.errors import SpecificationError
from nanocloak.knowledge.loader import Named, nearest, resolve


def resolve_name(table: Mapping[str, Named], name: str, field: str, what: str) -> str:
    """The knowledge-base id for ``name``; else a ``SpecificationError`` with the closest."""
    found = resolve(table, name)
    if found is not None:
        return found
    close = nearest(table, name)
    hint = f"Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    hint += f" Run `nanocloak kb list {what}` to see all {len(table)}."
    raise SpecificationError(
        field, name, f"a known {what[:-1] if what.endswith('s') else what}", hint.strip()
    )
