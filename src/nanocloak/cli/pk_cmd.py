"""``nanocloak pk``: simulate nanoparticle biodistribution with the PBPK model.

Without a design file the base model (the knowledge-base particle) is simulated; with one or
more ``DESIGN.toml`` files each design is manufactured and simulated with its membrane layer
(:func:`~nanocloak.workflows.simulate_design_pk.simulate_design_pk`), with a progress bar over
the designs. ``--sbml PATH`` also writes the base model with the dosing schedule as SBML.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.errors import SpecificationError
from nanocloak.io.files import write_text_atomic
from nanocloak.io.specs import load_design
from nanocloak.plotting.series import Panel, Series, save
from nanocloak.results.pk import REPORT_TIMES_H, PkResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.export_pk_sbml import export_pk_sbml
from nanocloak.workflows.simulate_design_pk import simulate_design_pk
from nanocloak.workflows.simulate_pk import simulate_pk

console = Console()
COMPARED = ("blood", "liver", "spleen", "tumor")


def pk(
    designs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Design TOML files (optional); each is simulated with its membrane layer.",
            show_default=False,
        ),
    ] = None,
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
    tumor_line: Annotated[
        str | None,
        typer.Option(help="Tumor cell line for homotypic targeting (with designs), e.g. 4T1."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Save the time-course plot here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
    sbml: Annotated[
        Path | None,
        typer.Option(help="Also write the base model with its dosing schedule as SBML here."),
    ] = None,
) -> None:
    """Simulate where an intravenously dosed nanoparticle goes (organs, blood, tumor)."""
    dose_mg_per_kg = magnitude_in(parse_quantity(dose, "mg/kg", "--dose"), "mg/kg")
    until_h = magnitude_in(parse_quantity(until, "h", "--until"), "h")
    t_last_h = (
        None if t_last is None else magnitude_in(parse_quantity(t_last, "h", "--t-last"), "h")
    )
    if mode not in ("physiological", "reference"):
        raise SpecificationError("--mode", mode, "'physiological' or 'reference'")
    files = list(designs or [])
    if files and mode != "physiological":
        raise SpecificationError(
            "--mode",
            mode,
            "'physiological' with design files (the membrane layer has no reference mode)",
        )
    if files and t_last_h is not None:
        raise SpecificationError("--t-last", t_last, "no value with design files")
    if tumor_line is not None and not files:
        raise SpecificationError("--tumor-line", tumor_line, "a design file to apply it to")
    if files:
        runs = _simulate_designs(
            files, dose_mg_per_kg, species, until_h, tumor_line, schedule, as_json
        )
    else:
        runs = [
            (
                "base model",
                simulate_pk(
                    species,
                    dose_mg_per_kg,
                    schedule,
                    until_h,
                    mode="reference" if mode == "reference" else "physiological",
                    t_last_h=t_last_h,
                ),
            )
        ]
    if as_json:
        payloads = [_payload(name, result, bool(files)) for name, result in runs]
        typer.echo(
            json.dumps(payloads[0] if len(payloads) == 1 else payloads, indent=2, allow_nan=False)
        )
    else:
        for name, result in runs:
            _print(result, name if files else None)
    if plot is not None:
        if len(runs) == 1:
            runs[0][1].save_plot(str(plot))
        else:
            save(_comparison(runs), str(plot))
    if report is not None:
        write_text_atomic(report, "\n".join(_report(name, r, bool(files)) for name, r in runs))
    if sbml is not None:
        write_text_atomic(
            sbml,
            export_pk_sbml(
                species,
                dose_mg_per_kg,
                mode="reference" if mode == "reference" else "physiological",
                schedule=schedule,
            ),
        )
    if not as_json:
        for path, what in ((plot, "plot"), (report, "report"), (sbml, "SBML model")):
            if path is not None:
                console.print(f"{what} written to {path}", style="dim")


def _simulate_designs(
    files: list[Path],
    dose_mg_per_kg: float,
    species: str,
    until_h: float,
    tumor_line: str | None,
    schedule: str,
    quiet: bool,
) -> list[tuple[str, PkResult]]:
    specs = [load_design(f) for f in files]
    runs = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("simulating designs", total=len(specs))
        for spec in specs:
            progress.update(task, description=f"simulating {spec.name}")
            result = simulate_design_pk(
                spec, dose_mg_per_kg, species, until_h, tumor_line, schedule=schedule
            )
            runs.append((spec.name, result))
            progress.advance(task)
    return runs


def _payload(name: str, result: PkResult, is_design: bool) -> dict[str, Any]:
    data = result.to_dict()
    if is_design:
        data["design"] = name
    return data


def _report(name: str, result: PkResult, is_design: bool) -> str:
    text = result.report()
    return f"# Design: {name}\n\n{text}" if is_design else text


def _comparison(runs: list[tuple[str, PkResult]]) -> list[Panel]:
    panels = []
    for output in COMPARED:
        series = tuple(
            Series(result.t_h, result.series(output), name)
            for name, result in runs
            if output in result.outputs
        )
        if series:
            panels.append(Panel(series, "time (h)", f"{output} (%ID)", output))
    return panels


def _print(result: PkResult, design: str | None = None) -> None:
    heading = f"[bold]{design}[/]: " if design else ""
    console.print(
        f"{heading}[bold]{result.species}[/], {result.dose_mg_per_kg:g} mg/kg, "
        f"{result.schedule} (mode {result.mode})",
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
