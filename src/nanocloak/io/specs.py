"""Design specs from and to TOML, with every validation problem reported by field."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from nanocloak.domain.formulation import Design
from nanocloak.errors import DataFormatError, InvalidSpecificationError, SpecificationError
from nanocloak.io.files import write_atomic


def design_from_dict(data: dict[str, Any], origin: str = "design") -> Design:
    """Validate a mapping as a ``Design``; all problems are raised together."""
    try:
        return Design.model_validate(data)
    except ValidationError as exc:
        raise specification_error(exc, origin) from None


def specification_error(exc: ValidationError, origin: str) -> InvalidSpecificationError:
    """Collapse pydantic's errors into one error naming each field, the value and the rule."""
    problems = []
    for error in exc.errors(include_url=False):
        location = _location(error["loc"])
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, SpecificationError):
            if cause.field.startswith(location):
                location = cause.field
            elif location.rsplit(".", 1)[-1] != cause.field.rsplit(".", 1)[-1]:
                location = f"{location}.{cause.field.rsplit('.', 1)[-1]}"
            problems.append(f"{location}: {_without_field(cause)}")
            continue
        value = error.get("input")
        if error["type"] == "extra_forbidden":
            message = (
                "unknown field; check the spelling (the fields are listed in docs/concepts.md)"
            )
        elif error["type"] == "missing":
            problems.append(f"{location}: required field is missing")
            continue
        else:
            message = error["msg"]
        shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
        problems.append(f"{location}: {message}{shown}")
    return InvalidSpecificationError(origin, problems)


UNION_FIELDS = {"geometry", "assembly", "loading", "agent", "treatments"}


def _location(loc: tuple[int | str, ...]) -> str:
    """Dotted path of a pydantic error location, without the union tags pydantic inserts."""
    parts: list[str] = []
    after_union = False
    for part in loc:
        if after_union and isinstance(part, str):
            after_union = False
            continue  # the discriminator tag, e.g. 'extrusion' in assembly.extrusion.passes
        if after_union and isinstance(part, int):
            parts.append(str(part))  # a list of unions: the tag follows the index
            continue
        after_union = str(part) in UNION_FIELDS
        parts.append(str(part))
    return ".".join(parts)


def _without_field(error: SpecificationError) -> str:
    """The message of a nested error without its own (shorter) field prefix."""
    text = str(error)
    prefix = f"{error.field}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def load_design(path: str | os.PathLike[str]) -> Design:
    """Read and validate a design TOML file."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFormatError(f"design file {file} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFormatError(f"{file} is not valid TOML: {exc}") from None
    return design_from_dict(data, str(file))


def dump_design(design: Design) -> str:
    """The TOML text of ``design`` (every field, quantities as strings with units)."""
    return tomli_w.dumps(design.model_dump(mode="json", exclude_none=True))


def save_design(design: Design, path: str | os.PathLike[str]) -> Path:
    """Write ``design`` to ``path`` as TOML, atomically."""
    return write_atomic(path, dump_design(design).encode("utf-8"))
