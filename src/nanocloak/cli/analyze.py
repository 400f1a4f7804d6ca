"""``nanocloak analyze``: lab-data analyses, one sub-command per measurement.

Each module in ``nanocloak.cli.analyzers`` registers its sub-commands through
``register(app)``; they share ``emit`` for the output forms: tables on the terminal, ``--json``
for machines, ``--report`` (Markdown) and ``--plot`` (PNG/PDF/SVG) files, and batch mode over
several files or the groups of one long-format file.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Sequence
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nanocloak.cli import analyzers
from nanocloak.io.files import write_text_atomic
from nanocloak.plotting.series import save
from nanocloak.results.analysis import AnalysisResult

app = typer.Typer(
    help="Analyse lab data: heating curves, relaxivity, release, PK, efficacy, characterization.",
    no_args_is_help=True,
)
console = Console()


def emit(
    results: Sequence[AnalysisResult], as_json: bool, report: Path | None, plot: Path | None
) -> None:
    """Print results (or JSON) and write the optional report and plot files atomically."""
    if as_json:
        payload = [r.to_dict() for r in results]
        typer.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, allow_nan=False)
        )
    else:
        for result in results:
            _print(result)
    if report is not None:
        write_text_atomic(report, "\n".join(r.report() for r in results))
    if plot is not None:
        panels = [r.panels[0] for r in results if r.panels]
        if panels:
            plot.parent.mkdir(parents=True, exist_ok=True)
            save(panels, str(plot))


def _print(result: AnalysisResult) -> None:
    table = Table(title=escape(result.title), title_justify="left")
    for column in ("quantity", "value", "unit", "SE", "CI"):
        table.add_column(column)
    for e in result.estimates:
        ci = "-" if e.ci is None else f"{e.ci[0]:.4g} – {e.ci[1]:.4g}"
        table.add_row(
            escape(e.label or e.name),
            f"{e.value:.4g}",
            escape(e.unit),
            "-" if e.stderr is None else f"{e.stderr:.3g}",
            ci,
        )
    console.print(table)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


def register_all() -> None:
    """Import every module of ``nanocloak.cli.analyzers`` and let it add its commands."""
    for module in pkgutil.iter_modules(analyzers.__path__):
        importlib.import_module(f"{analyzers.__name__}.{module.name}").register(app)


register_all()
