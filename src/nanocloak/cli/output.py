"""Shared output of the simulation commands: a progress bar, and result → JSON/table/plot/report."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from nanocloak.io.files import write_text_atomic

console = Console()


class SimulationResult(Protocol):
    """What a simulation command prints and writes."""

    def to_dict(self) -> dict[str, Any]: ...

    def report(self) -> str: ...

    def save_plot(self, path: str) -> None: ...


@contextmanager
def progress_bar(description: str, hidden: bool) -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr; yields ``advance(done, total)``."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=hidden,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def emit_result(
    result: SimulationResult,
    as_json: bool,
    plot: Path | None,
    report: Path | None,
    print_table: Callable[[Any], None],
) -> None:
    """Print ``result`` (JSON or tables) and write the optional plot and Markdown report."""
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    else:
        print_table(result)
    if plot is not None:
        result.save_plot(str(plot))
    if report is not None:
        write_text_atomic(report, result.report())
    if not as_json:
        for path, what in ((plot, "plot"), (report, "report")):
            if path is not None:
                console.print(f"{what} written to {path}", style="dim")
