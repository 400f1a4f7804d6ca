"""``nanocloak calibrate pk``: fit PBPK parameters to a biodistribution time course."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nanocloak.cli.output import emit_result
from nanocloak.errors import SpecificationError
from nanocloak.results.pk_fit import PkFitResult
from nanocloak.units import magnitude_in, parse_quantity
from nanocloak.workflows.calibrate_pk import calibrate_pk

console = Console()
calibrate_app = typer.Typer(help="Fit model parameters to lab data (PBPK).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``calibrate`` command group to the main application."""
    app.add_typer(calibrate_app, name="calibrate")


@calibrate_app.command("pk")
def calibrate_pk_command(
    data: Annotated[
        Path,
        typer.Argument(
            help="Long-format CSV/Excel: time (with unit), organ, quantity (%ID, %ID/g, ug/g, "
            "ng/g), value, optional sd and n."
        ),
    ],
    fit: Annotated[
        str, typer.Option(help="Parameters to fit, comma-separated, e.g. liver.k_max,spleen.k_max.")
    ],
    dose: Annotated[str, typer.Option(help="Each IV dose of the study, e.g. '0.85 mg/kg'.")],
    species: Annotated[str, typer.Option(help="mouse or rat.")] = "mouse",
    schedule: Annotated[
        str, typer.Option(help="'bolus', 'every 24 h x 3', 'at 0, 24 h', ... as in `pk`.")
    ] = "bolus",
    mode: Annotated[str, typer.Option(help="'physiological' or 'reference'.")] = "physiological",
    fixed: Annotated[
        list[str] | None,
        typer.Option(help="Hold a parameter, KEY=VALUE (repeatable), e.g. liver.k_50=24."),
    ] = None,
    bounds: Annotated[
        list[str] | None,
        typer.Option(help="Bounds of a fitted parameter, KEY=LOW:HIGH (repeatable)."),
    ] = None,
    initial: Annotated[
        list[str] | None,
        typer.Option(help="Starting value of a fitted parameter, KEY=VALUE (repeatable)."),
    ] = None,
    residuals: Annotated[
        str, typer.Option(help="'auto' (weighted if every row has an SD), 'weighted' or 'log'.")
    ] = "auto",
    ci: Annotated[
        str, typer.Option(help="'auto', 'profile' (slow for 2+ parameters) or 'covariance'.")
    ] = "auto",
    ci_level: Annotated[float, typer.Option(help="Confidence level.", min=0.5, max=0.999)] = 0.95,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Save predicted-vs-observed and time-course plots here.")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
) -> None:
    """Fit PBPK parameters (log scale, bounded) to organ and blood time courses with lmfit."""
    dose_mg_per_kg = magnitude_in(parse_quantity(dose, "mg/kg", "--dose"), "mg/kg")
    if mode not in ("physiological", "reference"):
        raise SpecificationError("--mode", mode, "'physiological' or 'reference'")
    if residuals not in ("auto", "weighted", "log"):
        raise SpecificationError("--residuals", residuals, "'auto', 'weighted' or 'log'")
    if ci not in ("auto", "profile", "covariance"):
        raise SpecificationError("--ci", ci, "'auto', 'profile' or 'covariance'")
    with Progress(
        TextColumn("fitting"),
        BarColumn(),
        TextColumn("{task.completed} simulations"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=as_json,
        transient=True,
    ) as progress:
        task = progress.add_task("fit", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        result = calibrate_pk(
            data,
            fit.split(","),
            species=species,
            dose_mg_per_kg=dose_mg_per_kg,
            schedule=schedule,
            fixed=_pairs(fixed, "--fixed"),
            bounds={k: _range(v, k) for k, v in _pairs(bounds, "--bounds").items()},
            initial=_pairs(initial, "--initial"),
            mode="reference" if mode == "reference" else "physiological",
            residuals="weighted"
            if residuals == "weighted"
            else "log"
            if residuals == "log"
            else "auto",
            ci="profile" if ci == "profile" else "covariance" if ci == "covariance" else "auto",
            ci_level=ci_level,
            progress=advance,
        )
    emit_result(result, as_json, plot, report, _print)


def _number_or_text(text: str) -> float | str:
    """A bare number is in the parameter's model unit; text with a unit is parsed later."""
    try:
        return float(text)
    except ValueError:
        return text


def _pairs(items: list[str] | None, option: str) -> dict[str, float | str]:
    out: dict[str, float | str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise SpecificationError(option, item, "KEY=VALUE, e.g. liver.k_50=24")
        out[key.strip()] = _number_or_text(value.strip())
    return out


def _range(value: float | str, key: str) -> tuple[float | str, float | str]:
    text = str(value)
    low, sep, high = text.partition(":")
    if not sep or not low.strip() or not high.strip():
        raise SpecificationError(
            "--bounds", f"{key}={text}", "KEY=LOW:HIGH, e.g. liver.k_max=0.01:10"
        )
    return _number_or_text(low.strip()), _number_or_text(high.strip())


def _print(result: PkFitResult) -> None:
    console.print(
        f"[bold]PBPK calibration[/]: {result.species}, {result.dose_mg_per_kg:g} mg/kg, "
        f"{result.schedule}; residuals {result.residual_model}; "
        f"{'converged' if result.converged else 'NOT converged'} "
        f"({result.n_simulations} simulations)",
        highlight=False,
    )
    table = Table(title="Estimates", title_justify="left")
    for column in ("parameter", "value", "unit", f"{result.ci_level:.0%} CI", "initial"):
        table.add_column(column, justify="left" if column in ("parameter", "unit") else "right")
    for row in result.summary():
        ci = "-" if row["ci_low"] is None else f"{row['ci_low']:.4g} – {row['ci_high']:.4g}"
        table.add_row(
            row["parameter"], f"{row['value']:.4g}", row["unit"], ci, f"{row['initial']:.4g}"
        )
    console.print(table)
    gof = Table(title="Goodness of fit", title_justify="left")
    gof.add_column("statistic")
    gof.add_column("value", justify="right")
    for key, value in result.gof.items():
        gof.add_row(key, f"{value:.4g}")
    console.print(gof)
    for warning in result.warnings:
        console.print(f"warning: {warning}", style="yellow", highlight=False)
