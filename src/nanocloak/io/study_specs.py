"""Study specs from TOML: design files named by path are read and inlined, so a loaded spec is
self-contained (its hash covers the particles too)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from nanocloak.domain.study import StudySpec
from nanocloak.errors import DataFormatError
from nanocloak.io.specs import load_design, specification_error


def study_from_dict(
    data: dict[str, Any], origin: str = "study", base: Path | None = None
) -> StudySpec:
    """Validate a mapping as a ``StudySpec``; design paths resolve against ``base``."""
    groups = data.get("groups")
    if isinstance(groups, list):
        resolved = []
        for i, group in enumerate(groups):
            agent = group.get("agent") if isinstance(group, dict) else None
            design = agent.get("design") if isinstance(agent, dict) else None
            if isinstance(design, str) and isinstance(agent, dict):
                path = (base or Path.cwd()) / design
                if not path.is_file():
                    raise DataFormatError(
                        f"{origin}: groups[{i}].agent.design: design file {path} does not exist "
                        "(paths are relative to the study file)"
                    )
                inline = load_design(path).model_dump(mode="json", exclude_none=True)
                group = {**group, "agent": {**agent, "design": inline}}
            resolved.append(group)
        data = {**data, "groups": resolved}
    try:
        return StudySpec.model_validate(data)
    except ValidationError as exc:
        raise specification_error(exc, origin) from None


def load_study_spec(path: str | os.PathLike[str]) -> StudySpec:
    """Read and validate a study TOML file."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFormatError(f"study file {file} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFormatError(f"{file} is not valid TOML: {exc}") from None
    return study_from_dict(data, str(file), file.parent)
