"""Western-blot densitometry: background-subtracted band ratios, normalised to a reference.

.. math:: \\text{ratio} = \\frac{T - T_{bg}}{L - L_{bg}}, \\qquad
          \\text{relative} = \\frac{\\overline{\\text{ratio}}_{\\text{sample}}}
                                  {\\overline{\\text{ratio}}_{\\text{reference}}}

(Taylor et al., Mol. Biotechnol. 2013, 55, 217: check the linear range; total-protein
normalisation is preferred to a single housekeeping protein.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from nanocloak.analysis.characterization._common import (
    LABEL_NAMES,
    PROPAGATION_NOTE,
    find_exact,
    replicate_ufloat,
    require,
    ufloat_estimate,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

TARGET_NAMES = ("target", "band", "target band", "signal", "intensity", "integrated density")
LOADING_NAMES = ("loading", "loading control", "control band", "housekeeping", "total protein")
TARGET_BG_NAMES = ("target background", "target bg", "background", "bg")
LOADING_BG_NAMES = ("loading background", "loading bg", "control background")


def band_ratios(
    labels: list[str],
    target: NDArray[np.float64],
    loading: NDArray[np.float64] | None = None,
    *,
    target_background: NDArray[np.float64] | None = None,
    loading_background: NDArray[np.float64] | None = None,
    reference: str | None = None,
    title: str = "Western blot densitometry",
) -> AnalysisResult:
    """Relative band intensity of each sample against a reference sample.

    Parameters
    ----------
    labels
        Sample label of each lane (replicate lanes share a label).
    target
        Integrated density of the target band per lane (any unit, e.g. a.u.).
    loading
        Integrated density of the loading control per lane; None to skip that normalisation.
    target_background, loading_background
        Local background of each band (same unit), subtracted first; None for none.
    reference
        The label everything is relative to (default: the first label).
    title
        Title of the result.
    """
    n = len(labels)
    target_net = target - (0.0 if target_background is None else target_background)
    ratio = target_net.copy()
    if loading is not None:
        loading_net = loading - (0.0 if loading_background is None else loading_background)
        if np.any(loading_net <= 0):
            raise DataFormatError(
                f"{title}: a loading-control band is not above its background; "
                "the lane cannot be normalised"
            )
        ratio = target_net / loading_net
    if target.shape != (n,):
        raise DataFormatError(f"{title}: one target value per lane is needed")
    order = list(dict.fromkeys(labels))
    ref = reference or order[0]
    if ref not in order:
        raise SpecificationError("reference", ref, f"one of the samples {order}")
    lanes = {label: ratio[[lab == label for lab in labels]] for label in order}
    means = {label: replicate_ufloat(v) for label, v in lanes.items()}
    counts = {label: v.size for label, v in lanes.items()}
    if means[ref].nominal_value <= 0:
        raise DataFormatError(f"{title}: the reference '{ref}' has no net target signal")
    warnings: list[str] = []
    if np.any(target_net <= 0):
        warnings.append("some target bands are not above background (net ≤ 0)")
    estimates: list[Estimate] = []
    rows: list[dict[str, Any]] = []
    for label in order:
        relative = means[label] / means[ref]
        ok = counts[label] > 1 and counts[ref] > 1
        estimates.append(
            ufloat_estimate(f"relative[{label}]", relative, "", f"relative to {ref}, {label}", ok)
        )
        rows.append(
            {
                "sample": label,
                "lanes": counts[label],
                "mean ratio": float(means[label].nominal_value),
                "CV (%)": _cv(lanes[label]),
                "relative": float(relative.nominal_value),
            }
        )
        if counts[label] > 1 and _cv(lanes[label]) > 30.0:
            warnings.append(f"{label}: lanes differ by CV {_cv(lanes[label]):.0f} % (> 30 %)")
    if min(counts.values()) < 2:
        warnings.append("samples with a single lane carry no uncertainty; run ≥ 3 lanes or blots")
    formulas = (
        "Net band = integrated density − local background"
        + (" (given per band)" if target_background is not None else " (none given)")
        + ".",
        "Lane ratio = net target / net loading control"
        if loading is not None
        else "No loading control: lane ratio = net target.",
        f"Relative = mean lane ratio (sample) / mean lane ratio ('{ref}').",
        f"Uncertainty: {PROPAGATION_NOTE}. Densitometry is valid only in the linear range of "
        "the detection (check with a dilution series).",
    )
    x = np.arange(len(order), dtype=float)
    panel = Panel(
        (
            Series(
                x,
                np.array([e.value for e in estimates]),
                f"relative to {ref}",
                "bar",
                np.array([e.stderr or 0.0 for e in estimates]),
            ),
        ),
        " | ".join(f"{i}: {s}" for i, s in enumerate(order)),
        "relative band intensity",
        title,
    )
    return AnalysisResult(
        kind="western_blot",
        title=title,
        estimates=tuple(estimates),
        formulas=formulas,
        warnings=tuple(warnings),
        panels=(panel,),
        tables={"samples": rows},
        provenance={"reference": ref, "loading_control": loading is not None},
    )


def _cv(values: NDArray[np.float64]) -> float:
    if values.size < 2 or np.mean(values) == 0:
        return float("nan")
    return float(100.0 * np.std(values, ddof=1) / abs(np.mean(values)))


def analyze_western_table(
    table: LabTable, *, reference: str | None = None, title: str | None = None
) -> AnalysisResult:
    """Band ratios from a table with ``sample``, ``target`` and optionally ``loading`` columns.

    Optional background columns: ``target background`` (or ``background``) and
    ``loading background``. Use ``--group-by protein`` for several targets in one file.

    Parameters
    ----------
    table
        One row per lane.
    reference
        The reference sample label (default: the first).
    title
        Title (default: the table's source).
    """
    label_col = require(table, LABEL_NAMES, "the sample label (e.g. 'sample')")
    labels = [str(v) for v in table.frame[label_col]]
    target = table.column([require(table, TARGET_NAMES, "the target band")], None)
    loading_col = find_exact(table, LOADING_NAMES)
    target_bg_col = find_exact(table, TARGET_BG_NAMES)
    loading_bg_col = find_exact(table, LOADING_BG_NAMES)
    return band_ratios(
        labels,
        target,
        None if loading_col is None else table.column([loading_col], None),
        target_background=None if target_bg_col is None else table.column([target_bg_col], None),
        loading_background=None if loading_bg_col is None else table.column([loading_bg_col], None),
        reference=reference,
        title=title or table.source,
    )
