"""Reading the knowledge base's data files from the package ``nanocloak.knowledge.data``.

The one place that opens a data file: :func:`read_text` for any file (YAML, CSV) and
:func:`read_mapping` for a YAML file that must hold a mapping. A missing or malformed file is a
:class:`~nanocloak.errors.KnowledgeBaseError` naming it. It imports nothing else of the
knowledge base, so every loader (:mod:`~nanocloak.knowledge.loader` included) can use it.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from nanocloak.errors import KnowledgeBaseError

DATA_PACKAGE = "nanocloak.knowledge.data"


def read_text(filename: str) -> str:
    """The text of knowledge-base file ``filename``; ``KnowledgeBaseError`` if it is missing."""
    try:
        return resources.files(DATA_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"knowledge-base file {filename!r} is missing") from exc


def read_mapping(filename: str, holds: str = "a mapping") -> dict[Any, Any]:
    """The parsed YAML of knowledge-base file ``filename``, which must hold ``holds``."""
    data = yaml.safe_load(read_text(filename))
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{filename} must hold {holds}")
    return data
