"""``nanocloak analyze relaxivity``: r1 and r2 from relaxation curves or times."""

from __future__ import annotations

from typing import Annotated, Any, cast

import typer

from nanocloak.analysis.relaxivity import Weighting, analyze_relaxivity
from nanocloak.cli.analyze import (
    AsJson,
    Files,
    GroupBy,
    Part,
    Plot,
    Report,
    Sheet,
    analyze_tables,
    choice,
    emit,
)
from nanocloak.results.analysis import AnalysisResult


def relaxivity(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    signed: Annotated[
        bool,
        typer.Option("--signed", help="Inversion-recovery data are phase-corrected (signed)."),
    ] = False,
    offset: Annotated[
        bool, typer.Option("--offset", help="Fit a constant offset to echo-train decays.")
    ] = False,
    weighting: Annotated[
        str,
        typer.Option(
            "--weighting",
            help="inverse-variance (1/SE² from the curve fits), relative (1/R², constant CV of "
            "T) or none (OLS).",
        ),
    ] = "inverse-variance",
    basis: Annotated[
        str | None,
        typer.Option("--basis", help="What a mass-concentration column counts: Fe or Fe3O4."),
    ] = None,
    ci_level: Annotated[float, typer.Option("--ci-level", help="Confidence level.")] = 0.95,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """r1, r2 (s⁻¹mM⁻¹) and r2/r1 from inversion-recovery / multi-echo curves or T1/T2 tables.

    Columns: 'Fe (mM)' (or a mass concentration of Fe), optional 'sample', and either 'TI (ms)'
    and/or 'TE (ms)' with 'signal' (long format), or 'T1 (ms)' / 'T2 (ms)'.
    """
    mode = choice(weighting, ("inverse-variance", "relative", "none"), "--weighting")
    mass_basis = None if basis is None else choice(basis, ("Fe", "Fe3O4"), "--basis")

    def analyse(part: Part) -> AnalysisResult:
        return analyze_relaxivity(
            part.table,
            magnitude=not signed,
            offset=offset,
            weighting=cast(Weighting, mode),
            basis=cast(Any, mass_basis),
            ci_level=ci_level,
            title=part.title,
        )

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def register(app: typer.Typer) -> None:
    """Add ``relaxivity`` to ``nanocloak analyze``."""
    app.command("relaxivity")(relaxivity)
