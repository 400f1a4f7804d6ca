"""``nanocloak analyze relaxivity``: r1 and r2 from relaxation curves or times."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from nanocloak.analysis.relaxivity import Weighting, analyze_relaxivity
from nanocloak.cli.analyze import emit
from nanocloak.errors import SpecificationError
from nanocloak.io.tables import read_table
from nanocloak.results.analysis import AnalysisResult


def relaxivity(
    files: Annotated[list[Path], typer.Argument(help="CSV/TSV/Excel files, one or more.")],
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="Column splitting a long file into analyses.")
    ] = None,
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
    ci_level: Annotated[float, typer.Option("--ci-level", help="Confidence level.")] = 0.95,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="Markdown report file.")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Plot file (PNG/PDF/SVG).")] = None,
) -> None:
    """r1, r2 (s⁻¹mM⁻¹) and r2/r1 from inversion-recovery / multi-echo curves or T1/T2 tables.

    Columns: 'Fe (mM)' (or a mass concentration of Fe), optional 'sample', and either 'TI (ms)'
    and/or 'TE (ms)' with 'signal' (long format), or 'T1 (ms)' / 'T2 (ms)'.
    """
    if weighting not in ("inverse-variance", "relative", "none"):
        raise SpecificationError(
            "--weighting", weighting, "inverse-variance, relative or none", "e.g. --weighting none"
        )
    mode = cast(Weighting, weighting)
    results: list[AnalysisResult] = []
    for path in files:
        table = read_table(path)
        parts = [(table.source, table)] if group_by is None else list(table.groups(group_by))
        for name, part in parts:
            results.append(
                analyze_relaxivity(
                    part,
                    magnitude=not signed,
                    offset=offset,
                    weighting=mode,
                    ci_level=ci_level,
                    title=part.source if group_by is None else f"{path.name}: {name}",
                )
            )
    emit(results, as_json, report, plot)


def register(app: typer.Typer) -> None:
    """Add ``relaxivity`` to ``nanocloak analyze``."""
    app.command("relaxivity")(relaxivity)
