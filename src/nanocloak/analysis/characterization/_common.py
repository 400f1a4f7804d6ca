"""Shared pieces of the characterization calculators: replicate statistics, columns, water.

Uncertainty convention: a quantity measured in replicates enters as mean ± SE (SE = SD/√n,
sample SD with n − 1); derived quantities carry first-order (linear) propagation of those SEs
through the formula with the ``uncertainties`` package, which keeps track of correlations when
one input appears twice (e.g. F_D,0 in the numerator and denominator of % lipid mixing).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats
from uncertainties import ufloat

from nanocloak.analysis.uncertainty import estimate_from_ufloat, nominal
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable
from nanocloak.results.analysis import Estimate

LABEL_NAMES = ("sample", "condition", "group", "label", "lane", "name", "treatment")
BOLTZMANN_J_PER_K = 1.380649e-23
ELEMENTARY_CHARGE_C = 1.602176634e-19
AVOGADRO_PER_MOL = 6.02214076e23
VACUUM_PERMITTIVITY_F_PER_M = 8.8541878128e-12
PROPAGATION_NOTE = "mean ± SE of replicates, first-order propagation (uncertainties)"
VOGEL_WATER_A_MPA_S = 0.02414
VOGEL_WATER_B_K = 247.8
VOGEL_WATER_C_K = 140.0
"""Vogel (Vogel–Fulcher–Tammann) coefficients of the viscosity of water, η = A·10^(B/(T − C)):
the empirical fit tabulated by T. Al-Shemmeri, *Engineering Fluid Mechanics* (Ventus, 2012),
also quoted in the "Viscosity" entry of Wikipedia; within ~0.5 % of the IAPWS 2008 formulation
(Huber et al., J. Phys. Chem. Ref. Data 2009, 38, 101, doi:10.1063/1.3088050) over 10–40 °C."""
VISCOSITY_SOURCE = "Vogel fit, Al-Shemmeri 2012; ±0.5 % of IAPWS 2008 over 10–40 °C"


def fold(text: str) -> str:
    """Lower-case alphanumerics only, so 'Z-Average' matches 'z average'."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def find_exact(table: LabTable, names: Sequence[str]) -> str | None:
    """The column whose folded name equals one of ``names`` (no prefix matching)."""
    folded = {fold(c): c for c in table.columns}
    for name in names:
        if fold(name) in folded:
            return folded[fold(name)]
    return None


def require(table: LabTable, names: Sequence[str], what: str) -> str:
    """Like ``find_exact`` but raising a ``DataFormatError`` naming what is missing."""
    column = find_exact(table, names)
    if column is None:
        raise DataFormatError(
            f"{table.source}: no column for {what} (looked for "
            f"{', '.join(repr(n) for n in names)}); columns are: {table.columns}"
        )
    return column


def by_label(
    table: LabTable, value_column: str, unit: str | None = None
) -> dict[str, NDArray[np.float64]]:
    """Finite values of ``value_column`` per label of the sample column, in order of appearance."""
    label_column = require(table, LABEL_NAMES, "the sample label (e.g. 'sample')")
    labels = [str(v) for v in table.frame[label_column]]
    values = table.column([value_column], unit)
    out: dict[str, NDArray[np.float64]] = {}
    for label in dict.fromkeys(labels):
        picked = values[[lab == label for lab in labels]]
        picked = picked[np.isfinite(picked)]
        if picked.size:
            out[label] = picked
    return out


def replicate_ufloat(values: ArrayLike) -> Any:
    """Mean ± SE of replicate values (SE is NaN for a single value: no uncertainty known)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise DataFormatError("no finite values to average")
    se = float(np.std(x, ddof=1) / math.sqrt(x.size)) if x.size > 1 else math.nan
    with warnings.catch_warnings():
        # identical replicates give SE = 0, which is a legitimate (if rare) result
        warnings.filterwarnings("ignore", "Using UFloat objects with std_dev==0")
        return ufloat(float(np.mean(x)), se)


def ufloat_estimate(
    name: str,
    value: Any,
    unit: str,
    label: str,
    replicated: bool,
    note: str = PROPAGATION_NOTE,
) -> Estimate:
    """An Estimate from a ufloat (:func:`estimate_from_ufloat`, no CI); SE only where every
    input had replicates."""
    if not replicated:
        value = nominal(value)
    return estimate_from_ufloat(
        name,
        value,
        unit,
        label=label,
        note=note if replicated else "single measurement per input: no uncertainty",
        with_ci=False,
    )


def mean_estimate(
    name: str,
    values: ArrayLike,
    unit: str,
    label: str,
    ci_level: float = 0.95,
    note: str = "",
    bounds: tuple[float, float] | None = None,
) -> Estimate:
    """Mean of replicates with SE and a t confidence interval (n − 1 degrees of freedom).

    ``bounds`` clips the interval to the range the quantity can take (e.g. 0–100 %).
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    mean = float(np.mean(x))
    if x.size < 2:
        return Estimate(name, mean, unit, label=label, note=note or "single value")
    sd = float(np.std(x, ddof=1))
    se = sd / math.sqrt(x.size)
    half = float(stats.t.ppf(0.5 + ci_level / 2.0, x.size - 1)) * se
    text = f"mean of n = {x.size}, SD = {sd:.4g}; t interval"
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, max(bounds[1], mean))
        text += f" clipped to {bounds[0]:g}–{bounds[1]:g}"
    return Estimate(
        name,
        mean,
        unit,
        se,
        (low, high),
        ci_level,
        label,
        f"{note}; {text}" if note else text,
    )


def water_viscosity_mpa_s(temperature_c: float) -> float:
    """Viscosity of water (mPa·s) by the Vogel equation.

    .. math:: \\eta = 0.02414 \\cdot 10^{247.8/(T - 140)} \\ \\mathrm{mPa\\,s}, \\ T \\text{ in K}

    Coefficients: the empirical fit of Al-Shemmeri, *Engineering Fluid Mechanics* (2012); see
    ``VOGEL_WATER_A_MPA_S``. 0.8905 mPa·s at 25 °C (IAPWS 2008: 0.8900; Zetasizer software uses
    0.8872).

    Parameters
    ----------
    temperature_c
        Temperature (°C).
    """
    kelvin = temperature_c + 273.15
    return float(VOGEL_WATER_A_MPA_S * 10.0 ** (VOGEL_WATER_B_K / (kelvin - VOGEL_WATER_C_K)))


def water_relative_permittivity(temperature_c: float) -> float:
    """Relative permittivity of water (Malmberg & Maryott 1956, doi:10.6028/jres.056.001).

    .. math:: \\varepsilon_r = 87.740 - 0.40008\\,t + 9.398\\times10^{-4} t^2
              - 1.410\\times10^{-6} t^3

    78.30 at 25 °C.

    Parameters
    ----------
    temperature_c
        Temperature t (°C).
    """
    t = temperature_c
    return 87.740 - 0.40008 * t + 9.398e-4 * t**2 - 1.410e-6 * t**3
