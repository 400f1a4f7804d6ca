"""``nanocloak analyze nca | pk-fit | biodistribution``: pharmacokinetics and biodistribution."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nanocloak.analysis.biodistribution import (
    StandardCurve,
    biodistribution,
    standard_curve_from_table,
)
from nanocloak.analysis.compartmental import WEIGHTINGS, fit_iv_bolus_table
from nanocloak.analysis.nca import nca_table
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
from nanocloak.errors import SpecificationError
from nanocloak.io.tables import read_table
from nanocloak.results.analysis import AnalysisResult
from nanocloak.units import parse_quantity

Dose = Annotated[
    str | None,
    typer.Option(help="Dose, e.g. '150 mg' or '4 mg/kg' (default: the file's dose column)."),
]
TimeUnit = Annotated[str, typer.Option(help="Time unit of the results.")]
ConcUnit = Annotated[
    str | None,
    typer.Option(help="Concentration unit (default: the column's; mg/L if it has none)."),
]


def _dose_any(dose: str | None) -> Any:
    """A dose of any dimension (mg, mg/kg, mg/m²): parse it without forcing mass."""
    if dose is None:
        return None
    for dimension in ("mg", "mg/kg", "mg/m**2", "mol", "mol/kg"):
        try:
            return parse_quantity(dose, dimension, "--dose")
        except SpecificationError:
            continue
    raise SpecificationError("--dose", dose, "an amount such as '150 mg', '4 mg/kg' or '2 umol'")


def nca(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    dose: Dose = None,
    route: Annotated[str, typer.Option(help="extravascular or iv-bolus.")] = "extravascular",
    auc_method: Annotated[
        str, typer.Option(help="lin-up/log-down (PKNCA default) or linear.")
    ] = "lin-up/log-down",
    loq: Annotated[
        str | None, typer.Option(help="Limit of quantification, e.g. '0.05 mg/L'.")
    ] = None,
    blq: Annotated[
        str,
        typer.Option(
            help="BLQ rule before/between/after quantifiable samples, each keep (as 0) or drop."
        ),
    ] = "keep,drop,keep",
    min_points: Annotated[int, typer.Option(help="Minimum points for λz.")] = 3,
    adj_r2_factor: Annotated[float, typer.Option(help="Adjusted-R² tolerance for λz.")] = 1e-4,
    allow_tmax: Annotated[bool, typer.Option(help="Allow Tmax in the λz fit.")] = False,
    auc_end: Annotated[
        str | None, typer.Option(help="Also report AUC over 0–end, e.g. '24 h'.")
    ] = None,
    time_unit: TimeUnit = "h",
    conc_unit: ConcUnit = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Non-compartmental analysis (PKNCA / Phoenix rules) of each profile."""
    rules = tuple(r.strip() for r in blq.split(","))
    if len(rules) != 3 or any(r not in ("keep", "drop") for r in rules):
        raise SpecificationError("--blq", blq, "three of keep/drop, e.g. 'keep,drop,keep'")
    options: dict[str, Any] = {
        "route": choice(route, ("extravascular", "iv-bolus"), "--route"),
        "auc_method": choice(auc_method, ("lin-up/log-down", "linear"), "--auc-method"),
        "blq_rules": rules,
        "min_points": min_points,
        "adj_r2_factor": adj_r2_factor,
        "allow_tmax_in_half_life": allow_tmax,
    }
    loq_q = None if loq is None else parse_quantity(loq, "mg/L", "--loq")
    end_q = None if auc_end is None else parse_quantity(auc_end, "h", "--auc-end")
    dose_q = _dose_any(dose)

    def analyse(part: Part) -> AnalysisResult:
        return nca_table(
            part.table,
            dose=dose_q,
            time_unit=time_unit,
            conc_unit=conc_unit,
            loq=loq_q,
            auc_end=end_q,
            **options,
        )

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def pk_fit(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    dose: Dose = None,
    compartments: Annotated[str, typer.Option(help="1, 2 or both.")] = "2",
    weighting: Annotated[str, typer.Option(help="1, 1/y or 1/y2.")] = "1",
    ci_level: Annotated[float, typer.Option(help="Confidence level.")] = 0.95,
    time_unit: TimeUnit = "h",
    conc_unit: ConcUnit = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """One- or two-compartment IV bolus fits: micro-constants, α/β half-lives, V1, CL, Vss."""
    models = {"1": (1,), "2": (2,), "both": (1, 2)}[
        choice(compartments, ("1", "2", "both"), "--compartments")
    ]
    choice(weighting, WEIGHTINGS, "--weighting")
    dose_q = _dose_any(dose)

    def analyse(part: Part) -> list[AnalysisResult]:
        return [
            fit_iv_bolus_table(
                part.table,
                dose=dose_q,
                time_unit=time_unit,
                conc_unit=conc_unit,
                compartments=n,
                weighting=weighting,
                ci_level=ci_level,
                title=f"{part.title}: {n}-compartment IV bolus",
            )
            for n in models
        ]

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def biodistribution_cmd(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    dose: Annotated[
        str | None, typer.Option(help="Injected tracer per animal, e.g. '200 ug'.")
    ] = None,
    amount_unit: Annotated[str, typer.Option(help="Unit of tracer amounts.")] = "ug",
    time_unit: TimeUnit = "h",
    standards: Annotated[
        Path | None, typer.Option(help="Standards table (amount, signal) for fluorescence.")
    ] = None,
    slope: Annotated[
        float | None, typer.Option(help="Standard-curve slope (signal per amount unit).")
    ] = None,
    intercept: Annotated[float, typer.Option(help="Standard-curve intercept.")] = 0.0,
    blood_volume: Annotated[
        str | None,
        typer.Option(
            help="Whole-blood volume per animal, e.g. '1.8 mL': blood %ID then covers "
            "the blood pool, not just the sample."
        ),
    ] = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """%ID and %ID/g per organ (ICP or fluorescence), tumor delivery and AUC ratios."""
    curve: StandardCurve | None = None
    if standards is not None:
        curve = standard_curve_from_table(read_table(standards), amount_unit)
    elif slope is not None:
        curve = StandardCurve(slope, intercept, amount_unit)
    dose_q = None if dose is None else parse_quantity(dose, "ug", "--dose")
    blood_ml = (
        None
        if blood_volume is None
        else float(parse_quantity(blood_volume, "mL", "--blood-volume").to("mL").m)
    )

    def analyse(part: Part) -> AnalysisResult:
        return biodistribution(
            part.table,
            dose=dose_q,
            amount_unit=amount_unit,
            time_unit=time_unit,
            standard_curve=curve,
            blood_volume_ml=blood_ml,
        )

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def register(app: typer.Typer) -> None:
    """Add ``nca``, ``pk-fit`` and ``biodistribution`` to ``nanocloak analyze``."""
    app.command("nca")(nca)
    app.command("pk-fit")(pk_fit)
    app.command("biodistribution")(biodistribution_cmd)
