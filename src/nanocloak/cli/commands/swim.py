"""``nanocloak swim``: ultrasound-propelled gallium nanoswimmers in serum and blood."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from nanocloak.cli.output import emit_result, progress_bar
from nanocloak.results.beyond import SwimResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.swim import simulate_swimming

console = Console()


def swim(
    pressure: Annotated[
        str, typer.Option(help="Acoustic pressure amplitude, e.g. '1 MPa'.")
    ] = "1 MPa",
    frequency: Annotated[
        str, typer.Option(help="Ultrasound frequency, e.g. '2.66 MHz'.")
    ] = "2.66 MHz",
    medium: Annotated[
        str, typer.Option(help="'water', 'serum' or 'blood' (simulated case).")
    ] = "blood",
    membrane: Annotated[
        str, typer.Option(help="'leukocyte' or 'none' (simulated case).")
    ] = "leukocyte",
    swimmers: Annotated[int, typer.Option(help="Simulated swimmers.", min=10, max=200000)] = 2000,
    duration: Annotated[
        str | None, typer.Option(help="Simulated time, e.g. '60 s' (default 10 persistence times).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same result.")] = 2020,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Save the MSD and speed plot here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
) -> None:
    """Speed and effective diffusion of gallium nanoswimmers, bare or leukocyte-membrane-coated."""
    pressure_pa = magnitude_in(parse_quantity(pressure, "Pa", "--pressure"), "Pa")
    frequency_hz = magnitude_in(parse_quantity(frequency, "Hz", "--frequency"), "Hz")
    duration_s = (
        None if duration is None else magnitude_in(parse_quantity(duration, "s", "--duration"), "s")
    )
    with progress_bar("active Brownian simulation", as_json) as advance:
        result = simulate_swimming(
            pressure_pa=pressure_pa,
            frequency_hz=frequency_hz,
            medium=medium,
            membrane=membrane,
            n_swimmers=swimmers,
            duration_s=duration_s,
            seed=seed,
            progress=advance,
        )
    emit_result(result, as_json, plot, report, _print)


def _print(result: SwimResult) -> None:
    console.print(
        f"{result.pressure_pa / 1e6:g} MPa, {result.frequency_hz / 1e6:g} MHz: "
        f"E_ac = {result.energy_density_j_per_m3:.3g} J/m³",
        highlight=False,
    )
    table = Table(title="Nanoswimmers", title_justify="left")
    for column in ("medium", "membrane", "speed (µm/s)", "D_t (µm²/s)", "τ_r (s)", "D_eff (µm²/s)"):
        table.add_column(column)
    for r in result.conditions:
        table.add_row(
            r["medium"],
            r["membrane"],
            f"{r['speed_um_per_s']:.3g}",
            f"{r['translational_um2_per_s']:.3g}",
            f"{r['persistence_s']:.3g}",
            f"{r['effective_um2_per_s']:.4g}",
        )
    console.print(table)
    worst = float(abs(result.msd_relative_error()).max())
    console.print(
        f"Simulated MSD ({result.medium}/{result.membrane}) vs exact ABP: largest deviation "
        f"{100 * worst:.2f} %",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``nanocloak swim`` to ``app``."""
    app.command("swim")(swim)
