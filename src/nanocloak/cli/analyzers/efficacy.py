"""``nanocloak analyze tumor-growth`` and ``nanocloak analyze survival``: in-vivo efficacy."""

from __future__ import annotations

from typing import Annotated, cast

import typer

from nanocloak.analysis.group_tests import Correction as CorrectionName
from nanocloak.analysis.growth_models import RandomEffects
from nanocloak.analysis.survival import analyze_survival
from nanocloak.analysis.tumor_growth import (
    EndpointMode,
    Statistic,
    VolumeFormula,
    analyze_tumor_growth,
    derive_endpoints,
    endpoint_formula,
    read_growth,
)
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
from nanocloak.units import parse_quantity

Formula = Annotated[
    str, typer.Option(help="Caliper volume formula: 'lw2/2', 'pi/6*lw2' or 'pi/6*lwh'.")
]
Correction = Annotated[
    str, typer.Option(help="Multiplicity correction: holm, bh, bonferroni or none.")
]


def _formula(value: str) -> VolumeFormula:
    return cast(VolumeFormula, choice(value, ("lw2/2", "pi/6*lw2", "pi/6*lwh"), "--formula"))


def _correction(value: str) -> CorrectionName:
    allowed = ("holm", "bh", "bonferroni", "none")
    return cast(CorrectionName, choice(value, allowed, "--correction"))


def tumor_growth(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    formula: Formula = "lw2/2",
    control: Annotated[str | None, typer.Option(help="Control group name.")] = None,
    day: Annotated[
        str | None, typer.Option(help="Evaluation day, e.g. '21 day' (default: last control day).")
    ] = None,
    statistic: Annotated[str, typer.Option(help="Group statistic: mean or median.")] = "mean",
    random_effects: Annotated[
        str, typer.Option(help="Random effects per animal: auto, intercept or slope.")
    ] = "auto",
    correction: Correction = "holm",
    bootstrap: Annotated[
        int, typer.Option(help="Bootstrap resamples (over animals) for the ratios' CIs.", min=0)
    ] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Tumor volume, RTV, T/C, ΔT/ΔC, TGI, body weight and mixed-model growth rates."""
    eval_day = None if day is None else float(parse_quantity(day, "day", "--day").to("day").m)
    stat = cast(Statistic, choice(statistic, ("mean", "median"), "--statistic"))
    effects = cast(
        RandomEffects, choice(random_effects, ("auto", "intercept", "slope"), "--random-effects")
    )
    volume_formula, multiplicity = _formula(formula), _correction(correction)

    def analyse(part: Part) -> AnalysisResult:
        return analyze_tumor_growth(
            part.table,
            formula=volume_formula,
            control=control,
            day=eval_day,
            statistic=stat,
            random_effects=effects,
            correction=multiplicity,
            n_boot=bootstrap,
            seed=seed,
        )

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def survival(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    time_unit: Annotated[
        str, typer.Option(help="Time unit; a time column without a unit is read in it.")
    ] = "day",
    reference: Annotated[str | None, typer.Option(help="Reference group of the HRs.")] = None,
    covariate: Annotated[
        list[str] | None, typer.Option(help="Numeric covariate column for the Cox model.")
    ] = None,
    threshold: Annotated[
        str | None,
        typer.Option(help="Derive endpoints from growth data: volume threshold, e.g. '1000 mm^3'."),
    ] = None,
    endpoint: Annotated[
        str, typer.Option(help="With --threshold: first-reach, os or tfs (TumGrowth).")
    ] = "first-reach",
    formula: Formula = "lw2/2",
    time_cap: Annotated[
        str | None, typer.Option(help="With --threshold: end of follow-up, e.g. '60 day'.")
    ] = None,
    correction: Correction = "holm",
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Kaplan–Meier with at-risk tables, log-rank (k groups, pairwise) and Cox hazard ratios."""
    mode = cast(EndpointMode, choice(endpoint, ("first-reach", "os", "tfs"), "--endpoint"))
    cap = None
    if time_cap is not None:
        cap = float(parse_quantity(time_cap, "day", "--time-cap").to("day").m)
    limit = None
    if threshold is not None:
        limit = float(parse_quantity(threshold, "mm**3", "--threshold").to("mm**3").m)
    volume_formula, multiplicity = _formula(formula), _correction(correction)

    def analyse(part: Part) -> AnalysisResult:
        table, unit, extra = part.table, time_unit, []
        if limit is not None:
            growth = read_growth(table, volume_formula)
            extra = [*growth.notes, endpoint_formula(mode, limit)]
            if cap is not None:
                extra.append(f"Follow-up capped at day {cap:g} (later times censored there).")
            table = derive_endpoints(growth, limit, mode, cap)
            unit = "day"
        return analyze_survival(
            table,
            time_unit=unit,
            reference=reference,
            covariates=covariate or (),
            correction=multiplicity,
            extra_formulas=extra,
        )

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def register(app: typer.Typer) -> None:
    """Add the efficacy commands to ``nanocloak analyze``."""
    app.command("tumor-growth")(tumor_growth)
    app.command("survival")(survival)
