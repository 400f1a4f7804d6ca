"""Top-level ``nanocloak`` commands, one module each.

Every module here defines ``register(app: typer.Typer) -> None`` that adds its command (or
command group) to the main application; :func:`register_all` imports them all.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    """Import every module of this package and let it add its commands to ``app``."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}").register(app)
