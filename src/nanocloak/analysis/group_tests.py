"""Single-day group comparisons of tumor volume and multiplicity correction of p-values.

``single_day_tests`` compares each treated group with the control on every shared day (Welch t on
log volume, Mann–Whitney U on volume), as TumGrowth does (Enot et al., OncoImmunology 2018,
doi:10.1080/2162402X.2018.1462431); ``adjust_pvalues`` applies the Holm, Benjamini–Hochberg or
Bonferroni correction with statsmodels' ``multipletests``. Survival comparisons reuse it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from nanocloak.errors import SpecificationError

Correction = Literal["holm", "bh", "bonferroni", "none"]

CORRECTION_METHOD = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}
CORRECTION_TEXT = {
    "holm": "Holm step-down",
    "bh": "Benjamini–Hochberg FDR",
    "bonferroni": "Bonferroni",
    "none": "no",
}


def adjust_pvalues(p_values: Sequence[float], correction: Correction) -> NDArray[np.float64]:
    """P-values adjusted for multiplicity with statsmodels' ``multipletests`` (NaN kept)."""
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype=float)
    if correction == "none":
        return p.copy()
    if correction not in CORRECTION_METHOD:
        raise SpecificationError(
            "correction", correction, "one of 'holm', 'bh', 'bonferroni', 'none'"
        )
    out = np.full_like(p, math.nan)
    finite = np.isfinite(p)
    if finite.any():
        out[finite] = multipletests(p[finite], method=CORRECTION_METHOD[correction])[1]
    return out


@dataclass(frozen=True)
class DayTests:
    """Per-day comparisons of each treated group with the control."""

    rows: list[dict[str, Any]]
    formulas: tuple[str, ...]


def single_day_tests(
    frame: pd.DataFrame, control: str, treated: Sequence[str], correction: Correction
) -> DayTests:
    """Welch t on log V and Mann–Whitney U on V per day and treated group, corrected.

    Each test family (all days × groups) is adjusted separately with ``correction``.
    """
    from scipy import stats

    rows: list[dict[str, Any]] = []
    ctrl = frame[frame["group"] == control]
    for group in treated:
        part = frame[frame["group"] == group]
        for day in sorted(set(part["day"]) & set(ctrl["day"])):
            t = part[part["day"] == day]
            c = ctrl[ctrl["day"] == day]
            if len(t) < 2 or len(c) < 2:
                continue
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                welch = stats.ttest_ind(t["log_volume"], c["log_volume"], equal_var=False)
                mw = stats.mannwhitneyu(t["volume_mm3"], c["volume_mm3"], alternative="two-sided")
            rows.append(
                {
                    "group": group,
                    "day": float(day),
                    "n_treated": len(t),
                    "n_control": len(c),
                    "ratio_geomean": float(np.exp(t["log_volume"].mean() - c["log_volume"].mean())),
                    "welch_t": float(welch.statistic),
                    "welch_p": float(welch.pvalue),
                    "mann_whitney_u": float(mw.statistic),
                    "mann_whitney_p": float(mw.pvalue),
                }
            )
    welch_adj = adjust_pvalues([r["welch_p"] for r in rows], correction)
    mw_adj = adjust_pvalues([r["mann_whitney_p"] for r in rows], correction)
    for row, pw, pm in zip(rows, welch_adj, mw_adj, strict=True):
        row["welch_p_adj"] = float(pw)
        row["mann_whitney_p_adj"] = float(pm)
    text = (
        "Single-day tests, each treated group vs control on every shared day: Welch t-test "
        "on log V (scipy ttest_ind, equal_var=False) and two-sided Mann–Whitney U on V; "
        f"{CORRECTION_TEXT[correction]} correction within each test family "
        f"({len(rows)} comparisons)."
    )
    return DayTests(rows, (text,))


__all__ = [
    "CORRECTION_TEXT",
    "Correction",
    "DayTests",
    "adjust_pvalues",
    "single_day_tests",
]
