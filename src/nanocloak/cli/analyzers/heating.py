"""``nanocloak analyze pce`` and ``nanocloak analyze sar``: heating-curve analyses."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from nanocloak.analysis.heating_curves import read_curve
from nanocloak.analysis.magnetic_heating import (
    MagneticHeatingSetup,
    SarMethod,
    analyze_magnetic_heating_table,
)
from nanocloak.analysis.photothermal import (
    PhotothermalSetup,
    TmaxMethod,
    analyze_photothermal_table,
    blank_rise_from_curve,
    photothermal_slope,
)
from nanocloak.cli.analyze import (
    AsJson,
    CiLevel,
    Files,
    GroupBy,
    Part,
    Plot,
    Report,
    Sheet,
    analyze_tables,
    choice,
    emit,
    sheet_arg,
)
from nanocloak.errors import DataFormatError, SpecificationError, UnitError
from nanocloak.io.tables import LabTable, read_table
from nanocloak.results.analysis import AnalysisResult
from nanocloak.units import Quantity, magnitude_in, parse_quantity

MU0 = 4e-7 * math.pi
"""Vacuum permeability (T m/A), to read a field given as μ₀H in mT."""

HeatCapacitySd = Annotated[str, typer.Option(help="Standard uncertainty of Σmc, e.g. '0.05 J/K'.")]
"""The ``--heat-capacity-sd`` option of ``pce`` and ``sar``."""


def pce(
    files: Files,
    power: Annotated[
        str | None, typer.Option(help="Laser power at the sample, e.g. '1 W' (not W/cm²).")
    ] = None,
    absorbance: Annotated[
        float | None, typer.Option(help="Absorbance (OD) at the laser wavelength, beam path.")
    ] = None,
    mass: Annotated[str, typer.Option(help="Mass of solvent that heats, e.g. '1 g'.")] = "1 g",
    heat_capacity: Annotated[
        str, typer.Option(help="Specific heat capacity of the solvent.")
    ] = "4.18 J/g/K",
    vessel_heat_capacity: Annotated[
        str, typer.Option(help="Heat capacity of the vessel that heats with it, e.g. '0.8 J/K'.")
    ] = "0 J/K",
    blank_heat: Annotated[
        str | None,
        typer.Option(help="Q_dis: '5 mW' (every run) or '5 mW/W' (scaled by each run's power)."),
    ] = None,
    blank: Annotated[
        Path | None, typer.Option(help="Blank (solvent-only) heating curve under the same beam.")
    ] = None,
    ambient: Annotated[
        str | None, typer.Option(help="Surroundings temperature, e.g. '22 degC' (else fitted).")
    ] = None,
    laser_on: Annotated[str | None, typer.Option(help="Laser-on time, e.g. '60 s'.")] = None,
    laser_off: Annotated[str | None, typer.Option(help="Laser-off time (else detected).")] = None,
    tmax: Annotated[
        str, typer.Option(help="T_max from the heating 'fit' (default) or 'observed' data.")
    ] = "fit",
    slope: Annotated[
        bool, typer.Option("--slope", help="Also fit η as the slope over the runs' powers.")
    ] = False,
    through_origin: Annotated[
        bool, typer.Option("--through-origin", help="Slope method without an intercept.")
    ] = False,
    power_sd: Annotated[
        str, typer.Option(help="Standard uncertainty of the laser power, e.g. '0.02 W'.")
    ] = "0 W",
    absorbance_sd: Annotated[
        float, typer.Option(help="Standard uncertainty of the absorbance.", min=0.0)
    ] = 0.0,
    heat_capacity_sd: HeatCapacitySd = "0 J/K",
    ci_level: CiLevel = 0.95,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """Photothermal conversion efficiency η from heating–cooling curves (Roper, fitted).

    Without --power-sd, --absorbance-sd and --heat-capacity-sd the interval on η covers the
    curve fits only (the report says so).
    """
    tmax_method: TmaxMethod = choice(tmax, ("fit", "observed"), "--tmax")
    capacity = _capacity(mass, heat_capacity, vessel_heat_capacity)
    default_power = None if power is None else magnitude_in(_q(power, "W", "--power"), "W")
    on_s = _seconds(laser_on, "--laser-on")
    off_s = _seconds(laser_off, "--laser-off")
    ambient_c = None if ambient is None else magnitude_in(_q(ambient, "degC", "--ambient"), "degC")
    blank_fixed_w, blank_per_w = _blank_heat(blank_heat)
    blank_info = None
    if blank is not None:
        blank_table = read_table(blank, sheet_arg(sheet))
        t, temp, _ = read_curve(blank_table)
        rise, rise_se = blank_rise_from_curve(t, temp)
        blank_power = _run_value(blank_table, ("power", "laser power"), "W", default_power)
        blank_info = (rise, rise_se, blank_power)

    def analyse(part: Part) -> AnalysisResult:
        table = part.table
        run_power = _run_value(table, ("power", "laser power"), "W", default_power)
        run_absorbance = _run_value(table, ("absorbance", "OD"), "", absorbance)
        if run_power is None:
            raise SpecificationError(
                "--power",
                None,
                "the laser power at the sample",
                "Give --power '1 W' or a 'Power (W)' column.",
            )
        if run_absorbance is None:
            raise SpecificationError(
                "--absorbance",
                None,
                "the absorbance at the laser wavelength",
                "Give --absorbance 0.6 or an 'Absorbance' column.",
            )
        extra: dict[str, Any] = {
            "blank_heat_w": blank_fixed_w,
            "power_stderr_w": magnitude_in(_q(power_sd, "W", "--power-sd"), "W"),
            "absorbance_stderr": absorbance_sd,
            "heat_capacity_stderr_j_per_k": magnitude_in(
                _q(heat_capacity_sd, "J/K", "--heat-capacity-sd"), "J/K"
            ),
        }
        if blank_per_w is not None:
            extra["blank_heat_w"] = blank_per_w * run_power
        if blank_info is not None:
            del extra["blank_heat_w"]
            extra |= {
                "blank_rise_k": blank_info[0],
                "blank_rise_stderr_k": blank_info[1],
                "blank_power_w": blank_info[2],
            }
        setup = PhotothermalSetup(
            power_w=run_power,
            absorbance=run_absorbance,
            heat_capacity_j_per_k=capacity,
            ambient_c=ambient_c,
            tmax=tmax_method,
            ci_level=ci_level,
            on_s=on_s,
            off_s=off_s,
            **extra,
        )
        return analyze_photothermal_table(table, setup, title=f"PCE: {part.title}")

    batch = analyze_tables(files, group_by, sheet, analyse)
    if slope:
        batch.results.append(
            photothermal_slope(batch.results, through_origin=through_origin, ci_level=ci_level)
        )
    emit(batch, as_json, report, plot)


def sar(
    files: Files,
    np_mass: Annotated[
        str | None, typer.Option(help="Mass of magnetic material in the sample, e.g. '1 mg'.")
    ] = None,
    concentration: Annotated[
        str | None, typer.Option(help="Or its concentration, e.g. '1 mg/mL' (with --volume).")
    ] = None,
    volume: Annotated[str | None, typer.Option(help="Sample volume, e.g. '1 mL'.")] = None,
    basis: Annotated[
        str, typer.Option(help="What the magnetic mass counts, e.g. 'Fe' or 'Fe3O4'.")
    ] = "nanoparticles",
    mass: Annotated[
        str | None,
        typer.Option(
            help="Mass of the sample that heats, e.g. '1 g' (default: --volume × "
            "1 g/mL of water, else 1 g)."
        ),
    ] = None,
    heat_capacity: Annotated[
        str, typer.Option(help="Specific heat capacity of the sample.")
    ] = "4.18 J/g/K",
    vessel_heat_capacity: Annotated[
        str, typer.Option(help="Heat capacity of the vessel that heats with it.")
    ] = "0 J/K",
    field: Annotated[
        str | None, typer.Option(help="Field amplitude H: '15 kA/m', '200 Oe' or '20 mT' (μ₀H).")
    ] = None,
    frequency: Annotated[str | None, typer.Option(help="Field frequency, e.g. '300 kHz'.")] = None,
    window: Annotated[str, typer.Option(help="Initial-slope window.")] = "30 s",
    skip: Annotated[str, typer.Option(help="Dead time after field-on to ignore.")] = "0 s",
    windows: Annotated[int, typer.Option(help="Windows of the corrected slope.", min=3)] = 10,
    field_on: Annotated[str | None, typer.Option(help="Field-on time, e.g. '10 s'.")] = None,
    field_off: Annotated[str | None, typer.Option(help="Field-off time (else detected).")] = None,
    method: Annotated[
        str, typer.Option(help="Reported SAR: corrected_slope, box_lucas or initial_slope.")
    ] = "corrected_slope",
    heat_capacity_sd: HeatCapacitySd = "0 J/K",
    np_mass_sd: Annotated[
        str, typer.Option(help="Standard uncertainty of the magnetic mass, e.g. '0.05 mg'.")
    ] = "0 g",
    ci_level: CiLevel = 0.95,
    group_by: GroupBy = None,
    sheet: Sheet = None,
    as_json: AsJson = False,
    report: Report = None,
    plot: Plot = None,
) -> None:
    """SAR and ILP from magnetic-hyperthermia heating curves (three estimators, H·f check)."""
    chosen: SarMethod = choice(
        method, ("corrected_slope", "box_lucas", "initial_slope"), "--method"
    )
    capacity = _capacity(_sample_mass(mass, volume), heat_capacity, vessel_heat_capacity)
    particle_g = _particle_mass_g(np_mass, concentration, volume)
    field_a_per_m = None if field is None else _field_a_per_m(field)
    frequency_hz = (
        None if frequency is None else magnitude_in(_q(frequency, "Hz", "--frequency"), "Hz")
    )
    setup = MagneticHeatingSetup(
        heat_capacity_j_per_k=capacity,
        particle_mass_g=particle_g,
        field_a_per_m=field_a_per_m,
        frequency_hz=frequency_hz,
        mass_basis=basis,
        initial_window_s=magnitude_in(_q(window, "s", "--window"), "s"),
        skip_s=magnitude_in(_q(skip, "s", "--skip"), "s"),
        windows=windows,
        on_s=_seconds(field_on, "--field-on"),
        off_s=_seconds(field_off, "--field-off"),
        method=chosen,
        ci_level=ci_level,
        heat_capacity_stderr_j_per_k=magnitude_in(
            _q(heat_capacity_sd, "J/K", "--heat-capacity-sd"), "J/K"
        ),
        particle_mass_stderr_g=magnitude_in(_q(np_mass_sd, "g", "--np-mass-sd"), "g"),
    )

    def analyse(part: Part) -> AnalysisResult:
        return analyze_magnetic_heating_table(part.table, setup, title=f"SAR: {part.title}")

    emit(analyze_tables(files, group_by, sheet, analyse), as_json, report, plot)


def register(app: typer.Typer) -> None:
    """Add ``pce`` and ``sar`` to ``nanocloak analyze``."""
    app.command("pce")(pce)
    app.command("sar")(sar)


def _q(value: str, unit: str, field: str) -> Any:
    return parse_quantity(value, unit, field)


def _seconds(value: str | None, field: str) -> float | None:
    return None if value is None else magnitude_in(_q(value, "s", field), "s")


WATER_DENSITY_G_PER_ML = 1.0  # aqueous samples near room temperature (CRC Handbook)


def _sample_mass(mass: str | None, volume: str | None) -> str:
    """The heating sample's mass: as given, else its volume of water, else 1 g."""
    if mass is not None:
        if volume is not None:
            from_volume = magnitude_in(_q(volume, "mL", "--volume"), "mL") * WATER_DENSITY_G_PER_ML
            given = magnitude_in(_q(mass, "g", "--mass"), "g")
            if abs(given - from_volume) > 0.05 * from_volume:
                raise SpecificationError(
                    "--mass",
                    mass,
                    f"about {from_volume:g} g, the mass of the {volume} sample",
                    "Give --mass or --volume for the heat capacity, or make them agree.",
                )
        return mass
    if volume is not None:
        return f"{magnitude_in(_q(volume, 'mL', '--volume'), 'mL') * WATER_DENSITY_G_PER_ML} g"
    return "1 g"


def _capacity(mass: str, specific: str, vessel: str) -> float:
    total = magnitude_in(_q(mass, "g", "--mass"), "g") * magnitude_in(
        _q(specific, "J/g/K", "--heat-capacity"), "J/g/K"
    ) + magnitude_in(_q(vessel, "J/K", "--vessel-heat-capacity"), "J/K")
    return float(total)


def _blank_heat(text: str | None) -> tuple[float, float | None]:
    """(fixed Q_dis in W, Q_dis per W of laser power or None)."""
    if text is None:
        return 0.0, None
    try:
        return magnitude_in(_q(text, "W", "--blank-heat"), "W"), None
    except UnitError:
        ratio = _q(text, "W/W", "--blank-heat")
        return 0.0, magnitude_in(ratio, "dimensionless")


def _particle_mass_g(np_mass: str | None, concentration: str | None, volume: str | None) -> float:
    if np_mass is not None:
        return magnitude_in(_q(np_mass, "g", "--np-mass"), "g")
    if concentration is not None and volume is not None:
        return magnitude_in(
            _q(concentration, "g/L", "--concentration") * _q(volume, "L", "--volume"), "g"
        )
    raise SpecificationError(
        "--np-mass",
        None,
        "the mass of magnetic material in the sample",
        "Give --np-mass '1 mg', or --concentration '1 mg/mL' with --volume '1 mL'.",
    )


def _field_a_per_m(text: str) -> float:
    """H in A/m from A/m, oersted (CGS) or tesla (read as μ₀H)."""
    try:
        return magnitude_in(_q(text, "A/m", "--field"), "A/m")
    except UnitError:
        pass
    number, _, unit = text.strip().partition(" ")
    if unit.strip() in ("Oe", "oersted"):
        try:
            return float(number) * 1e3 / (4 * math.pi)
        except ValueError:
            pass
    tesla = _q(text, "T", "--field")
    return float(Quantity(tesla).to("T").magnitude) / MU0


def _run_value(
    table: LabTable, names: tuple[str, ...], unit: str, default: float | None
) -> float | None:
    """A per-run constant from its column if the table has one, else ``default``."""
    if table.find(names) is None:
        return default
    values = table.column(list(names), unit or None, what=names[0])
    values = values[np.isfinite(values)]
    if values.size == 0 or np.ptp(values) > 1e-9 * max(1.0, float(np.max(np.abs(values)))):
        raise DataFormatError(
            f"{table.source}: column {names[0]!r} must hold one value per run; group the runs "
            "with --group-by"
        )
    return float(values[0])
