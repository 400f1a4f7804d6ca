"""``nanocloak validate``: compare model predictions with published observations.

Register in ``cli/app.py`` with ``app.add_typer(validate_cmd.app, name="validate")``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.errors import DataFormatError
from nanocloak.io.files import write_text_atomic
from nanocloak.plotting.series import save
from nanocloak.results.analysis import AnalysisResult
from nanocloak.workflows.validate_pk import ROLES, validate_pk
from nanocloak.workflows.validate_studies import validate_studies, validation_work

app = typer.Typer(
    help="Validate models against published observations (calibration data kept apart).",
    no_args_is_help=True,
)
console = Console()

DEFAULT_OBSERVATIONS = (
    Path(__file__).resolve().parents[3] / "examples" / "validation" / "pk_observations.csv"
)
DEFAULT_CLAIMS = DEFAULT_OBSERVATIONS.parent / "study_claims.csv"


@app.command("pk")
def pk(
    observations: Annotated[
        Path | None,
        typer.Argument(
            help="Observation table (CSV); default: the repository's "
            "examples/validation/pk_observations.csv."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a Markdown report.")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Save predicted vs observed (PNG/PDF/SVG).")
    ] = None,
) -> None:
    """Compare PBPK predictions with published observations: observed, predicted, fold error,
    share within 2-fold and direction checks, calibration and validation rows apart."""
    path = observations or DEFAULT_OBSERVATIONS
    if not path.is_file():
        raise DataFormatError(
            f"{path}: no observation table; pass one (see examples/validation/README.md)"
        )
    result = validate_pk(path)
    _emit(result, as_json, report, plot, _print)


def _emit(
    result: AnalysisResult,
    as_json: bool,
    report: Path | None,
    plot: Path | None,
    print_table: Callable[[AnalysisResult], None],
) -> None:
    """Print ``result`` (JSON or tables), write the optional report and every panel."""
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    else:
        print_table(result)
    if report is not None:
        write_text_atomic(report, result.report())
    if plot is not None:
        plot.parent.mkdir(parents=True, exist_ok=True)
        save(list(result.panels), str(plot))
    if not as_json:
        for target, what in ((report, "report"), (plot, "plot")):
            if target is not None:
                console.print(f"{what} written to {target}", style="dim")


@app.command("studies")
def studies(
    claims: Annotated[
        Path | None,
        typer.Argument(
            help="Claims table (CSV); default: the repository's "
            "examples/validation/study_claims.csv."
        ),
    ] = None,
    studies_dir: Annotated[
        Path | None,
        typer.Option(
            "--studies", help="Folder of the study files; default: examples/studies beside it."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a Markdown report.")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Save the predicted ratios (PNG/PDF/SVG).")
    ] = None,
) -> None:
    """Run the example studies and check each comparison the review states: the model's two
    values, ratio and verdict next to the review's statement. Exits with status 1 when any
    claim does not agree (after printing the whole table)."""
    path = claims or DEFAULT_CLAIMS
    if not path.is_file():
        raise DataFormatError(f"{path}: no claims table; pass one (see docs/studies/validation.md)")
    total = validation_work(path, studies_dir)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("studies", total=total)

        def advance(what: str) -> None:
            bar.update(task, advance=1, description=what[:50])

        result = validate_studies(path, studies_dir=studies_dir, progress=advance)
    _emit(result, as_json, report, plot, _print_claims)
    failed = [r["id"] for r in result.tables["claims"] if r["verdict"] != "agrees"]
    if failed:
        Console(stderr=True).print(
            f"[bold red]{len(failed)} of {len(result.tables['claims'])} review claims do not "
            f"agree with the model:[/] {escape(', '.join(failed))}"
        )
        raise typer.Exit(1)


def _print_claims(result: AnalysisResult) -> None:
    rows = result.tables["claims"]
    _table(
        result.title,
        rows,
        ("id", "quantity", "claim", "value_a", "value_b", "unit", "ratio", "verdict"),
    )
    _table("What the review states", rows, ("id", "statement", "location", "size"))
    for e in result.estimates:
        console.print(f"{escape(e.label or e.name)}: {_cell(e.value)}", style="bold")
    for warning in result.warnings:
        console.print(f"[yellow]does not agree:[/] {escape(warning)}")


def _print(result: AnalysisResult) -> None:
    for role in ROLES:
        values = [r for r in result.tables["values"] if r["role"] == role]
        directions = [r for r in result.tables["directions"] if r["role"] == role]
        _table(
            f"{role.capitalize()} observations: values",
            values,
            ("id", "quantity", "observed", "predicted", "unit", "fold_error", "within_2_fold"),
        )
        _table(
            f"{role.capitalize()} observations: directions",
            directions,
            ("id", "quantity", "claim", "predicted", "reference_value", "unit", "result"),
        )
    summary = Table(title="Summary", title_justify="left")
    summary.add_column("quantity")
    summary.add_column("value", justify="right")
    for e in result.estimates:
        summary.add_row(escape(e.label or e.name), _cell(e.value))
    console.print(summary)
    console.print(
        "Calibration rows informed the parameters and do not test the model; validation rows do.",
        style="bold",
    )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")


def _table(title: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    if not rows:
        return
    table = Table(title=escape(title), title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(escape(_cell(row.get(c))) for c in columns))
    console.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "-" if not math.isfinite(value) else f"{value:.3g}"
    return str(value)
