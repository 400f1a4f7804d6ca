#!/usr/bin/env bash
# Set up .venv with the dev and docs extras and run every check: lint, types, layers,
# the whole test suite and the documentation build.
source "$(dirname "$0")/_venv.sh" "[dev,docs]"
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy
.venv/bin/lint-imports
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet -d build/site
.venv/bin/python -m pytest
