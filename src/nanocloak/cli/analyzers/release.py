"""``nanocloak analyze release | release-compare | loading``: drug release and loading."""

from __future__ import annotations

from typing import Annotated, cast

import typer

from nanocloak.analysis.release import (
    BASE_LIBRARY,
    DDSOLVER_LIBRARY,
    RULES,
    compare_from_table,
    loading_from_table,
    parse_model,
    release_from_table,
)
from nanocloak.analysis.release.analyze import RankBy
from nanocloak.analysis.release.compare import Rule
from nanocloak.analysis.release.fit import CIMethod, ModelSpec, Weighting
from nanocloak.analysis.release.metrics import KP_THRESHOLDS, Geometry
from nanocloak.analysis.release.tables import CONCENTRATION, LOADING_COLUMNS, RELEASE, TIME
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
    require_numbers,
)
from nanocloak.errors import DataFormatError
from nanocloak.results.analysis import AnalysisResult
from nanocloak.units import parse_quantity


def _models(text: str) -> tuple[ModelSpec, ...]:
    if text == "all":
        return DDSOLVER_LIBRARY
    if text == "base":
        return BASE_LIBRARY
    return tuple(parse_model(name) for name in text.split(",") if name.strip())


def _amount(value: str | None, unit: str, option: str) -> float | None:
    if value is None:
        return None
    return float(parse_quantity(value, unit, option).to(unit).magnitude)


def release(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    models: Annotated[
        str,
        typer.Option(
            "--models",
            help="'all' (36 DDSolver-style models), 'base' (15 laws) or a comma list such as "
            "'weibull,first_order+Fmax,korsmeyer_peppas'.",
        ),
    ] = "all",
    weighting: Annotated[str, typer.Option(help="none, 1/y or 1/y2.")] = "none",
    rank_by: Annotated[str, typer.Option("--rank-by", help="AICc, AIC, BIC, MSC or R2_adj.")] = (
        "AICc"
    ),
    geometry: Annotated[
        str, typer.Option(help="slab, cylinder or sphere (release-exponent classes).")
    ] = "sphere",
    kp_max: Annotated[
        float, typer.Option("--kp-max", help="Korsmeyer–Peppas fitted to F ≤ this (%).")
    ] = 60.0,
    ci_method: Annotated[str, typer.Option("--ci-method", help="wald or profile.")] = "wald",
    sample_volume: Annotated[
        str | None, typer.Option("--sample-volume", help="Volume withdrawn per sample, '1 mL'.")
    ] = None,
    medium_volume: Annotated[
        str | None, typer.Option("--medium-volume", help="Release medium volume, '20 mL'.")
    ] = None,
    loaded_dose: Annotated[
        str | None, typer.Option("--loaded-dose", help="Drug in the particles, '0.5 mg'.")
    ] = None,
    no_replacement: Annotated[
        bool, typer.Option("--no-replacement", help="Samples were not replaced by fresh medium.")
    ] = False,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Fit release models (ranked by AICc), KP exponent, T50/T80, MDT and DE.

    Columns: 'Time (h)' (any time unit) and 'Released (%)'; or 'Concentration (ug/mL)' with
    --sample-volume, --medium-volume and --loaded-dose for the sampling-volume correction
    (per 'replicate' when that column exists).
    """
    choice(weighting, ("none", "1/y", "1/y2"), "--weighting")
    choice(rank_by, ("AICc", "AIC", "BIC", "MSC", "R2_adj"), "--rank-by")
    choice(geometry, tuple(KP_THRESHOLDS), "--geometry")
    choice(ci_method, ("wald", "profile"), "--ci-method")
    specs = _models(models)
    volumes = (
        _amount(sample_volume, "mL", "--sample-volume"),
        _amount(medium_volume, "mL", "--medium-volume"),
        _amount(loaded_dose, "mg", "--loaded-dose"),
    )

    def analyse(part: Part) -> AnalysisResult:
        amount = RELEASE if part.table.find(RELEASE) is not None else CONCENTRATION
        require_numbers(part.table, {"time": TIME, "release": amount})
        return release_from_table(
            part.table,
            specs,
            cast(Weighting, weighting),
            cast(RankBy, rank_by),
            cast(Geometry, geometry),
            kp_max,
            cast(CIMethod, ci_method),
            *volumes,
            replaced=not no_replacement,
            title=part.title,
        )

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def release_compare(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    reference: Annotated[
        str | None, typer.Option(help="Reference product (default: 'reference'/'ref' or first).")
    ] = None,
    rule: Annotated[str, typer.Option(help=f"Rule set: {', '.join(RULES)}.")] = "EMA",
    bootstrap: Annotated[
        int, typer.Option(help="Bootstrap resamples for the f2 interval (0 to skip).")
    ] = 5000,
    level: Annotated[float, typer.Option(help="Bootstrap confidence level.")] = 0.90,
    seed: Annotated[int, typer.Option(help="Bootstrap seed; same seed, same interval.")] = 306,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """f1, f2 (with the rule checks) and bootstrap f2 (BCa) of each product vs the reference.

    Long format: 'product', 'unit' (vessel), 'Time (min)' and 'Dissolved (%)'.
    """
    choice(rule, tuple(RULES), "--rule")

    def analyse(part: Part) -> list[AnalysisResult]:
        require_numbers(part.table, {"time": TIME, "dissolved": RELEASE})
        return compare_from_table(
            part.table, reference, cast(Rule, rule), bootstrap, level, seed, label=part.title
        )

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def loading(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    level: Annotated[float, typer.Option(help="Confidence level of replicate means.")] = 0.95,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Encapsulation efficiency (direct/indirect), DLC (carrier / whole particle), capacity.

    One row per replicate; mass columns with units: 'Fed (mg)', 'Free (mg)', 'Loaded (mg)',
    'Carrier (mg)', 'Membrane (mg)' (any that apply; 'Total (mg)' replaces fed for EE).
    """

    def analyse(part: Part) -> AnalysisResult:
        found = {key: names for key, names in LOADING_COLUMNS.items() if part.table.find(names)}
        if not found:
            raise DataFormatError(
                f"{part.title}: no mass column (fed, total, free, loaded, carrier or membrane, "
                f"with a unit, e.g. 'Fed (mg)'); columns are: {', '.join(part.table.columns)}"
            )
        require_numbers(part.table, {f"{key} mass": names for key, names in found.items()})
        return loading_from_table(part.table, level, part.title)

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def register(app: typer.Typer) -> None:
    """Add ``release``, ``release-compare`` and ``loading`` to ``nanocloak analyze``."""
    app.command("release")(release)
    app.command("release-compare")(release_compare)
    app.command("loading")(loading)
