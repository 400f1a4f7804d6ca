r"""Reference diameter of the extravasation mechanism, from the particle sizes of the G1 datasets.

Run ``python examples/calibration/pbpk/extravasation_size.py`` from the repository root; it prints
the value, range and checks recorded for ``extravasation.reference_diameter`` in
``src/nanocloak/knowledge/data/pbpk_membrane.yaml`` (``status: derived``).
``tests/reference/test_pk_extravasation_reference_diameter.py`` recomputes them from the CSV.

What the reference diameter is
    The membrane layer scales the base model's tumor permeability PA_C by
    :math:`f_{size}(d) = H(d/d_{pore}) / H(d_{ref}/d_{pore})` (Renkin hindrance H,
    ``kernels/pk/membrane.py``), so :math:`d_{ref}` is the size the calibrated PA_C stands for.
    That PA_C was fitted to the *medians* of DE24 and DE168 over the 378 G1 datasets
    (``fit_base_model.py`` step 2). Were size the only difference between datasets, DE would
    fall monotonically with PA_C and PA_C with d (H decreases monotonically), and a median is
    carried through monotone maps: the median-DE dataset is the median-size dataset. Hence
    :math:`d_{ref}` = the median hydrodynamic diameter of the datasets, whatever the pore
    diameter.

Value and range (``shipped``)
    value: median HD over the 342 datasets that report one (36 do not).
    low/high: the widest of (i) the 95 % bootstrap interval of that median (2,000 resamples of the
    datasets, seed 20200301, as in ``fit_base_model.py``), (ii) the geometric mean HD, and (iii)
    the median HD of the datasets whose DE24 lies between the 40th and 60th percentiles (the
    datasets the calibrated DE24 describes directly). (ii) and (iii) are alternative readings of
    "the size the median stands for"; they are lower because the HD distribution is skewed and
    smaller particles are not the best delivered.

Pore diameter (``fit_pore_diameter``, shipped as ``extravasation.pore_diameter``)
    The G1 per-dataset PA_C values come from the same model structure the base model uses, so
    their dependence on size measures the very factor :math:`f_{size}` applies. The script fits
    :math:`\ln PA_{C,i} = \beta_0 + \ln H(d_i/d_{pore}) + \varepsilon_i` by least squares over
    the 342 datasets (intercept profiled out, one-dimensional search in
    :math:`\ln d_{pore}`) and gives the 95 % profile-likelihood interval
    (:math:`n \ln(SSE/SSE_{min}) \le \chi^2_{1,0.95}`). It repeats the fit with material type,
    shape, targeting, tumour model and cancer type as dummy-coded covariates. A cross-study
    regression is confounded; adjusting for the covariates removes the size effect altogether
    (its profile is flat up to the search bound), so the **unadjusted** fit, the steeper of the
    two size penalties the data allow, is the value shipped. Shipped range: low = the smaller
    lower interval end of the two fits, high = the search bound (1 mm, where H is 1 within
    0.2 % for every dataset): neither interval closes above, i.e. the data cannot exclude "no
    size effect". The script also prints the log-log slope of PA_C on d and the pore whose
    Renkin slope matches it (a second reading of the same data).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, stats

from nanocloak.kernels.pk.membrane import renkin_hindrance

HERE = Path(__file__).resolve().parent
SIZE_CSV = HERE / "cheng2020_g1_particle_size.csv"
DE_CSV = HERE / "cheng2020_g1_tumor_de.csv"

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20200301
CI_LEVEL = 0.95
#: DE24 percentile band whose datasets "are" the median dataset (check iii).
DE24_BAND = (40.0, 60.0)
COVARIATES = ("material_type", "shape", "targeting", "tumor_model", "cancer_type")


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class SizeTable:
    """The datasets that report a hydrodynamic diameter."""

    dataset_id: np.ndarray
    diameter_nm: np.ndarray
    patc: np.ndarray
    de24_percent: np.ndarray
    covariates: dict[str, list[str]]
    n_total: int


def read_sizes() -> SizeTable:
    """Read ``cheng2020_g1_particle_size.csv`` joined by dataset id with the DE24 column."""
    rows = _rows(SIZE_CSV)
    de24 = {r["dataset_id"]: float(r["de24_percent"]) for r in _rows(DE_CSV)}
    kept = [r for r in rows if r["hydrodynamic_diameter_nm"]]
    return SizeTable(
        dataset_id=np.array([int(r["dataset_id"]) for r in kept]),
        diameter_nm=np.array([float(r["hydrodynamic_diameter_nm"]) for r in kept]),
        patc=np.array([float(r["tumor_permeability_patc"]) for r in kept]),
        de24_percent=np.array([de24[r["dataset_id"]] for r in kept]),
        covariates={c: [r[c] for r in kept] for c in COVARIATES},
        n_total=len(rows),
    )


@dataclass(frozen=True)
class ReferenceDiameter:
    """Median hydrodynamic diameter of the G1 datasets and the alternative readings (nm)."""

    n: int
    n_total: int
    median_nm: float
    bootstrap_ci_nm: tuple[float, float]
    geometric_mean_nm: float
    de24_band_median_nm: float

    def shipped(self) -> tuple[float, float, float]:
        """(value, low, high) recorded in ``pbpk_membrane.yaml``, nm."""
        spread = (*self.bootstrap_ci_nm, self.geometric_mean_nm, self.de24_band_median_nm)
        return self.median_nm, min(spread), max(spread)


def reference_diameter(table: SizeTable) -> ReferenceDiameter:
    """Median HD with its bootstrap interval, geometric mean and DE24-band median."""
    d = table.diameter_nm
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.integers(0, len(d), size=(BOOTSTRAP_RESAMPLES, len(d)))
    medians = np.median(d[draws], axis=1)
    tail = 100.0 * (1.0 - CI_LEVEL) / 2.0
    low, high = np.percentile(medians, [tail, 100.0 - tail])
    band = np.percentile(table.de24_percent, DE24_BAND)
    inside = (table.de24_percent >= band[0]) & (table.de24_percent <= band[1])
    return ReferenceDiameter(
        n=len(d),
        n_total=table.n_total,
        median_nm=float(np.median(d)),
        bootstrap_ci_nm=(float(low), float(high)),
        geometric_mean_nm=float(np.exp(np.mean(np.log(d)))),
        de24_band_median_nm=float(np.median(d[inside])),
    )


@dataclass(frozen=True)
class Slope:
    """Least-squares slope of ln PA_C on ln d with its 95 % interval."""

    value: float
    low: float
    high: float


def size_slope(table: SizeTable, adjust: tuple[str, ...] = ()) -> Slope:
    """Slope of ln PA_C on ln HD across datasets, optionally with dummy-coded covariates."""
    x = np.log(table.diameter_nm)
    columns = [np.ones_like(x), x]
    for name in adjust:
        labels = table.covariates[name]
        for level in sorted(set(labels))[1:]:
            columns.append(np.array([1.0 if v == level else 0.0 for v in labels]))
    design = np.column_stack(columns)
    y = np.log(table.patc)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    dof = len(y) - np.linalg.matrix_rank(design)
    sigma2 = float(np.sum((y - design @ coef) ** 2)) / dof
    se = math.sqrt(sigma2 * np.linalg.pinv(design.T @ design)[1, 1])
    t = float(stats.t.ppf(0.5 + CI_LEVEL / 2.0, dof))
    return Slope(float(coef[1]), float(coef[1] - t * se), float(coef[1] + t * se))


#: Upper end of the pore search, nm: wider pores are "no size effect" for these particles.
PORE_SEARCH_MAX_NM = 1.0e6
#: chi-square quantile (1 degree of freedom) of the 95 % profile-likelihood interval.
CHI2_1_95 = float(stats.chi2.ppf(CI_LEVEL, 1))


@dataclass(frozen=True)
class PoreFit:
    """Renkin pore diameter fitted to ln PA_C over the datasets (nm) with its 95 % interval.

    ``high_nm`` is ``None`` when the profile does not close below the search bound, and
    ``at_bound`` says the best fit itself is the bound (no size effect).
    """

    value_nm: float
    low_nm: float
    high_nm: float | None
    at_bound: bool
    adjusted_for: tuple[str, ...]


def _design(table: SizeTable, adjust: tuple[str, ...]) -> np.ndarray:
    """Intercept plus dummy columns (first level dropped) of the named covariates."""
    columns = [np.ones(len(table.diameter_nm))]
    for name in adjust:
        labels = table.covariates[name]
        for level in sorted(set(labels))[1:]:
            columns.append(np.array([1.0 if v == level else 0.0 for v in labels]))
    return np.column_stack(columns)


def _pore_sse(table: SizeTable, design: np.ndarray, pore_nm: float) -> float:
    """Residual sum of squares of ln PA_C - ln H(d / pore) after the covariates' least squares."""
    hindrance = np.array([renkin_hindrance(v / pore_nm) for v in table.diameter_nm])
    residual = np.log(table.patc) - np.log(hindrance)
    coef, *_ = np.linalg.lstsq(design, residual, rcond=None)
    return float(np.sum((residual - design @ coef) ** 2))


def fit_pore_diameter(table: SizeTable, adjust: tuple[str, ...] = ()) -> PoreFit:
    """Least-squares Renkin pore diameter with its 95 % profile-likelihood interval (nm)."""
    design = _design(table, adjust)
    n = len(table.diameter_nm)
    lower = math.log(float(np.max(table.diameter_nm)) * 1.001)  # every dataset fits the pore
    upper = math.log(PORE_SEARCH_MAX_NM)

    def sse(log_pore: float) -> float:
        return _pore_sse(table, design, math.exp(log_pore))

    best = optimize.minimize_scalar(sse, bounds=(lower, upper), method="bounded")
    grid = np.linspace(lower, upper, 200)
    start = min((float(best.x), *grid), key=sse)  # guard against a local minimum
    sse_min = sse(start)

    def excess(log_pore: float) -> float:
        return n * math.log(sse(log_pore) / sse_min) - CHI2_1_95

    low = optimize.brentq(excess, lower, start) if excess(lower) > 0.0 else lower
    high = optimize.brentq(excess, start, upper) if excess(upper) > 0.0 else None
    at_bound = upper - start < 1e-3
    return PoreFit(
        value_nm=math.exp(start),
        low_nm=math.exp(low),
        high_nm=None if high is None else math.exp(high),
        at_bound=at_bound,
        adjusted_for=adjust,
    )


def shipped_pore(unadjusted: PoreFit, adjusted: PoreFit) -> tuple[float, float, float]:
    """(value, low, high) of ``extravasation.pore_diameter``, nm: the unadjusted fit, the
    smaller lower interval end, and the upper interval end or the search bound."""
    highs = [
        f.high_nm if f.high_nm is not None else PORE_SEARCH_MAX_NM for f in (unadjusted, adjusted)
    ]
    return unadjusted.value_nm, min(unadjusted.low_nm, adjusted.low_nm), max(highs)


def renkin_slope(diameter_nm: np.ndarray, pore_diameter_nm: float) -> float:
    """Slope of ln H(d / d_pore) on ln d over the given sizes (those narrower than the pore)."""
    d = diameter_nm[diameter_nm < pore_diameter_nm]
    h = np.array([renkin_hindrance(v / pore_diameter_nm) for v in d])
    return float(np.polyfit(np.log(d), np.log(h), 1)[0])


def implied_pore_nm(diameter_nm: np.ndarray, slope: float) -> float:
    """Pore diameter (nm) whose Renkin slope over these sizes equals ``slope`` (< 0)."""
    lower = float(np.max(diameter_nm)) * 1.001  # every dataset fits the pore
    return float(
        optimize.brentq(lambda p: renkin_slope(diameter_nm, p) - slope, lower, 1e6, xtol=1e-6)
    )


def main() -> None:
    """Print the shipped reference and pore diameters and the slope check."""
    table = read_sizes()
    ref = reference_diameter(table)
    value, low, high = ref.shipped()
    print(f"datasets with HD: {ref.n} of {ref.n_total}")
    print(f"extravasation.reference_diameter = {value:g} nm (low {low:.4g}, high {high:.4g})")
    lo, hi = ref.bootstrap_ci_nm
    print(f"  bootstrap 95 % CI of the median: {lo:.4g}-{hi:.4g} nm")
    print(f"  geometric mean: {ref.geometric_mean_nm:.4g} nm")
    print(
        f"  median HD of datasets with DE24 in percentiles {DE24_BAND}: "
        f"{ref.de24_band_median_nm:.4g} nm"
    )
    fits = [fit_pore_diameter(table, adjust) for adjust in ((), COVARIATES)]
    for fit in fits:
        label = "adjusted for " + ", ".join(fit.adjusted_for) if fit.adjusted_for else "unadjusted"
        best = (
            f">= {PORE_SEARCH_MAX_NM:g} (no size effect)" if fit.at_bound else f"{fit.value_nm:.0f}"
        )
        high = "open" if fit.high_nm is None else f"{fit.high_nm:.0f}"
        print(
            f"Renkin pore fitted to ln PA_C, {label}: {best} nm (95 % CI {fit.low_nm:.0f}-{high})"
        )
    value, low, high = shipped_pore(*fits)
    print(f"extravasation.pore_diameter = {value:.0f} nm (low {low:.0f}, high {high:g})")
    for adjust in ((), COVARIATES):
        s = size_slope(table, adjust)
        label = "adjusted for " + ", ".join(adjust) if adjust else "unadjusted"
        print(f"slope of ln PA_C on ln HD, {label}: {s.value:.3f} ({s.low:.3f} to {s.high:.3f})")
        for name, v in (("point", s.value), ("steep end", s.low)):
            if v < 0.0:
                pore = implied_pore_nm(table.diameter_nm, v)
                print(f"  Renkin pore with that slope ({name}): {pore:.0f} nm")
    for pore in (200.0, 600.0, 1200.0):
        print(f"Renkin slope for a {pore:g}-nm pore: {renkin_slope(table.diameter_nm, pore):.3f}")


if __name__ == "__main__":
    main()
