"""``nanocloak mht``: magnetic hyperthermia of designed particles in a mouse tumor."""

from __future__ import annotations

import warnings
from typing import Annotated

import typer

from nanocloak.cli.commands.ptt import (
    After,
    AsJson,
    Baseline,
    Concentration,
    Dose,
    Files,
    Minutes,
    PlotPath,
    ReportPath,
    Species,
    Step,
    TumorDepth,
    TumorLine,
    TumorRadius,
    output,
    quantity,
    run_all,
    site_from,
)
from nanocloak.domain.formulation import Design
from nanocloak.errors import NanocloakWarning
from nanocloak.results.treatment import TreatmentResult, TumorDelivery
from nanocloak.workflows.treat import FieldSetting, magnetic_treatment


def mht(
    files: Files,
    field: Annotated[str, typer.Option(help="Field amplitude, e.g. '15 kA/m'.")] = "15 kA/m",
    frequency: Annotated[str, typer.Option(help="Field frequency, e.g. '300 kHz'.")] = "300 kHz",
    minutes: Minutes = 20.0,
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
    """Heat a tumor with an alternating magnetic field after injecting the particles (MHT)."""
    site = site_from(tumor_radius, tumor_depth)
    setting = FieldSetting(
        quantity(field, "kA/m", "--field"),
        quantity(frequency, "kHz", "--frequency"),
        minutes * 60.0,
    )
    base = None if baseline is None else quantity(baseline, "degC", "--baseline")
    step_mm = quantity(step, "mm", "--step")

    def treat(spec: Design, conc: float, delivery: TumorDelivery | None) -> TreatmentResult:
        # the H·f warnings are part of the printed result; not repeated as Python warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NanocloakWarning)
            return magnetic_treatment(
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
    """Add ``nanocloak mht``."""
    app.command("mht")(mht)
