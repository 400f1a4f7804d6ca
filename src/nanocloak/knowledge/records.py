"""Reading and checking of the knowledge base's YAML records, shared by the typed loaders.

A typed loader (:mod:`~nanocloak.knowledge.physics`, :mod:`~nanocloak.knowledge.photochem`,
:mod:`~nanocloak.knowledge.imaging`, ...) declares a pydantic
:class:`~nanocloak.knowledge.schema.Record` for its data file and, optionally, the unit each
field must convert to; :func:`load_record` then

1. reads the file from ``nanocloak.knowledge.data``
   (:func:`~nanocloak.knowledge.data_files.read_mapping`),
2. validates it as the record (:func:`parse_record`), and
3. checks every :class:`~nanocloak.knowledge.schema.Value` in it (:func:`check_values`): its
   source key must be defined by one of the ``sources*.yaml`` files, and where a unit is
   expected its unit must convert to it.

Expected units are looked up by the value's field name (``by="leaf"``: ``"density"`` for
``thermal.liver.density``) or by its whole dotted path (``by="path"``: ``"ctc.diameter"``);
with ``require_units=True`` a value without an expected unit is an error, so a new constant
must declare its dimension.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, TypeVar

import pint
from pydantic import ValidationError

from nanocloak.errors import KnowledgeBaseError
from nanocloak.knowledge import loader
from nanocloak.knowledge.data_files import read_mapping
from nanocloak.knowledge.schema import Record, Source, Value

RecordT = TypeVar("RecordT", bound=Record)
UnitKey = Literal["leaf", "path"]


def all_sources() -> dict[str, Source]:
    """The project's bibliography (every ``sources*.yaml`` the loader merges)."""
    return loader.sources()


def iter_values(node: object, path: str = "") -> Iterator[tuple[str, Value]]:
    """Every ``Value`` in a parsed record or mapping, with its dotted path."""
    if isinstance(node, Value):
        yield path, node
    elif isinstance(node, Record):
        for name in type(node).model_fields:
            yield from iter_values(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from iter_values(item, f"{path}.{key}" if path else str(key))


def parse_record(label: str, model: type[RecordT], raw: object) -> RecordT:
    """``raw`` validated as ``model``; ``KnowledgeBaseError("<label> is invalid: ...")`` if not."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"{label} is invalid:\n{exc}") from None


def check_values(
    filename: str,
    values: Iterable[tuple[str, Value]],
    units: Mapping[str, str] | None = None,
    *,
    by: UnitKey = "leaf",
    require_units: bool = False,
) -> None:
    """Raise ``KnowledgeBaseError`` for an unknown source key or a unit of the wrong dimension.

    Parameters
    ----------
    filename
        The file the values come from (named in the error).
    values
        ``(dotted path, value)`` pairs, e.g. from :func:`iter_values`.
    units
        Expected unit of a value, keyed by its field name or its dotted path (see ``by``);
        read when called, so a caller may hold and change the table.
    by
        ``"leaf"``: look the unit up by the last part of the path; ``"path"``: by the path.
    require_units
        A value with no expected unit is an error (otherwise it is not unit-checked).
    """
    known = all_sources()
    table = units or {}
    for path, value in values:
        if value.source not in known:
            raise KnowledgeBaseError(
                f"{filename}: {path} cites source {value.source!r}, which no sources*.yaml defines"
            )
        expected = table.get(path.rsplit(".", 1)[-1] if by == "leaf" else path)
        if expected is None:
            if require_units:
                raise KnowledgeBaseError(f"{filename}: {path} has no declared unit")
            continue
        try:
            value.to(expected)
        except pint.errors.PintError:
            raise KnowledgeBaseError(
                f"{filename}: {path} has unit {value.unit!r}; expected a unit of {expected}"
            ) from None


def load_record(
    filename: str,
    model: type[RecordT],
    units: Mapping[str, str] | None = None,
    *,
    by: UnitKey = "leaf",
    require_units: bool = False,
) -> RecordT:
    """Knowledge-base file ``filename`` as ``model``, every value's source (and unit) checked.

    ``units``, ``by`` and ``require_units`` are those of :func:`check_values`.
    """
    record = parse_record(filename, model, read_mapping(filename))
    check_values(filename, iter_values(record), units, by=by, require_units=require_units)
    return record
