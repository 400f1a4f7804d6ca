"""Zeta potential from electrophoretic mobility: Smoluchowski, Hückel and Henry (Ohshima).

Henry's equation

.. math:: U_E = \\frac{2\\varepsilon\\zeta f(\\kappa a)}{3\\eta}
          \\quad\\Rightarrow\\quad \\zeta = \\frac{3\\eta U_E}{2\\varepsilon f(\\kappa a)}

with f = 1.5 (Smoluchowski, κa ≫ 1), f = 1.0 (Hückel, κa ≪ 1) or Ohshima's closed form of
Henry's function (J. Colloid Interface Sci. 1994, 168, 269, doi:10.1006/jcis.1994.1419).
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from uncertainties import ufloat

from nanocloak.analysis.characterization._common import (
    AVOGADRO_PER_MOL,
    BOLTZMANN_J_PER_K,
    ELEMENTARY_CHARGE_C,
    PROPAGATION_NOTE,
    VACUUM_PERMITTIVITY_F_PER_M,
    VISCOSITY_SOURCE,
    find_exact,
    replicate_ufloat,
    ufloat_estimate,
    water_relative_permittivity,
    water_viscosity_mpa_s,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

ZetaModel = Literal["smoluchowski", "huckel", "henry"]
MOBILITY_UNIT = "um*cm/V/s"
MOBILITY_NAMES = ("mobility", "electrophoretic mobility", "EM", "U_E", "UE")
ZETA_NAMES = ("zeta", "zeta potential", "ZP", "ζ")


def debye_length_nm(
    ionic_strength_mm: float,
    temperature_c: float = 25.0,
    relative_permittivity: float | None = None,
) -> float:
    """Debye length κ⁻¹ (nm) of a symmetric electrolyte.

    .. math:: \\kappa^{-1} = \\sqrt{\\frac{\\varepsilon_r\\varepsilon_0 k_B T}{2 N_A e^2 I}}

    Parameters
    ----------
    ionic_strength_mm
        Ionic strength I (mM = mol/m³); 150 mM for PBS-like saline.
    temperature_c
        Temperature (°C).
    relative_permittivity
        ε_r of the medium; None for water at ``temperature_c``.
    """
    if not ionic_strength_mm > 0:
        raise SpecificationError("ionic_strength", ionic_strength_mm, "a positive ionic strength")
    eps_r = relative_permittivity or water_relative_permittivity(temperature_c)
    kelvin = temperature_c + 273.15
    numerator = eps_r * VACUUM_PERMITTIVITY_F_PER_M * BOLTZMANN_J_PER_K * kelvin
    denominator = 2.0 * AVOGADRO_PER_MOL * ELEMENTARY_CHARGE_C**2 * ionic_strength_mm
    return math.sqrt(numerator / denominator) * 1e9


def henry_function(kappa_a: Any) -> Any:
    """Henry's function f(κa) in Ohshima's approximation (relative error < 1 %).

    .. math:: f(\\kappa a) = 1 + \\frac{1}{2\\left[1 + \\delta/(\\kappa a)\\right]^3},
              \\quad \\delta = \\frac{2.5}{1 + 2 e^{-\\kappa a}}

    Tends to 1 (Hückel) as κa → 0 and to 1.5 (Smoluchowski) as κa → ∞. Accepts floats or ufloats.
    """
    from uncertainties import umath

    delta = 2.5 / (1.0 + 2.0 * umath.exp(-kappa_a))
    return 1.0 + 1.0 / (2.0 * (1.0 + delta / kappa_a) ** 3)


def zeta_from_mobility(
    mobility_um_cm_per_v_s: ArrayLike,
    *,
    model: ZetaModel = "smoluchowski",
    radius_nm: float | None = None,
    radius_sd_nm: float = 0.0,
    ionic_strength_mm: float | None = None,
    temperature_c: float = 25.0,
    viscosity_mpa_s: float | None = None,
    relative_permittivity: float | None = None,
    title: str = "Zeta potential",
) -> AnalysisResult:
    """ζ (mV) from replicate electrophoretic mobilities.

    Parameters
    ----------
    mobility_um_cm_per_v_s
        Replicate mobilities U_E (µm·cm/(V·s) = 10⁻⁸ m²/(V·s)).
    model
        ``"smoluchowski"`` (f = 1.5), ``"huckel"`` (f = 1.0) or ``"henry"`` (Ohshima's f(κa)).
    radius_nm, radius_sd_nm
        Particle radius a and its SD (nm); needed for Henry (half the Z-average is usual).
    ionic_strength_mm
        Ionic strength of the medium (mM); needed for Henry and for the κa check.
    temperature_c
        Temperature (°C).
    viscosity_mpa_s
        η (mPa·s); None for water at ``temperature_c``.
    relative_permittivity
        ε_r; None for water at ``temperature_c``.
    title
        Title of the result.
    """
    if model not in ("smoluchowski", "huckel", "henry"):
        raise SpecificationError("model", model, "'smoluchowski', 'huckel' or 'henry'")
    mobility = np.asarray(mobility_um_cm_per_v_s, dtype=float)
    mobility = mobility[np.isfinite(mobility)]
    if mobility.size == 0:
        raise DataFormatError(f"{title}: no mobility values")
    eta = (viscosity_mpa_s or water_viscosity_mpa_s(temperature_c)) * 1e-3
    eps_r = relative_permittivity or water_relative_permittivity(temperature_c)
    eps = eps_r * VACUUM_PERMITTIVITY_F_PER_M
    u = replicate_ufloat(mobility) * 1e-8
    replicated = mobility.size > 1
    kappa_a: Any = None
    debye: float | None = None
    if ionic_strength_mm is not None:
        debye = debye_length_nm(ionic_strength_mm, temperature_c, eps_r)
        if radius_nm is not None:
            radius: Any = ufloat(radius_nm, radius_sd_nm) if radius_sd_nm > 0 else radius_nm
            kappa_a = radius / debye
    if model == "henry":
        if kappa_a is None:
            raise SpecificationError(
                "radius/ionic_strength",
                (radius_nm, ionic_strength_mm),
                "both a particle radius and an ionic strength for Henry's equation",
                "e.g. radius='60 nm', ionic_strength='10 mM'",
            )
        f: Any = henry_function(kappa_a)
    else:
        f = 1.5 if model == "smoluchowski" else 1.0
    zeta_mv = 3.0 * eta * u / (2.0 * eps * f) * 1e3
    estimates = [
        ufloat_estimate("zeta", zeta_mv, "mV", f"ζ ({model})", replicated),
        ufloat_estimate(
            "mobility", u * 1e8, MOBILITY_UNIT, "electrophoretic mobility U_E", replicated
        ),
        Estimate("f_kappa_a", float(getattr(f, "nominal_value", f)), "", label="f(κa)"),
    ]
    if debye is not None:
        estimates.append(Estimate("debye_length", debye, "nm", label="Debye length κ⁻¹"))
    if kappa_a is not None:
        estimates.append(
            Estimate("kappa_a", float(getattr(kappa_a, "nominal_value", kappa_a)), "", label="κa")
        )
    warnings = _warnings(model, kappa_a, float(zeta_mv.nominal_value), replicated)
    formulas = [
        "Henry: U_E = 2εζ·f(κa)/(3η), so ζ = 3η·U_E/(2ε·f(κa)); "
        + {
            "smoluchowski": "Smoluchowski f = 1.5 (thin double layer, κa ≫ 1), i.e. ζ = η·U_E/ε.",
            "huckel": "Hückel f = 1.0 (thick double layer, κa ≪ 1).",
            "henry": "Ohshima's approximation f(κa) = 1 + 1/(2[1 + δ/(κa)]³), "
            "δ = 2.5/(1 + 2e^(−κa)) (J. Colloid Interface Sci. 1994, 168, 269).",
        }[model],
        f"η = {eta * 1e3:.4g} mPa·s"
        + (f" (water, {VISCOSITY_SOURCE})" if viscosity_mpa_s is None else "")
        + f", ε = ε_r·ε0 with ε_r = {eps_r:.4g}"
        + (" (water, Malmberg & Maryott 1956)" if relative_permittivity is None else "")
        + f", T = {temperature_c:g} °C.",
        f"Uncertainty: {PROPAGATION_NOTE}"
        + ("; the radius SD enters through κa" if radius_sd_nm > 0 and model == "henry" else "")
        + ".",
    ]
    if debye is not None:
        formulas.append(
            "Debye length κ⁻¹ = √(ε_r·ε0·k_B·T/(2·N_A·e²·I)), I in mol/m³ (1:1 electrolyte)."
        )
    panel = Panel(
        (
            Series(
                np.arange(mobility.size, dtype=float) + 1.0,
                3.0
                * eta
                * mobility
                * 1e-8
                / (2.0 * eps * float(getattr(f, "nominal_value", f)))
                * 1e3,
                "replicates",
                "points",
            ),
        ),
        "replicate",
        "ζ (mV)",
        title,
    )
    return AnalysisResult(
        kind="zeta_potential",
        title=title,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=warnings,
        panels=(panel,),
        provenance={
            "model": model,
            "radius_nm": radius_nm,
            "ionic_strength_mm": ionic_strength_mm,
            "temperature_c": temperature_c,
            "viscosity_mpa_s": eta * 1e3,
            "relative_permittivity": eps_r,
        },
    )


def _warnings(model: str, kappa_a: Any, zeta_mv: float, replicated: bool) -> tuple[str, ...]:
    notes = []
    ka = None if kappa_a is None else float(getattr(kappa_a, "nominal_value", kappa_a))
    if ka is not None and model == "smoluchowski" and ka < 10:
        notes.append(f"κa = {ka:.3g} < 10: Smoluchowski overestimates |ζ|; use Henry")
    if ka is not None and model == "huckel" and ka > 0.1:
        notes.append(f"κa = {ka:.3g} > 0.1: Hückel underestimates |ζ|; use Henry")
    if model == "smoluchowski" and ka is None:
        notes.append("κa unknown (give radius and ionic strength): Smoluchowski assumes κa ≫ 1")
    if abs(zeta_mv) > 50 and model != "smoluchowski":
        notes.append(
            f"|ζ| = {abs(zeta_mv):.0f} mV > 50 mV: Henry's equation neglects double-layer "
            "relaxation (O'Brien–White) at high ζ"
        )
    if not replicated:
        notes.append("a single mobility: no uncertainty; measure ≥ 3 runs")
    return tuple(notes)


def analyze_zeta_table(
    table: LabTable,
    *,
    instrument_model: ZetaModel = "smoluchowski",
    title: str | None = None,
    **options: Any,
) -> AnalysisResult:
    """ζ from a table of replicate mobilities, or re-evaluated from instrument ζ values.

    A ``mobility`` column (µm·cm/(V·s) if no unit is written) is used directly; otherwise a
    ``zeta (mV)`` column is converted back to mobility with ``instrument_model`` and the same
    η and ε, then evaluated with ``options['model']``.

    Parameters
    ----------
    table
        The lab table.
    instrument_model
        The model the instrument used for its ζ column.
    title
        Title (default: the table's source).
    options
        Keyword arguments of ``zeta_from_mobility``.
    """
    mobility_col = find_exact(table, MOBILITY_NAMES)
    name = title or table.source
    if mobility_col is not None:
        mobility = table.column([mobility_col], MOBILITY_UNIT, default_unit=MOBILITY_UNIT)
        return zeta_from_mobility(mobility, title=name, **options)
    zeta_col = find_exact(table, ZETA_NAMES)
    if zeta_col is None:
        raise DataFormatError(
            f"{table.source}: no 'mobility (um cm/V/s)' or 'zeta (mV)' column; columns are: "
            f"{table.columns}"
        )
    zeta_v = table.column([zeta_col], "V", default_unit="mV", what="zeta potential")
    temperature_c = float(options.get("temperature_c", 25.0))
    eta = (options.get("viscosity_mpa_s") or water_viscosity_mpa_s(temperature_c)) * 1e-3
    eps = (
        options.get("relative_permittivity") or water_relative_permittivity(temperature_c)
    ) * VACUUM_PERMITTIVITY_F_PER_M
    if instrument_model == "henry":
        raise SpecificationError("instrument_model", instrument_model, "'smoluchowski' or 'huckel'")
    f_instrument = 1.5 if instrument_model == "smoluchowski" else 1.0
    mobility = zeta_v * 2.0 * eps * f_instrument / (3.0 * eta) * 1e8
    result = zeta_from_mobility(mobility, title=name, **options)
    note = (
        f"Mobility recovered from the instrument's ζ with {instrument_model} "
        f"(f = {f_instrument}): U_E = 2εζ·f/(3η)."
    )
    return AnalysisResult(
        result.kind,
        result.title,
        result.estimates,
        (*result.formulas, note),
        result.warnings,
        result.panels,
        result.tables,
        {**result.provenance, "instrument_model": instrument_model},
    )
