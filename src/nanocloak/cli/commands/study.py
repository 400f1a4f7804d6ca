"""``nanocloak study``: run a virtual in vivo study, compare its groups, report it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.analysis.study_compare import compare_study, estimates_table
from nanocloak.cli.analyze import emit
from nanocloak.io.study_specs import load_study_spec
from nanocloak.io.study_store import load_study_tables
from nanocloak.results.study import StudyResult
from nanocloak.workflows.run_study import (
    clear_run_checkpoints,
    run_study,
    total_work,
    write_study,
)

app = typer.Typer(help="Virtual in vivo studies: run, compare, report.", no_args_is_help=True)
console = Console()


@app.command("run")
def run(
    study: Annotated[Path, typer.Argument(help="Study file (TOML).")],
    out: Annotated[Path, typer.Option(help="Output directory (DuckDB, Parquet, report).")],
    fresh: Annotated[
        bool, typer.Option(help="Ignore checkpoints of an interrupted run of this spec.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Simulate every animal of every group; write study.duckdb, parquet/ and report.html."""
    spec = load_study_spec(study)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task(spec.name[:50], total=total_work(spec))

        def advance(what: str) -> None:
            bar.update(task, advance=1, description=what[:50])

        result = run_study(spec, checkpoints=out, fresh=fresh, progress=advance, clear=False)
    written = write_study(result, spec, out, comparisons=estimates_table(compare_study(result)))
    clear_run_checkpoints(out, spec)  # only once the store and report are written
    _print(result)
    for path in written:
        console.print(f"written {path}", style="dim")


@app.command("compare")
def compare(
    directory: Annotated[Path, typer.Argument(help="A study directory written by 'study run'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Save the comparison plots here.")] = None,
) -> None:
    """Groups side by side: T/C, TGI with intervals, per-day tests, survival statistics."""
    result = StudyResult.from_tables(load_study_tables(directory))
    if not as_json:
        _print(result)
    emit(compare_study(result), as_json, report, plot)


SHOWN = {
    "group": "group",
    "animals": "n",
    "final_volume_mm3": "final V (mm³)",
    "final_volume_sd_mm3": "SD",
    "tgi_percent": "TGI (%)",
    "median_survival_day": "median survival (d)",
    "max_tumor_temperature_c": "T max (°C)",
    "min_body_weight_percent": "min BW (%)",
    "lung_nodules": "lung nodules",
}


def _print(result: StudyResult) -> None:
    table = Table(title=result.name, title_justify="left")
    summary = result.summary()
    columns = [c for c in SHOWN if c in summary.columns and summary[c].notna().any()]
    for column in columns:
        table.add_column(SHOWN[column], justify="left" if column == "group" else "right")
    for row in summary[columns].itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    console.print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def register(root: typer.Typer) -> None:
    """Add the ``study`` group to the main application."""
    root.add_typer(app, name="study")
