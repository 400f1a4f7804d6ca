"""``nanocloak pdt``: singlet-oxygen dose of photodynamic therapy in a subcutaneous tumour."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.cli.output import emit_result
from nanocloak.errors import SpecificationError
from nanocloak.io.specs import load_design
from nanocloak.results.pdt import PdtResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.simulate_pdt import simulate_design_pdt, simulate_pdt

console = Console()


def pdt(
    design: Annotated[
        Path | None,
        typer.Argument(help="Design TOML with a photosensitizer cargo (or use --concentration)."),
    ] = None,
    concentration: Annotated[
        str | None,
        typer.Option(help="Photosensitizer in the tumour instead of a design, e.g. '5 uM'."),
    ] = None,
    photosensitizer: Annotated[
        str | None,
        typer.Option(help="chlorin_e6 (default with --concentration), znpc, mc540, photofrin."),
    ] = None,
    laser: Annotated[str, typer.Option(help="Laser wavelength, e.g. '660 nm'.")] = "660 nm",
    irradiance: Annotated[str, typer.Option(help="Irradiance, e.g. '0.1 W/cm2'.")] = "0.1 W/cm2",
    minutes: Annotated[float, typer.Option(help="Irradiation time in minutes.")] = 10.0,
    dose: Annotated[str, typer.Option(help="IV dose of the design, e.g. '5 mg/kg'.")] = "5 mg/kg",
    after: Annotated[str, typer.Option(help="Drug–light interval, e.g. '24 h'.")] = "24 h",
    species: Annotated[str, typer.Option(help="mouse or rat.")] = "mouse",
    depth: Annotated[str, typer.Option(help="Deepest depth computed, e.g. '5 mm'.")] = "5 mm",
    spot: Annotated[
        str | None, typer.Option(help="Flat-top spot radius, e.g. '5 mm' (default: broad beam).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Save the dose/O2/bleaching plot here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
) -> None:
    """Reacted singlet-oxygen dose over time and depth under a PDT laser."""
    if (design is None) == (concentration is None):
        raise SpecificationError(
            "DESIGN / --concentration",
            "both" if design is not None else "neither",
            "either a design file or --concentration",
            "e.g. 'nanocloak pdt --concentration \"5 uM\"' or 'nanocloak pdt design.toml'.",
        )
    options = {
        "wavelength_nm": magnitude_in(parse_quantity(laser, "nm", "--laser"), "nm"),
        "irradiance_w_per_cm2": magnitude_in(
            parse_quantity(_exponents(irradiance), "W/cm^2", "--irradiance"), "W/cm^2"
        ),
        "duration_s": minutes * 60.0,
        "max_depth_mm": magnitude_in(parse_quantity(depth, "mm", "--depth"), "mm"),
        "spot_radius_mm": None
        if spot is None
        else magnitude_in(parse_quantity(spot, "mm", "--spot"), "mm"),
    }
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=as_json,
        transient=True,
    ) as bar:
        task = bar.add_task("singlet oxygen", total=1)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        if design is not None:
            result = simulate_design_pdt(
                load_design(design),
                magnitude_in(parse_quantity(dose, "mg/kg", "--dose"), "mg/kg"),
                magnitude_in(parse_quantity(after, "h", "--after"), "h"),
                species,
                photosensitizer,
                progress=advance,
                **options,
            )
        else:
            result = simulate_pdt(
                magnitude_in(parse_quantity(str(concentration), "uM", "--concentration"), "uM"),
                photosensitizer or "chlorin_e6",
                progress=advance,
                **options,  # type: ignore[arg-type]
            )
    emit_result(result, as_json, plot, report, _print)


def _exponents(text: str) -> str:
    """Read the shorthand 'W/cm2' as 'W/cm^2' (a digit right after a unit letter)."""
    return re.sub(r"(?<=[A-Za-z])(\d)", r"^\1", text)


def _print(result: PdtResult) -> None:
    console.print(
        f"[bold]{result.photosensitizer}[/] {result.concentration_um:.3g} µM, "
        f"{result.wavelength_nm:g} nm at {result.irradiance_w_per_cm2:g} W/cm² for "
        f"{result.duration_s / 60:g} min",
        highlight=False,
    )
    table = Table(title="End of irradiation", title_justify="left")
    for column in ("depth (mm)", "φ (mW/cm²)", "[¹O₂]rx (mM)", "min O₂ (µM)", "PS left"):
        table.add_column(column, justify="right")
    for row in result.summary():
        left = row["photosensitizer_left"]
        table.add_row(
            f"{row['depth_mm']:g}",
            f"{row['fluence_rate_mw_per_cm2']:.3g}",
            f"{row['reacted_mm']:.3g}",
            f"{row['min_oxygen_um']:.3g}",
            "-" if left is None else f"{left:.2f}",
        )
    console.print(table)
    metrics = Table(title="Metrics", title_justify="left")
    metrics.add_column("metric")
    metrics.add_column("value", justify="right")
    for key, value in result.metrics().items():
        metrics.add_row(key, f"{value:.4g}")
    console.print(metrics)


def register(app: typer.Typer) -> None:
    """Add ``nanocloak pdt`` to ``app``."""
    app.command("pdt")(pdt)
