"""``nanocloak design``: predicted characterization and batch plan of one or more designs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.io.files import write_text_atomic
from nanocloak.io.specs import load_design
from nanocloak.results.design import METRICS, DesignResult, fmt
from nanocloak.results.protocol import protocol_steps
from nanocloak.workflows.design import design as run_design

console = Console()


def design(
    files: Annotated[
        list[Path], typer.Argument(help="Design TOML files; two or more are compared side by side.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (schema: docs/cli.md).")
    ] = False,
    samples: Annotated[
        int,
        typer.Option(
            help="Ensemble members drawn within literature ranges (0: no ranges).", min=0, max=1000
        ),
    ] = 24,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same result.")] = 20221,
    report: Annotated[Path | None, typer.Option(help="Also write a Markdown report here.")] = None,
) -> None:
    """Predict how a particle is made and what it will be like."""
    specs = [load_design(f) for f in files]
    results = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=as_json,
        transient=True,
    ) as progress:
        for spec in specs:
            task = progress.add_task(f"designing {spec.name}", total=samples + 1)

            def advance(done: int, total: int, task: TaskID = task) -> None:
                progress.update(task, completed=done, total=total)

            results.append(run_design(spec, n_samples=samples, seed=seed, progress=advance))
    if as_json:
        payload = [r.to_dict() for r in results]
        typer.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, allow_nan=False)
        )
    elif len(results) == 1:
        _print_single(results[0])
    else:
        _print_comparison(results)
    if report is not None:
        text = "\n\n".join(r.report() for r in results)
        write_text_atomic(report, text)
        console.print(f"report written to {report}", style="dim") if not as_json else None


def _band(result: DesignResult, name: str) -> str:
    low, high = result.bands[name]
    return f"{fmt(low)}–{fmt(high)}" if result.n_samples else "-"


def _print_single(result: DesignResult) -> None:
    spec = result.spec
    console.print(
        f"[bold]{spec.name}[/]: {spec.membrane.label} membrane on "
        f"{spec.core.material} by {spec.preparation.assembly.method}"
    )
    for group in ("coating", "characterization", "process", "membrane", "storage"):
        table = Table(title=group.capitalize(), title_justify="left")
        for column in ("quantity", "predicted", "5–95 % range", "unit"):
            table.add_column(column)
        for name, (label, unit, kind) in METRICS.items():
            if kind == group:
                table.add_row(label, fmt(result.metric(name)), _band(result, name), unit)
        console.print(table)
    _print_plan(result)
    console.print("[bold]How to make it[/]")
    for number, step in enumerate(protocol_steps(result), start=1):
        console.print(f"{number:>3}. {step}", highlight=False)
    _print_histogram(result)
    _print_warnings(result)


def _print_plan(result: DesignResult) -> None:
    table = Table(title="Batch plan: membrane to harvest", title_justify="left")
    for column in ("source", "protein fraction", "cells", "blood (mL)", "protein (mg)"):
        table.add_column(column)
    for plan in result.nominal.plans:
        table.add_row(
            plan.cell,
            f"{plan.fraction:g}",
            fmt(plan.cells),
            "-" if plan.blood_ml is None else fmt(plan.blood_ml),
            fmt(plan.protein_mg),
        )
    console.print(table)
    low, high = result.review_cells
    console.print(
        f"The review quotes {low:.0e}–{high:.0e} source cells per membrane "
        f"preparation; this batch needs {fmt(result.metric('total_cells'))}."
    )


def _print_histogram(result: DesignResult) -> None:
    table = Table(title="Coating degree per particle", title_justify="left")
    table.add_column("coating")
    table.add_column("share", justify="right")
    table.add_column("")
    for low, high, share in result.coverage_histogram():
        table.add_row(f"{low:.0%}–{high:.0%}", f"{share:.1%}", "█" * round(share * 40))
    console.print(table)


def _print_warnings(result: DesignResult) -> None:
    for warning in result.warnings():
        console.print(f"[yellow]warning:[/] {result.spec.name}: {warning}")


def _print_comparison(results: list[DesignResult]) -> None:
    table = Table(title="Designs compared (predicted; 5–95 % range)")
    table.add_column("quantity")
    table.add_column("unit")
    for result in results:
        table.add_column(f"{result.spec.name}\n{result.spec.preparation.assembly.method}")
    for name, (label, unit, _) in METRICS.items():
        table.add_row(label, unit, *(f"{fmt(r.metric(name))} ({_band(r, name)})" for r in results))
    console.print(table)
    if len(results) == 2 and results[0].n_samples:
        _print_pairwise(*results)
    for result in results:
        _print_warnings(result)


PAIRWISE = (
    "fully_coated_share",
    "mean_coating_degree",
    "protein_retention",
    "core_recovery",
    "pdi",
    "relative_cost",
    "assembly_hands_on_min",
)


def _print_pairwise(first: DesignResult, second: DesignResult) -> None:
    """How robust each difference is across the literature ranges (paired draws)."""
    table = Table(
        title=f"Across {first.n_samples} paired draws within the literature ranges",
        title_justify="left",
    )
    table.add_column("quantity")
    table.add_column(f"share of draws with {first.spec.name} > {second.spec.name}", justify="right")
    for name in PAIRWISE:
        table.add_row(METRICS[name][0], f"{first.share_above(second, name):.0%}")
    console.print(table)
