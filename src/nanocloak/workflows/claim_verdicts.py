"""Verdicts on the review's claims and the result table of ``validate_studies``.

Verdicts
--------
For ``A > B`` or ``A < B`` the claim **agrees** when the model's values are ordered as stated
and, where both groups have an animal-to-animal spread, the difference exceeds two standard
errors :math:`|\\bar a - \\bar b| > 2\\sqrt{s_a^2/n_a + s_b^2/n_b}`; ordered but within that noise
it is **within noise**; otherwise it **disagrees**. ``A ~ B`` agrees when
:math:`1/2 \\le A/B \\le 2`. A claim whose quantity the model does not produce (e.g. a
temperature for a group without laser) has **no prediction**. Only ``agrees`` counts as
reproducing the review; every other verdict is named in the warnings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nanocloak.errors import DataFormatError
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate
from nanocloak.results.study import StudyResult
from nanocloak.workflows.claim_measurement import Measurement, measure
from nanocloak.workflows.claims_table import ROLES, Claim

NOISE_SE = 2.0
"""A stated difference must exceed this many standard errors of the difference."""
TWO_FOLD = 2.0
VERDICTS = ("agrees", "within noise", "disagrees", "no prediction")
FORMULAS = (
    "endpoint: mean over the group's animals (SD over animals); median_survival_day: "
    "Kaplan-Meier median (inf when survival stays above 1/2)",
    "series at a time: linear interpolation of the group curve, or the mean over animals of "
    "each animal's interpolated curve",
    "'A > B' / 'A < B' agrees when the model orders A and B as stated and |A - B| > "
    f"{NOISE_SE:g} SE, SE = sqrt(sA^2/nA + sB^2/nB) (only where both have a spread over "
    "animals); ordered but not beyond the noise: 'within noise'",
    "'A ~ B' agrees when 1/2 <= A/B <= 2",
    "ratio = A/B, difference = A - B, in the quantity's unit",
    "nothing is tuned: a claim that does not agree is reported and names a missing or "
    "mis-sized mechanism",
)


def verdict(relation: str, a: Measurement, b: Measurement) -> tuple[str, float]:
    """The verdict of ``a relation b`` and the standard error of the difference (NaN if none).

    See the module docstring for the rule; ``inf`` values (median survival not reached) are
    ordered as numbers.
    """
    se = math.nan
    if a.n > 1 and b.n > 1 and math.isfinite(a.sd) and math.isfinite(b.sd):
        se = math.sqrt(a.sd**2 / a.n + b.sd**2 / b.n)
    if math.isnan(a.value) or math.isnan(b.value):
        return "no prediction", se
    if relation == "~":
        ratio = a.value / b.value if b.value not in (0.0,) else math.inf
        holds = 1.0 / TWO_FOLD <= ratio <= TWO_FOLD
        return ("agrees" if holds else "disagrees"), se
    holds = a.value > b.value if relation == ">" else a.value < b.value
    if not holds:
        return "disagrees", se
    difference = abs(a.value - b.value)
    if math.isfinite(se) and math.isfinite(difference) and difference <= NOISE_SE * se:
        return "within noise", se
    return "agrees", se


def evaluate_claims(
    claims: Sequence[Claim],
    results: Mapping[str, StudyResult],
    *,
    title: str = "Review comparisons against virtual studies",
    provenance: Mapping[str, Any] | None = None,
) -> AnalysisResult:
    """Compare each claim's two model values; ``results`` maps a claim's study name to its run.

    Returns
    -------
    AnalysisResult
        Estimates: claims agreeing per role (share and count); table ``claims`` (one row per
        claim: the two values, unit, ratio, difference, SE, verdict, the review's statement
        and where it is); warnings naming every claim that does not agree; one panel of the
        predicted log2 ratio, positive when in the review's direction.
    """
    rows: list[dict[str, Any]] = []
    for claim in claims:
        study_a, _, _ = claim.side("a")
        study_b, _, _ = claim.side("b")
        for study in (study_a, study_b):
            if study not in results:
                raise DataFormatError(f"claim {claim.id}: study {study!r} was not run")
        a = measure(results[study_a], claim, "a")
        b = measure(results[study_b], claim, "b")
        outcome, se = verdict(claim.relation, a, b)
        ratio = a.value / b.value if b.value != 0.0 and math.isfinite(b.value) else math.nan
        rows.append(
            {
                "id": claim.id,
                "study": claim.study if not claim.study_b else f"{claim.study} vs {claim.study_b}",
                "quantity": claim.quantity,
                "claim": f"{_label(claim, 'a')} {claim.relation} {_label(claim, 'b')}",
                "relation": claim.relation,
                "value_a": a.value,
                "value_b": b.value,
                "unit": a.unit or b.unit,
                "ratio": ratio,
                "difference": a.value - b.value
                if math.isfinite(a.value) and math.isfinite(b.value)
                else math.nan,
                "se_difference": se,
                "verdict": outcome,
                "statement": claim.statement,
                "location": claim.location,
                "size": claim.size,
                "role": claim.role,
                "source": claim.source,
            }
        )
    estimates: list[Estimate] = []
    for role in ROLES:
        mine = [r for r in rows if r["role"] == role]
        if not mine:
            continue
        agreed = sum(r["verdict"] == "agrees" for r in mine)
        estimates.append(
            Estimate(
                f"claims_agreeing_{role}",
                agreed / len(mine),
                "",
                label=f"{role} claims agreeing ({agreed} of {len(mine)})",
                note="share of claims whose verdict is 'agrees'",
            )
        )
    warnings = [
        f"{r['id']} {r['verdict']}: {r['claim']} ({r['quantity']}): model "
        f"{_fmt(r['value_a'])} vs {_fmt(r['value_b'])} {r['unit']}; review: {r['statement']}"
        for r in rows
        if r["verdict"] != "agrees"
    ]
    return AnalysisResult(
        kind="study_validation",
        title=title,
        estimates=tuple(estimates),
        formulas=FORMULAS,
        warnings=tuple(warnings),
        panels=(_panel(rows),),
        tables={"claims": rows},
        provenance=dict(provenance or {}),
    )


def _label(claim: Claim, which: str) -> str:
    study, group, time = claim.side(which)
    extras = []
    if claim.study_b:
        extras.append(Path(study).stem)
    if claim.time_b:
        extras.append(time)
    return f"{group} ({', '.join(extras)})" if extras else group


def _fmt(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else str(value)


def _panel(rows: Sequence[Mapping[str, Any]]) -> Panel:
    """Predicted log2 ratio per claim, signed so that positive is the review's direction."""
    series: list[Series] = []
    for outcome in VERDICTS:
        x, y = [], []
        for i, row in enumerate(rows):
            ratio = row["ratio"]
            if row["verdict"] != outcome or not (math.isfinite(ratio) and ratio > 0.0):
                continue
            log2 = math.log2(ratio)
            x.append(float(i + 1))
            y.append(-log2 if row["relation"] == "<" else log2)
        if x:
            series.append(Series(np.array(x), np.array(y), f"{outcome} (n = {len(x)})", "bar"))
    return Panel(
        tuple(series),
        "claim (row of the table)",
        "log2 predicted ratio, + = review's direction",
        "Review comparisons: model ratios",
    )
