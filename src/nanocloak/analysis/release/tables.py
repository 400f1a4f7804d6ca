"""Read release, dissolution-comparison and loading tables into analyses.

Column names are matched loosely (case and punctuation ignored, prefixes allowed) and units
are read from the headers or a units row and converted: time to h (release) or min
(comparison), release to %, masses to mg, concentrations to mg/mL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from nanocloak.analysis.assumed_units import AssumedUnit, assumed_unit, with_assumed_units
from nanocloak.analysis.release.analyze import RankBy, analyze_release
from nanocloak.analysis.release.compare import Rule, compare_profiles
from nanocloak.analysis.release.fit import DDSOLVER_LIBRARY, CIMethod, ModelSpec, Weighting
from nanocloak.analysis.release.loading import analyze_loading, cumulative_release_pct
from nanocloak.analysis.release.metrics import Geometry
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.results.analysis import AnalysisResult

TIME = ["time", "t", "sampling time"]
RELEASE = [
    "cumulative release",
    "released",
    "release",
    "dissolved",
    "drug released",
    "cumulative",
]
CONCENTRATION = ["concentration", "conc"]
REPLICATE = ["replicate", "unit", "vessel", "rep"]
PRODUCT = ["product", "formulation", "batch"]


def release_series(
    table: LabTable,
    sample_volume_ml: float | None = None,
    medium_volume_ml: float | None = None,
    dose_mg: float | None = None,
    replaced: bool = True,
) -> tuple[FloatArray, FloatArray, list[str]]:
    """Times (h) and cumulative release (%) from a table, with notes on how they were read.

    A release column in % is used as is. Otherwise a concentration column (mg/mL) is turned
    into cumulative % with the sampling-volume correction, per replicate when a replicate
    column is present (rows in sampling order within each replicate).
    """
    t = table.column(TIME, "hour", what="time")
    notes: list[str] = []
    if table.find(RELEASE) is not None:
        f = table.column(RELEASE, "percent", default_unit="percent", what="cumulative release")
        return t, f, notes
    if table.find(CONCENTRATION) is None:
        raise DataFormatError(
            f"{table.source}: no release column (e.g. 'Released (%)') and no concentration "
            f"column (e.g. 'Concentration (ug/mL)'); columns are: {', '.join(table.columns)}"
        )
    if sample_volume_ml is None or medium_volume_ml is None or dose_mg is None:
        raise DataFormatError(
            f"{table.source}: concentrations need --sample-volume, --medium-volume and "
            "--loaded-dose to become cumulative release (%)"
        )
    c = table.column(CONCENTRATION, "mg/mL", what="concentration")
    reps = table.labels(REPLICATE) or ["all"] * len(c)
    f = np.empty_like(c)
    for rep in dict.fromkeys(reps):
        idx = np.array([i for i, r in enumerate(reps) if r == rep])
        order = idx[np.argsort(t[idx], kind="stable")]
        f[order] = cumulative_release_pct(
            c[order], sample_volume_ml, medium_volume_ml, dose_mg, replaced
        )
    notes.append(
        f"cumulative release from concentrations: V_s = {sample_volume_ml:g} mL, "
        f"V_0 = {medium_volume_ml:g} mL, dose = {dose_mg:g} mg, sample "
        f"{'replaced' if replaced else 'not replaced'}; F_n = 100·(V·C_n + V_s·Σ_(i<n) C_i)/dose"
    )
    return t, f, notes


def release_from_table(
    table: LabTable,
    models: Sequence[ModelSpec | str] = DDSOLVER_LIBRARY,
    weighting: Weighting = "none",
    rank_by: RankBy = "AICc",
    geometry: Geometry = "sphere",
    kp_max_pct: float = 60.0,
    ci_method: CIMethod = "wald",
    sample_volume_ml: float | None = None,
    medium_volume_ml: float | None = None,
    dose_mg: float | None = None,
    replaced: bool = True,
    title: str | None = None,
) -> AnalysisResult:
    """``analyze_release`` on a table of time and release (or concentration) columns."""
    t, f, notes = release_series(table, sample_volume_ml, medium_volume_ml, dose_mg, replaced)
    result = analyze_release(
        t,
        f,
        models,
        weighting,
        rank_by,
        geometry,
        kp_max_pct,
        ci_method=ci_method,
        title=title or table.source,
        provenance={"source": table.source},
    )
    if notes:
        result = replace(result, formulas=(*notes, *result.formulas))
    return with_assumed_units(result, _assumed_percent(table, "cumulative release"))


def _assumed_percent(table: LabTable, what: str) -> list[AssumedUnit]:
    """A release column without a unit is read in % (the convention of release tables)."""
    assumed = assumed_unit(table, RELEASE, "percent", what)
    return [] if assumed is None else [assumed]


def compare_from_table(
    table: LabTable,
    reference: str | None = None,
    rule: Rule = "EMA",
    n_resamples: int = 5000,
    level: float = 0.90,
    seed: int = 306,
    label: str | None = None,
) -> list[AnalysisResult]:
    """Compare every product in a long table with the reference product.

    The table has a product column, a unit (vessel) column, time (with unit) and dissolved (%).
    The reference is ``reference``, else a product named 'reference' or 'ref', else the first.
    """
    products = table.labels(PRODUCT)
    units = table.labels(REPLICATE)
    if products is None or units is None:
        raise DataFormatError(
            f"{table.source}: a comparison needs a product column (product/formulation/batch) "
            f"and a unit column (unit/vessel/replicate); columns are: {', '.join(table.columns)}"
        )
    t = table.column(TIME, "minute", what="time")
    f = table.column(RELEASE, "percent", default_unit="percent", what="dissolved")
    names = list(dict.fromkeys(products))
    if reference is None:
        reference = next((p for p in names if p.lower() in ("reference", "ref")), names[0])
    if reference not in names:
        raise DataFormatError(f"{table.source}: no product {reference!r}; products: {names}")
    times = np.unique(t)
    matrices: dict[str, FloatArray] = {}
    for product in names:
        rows = [i for i, p in enumerate(products) if p == product]
        unit_names = list(dict.fromkeys(units[i] for i in rows))
        matrix = np.full((len(unit_names), times.size), np.nan)
        for i in rows:
            matrix[unit_names.index(units[i]), np.searchsorted(times, t[i])] = f[i]
        if np.isnan(matrix).any():
            raise DataFormatError(
                f"{table.source}: product {product!r} lacks some unit × time values; every "
                "unit needs a value at every time"
            )
        matrices[product] = matrix
    results = []
    for product in names:
        if product == reference:
            continue
        results.append(
            compare_profiles(
                times,
                matrices[reference],
                matrices[product],
                rule,
                n_resamples,
                level,
                seed,
                reference_name=reference,
                test_name=product,
                title=f"{label or table.source}: {product} vs {reference}",
                provenance={"source": table.source},
            )
        )
    assumed = _assumed_percent(table, "dissolved")
    results = [with_assumed_units(r, assumed) for r in results]
    if not results:
        raise DataFormatError(f"{table.source}: only the reference product {reference!r} found")
    return results


LOADING_COLUMNS = {
    "fed": ["fed", "drug fed", "feed", "added"],
    "total": ["total", "total drug"],
    "free": ["free", "free drug", "unencapsulated", "supernatant"],
    "loaded": ["loaded", "encapsulated", "drug loaded", "extracted"],
    "carrier": ["carrier", "core", "nanoparticle", "np"],
    "membrane": ["membrane", "membrane protein", "coat"],
}


def loading_from_table(
    table: LabTable, level: float = 0.95, title: str | None = None
) -> AnalysisResult:
    """``analyze_loading`` on a table with one row per replicate and mass columns (mg)."""
    masses: dict[str, Any] = {}
    for key, names in LOADING_COLUMNS.items():
        if table.find(names) is not None:
            masses[key] = table.column(names, "mg", what=f"{key} mass")
    return analyze_loading(
        masses, level, title=title or table.source, provenance={"source": table.source}
    )
