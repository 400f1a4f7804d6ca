"""``nanocloak ptt``: photothermal therapy of designed particles in a mouse tumor.

Also holds the options and output shared with ``nanocloak mht``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.domain.formulation import Design
from nanocloak.errors import SpecificationError
from nanocloak.io.files import write_text_atomic
from nanocloak.io.specs import load_design
from nanocloak.knowledge import treatment as kb
from nanocloak.plotting.series import Panel, Series, save
from nanocloak.results.treatment import TreatmentResult, TumorDelivery, compare_deliveries
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.treat import (
    LaserSetting,
    TumorSite,
    photothermal_treatment,
    tumor_delivery_after,
)

console = Console()

Files = Annotated[
    list[Path], typer.Argument(help="Design TOML files; two or more are compared side by side.")
]
Minutes = Annotated[float, typer.Option(help="Treatment time in minutes.", min=0.0)]
Dose = Annotated[
    str | None,
    typer.Option(help="IV core dose, e.g. '5 mg/kg' (PBPK route; the default route)."),
]
After = Annotated[str, typer.Option(help="Time from injection to treatment, e.g. '24 h'.")]
Concentration = Annotated[
    str | None, typer.Option(help="Particle concentration in the tumor, e.g. '0.3 mg/mL'.")
]
TumorRadius = Annotated[str | None, typer.Option(help="Tumor radius, e.g. '3.5 mm'.")]
TumorDepth = Annotated[str | None, typer.Option(help="Depth of the tumor's top, e.g. '0.5 mm'.")]
Species = Annotated[str, typer.Option(help="mouse or rat (PBPK route).")]
TumorLine = Annotated[str | None, typer.Option(help="Tumor cell line, e.g. '4T1'.")]
Baseline = Annotated[str | None, typer.Option(help="Pre-treatment temperature, e.g. '34.5 degC'.")]
Step = Annotated[str, typer.Option(help="Thermal grid spacing, e.g. '0.5 mm'.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
PlotPath = Annotated[Path | None, typer.Option(help="Save curves and maps here (PNG/PDF/SVG).")]
ReportPath = Annotated[Path | None, typer.Option(help="Write a Markdown report here.")]

DEFAULT_DOSE = "5 mg/kg"


def quantity(text: str, unit: str, field: str) -> float:
    """Magnitude of ``text`` in ``unit``; ``W/cm2`` style exponents are accepted."""
    normalised = re.sub(r"([A-Za-z])([23])\b", r"\1^\2", text)
    return magnitude_in(parse_quantity(normalised, unit, field), unit)


def site_from(radius: str | None, depth: str | None) -> TumorSite:
    """The tumor from the options, defaults from ``treatment.yaml``."""
    default = TumorSite.default()
    return TumorSite(
        default.radius_mm if radius is None else quantity(radius, "mm", "--tumor-radius"),
        default.depth_mm if depth is None else quantity(depth, "mm", "--tumor-depth"),
    )


def run_all(
    files: list[Path],
    treat: Callable[[Design, float, TumorDelivery | None], TreatmentResult],
    *,
    dose: str | None,
    after: str,
    concentration: str | None,
    site: TumorSite,
    species: str,
    tumor_line: str | None,
    quiet: bool,
) -> list[TreatmentResult]:
    """Tumor content (given, or PBPK after a dose) and treatment of each design, with progress."""
    if dose is not None and concentration is not None:
        raise SpecificationError(
            "--concentration", concentration, "either --concentration or --dose, not both"
        )
    designs = [load_design(f) for f in files]
    results = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("treating", total=2 * len(designs))
        for spec in designs:
            delivery = None
            if concentration is not None:
                conc = quantity(concentration, "mg/mL", "--concentration")
            else:
                progress.update(task, description=f"PBPK {spec.name}")
                delivery = tumor_delivery_after(
                    spec,
                    quantity(dose or DEFAULT_DOSE, "mg/kg", "--dose"),
                    quantity(after, "h", "--after"),
                    species,
                    site.radius_mm,
                    tumor_line,
                )
                conc = delivery.concentration_mg_per_ml
            progress.advance(task)
            progress.update(task, description=f"heating {spec.name}")
            results.append(treat(spec, conc, delivery))
            progress.advance(task)
    return results


def output(
    results: list[TreatmentResult], as_json: bool, plot: Path | None, report: Path | None
) -> None:
    """Print, plot and report the results of one or more designs."""
    reasons = _reasons(results)
    if as_json:
        payload = [r.to_dict() for r in results]
        body: object = payload[0] if len(payload) == 1 else payload
        typer.echo(json.dumps(body, indent=2, allow_nan=False))
    else:
        _print(results, reasons)
    if plot is not None:
        if len(results) == 1:
            results[0].save_plot(str(plot))
        else:
            save([_comparison_panel(results)], str(plot))
    if report is not None:
        text = "\n\n".join(r.report() for r in results)
        if reasons:
            text += "\n## Why the designs differ\n\n" + "\n".join(f"- {x}" for x in reasons) + "\n"
        write_text_atomic(report, text)
    if not as_json:
        for path, what in ((plot, "plot"), (report, "report")):
            if path is not None:
                console.print(f"{what} written to {path}", style="dim")


def _reasons(results: list[TreatmentResult]) -> list[str]:
    deliveries = [r.delivery for r in results if r.delivery is not None]
    if len(deliveries) < 2:
        return []
    best = max(deliveries, key=lambda d: d.concentration_mg_per_ml)
    return [compare_deliveries(best, d) for d in deliveries if d is not best]


def _comparison_panel(results: list[TreatmentResult]) -> Panel:
    series = []
    for r in results:
        series.append(Series(r.t_s / 60.0, r.tumor_max_c, f"{r.design} tumor max"))
        series.append(Series(r.t_s / 60.0, r.skin_max_c, f"{r.design} skin max", "dashed"))
    return Panel(tuple(series), "time (min)", "temperature (°C)", "Treatment comparison")


def _print(results: list[TreatmentResult], reasons: list[str]) -> None:
    first = results[0]
    setting = ", ".join(f"{k} {v:g}" for k, v in first.setting.items())
    console.print(f"[bold]{first.modality.upper()}[/] {setting}", highlight=False)
    table = Table(title="Outcome at the end of treatment", title_justify="left")
    table.add_column("quantity")
    for r in results:
        table.add_column(r.design, justify="right")
    rows: list[tuple[str, Callable[[TreatmentResult], str]]] = [
        ("particles in tumor (mg/mL)", lambda r: f"{r.concentration_mg_per_ml:.3g}"),
        ("tumor max (°C)", lambda r: f"{r.tumor_max_c[-1]:.1f}"),
        ("tumor mean (°C)", lambda r: f"{r.tumor_mean_c[-1]:.1f}"),
        ("skin max (°C)", lambda r: f"{r.skin_max_c[-1]:.1f}"),
        ("tumor CEM43 T90 (min)", lambda r: f"{r.tumor_cem43_min.t90:.3g}"),
        ("tumor CEM43 mean (min)", lambda r: f"{r.tumor_cem43_min.volume_mean:.3g}"),
        ("tumor damage (Arrhenius)", lambda r: f"{r.tumor_damage_fraction:.1%}"),
        ("normal skin burn", lambda r: "YES" if r.skin_burn else "no"),
    ]
    for label, cell in rows:
        table.add_row(label, *(cell(r) for r in results))
    console.print(table)
    for r in results:
        if r.delivery is not None:
            console.print("- " + r.delivery.explain(), highlight=False)
        for w in r.warnings:
            console.print(f"[yellow]warning[/] ({r.design}): {w}", highlight=False)
    for reason in reasons:
        console.print(f"[bold]why:[/] {reason}", highlight=False)
    fitted = first.provenance.get("fitted", [])
    if fitted:
        console.print("fitted: " + "; ".join(fitted), style="dim", highlight=False)


def ptt(
    files: Files,
    laser: Annotated[str, typer.Option(help="Wavelength, e.g. '808 nm' (tabulated lines).")] = (
        "808 nm"
    ),
    irradiance: Annotated[str, typer.Option(help="Mean irradiance, e.g. '1 W/cm2'.")] = ("1 W/cm2"),
    minutes: Minutes = 5.0,
    spot: Annotated[str | None, typer.Option(help="Spot radius, e.g. '5 mm'.")] = None,
    dose: Dose = None,
    after: After = "24 h",
    concentration: Concentration = None,
    tumor_radius: TumorRadius = None,
    tumor_depth: TumorDepth = None,
    species: Species = "mouse",
    tumor_line: TumorLine = None,
    baseline: Baseline = None,
    step: Step = "0.5 mm",
    as_json: AsJson = False,
    plot: PlotPath = None,
    report: ReportPath = None,
) -> None:
    """Heat a tumor with a laser after injecting the designed particles (PTT)."""
    site = site_from(tumor_radius, tumor_depth)
    setting = LaserSetting(
        quantity(laser, "nm", "--laser"),
        quantity(irradiance, "W/cm^2", "--irradiance"),
        kb.default_spot_radius_mm() if spot is None else quantity(spot, "mm", "--spot"),
        minutes * 60.0,
    )
    base = None if baseline is None else quantity(baseline, "degC", "--baseline")
    step_mm = quantity(step, "mm", "--step")

    def treat(spec: Design, conc: float, delivery: TumorDelivery | None) -> TreatmentResult:
        return photothermal_treatment(
            spec, conc, setting, site, baseline_c=base, step_mm=step_mm, delivery=delivery
        )

    results = run_all(
        files,
        treat,
        dose=dose,
        after=after,
        concentration=concentration,
        site=site,
        species=species,
        tumor_line=tumor_line,
        quiet=as_json,
    )
    output(results, as_json, plot, report)


def register(app: typer.Typer) -> None:
    """Add ``nanocloak ptt``."""
    app.command("ptt")(ptt)
