"""Circulating-tumour-cell (CTC) capture: efficiency, purity, enrichment and WBC depletion.

Spiked-recovery convention (e.g. Liu et al., Lab Chip 2019, doi:10.1039/C8LC01048J):

.. math:: CE = 100\\,\\frac{N_{captured}}{N_{spiked}}, \\quad
          \\text{purity} = 100\\,\\frac{N_{target}}{N_{target} + N_{WBC}}, \\quad
          \\text{enrichment} = \\frac{\\text{purity}_{out}}{\\text{purity}_{in}}
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from statsmodels.stats.proportion import proportion_confint

from nanocloak.analysis.characterization._common import find_exact, mean_estimate, require
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

MIN_SPIKED_CELLS = 100
"""Heuristic threshold (no published source): with fewer spiked cells per run the Poisson
counting error of the spike itself (1/√N, 10 % at 100 cells) makes the capture efficiency coarse."""

SPIKED_NAMES = ("spiked", "n spiked", "cells spiked", "input", "target input", "spiked cells")
CAPTURED_NAMES = ("captured", "n captured", "target captured", "ctc captured", "captured cells")
WBC_NAMES = ("wbc", "wbc captured", "leukocytes", "nontarget", "non-target", "background cells")
WBC_INPUT_NAMES = ("wbc input", "wbc in", "input wbc", "leukocytes input", "wbc spiked")


def ctc_capture(
    spiked: ArrayLike,
    captured: ArrayLike,
    *,
    wbc: ArrayLike | None = None,
    wbc_input: ArrayLike | None = None,
    ci_level: float = 0.95,
    title: str = "CTC capture",
) -> AnalysisResult:
    """Capture efficiency, purity, enrichment and WBC depletion over replicate runs.

    Parameters
    ----------
    spiked
        Target cells spiked per run (cells).
    captured
        Target cells recovered per run (cells).
    wbc
        White blood cells (non-target) recovered per run (cells), for purity.
    wbc_input
        White blood cells in the input per run (cells), for enrichment and depletion.
    ci_level
        Confidence level.
    title
        Title of the result.
    """
    n_spiked = _counts(spiked, "spiked")
    n_captured = _counts(captured, "captured")
    if n_captured.shape != n_spiked.shape:
        raise DataFormatError(f"{title}: one spiked and one captured count per run")
    if np.any(n_spiked <= 0):
        raise DataFormatError(f"{title}: every run needs a positive number of spiked cells")
    warnings: list[str] = []
    if np.any(n_captured > n_spiked):
        warnings.append("captured > spiked in some run: counting error or cells already present")
    runs = n_spiked.size
    efficiency = 100.0 * n_captured / n_spiked
    estimates = [
        _proportion(
            "capture_efficiency", n_captured, n_spiked, efficiency, "capture efficiency", ci_level
        )
    ]
    rows: list[dict[str, Any]] = [
        {"run": i + 1, "spiked": s, "captured": c, "capture efficiency (%)": e}
        for i, (s, c, e) in enumerate(zip(n_spiked, n_captured, efficiency, strict=True))
    ]
    formulas = [
        "Capture efficiency CE = 100·N_captured/N_spiked per run.",
        "Uncertainty: with ≥ 2 runs, mean ± SE of the per-run values and a t interval "
        "(n − 1 df, run-to-run variation); with one run, a Wilson binomial interval.",
    ]
    if wbc is not None:
        n_wbc = _counts(wbc, "WBC")
        total = n_captured + n_wbc
        if np.any(total <= 0):
            raise DataFormatError(f"{title}: a run captured no cells; purity is undefined")
        purity = 100.0 * n_captured / total
        estimates.append(_proportion("purity", n_captured, total, purity, "purity", ci_level))
        formulas.append("Purity = 100·N_target/(N_target + N_WBC) among captured cells.")
        for row, w, p in zip(rows, n_wbc, purity, strict=True):
            row.update({"WBC": w, "purity (%)": p})
        if wbc_input is not None:
            n_wbc_in = _counts(wbc_input, "WBC input")
            purity_in = 100.0 * n_spiked / (n_spiked + n_wbc_in)
            enrichment = purity / purity_in
            estimates.append(mean_estimate("enrichment", enrichment, "", "enrichment", ci_level))
            with np.errstate(divide="ignore"):
                depletion = np.log10(n_wbc_in / n_wbc)
            if np.all(np.isfinite(depletion)):
                estimates.append(
                    mean_estimate("wbc_depletion", depletion, "log10", "WBC depletion", ci_level)
                )
            else:
                warnings.append("no WBC captured in some run: log depletion is unbounded")
            formulas += [
                "Enrichment = purity_out/purity_in, purity_in = N_spiked/(N_spiked + N_WBC,in).",
                "WBC depletion = log10(N_WBC,in/N_WBC,captured).",
            ]
            for row, e in zip(rows, enrichment, strict=True):
                row["enrichment"] = e
    if runs < 3:
        warnings.append(f"{runs} run(s): report ≥ 3 independent spiking experiments")
    if np.any(n_spiked < MIN_SPIKED_CELLS):
        warnings.append(
            f"fewer than {MIN_SPIKED_CELLS} spiked cells in a run: CE is coarse (Poisson "
            "counting; heuristic threshold)"
        )
        formulas.append(
            f"Heuristic threshold (no published source): < {MIN_SPIKED_CELLS} spiked cells per "
            "run, where the Poisson counting error of the spike (1/√N ≥ 10 %) is large, is "
            "flagged."
        )
    x = np.arange(runs, dtype=float) + 1.0
    panel = Panel(
        (Series(x, efficiency, "capture efficiency", "points"),),
        "run",
        "capture efficiency (%)",
        title,
    )
    return AnalysisResult(
        kind="ctc_capture",
        title=title,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warnings),
        panels=(panel,),
        tables={"runs": rows},
        provenance={"runs": runs, "ci_level": ci_level},
    )


def _counts(values: ArrayLike, what: str) -> NDArray[np.float64]:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size == 0 or not np.all(np.isfinite(x)):
        raise DataFormatError(f"{what} counts must be finite numbers, one per run")
    if np.any(x < 0):
        raise DataFormatError(f"{what} counts must be ≥ 0")
    return x


def _proportion(
    name: str,
    successes: NDArray[np.float64],
    trials: NDArray[np.float64],
    per_run: NDArray[np.float64],
    label: str,
    ci_level: float,
) -> Estimate:
    if per_run.size >= 2:
        return mean_estimate(name, per_run, "%", label, ci_level, bounds=(0.0, 100.0))
    k, n = float(successes[0]), float(trials[0])
    low, high = proportion_confint(
        round(min(k, n)), round(n), alpha=1.0 - ci_level, method="wilson"
    )
    se = 100.0 * math.sqrt(max(k / n * (1 - k / n), 0.0) / n)
    return Estimate(
        name,
        float(per_run[0]),
        "%",
        se,
        (100.0 * float(low), 100.0 * float(high)),
        ci_level,
        label,
        "single run: binomial SE √(p(1−p)/n), Wilson interval",
    )


def analyze_ctc_table(table: LabTable, *, title: str | None = None) -> AnalysisResult:
    """CTC capture from a table with one row per run: ``spiked``, ``captured`` (+ ``WBC``).

    Parameters
    ----------
    table
        Columns ``spiked``, ``captured`` and optionally ``WBC`` and ``WBC input``.
    title
        Title (default: the table's source).
    """
    wbc_col = find_exact(table, WBC_NAMES)
    wbc_in_col = find_exact(table, WBC_INPUT_NAMES)
    return ctc_capture(
        table.column([require(table, SPIKED_NAMES, "spiked target cells")], None),
        table.column([require(table, CAPTURED_NAMES, "captured target cells")], None),
        wbc=None if wbc_col is None else table.column([wbc_col], None),
        wbc_input=None if wbc_in_col is None else table.column([wbc_in_col], None),
        title=title or table.source,
    )
