"""``nanocloak ctc``: capture of circulating tumor cells by immuno-magnetosomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nanocloak.cli.output import emit_result, progress_bar
from nanocloak.errors import SpecificationError
from nanocloak.results.beyond import CaptureResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.ctc_capture import MEMBRANES, simulate_ctc_capture

console = Console()


def ctc(
    blood: Annotated[str, typer.Option(help="Blood volume processed, e.g. '1 mL'.")] = "1 mL",
    ctcs: Annotated[float, typer.Option(help="CTCs in that volume (count).")] = 100.0,
    incubation: Annotated[str, typer.Option(help="Incubation time, e.g. '30 min'.")] = "30 min",
    flow: Annotated[str, typer.Option(help="Separator flow rate, e.g. '1 mL/h'.")] = "1 mL/h",
    membrane: Annotated[str, typer.Option(help="'leukocyte' or 'none'.")] = "leukocyte",
    dose: Annotated[
        str | None, typer.Option(help="Particle dose per blood volume, e.g. '50 ug/mL'.")
    ] = None,
    gradient: Annotated[
        str | None, typer.Option(help="Field gradient across the channel, e.g. '50 T/m'.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Save the efficiency/purity plot here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
) -> None:
    """Predict CTC capture efficiency and purity against the leukocyte background."""
    blood_ml = magnitude_in(parse_quantity(blood, "mL", "--blood"), "mL")
    incubation_min = magnitude_in(parse_quantity(incubation, "min", "--incubation"), "min")
    flow_ml_per_h = magnitude_in(parse_quantity(flow, "mL/h", "--flow"), "mL/h")
    if membrane not in MEMBRANES:
        raise SpecificationError("--membrane", membrane, f"one of {', '.join(MEMBRANES)}")
    dose_ug = (
        None if dose is None else magnitude_in(parse_quantity(dose, "ug/mL", "--dose"), "ug/mL")
    )
    grad = (
        None
        if gradient is None
        else magnitude_in(parse_quantity(gradient, "T/m", "--gradient"), "T/m")
    )
    with progress_bar("flow sweep", as_json) as advance:
        result = simulate_ctc_capture(
            blood_ml=blood_ml,
            ctcs=ctcs,
            incubation_min=incubation_min,
            flow_ml_per_h=flow_ml_per_h,
            membrane=membrane,
            dose_ug_per_ml=dose_ug,
            field_gradient_t_per_m=grad,
            progress=advance,
        )
    emit_result(result, as_json, plot, report, _print)


def _print(result: CaptureResult) -> None:
    table = Table(title="CTC capture", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in result.metrics.items():
        table.add_row(key, f"{value:.4g}")
    console.print(table)
    comparison = Table(title="Membranes (same protocol)", title_justify="left")
    for column in ("membrane", "efficiency", "purity", "leukocytes captured"):
        comparison.add_column(column)
    for name, row in result.membranes.items():
        comparison.add_row(
            name,
            f"{100 * row['capture_efficiency']:.1f} %",
            f"{100 * row['purity']:.2f} %",
            f"{row['captured_leukocytes']:.3g}",
        )
    console.print(comparison)
    console.print(
        f"Review: about {100 * result.reported_capture:.0f} % capture; model "
        f"{100 * result.efficiency:.1f} % (not fitted).",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``nanocloak ctc`` to ``app``."""
    app.command("ctc")(ctc)
