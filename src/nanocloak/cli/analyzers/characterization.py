"""``nanocloak analyze dls|zeta|fret|western|flow|ctc``: characterization calculators."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, cast

import typer

from nanocloak.analysis.characterization import (
    DLSSetup,
    analyze_ctc_table,
    analyze_dls_table,
    analyze_fcs_files,
    analyze_fret_table,
    analyze_mfi_table,
    analyze_western_table,
    analyze_zeta_table,
)
from nanocloak.analysis.characterization.zeta import ZetaModel
from nanocloak.cli.analyze import (
    AsJson,
    Batch,
    Files,
    GroupBy,
    Plot,
    Report,
    Sheet,
    analyze_tables,
    choice,
    emit,
)
from nanocloak.errors import SpecificationError
from nanocloak.units import magnitude_in, parse_quantity

Temperature = Annotated[str, typer.Option("--temperature", help="Temperature, e.g. '25 degC'.")]
Viscosity = Annotated[
    str | None,
    typer.Option("--viscosity", help="Dispersant viscosity, e.g. '0.8872 mPa*s' (default water)."),
]


def _celsius(text: str) -> float:
    return magnitude_in(parse_quantity(text, "degC", "--temperature"), "degC")


def _viscosity(text: str | None) -> float | None:
    return (
        None
        if text is None
        else magnitude_in(parse_quantity(text, "mPa*s", "--viscosity"), "mPa*s")
    )


def dls(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    wavelength: Annotated[str, typer.Option("--wavelength", help="Laser wavelength.")] = "633 nm",
    angle: Annotated[str, typer.Option("--angle", help="Scattering angle.")] = "173 deg",
    refractive_index: Annotated[
        float, typer.Option("--refractive-index", help="Dispersant refractive index.")
    ] = 1.330,
    temperature: Temperature = "25 degC",
    viscosity: Viscosity = None,
    cutoff: Annotated[
        float, typer.Option("--cutoff", help="Fit while g2 − 1 ≥ cutoff × intercept.")
    ] = 0.1,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Bare-core sample for size shifts.")
    ] = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """DLS: Z-average and PDI by cumulants from g2(τ), or size shifts from Z-average tables.

    A correlation file has 'tau (us)' and 'g2' (or 'g2-1'); a size file has 'sample' and
    'Z-average (nm)' (replicate runs as rows).
    """
    setup = DLSSetup(
        wavelength_nm=magnitude_in(parse_quantity(wavelength, "nm", "--wavelength"), "nm"),
        angle_deg=magnitude_in(parse_quantity(angle, "deg", "--angle"), "deg"),
        refractive_index=refractive_index,
        temperature_c=_celsius(temperature),
        viscosity_mpa_s=_viscosity(viscosity),
    )
    batch = analyze_tables(
        files,
        group_by,
        sheet,
        lambda part: analyze_dls_table(
            part.table, setup=setup, cutoff=cutoff, reference=reference, title=part.title
        ),
    )
    emit(batch, as_json, report, plot)


def zeta(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    model: Annotated[
        str, typer.Option("--model", help="smoluchowski (f=1.5), huckel (f=1) or henry.")
    ] = "smoluchowski",
    radius: Annotated[str | None, typer.Option("--radius", help="Particle radius.")] = None,
    radius_sd: Annotated[str | None, typer.Option("--radius-sd", help="SD of the radius.")] = None,
    ionic_strength: Annotated[
        str | None, typer.Option("--ionic-strength", help="Ionic strength, e.g. '10 mM'.")
    ] = None,
    temperature: Temperature = "25 degC",
    viscosity: Viscosity = None,
    permittivity: Annotated[
        float | None, typer.Option("--permittivity", help="Relative permittivity (default water).")
    ] = None,
    instrument_model: Annotated[
        str, typer.Option("--instrument-model", help="Model behind a 'zeta (mV)' column.")
    ] = "smoluchowski",
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Zeta potential from replicate mobilities ('mobility (um cm/V/s)') or instrument ζ values."""
    models = ("smoluchowski", "huckel", "henry")
    instrument = cast(ZetaModel, choice(instrument_model, models, "--instrument-model"))
    options = {
        "model": cast(ZetaModel, choice(model, models, "--model")),
        "radius_nm": None
        if radius is None
        else magnitude_in(parse_quantity(radius, "nm", "--radius"), "nm"),
        "radius_sd_nm": 0.0
        if radius_sd is None
        else magnitude_in(parse_quantity(radius_sd, "nm", "--radius-sd"), "nm"),
        "ionic_strength_mm": None
        if ionic_strength is None
        else magnitude_in(parse_quantity(ionic_strength, "mM", "--ionic-strength"), "mM"),
        "temperature_c": _celsius(temperature),
        "viscosity_mpa_s": _viscosity(viscosity),
        "relative_permittivity": permittivity,
    }
    batch = analyze_tables(
        files,
        group_by,
        sheet,
        lambda part: analyze_zeta_table(
            part.table, instrument_model=instrument, title=part.title, **options
        ),
    )
    emit(batch, as_json, report, plot)


def fret(
    files: Files,
    baseline: Annotated[
        str, typer.Option("--baseline", help="Label of the labelled membrane before fusion.")
    ],
    maximum: Annotated[
        str, typer.Option("--max", help="Label of the detergent (complete dilution) reference.")
    ],
    donor_only: Annotated[
        str | None, typer.Option("--donor-only", help="Label of a donor-only sample (for E).")
    ] = None,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """FRET membrane fusion: % lipid mixing (DiI donor / DiD acceptor), FRET ratio and E.

    Columns: 'sample', 'donor' (DiI intensity) and optionally 'acceptor' (DiD intensity);
    replicate readings as rows.
    """
    batch = analyze_tables(
        files,
        group_by,
        sheet,
        lambda part: analyze_fret_table(
            part.table, baseline=baseline, maximum=maximum, donor_only=donor_only, title=part.title
        ),
    )
    emit(batch, as_json, report, plot)


def western(
    files: Files,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Reference sample (default: the first).")
    ] = None,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Western-blot band ratios: background-subtracted, per loading control, vs a reference.

    Columns: 'sample', 'target', optional 'loading', 'target background', 'loading
    background'; one row per lane. Use --group-by protein for several targets.
    """
    batch = analyze_tables(
        files,
        group_by,
        sheet,
        lambda part: analyze_western_table(part.table, reference=reference, title=part.title),
    )
    emit(batch, as_json, report, plot)


def flow(
    files: Annotated[
        list[Path], typer.Argument(help="Sample FCS files, or tables of replicate MFIs.")
    ],
    control: Annotated[
        str, typer.Option("--control", help="Control FCS file (or label in a table).")
    ],
    unstained: Annotated[
        str | None, typer.Option("--unstained", help="Unstained FCS file (or label).")
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="FCS channel ($PnN or $PnS name).")
    ] = None,
    gate: Annotated[
        float | None, typer.Option("--gate", help="% positive threshold (channel units).")
    ] = None,
    gate_percentile: Annotated[
        float, typer.Option("--gate-percentile", help="Gate at this percentile of the reference.")
    ] = 99.0,
    n_boot: Annotated[int, typer.Option("--n-boot", help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Flow cytometry: MFI (median), background-subtracted fold change, % positive.

    FCS mode: each FILE is a sample, --control/--unstained are FCS files and --channel names
    the channel. Table mode: FILES hold 'sample' and 'MFI' columns (replicates as rows) and
    --control/--unstained are sample labels.
    """
    fcs = [p for p in files if p.suffix.lower() == ".fcs"]
    if fcs and len(fcs) != len(files):
        raise SpecificationError("FILES", [str(p) for p in files], "all FCS files or all tables")
    if not fcs:
        batch = analyze_tables(
            files,
            group_by,
            sheet,
            lambda part: analyze_mfi_table(
                part.table, control=control, unstained=unstained, title=part.title
            ),
        )
        emit(batch, as_json, report, plot)
        return
    if channel is None:
        raise SpecificationError("--channel", None, "a channel name", "e.g. --channel FL1-A")
    batch = Batch()
    for path in fcs:
        batch.run(
            path,
            None,
            partial(
                analyze_fcs_files,
                path,
                control,
                channel,
                unstained=unstained,
                gate=gate,
                gate_percentile=gate_percentile,
                n_boot=n_boot,
                seed=seed,
            ),
        )
    emit(batch.checked(), as_json, report, plot)


def ctc(
    files: Files,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """CTC capture efficiency, purity, enrichment and WBC depletion from spiking runs.

    Columns: 'spiked', 'captured', optional 'WBC' (captured) and 'WBC input'; one row per run.
    """
    batch = analyze_tables(
        files, group_by, sheet, lambda part: analyze_ctc_table(part.table, title=part.title)
    )
    emit(batch, as_json, report, plot)


def register(app: typer.Typer) -> None:
    """Add the characterization calculators to ``nanocloak analyze``."""
    app.command("dls")(dls)
    app.command("zeta")(zeta)
    app.command("fret")(fret)
    app.command("western")(western)
    app.command("flow")(flow)
    app.command("ctc")(ctc)
