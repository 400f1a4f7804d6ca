"""MRI relaxivity: T1 from inversion recovery, T2 from multi-echo decays, r1 and r2 by regression.

Each sample's relaxation time is fitted with lmfit; the relaxation rates R_i = 1/T_i are then
regressed on the iron concentration,

.. math:: R_i = R_{i,0} + r_i\\,[\\mathrm{Fe}],

by weighted least squares (statsmodels WLS, relative weights 1/SE(R_i)^2 from the per-sample
fits, the scale estimated from the residuals) or ordinary least squares, with t-based confidence
intervals. A quadratic term is tested because
in whole blood R1 and R2 are not linear in concentration (Knobloch et al., *Invest. Radiol.*
2018; physics.md §7). The per-sample curve fits live in
:mod:`nanocloak.analysis.relaxation_fits`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm
from numpy.typing import ArrayLike, NDArray
from uncertainties import ufloat

from nanocloak.analysis.relaxation_fits import (
    FORMULA_IR_MAGNITUDE,
    FORMULA_IR_SIGNED,
    FORMULA_ME,
    FORMULA_ME_OFFSET,
    RelaxationFit,
    fit_inversion_recovery,
    fit_multi_echo,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate
from nanocloak.units import Quantity

FE_MOLAR_MASS_G_PER_MOL = 55.845
"""Standard atomic weight of iron (IUPAC/CIAAW 2021: 55.845(2) g/mol)."""
FE3O4_MOLAR_MASS_G_PER_MOL = 231.53
"""Molar mass of magnetite Fe3O4 per formula unit (3 × 55.845 + 4 × 15.999 = 231.53 g/mol),
which contains 3 Fe."""
FE_PER_FORMULA_UNIT = {"Fe": 1, "Fe3O4": 3}
MOLAR_MASS_G_PER_MOL = {"Fe": FE_MOLAR_MASS_G_PER_MOL, "Fe3O4": FE3O4_MOLAR_MASS_G_PER_MOL}
RELAXIVITY_UNIT = "1/mM/s"
Weighting = Literal["inverse-variance", "relative", "none"]
Basis = Literal["Fe", "Fe3O4"]

CONCENTRATION_NAMES = ("Fe", "[Fe]", "iron", "Fe concentration", "concentration", "conc", "c")
SIGNAL_NAMES = ("signal", "intensity", "SI", "S", "magnitude", "amplitude")
SAMPLE_NAMES = ("sample", "tube", "vial", "id")
TI_NAMES = ("TI", "inversion time", "t_inv")
TE_NAMES = ("TE", "echo time")
T1_NAMES = ("T1",)
T2_NAMES = ("T2",)


@dataclass(frozen=True, slots=True)
class RelaxivityFit:
    """Regression of relaxation rate on iron concentration.

    Attributes
    ----------
    slope, intercept
        Relaxivity r (1/(mM·s)) and rate without iron R0 (1/s).
    slope_se, intercept_se
        Standard errors; NaN when no degree of freedom is left.
    slope_ci, intercept_ci
        t-based confidence intervals at ``ci_level``.
    quadratic_p
        p-value of the c² term of a quadratic fit (None with fewer than 4 concentrations).
    r_squared
        Coefficient of determination of the linear fit.
    weighted
        Whether WLS with weights 1/SE(R)² was used (else OLS).
    """

    slope: float
    slope_se: float
    slope_ci: tuple[float, float]
    intercept: float
    intercept_se: float
    intercept_ci: tuple[float, float]
    quadratic_p: float | None
    r_squared: float
    n_points: int
    n_concentrations: int
    weighted: bool
    ci_level: float
    warnings: tuple[str, ...] = ()


def fit_relaxivity(
    concentration_mm: ArrayLike,
    rate_per_s: ArrayLike,
    rate_se_per_s: ArrayLike | None = None,
    *,
    ci_level: float = 0.95,
) -> RelaxivityFit:
    """Regress relaxation rate on iron concentration: R = R0 + r·[Fe].

    Parameters
    ----------
    concentration_mm
        Iron concentration of each sample (mM Fe).
    rate_per_s
        Relaxation rate 1/T of each sample (1/s).
    rate_se_per_s
        Standard errors of the rates (1/s). When all are finite and positive the fit is WLS with
        weights 1/SE²; otherwise OLS.
    ci_level
        Confidence level of the intervals.
    """
    c = np.asarray(concentration_mm, dtype=float)
    rate = np.asarray(rate_per_s, dtype=float)
    if c.shape != rate.shape or c.ndim != 1:
        raise DataFormatError("concentrations and rates must be 1-D arrays of the same length")
    if not 0.0 < ci_level < 1.0:
        raise SpecificationError("ci_level", ci_level, "a number between 0 and 1", "e.g. 0.95")
    n_conc = int(np.unique(c).size)
    if n_conc < 2:
        raise DataFormatError(
            f"a relaxivity needs at least two different iron concentrations; got {n_conc}"
        )
    weights = np.ones_like(c)
    weighted = False
    if rate_se_per_s is not None:
        se = np.asarray(rate_se_per_s, dtype=float)
        if se.shape == c.shape and np.all(np.isfinite(se)) and np.all(se > 0):
            weights, weighted = 1.0 / se**2, True
    design = np.column_stack([np.ones_like(c), c])
    fit = sm.WLS(rate, design, weights=weights).fit()
    notes: list[str] = []
    alpha = 1.0 - ci_level
    if fit.df_resid > 0:
        ci = np.asarray(fit.conf_int(alpha))
        bse = np.asarray(fit.bse)
    else:
        ci = np.full((2, 2), np.nan)
        bse = np.full(2, np.nan)
        notes.append("two points leave no degree of freedom: no standard error or interval")
    quadratic_p: float | None = None
    if n_conc >= 4 and c.size >= 4:
        quad = sm.WLS(rate, np.column_stack([design, c**2]), weights=weights).fit()
        quadratic_p = float(quad.pvalues[2])
    if n_conc < 4:
        notes.append(
            f"only {n_conc} concentrations: linearity cannot be tested and the interval is "
            "wide; measure ≥ 5 concentrations spanning the range of interest"
        )
    return RelaxivityFit(
        slope=float(fit.params[1]),
        slope_se=float(bse[1]),
        slope_ci=(float(ci[1, 0]), float(ci[1, 1])),
        intercept=float(fit.params[0]),
        intercept_se=float(bse[0]),
        intercept_ci=(float(ci[0, 0]), float(ci[0, 1])),
        quadratic_p=quadratic_p,
        r_squared=float(fit.rsquared),
        n_points=int(c.size),
        n_concentrations=n_conc,
        weighted=weighted,
        ci_level=ci_level,
        warnings=tuple(notes),
    )


def _exact(table: LabTable, names: Sequence[str]) -> str | None:
    """The column whose name equals one of ``names`` ignoring case and punctuation."""
    folded = {"".join(ch for ch in c.lower() if ch.isalnum()): c for c in table.columns}
    for name in names:
        key = "".join(ch for ch in name.lower() if ch.isalnum())
        if key in folded:
            return folded[key]
    return None


def names_iron(column: str) -> bool:
    """Whether a column's name says it holds iron (``Fe``, ``[Fe]``, ``iron …``)."""
    words = "".join(ch if ch.isalnum() else " " for ch in column).split()
    return any(w == "Fe" or w.lower() == "iron" for w in words)


def _concentration_mm(
    table: LabTable, basis: Basis | None = None
) -> tuple[NDArray[np.float64], str, str | None]:
    """Iron concentration (mM Fe), the column and the conversion formula used (None if none).

    A mass concentration is converted only when the column is an iron concentration (its name
    says Fe or iron) or ``basis`` names what the mass is of; a molar concentration is taken as
    mM Fe unless ``basis="Fe3O4"`` (then mM of formula units, × 3).
    """
    column = _exact(table, CONCENTRATION_NAMES)
    if column is None:
        raise DataFormatError(
            f"{table.source}: no iron-concentration column (looked for "
            f"{', '.join(CONCENTRATION_NAMES)}), e.g. 'Fe (mM)'; columns are: {table.columns}"
        )
    if basis is not None and basis not in MOLAR_MASS_G_PER_MOL:
        raise SpecificationError("basis", basis, "'Fe' or 'Fe3O4'")
    unit = table.units.get(column)
    per_unit = FE_PER_FORMULA_UNIT[basis or "Fe"]
    if unit is not None and Quantity(1.0, unit).is_compatible_with("mg/mL"):
        if basis is None and not names_iron(column):
            raise DataFormatError(
                f"{table.source}: column {column!r} is a mass concentration ({unit}) but does "
                "not say of what; name it as an iron concentration (e.g. 'Fe (ug/mL)') or give "
                "basis='Fe' (mass of iron) or basis='Fe3O4' (mass of magnetite, 231.53 g/mol "
                "per formula unit with 3 Fe)"
            )
        used: Basis = basis or "Fe"
        molar_mass = MOLAR_MASS_G_PER_MOL[used]
        grams_per_l = table.column([column], "g/L", what="iron concentration")
        text = (
            f"[Fe] (mM) = mass concentration of {used} (g/L) / {molar_mass} g/mol × "
            f"{per_unit} Fe per formula unit × 1000"
            + (
                " (M(Fe3O4) = 231.53 g/mol per formula unit containing 3 Fe)."
                if used == "Fe3O4"
                else "."
            )
        )
        return grams_per_l / molar_mass * per_unit * 1e3, column, text
    molar = table.column([column], "mM", what="iron concentration")
    if per_unit != 1:
        return molar * per_unit, column, "[Fe] (mM) = 3 × [Fe3O4] (mM of formula units)."
    return molar, column, None


def _sample_keys(table: LabTable, conc: NDArray[np.float64]) -> list[str]:
    column = _exact(table, SAMPLE_NAMES)
    if column is not None:
        return [str(v) for v in table.frame[column]]
    return [f"{v:g} mM" for v in conc]


def _curve_fits(
    table: LabTable,
    time_names: Sequence[str],
    conc: NDArray[np.float64],
    keys: list[str],
    kind: Literal["T1", "T2"],
    magnitude: bool,
    offset: bool,
) -> list[tuple[str, float, RelaxationFit | None, float, float | None]]:
    """Per sample: (key, concentration mM, fit or None, T (s), SE(T) (s))."""
    rows: list[tuple[str, float, RelaxationFit | None, float, float | None]] = []
    direct = _exact(table, T1_NAMES if kind == "T1" else T2_NAMES)
    time_col = _exact(table, time_names)
    if time_col is not None:
        signal_col = _exact(table, SIGNAL_NAMES)
        if signal_col is None:
            raise DataFormatError(
                f"{table.source}: a {time_col} column needs a signal column "
                f"(one of {', '.join(SIGNAL_NAMES)}); columns are: {table.columns}"
            )
        t = table.column([time_col], "s", what=f"{time_col} time")
        s = table.column([signal_col], None)
        for key in dict.fromkeys(keys):
            rows_of = np.array([k == key for k in keys]) & np.isfinite(t) & np.isfinite(s)
            if not rows_of.any():
                continue
            c_of = np.unique(conc[rows_of])
            if c_of.size != 1:
                raise DataFormatError(
                    f"{table.source}: sample {key!r} has several concentrations {c_of.tolist()}"
                )
            fit = (
                fit_inversion_recovery(t[rows_of], s[rows_of], magnitude=magnitude)
                if kind == "T1"
                else fit_multi_echo(t[rows_of], s[rows_of], offset=offset)
            )
            rows.append((key, float(c_of[0]), fit, fit.time_s, fit.time_se_s))
    elif direct is not None:
        t = table.column([direct], "s", what=kind)
        for key, c_i, t_i in zip(keys, conc, t, strict=True):
            if np.isfinite(t_i):
                if t_i <= 0:
                    raise DataFormatError(f"{table.source}: {kind} must be positive; got {t_i} s")
                rows.append((key, float(c_i), None, float(t_i), None))
    return rows


def analyze_relaxivity(
    table: LabTable,
    *,
    magnitude: bool = True,
    offset: bool = False,
    weighting: Weighting = "inverse-variance",
    ci_level: float = 0.95,
    basis: Basis | None = None,
    title: str | None = None,
) -> AnalysisResult:
    """r1 and/or r2 from a table of relaxation curves or relaxation times.

    The table holds an iron-concentration column (``Fe (mM)``; mass concentrations such as
    ``Fe (µg/mL)`` are converted with M(Fe) = 55.845 g/mol — only when the column is named as
    iron or ``basis`` says what the mass is of), optionally a ``sample`` column, and
    either curves — ``TI`` and/or ``TE`` with ``signal`` in long format (rows with a TI belong to
    the inversion-recovery fit, rows with a TE to the echo-train fit) — or fitted ``T1`` / ``T2``
    columns. Without a sample column, rows with the same concentration form one sample.

    Parameters
    ----------
    table
        The lab table.
    magnitude
        Inversion-recovery data are magnitude (True) or phase-corrected signed (False).
    offset
        Fit a constant offset to the echo-train decays.
    weighting
        ``"inverse-variance"``: WLS with 1/SE(R)² from the per-sample fits (OLS where no SE);
        ``"relative"``: WLS with weights 1/R², for a constant relative error of T (tables of
        T1/T2 without SEs); ``"none"``: OLS.
    ci_level
        Confidence level of the intervals.
    basis
        What a concentration column counts: ``"Fe"`` (iron; M = 55.845 g/mol) or ``"Fe3O4"``
        (magnetite; M = 231.53 g/mol per formula unit, 3 Fe per formula unit). Needed for a mass
        concentration whose column name does not say Fe; None: a column named as iron is Fe,
        a molar column is mM Fe.
    title
        Title of the result (default: the table's source).
    """
    if weighting not in ("inverse-variance", "relative", "none"):
        raise SpecificationError(
            "weighting",
            weighting,
            "'inverse-variance', 'relative' or 'none'",
            "e.g. weighting='relative' for T1/T2 tables with a constant relative error",
        )
    conc, _, conversion = _concentration_mm(table, basis)
    keys = _sample_keys(table, conc)
    estimates: list[Estimate] = []
    formulas: list[str] = []
    warnings: list[str] = []
    per_sample: list[dict[str, Any]] = []
    rate_series: list[Series] = []
    curve_panels: list[Panel] = []
    slopes: dict[str, tuple[float, float]] = {}
    kinds: tuple[tuple[Literal["T1", "T2"], tuple[str, ...]], ...] = (
        ("T1", TI_NAMES),
        ("T2", TE_NAMES),
    )
    for kind, time_names in kinds:
        rows = _curve_fits(table, time_names, conc, keys, kind, magnitude, offset)
        if not rows:
            continue
        index = kind[1]
        fits = [r[2] for r in rows if r[2] is not None]
        if fits:
            formulas.append(
                (FORMULA_IR_MAGNITUDE if magnitude else FORMULA_IR_SIGNED)
                if kind == "T1"
                else (FORMULA_ME_OFFSET if offset else FORMULA_ME)
            )
            curve_panels.append(_curve_panel(kind, rows))
        c = np.array([r[1] for r in rows])
        rate = np.array([1.0 / r[3] for r in rows])
        se = [None if r[4] is None else r[4] / r[3] ** 2 for r in rows]
        se_arr: NDArray[np.float64] | None = None
        if weighting == "inverse-variance" and all(v is not None for v in se):
            se_arr = np.array(se, dtype=float)
        elif weighting == "relative":
            se_arr = rate.copy()
        fit = fit_relaxivity(c, rate, se_arr, ci_level=ci_level)
        for key, c_i, f, t_i, se_i in rows:
            per_sample.append(
                {
                    "sample": key,
                    "Fe (mM)": c_i,
                    "quantity": kind,
                    "value (ms)": t_i * 1e3,
                    "SE (ms)": float("nan") if se_i is None else se_i * 1e3,
                    "rate (1/s)": 1.0 / t_i,
                }
            )
            if f is not None:
                warnings += [f"{kind} of {key}: {w}" for w in f.warnings]
        warnings += [f"r{index}: {w}" for w in fit.warnings]
        if fit.quadratic_p is not None and fit.quadratic_p < 0.05:
            warnings.append(
                f"r{index}: R{index} is not linear in [Fe] (quadratic term p = "
                f"{fit.quadratic_p:.3g}); in whole blood R1 and R2 are non-linear in "
                "concentration (Knobloch 2018) — report the linear range or a quadratic fit"
            )
        note = "OLS"
        if fit.weighted:
            note = (
                "WLS, weights 1/R² (constant CV of T)"
                if weighting == "relative"
                else ("WLS, weights 1/SE(R)²")
            )
        estimates += [
            Estimate(
                f"r{index}",
                fit.slope,
                RELAXIVITY_UNIT,
                fit.slope_se,
                fit.slope_ci,
                ci_level,
                f"r{index}",
                note,
            ),
            Estimate(
                f"R{index}_0",
                fit.intercept,
                "1/s",
                fit.intercept_se,
                fit.intercept_ci,
                ci_level,
                f"R{index},0 (intercept)",
                note,
            ),
        ]
        if fit.quadratic_p is not None:
            estimates.append(
                Estimate(
                    f"r{index}_quadratic_p",
                    fit.quadratic_p,
                    "",
                    label=f"p of c² term (R{index})",
                    note="t test of the quadratic coefficient in R = a + b·c + q·c²",
                )
            )
        slopes[kind] = (fit.slope, fit.slope_se)
        formulas.append(
            f"R{index} = 1/T{index}; SE(R{index}) = SE(T{index})/T{index}² (first order). "
            f"R{index} = R{index},0 + r{index}·[Fe] fitted by {note} (statsmodels) over "
            f"{fit.n_points} samples at {fit.n_concentrations} concentrations; "
            f"{ci_level:.0%} t intervals with n − 2 degrees of freedom; R² = {fit.r_squared:.4f}."
            + (
                " The WLS weights are relative: statsmodels estimates the scale σ² from the "
                "residuals, so the SEs reflect the observed scatter about the line (including "
                "sample-to-sample variation), not the per-sample fit SEs alone."
                if fit.weighted
                else ""
            )
        )
        grid = np.linspace(0.0, float(c.max()), 50)
        rate_se = np.array([np.nan if v is None else v for v in se], dtype=float)
        rate_series += [
            Series(c, rate, f"R{index}", "errorbar", np.nan_to_num(rate_se)),
            Series(grid, fit.intercept + fit.slope * grid, f"r{index} = {fit.slope:.3g}", "line"),
        ]
    if not slopes:
        raise DataFormatError(
            f"{table.source}: found neither curves (TI or TE with signal) nor T1/T2 columns; "
            f"columns are: {table.columns}"
        )
    if len(slopes) == 2:
        ratio = ufloat(*slopes["T2"]) / ufloat(*slopes["T1"])
        estimates.append(
            Estimate(
                "r2_r1",
                float(ratio.nominal_value),
                "",
                float(ratio.std_dev),
                label="r2/r1",
                note="SE by first-order propagation, r1 and r2 independent",
            )
        )
        formulas.append("r2/r1 with SE² = (r2/r1)²·[(SE r1/r1)² + (SE r2/r2)²].")
    if conversion is not None:
        formulas.append(conversion)
    panel = Panel(
        tuple(rate_series), "[Fe] (mM)", "relaxation rate (1/s)", "Relaxation rate vs iron"
    )
    return AnalysisResult(
        kind="relaxivity",
        title=title or table.source,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warnings),
        panels=(panel, *curve_panels),
        tables={"samples": per_sample},
        provenance={
            "source": table.source,
            "magnitude": magnitude,
            "offset": offset,
            "weighting": weighting,
            "ci_level": ci_level,
            "concentration_basis": basis or "Fe",
        },
    )


def _curve_panel(
    kind: str, rows: list[tuple[str, float, RelaxationFit | None, float, float | None]]
) -> Panel:
    series: list[Series] = []
    for key, _, fit, _, _ in rows:
        if fit is None:
            continue
        series += [
            Series(fit.x_s * 1e3, fit.signal, key, "points"),
            Series(fit.x_s * 1e3, fit.model, "", "line"),
        ]
    xlabel = "TI (ms)" if kind == "T1" else "TE (ms)"
    title = "Inversion recovery" if kind == "T1" else "Echo-train decay"
    return Panel(tuple(series), xlabel, "signal (a.u.)", title)
