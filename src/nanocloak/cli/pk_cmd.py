"""``nanocloak pk``: simulate nanoparticle biodistribution with the PBPK model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from nanocloak.errors import SpecificationError
from nanocloak.io.files import write_text_atomic
from nanocloak.results.pk import REPORT_TIMES_H, PkResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.simulate_pk import simulate_pk

console = Console()


def pk(
    dose: Annotated[str, typer.Option(help="Each IV dose, e.g. '5 mg/kg'.")] = "5 mg/kg",
    species: Annotated[str, typer.Option(help="mouse (25 g) or rat (273 g).")] = "mouse",
    until: Annotated[str, typer.Option(help="End of the simulation, e.g. '168 h'.")] = "168 h",
    schedule: Annotated[
        str,
        typer.Option(
            help="'bolus', 'infusion 2 h', 'every 24 h x 3' or 'at 0, 24, 72 h' "
            "(append 'infusion 1 h' to infuse each dose)."
        ),
    ] = "bolus",
    mode: Annotated[
        str,
        typer.Option(help="'physiological' liver inflow (default) or the published 'reference'."),
    ] = "physiological",
    t_last: Annotated[
        str | None, typer.Option(help="Last sampling time of the study for DEtlast, e.g. '48 h'.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Save the time-course plot here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
) -> None:
    """Simulate where an intravenously dosed nanoparticle goes (organs, blood, tumor)."""
    dose_mg_per_kg = magnitude_in(parse_quantity(dose, "mg/kg", "--dose"), "mg/kg")
    until_h = magnitude_in(parse_quantity(until, "h", "--until"), "h")
    t_last_h = (
        None if t_last is None else magnitude_in(parse_quantity(t_last, "h", "--t-last"), "h")
    )
    if mode not in ("physiological", "reference"):
        raise SpecificationError("--mode", mode, "'physiological' or 'reference'")
    result = simulate_pk(
        species,
        dose_mg_per_kg,
        schedule,
        until_h,
        mode="reference" if mode == "reference" else "physiological",
        t_last_h=t_last_h,
    )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    else:
        _print(result)
    if plot is not None:
        result.save_plot(str(plot))
    if report is not None:
        write_text_atomic(report, result.report())
    if not as_json:
        for path, what in ((plot, "plot"), (report, "report")):
            if path is not None:
                console.print(f"{what} written to {path}", style="dim")


def _print(result: PkResult) -> None:
    console.print(
        f"[bold]{result.species}[/], {result.dose_mg_per_kg:g} mg/kg, {result.schedule} "
        f"(mode {result.mode})",
        highlight=False,
    )
    times = [t for t in REPORT_TIMES_H if t <= result.t_h[-1]]
    table = Table(title="Amount (%ID)", title_justify="left")
    table.add_column("output")
    for t in times:
        table.add_column(f"{t:g} h", justify="right")
    for name in result.outputs:
        values = result.series(name)
        table.add_row(name, *(f"{float(_at(result, values, t)):.3g}" for t in times))
    console.print(table)
    metrics = Table(title="Metrics", title_justify="left")
    metrics.add_column("metric")
    metrics.add_column("value", justify="right")
    for key, value in result.metrics().items():
        metrics.add_row(key, f"{value:.4g}")
    console.print(metrics)
    console.print("Conventions:", style="bold")
    for line in result.conventions:
        console.print(f"- {line}", highlight=False)


def _at(result: PkResult, values: object, t: float) -> float:
    return float(np.interp(t, result.t_h, np.asarray(values, dtype=float)))
