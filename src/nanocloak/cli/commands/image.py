"""``nanocloak image``: MRI darkening or NIR fluorescence of designs over time (PBPK-driven)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.errors import SpecificationError
from nanocloak.io.files import write_text_atomic
from nanocloak.io.specs import load_design
from nanocloak.results.imaging import FluorescenceResult, MriResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.imaging import fluorescence_time_course, mri_darkening
from nanocloak.workflows.simulate_design_pk import simulate_design_pk

console = Console()
MODALITIES = ("mri", "fluorescence")


def parse_times_h(text: str) -> list[float]:
    """``"1,4,24,48 h"`` → ``[1, 4, 24, 48]`` (hours).

    A unit after the last number applies to every bare number.
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise SpecificationError("--times", text, "comma-separated times, e.g. '1,4,24,48 h'")
    last = parts[-1].split()
    unit = last[1] if len(last) == 2 else "h"
    parts[-1] = last[0]
    times = []
    for p in parts:
        value = p if any(c.isalpha() for c in p) else f"{p} {unit}"
        times.append(magnitude_in(parse_quantity(value, "h", "--times"), "h"))
    if any(t < 0.0 for t in times):
        raise SpecificationError("--times", text, "non-negative times")
    return sorted(times)


def image(
    files: Annotated[
        list[Path], typer.Argument(help="Design TOML files; several are compared side by side.")
    ],
    modality: Annotated[str, typer.Option(help="'mri' or 'fluorescence'.")] = "mri",
    dose: Annotated[str, typer.Option(help="IV dose of core, e.g. '5 mg/kg'.")] = "5 mg/kg",
    times: Annotated[str, typer.Option(help="Imaging times, e.g. '1,4,24,48 h'.")] = "1,4,24,48 h",
    species: Annotated[str, typer.Option(help="mouse or rat.")] = "mouse",
    tumor_line: Annotated[
        str | None, typer.Option(help="Tumor cell line for homotypic targeting, e.g. '4T1'.")
    ] = None,
    field: Annotated[str, typer.Option(help="MRI field: '1.5 T', '3 T' or '7 T'.")] = "3 T",
    te: Annotated[str, typer.Option(help="MRI echo time, e.g. '40 ms'.")] = "40 ms",
    tr: Annotated[str, typer.Option(help="MRI repetition time, e.g. '3000 ms'.")] = "3000 ms",
    r2: Annotated[str, typer.Option(help="r2 source: auto, knowledge or outer_sphere.")] = "auto",
    label: Annotated[
        str, typer.Option(help="Fluorophore: icg, ir780, dir, cy55 or ucnp_er.")
    ] = "ir780",
    loading: Annotated[str, typer.Option(help="Dye per core mass, e.g. '10 ug/mg'.")] = "10 ug/mg",
    depth: Annotated[
        str | None, typer.Option(help="Organ depth below the skin for all organs, e.g. '3 mm'.")
    ] = None,
    irradiance: Annotated[str, typer.Option(help="Excitation irradiance.")] = "0.1 W/cm^2",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Save the time-course plot here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
) -> None:
    """Predict how a formulation shows up in MRI (T2 darkening) or NIR fluorescence over time."""
    if modality not in MODALITIES:
        raise SpecificationError("--modality", modality, "'mri' or 'fluorescence'")
    dose_mg_per_kg = magnitude_in(parse_quantity(dose, "mg/kg", "--dose"), "mg/kg")
    times_h = parse_times_h(times)
    field_t = magnitude_in(parse_quantity(field, "T", "--field"), "T")
    te_ms = magnitude_in(parse_quantity(te, "ms", "--te"), "ms")
    tr_ms = magnitude_in(parse_quantity(tr, "ms", "--tr"), "ms")
    loading_ug_per_mg = magnitude_in(parse_quantity(loading, "ug/mg", "--loading"), "ug/mg")
    depth_mm = None if depth is None else magnitude_in(parse_quantity(depth, "mm", "--depth"), "mm")
    irr = magnitude_in(parse_quantity(irradiance, "W/cm^2", "--irradiance"), "W/cm^2")
    specs = [load_design(f) for f in files]
    results: list[MriResult | FluorescenceResult] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=as_json,
        transient=True,
    ) as progress:
        task = progress.add_task("simulating", total=2 * len(specs))
        for spec in specs:
            progress.update(task, description=f"PBPK {spec.name}")
            pk = simulate_design_pk(
                spec, dose_mg_per_kg, species, max(times_h) + 1.0, tumor_line=tumor_line
            )
            progress.advance(task)
            progress.update(task, description=f"{modality} {spec.name}")
            if modality == "mri":
                results.append(
                    mri_darkening(pk, spec, field_t, te_ms, tr_ms, times_h=times_h, r2=r2)
                )
            else:
                results.append(
                    fluorescence_time_course(
                        pk,
                        label,
                        depth_mm=depth_mm,
                        times_h=times_h,
                        loading_ug_per_mg=loading_ug_per_mg,
                        irradiance_w_per_cm2=irr,
                        formulation=spec.name,
                    )
                )
            progress.advance(task)
    if as_json:
        payload = [r.to_dict() for r in results]
        typer.echo(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, allow_nan=False)
        )
    else:
        _print(results, modality, times_h)
    if plot is not None:
        _save_plot(results, str(plot))
    if report is not None:
        write_text_atomic(report, "\n\n".join(r.report() for r in results))
    if not as_json:
        for path, what in ((plot, "plot"), (report, "report")):
            if path is not None:
                console.print(f"{what} written to {path}", style="dim")


def _print(
    results: list[MriResult | FluorescenceResult], modality: str, times_h: list[float]
) -> None:
    title = "T2w signal drop (%)" if modality == "mri" else "fluorescence SBR (S+B)/B"
    table = Table(title=title, title_justify="left")
    table.add_column("formulation")
    table.add_column("organ")
    for t in times_h:
        table.add_column(f"{t:g} h", justify="right")
    for r in results:
        for organ in r.organs:
            values = r.percent_drop[organ] if isinstance(r, MriResult) else r.sbr[organ]
            table.add_row(r.formulation, organ, *(f"{v:.3g}" for v in values))
    console.print(table)
    for r in results:
        if isinstance(r, MriResult):
            console.print(
                f"{r.formulation}: r2 {r.r2_per_mm_s:.4g} /mM/s ({r.r2_origin})", highlight=False
            )


def _save_plot(results: list[MriResult | FluorescenceResult], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, len(results), figsize=(5.0 * len(results), 3.6), dpi=150, squeeze=False
    )
    for r, ax in zip(results, axes[0], strict=True):
        r.plot(ax)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def register(app: typer.Typer) -> None:
    """Add ``nanocloak image``."""
    app.command("image")(image)
