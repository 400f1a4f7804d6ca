"""FRET membrane fusion (lipid mixing) with a DiI donor / DiD acceptor pair.

A membrane labelled with both dyes is fused with unlabelled membrane; dilution separates the
dyes, FRET falls and the donor recovers (Struck, Hoekstra & Pagano, Biochemistry 1981, 20, 4093).

.. math:: \\%\\,\\text{lipid mixing} = 100\\,\\frac{F_D - F_{D,0}}{F_{D,\\max} - F_{D,0}},
          \\qquad E = 1 - \\frac{F_{DA}}{F_D}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nanocloak.analysis.characterization._common import (
    PROPAGATION_NOTE,
    by_label,
    find_exact,
    replicate_ufloat,
    require,
    ufloat_estimate,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

DONOR_NAMES = ("donor", "DiI", "F_D", "FD", "donor fluorescence", "donor intensity", "I_D")
ACCEPTOR_NAMES = ("acceptor", "DiD", "F_A", "FA", "acceptor fluorescence", "I_A")


def fret_fusion(
    donor: dict[str, Any],
    *,
    baseline: str,
    maximum: str,
    acceptor: dict[str, Any] | None = None,
    donor_only: str | None = None,
    title: str = "FRET membrane fusion",
) -> AnalysisResult:
    """% lipid mixing, FRET ratio and FRET efficiency per sample.

    Parameters
    ----------
    donor
        Sample label → replicate donor intensities F_D at donor excitation (any unit, the same
        for all samples).
    baseline
        The label of the dual-labelled membrane before fusion (F_D,0).
    maximum
        The label of the fully diluted reference, e.g. after 0.1–1 % Triton X-100 (F_D,max).
    acceptor
        Sample label → acceptor intensities at donor excitation, for R = I_A/(I_A + I_D).
    donor_only
        The label of a donor-only sample (F_D without acceptor), for E = 1 − F_DA/F_D.
    title
        Title of the result.
    """
    for role, label in (("baseline", baseline), ("maximum", maximum), ("donor_only", donor_only)):
        if label is not None and label not in donor:
            raise SpecificationError(role, label, f"one of the samples {list(donor)}")
    means = {label: replicate_ufloat(values) for label, values in donor.items()}
    replicated = {label: np.size(values) > 1 for label, values in donor.items()}
    f0, fmax = means[baseline], means[maximum]
    span = fmax - f0
    if span.nominal_value <= 0:
        raise DataFormatError(
            f"{title}: F_D,max ({fmax.nominal_value:.4g}) is not above F_D,0 "
            f"({f0.nominal_value:.4g}); check which sample is the detergent reference"
        )
    estimates: list[Estimate] = []
    warnings: list[str] = []
    rows: list[dict[str, Any]] = []
    samples = [s for s in donor if s not in (baseline, maximum, donor_only)]
    if not samples:
        raise DataFormatError(f"{title}: no sample besides the baseline and maximum references")
    for label in samples:
        mixing = 100.0 * (means[label] - f0) / span
        ok = replicated[label] and replicated[baseline] and replicated[maximum]
        estimates.append(
            ufloat_estimate(f"lipid_mixing[{label}]", mixing, "%", f"% lipid mixing, {label}", ok)
        )
        rows.append({"sample": label, "lipid mixing (%)": float(mixing.nominal_value)})
        if not -5.0 <= mixing.nominal_value <= 105.0:
            warnings.append(
                f"{label}: % lipid mixing = {mixing.nominal_value:.1f} lies outside 0–100; "
                "check the references (F_D,0, F_D,max) and inner-filter effects"
            )
    if donor_only is not None:
        fd = means[donor_only]
        for label in [*samples, baseline]:
            efficiency = 1.0 - means[label] / fd
            ok = replicated[label] and replicated[donor_only]
            estimates.append(
                ufloat_estimate(f"fret_efficiency[{label}]", efficiency, "", f"E, {label}", ok)
            )
    if acceptor is not None:
        for label in [baseline, *samples, maximum]:
            if label not in acceptor:
                continue
            ia = replicate_ufloat(acceptor[label])
            ratio = ia / (ia + means[label])
            ok = replicated[label] and np.size(acceptor[label]) > 1
            estimates.append(
                ufloat_estimate(
                    f"fret_ratio[{label}]", ratio, "", f"FRET ratio I_A/(I_A+I_D), {label}", ok
                )
            )
    formulas = [
        f"% lipid mixing = 100·(F_D − F_D,0)/(F_D,max − F_D,0), F_D,0 = '{baseline}' "
        f"(dual-labelled, before fusion), F_D,max = '{maximum}' (complete dilution, detergent).",
        f"Uncertainty: {PROPAGATION_NOTE}; F_D,0 appears in numerator and denominator and its "
        "correlation is kept.",
    ]
    if donor_only is not None:
        formulas.append(
            f"FRET efficiency E = 1 − F_DA/F_D with F_D = donor-only sample '{donor_only}'."
        )
    if acceptor is not None:
        formulas.append("FRET ratio R = I_A/(I_A + I_D), both at donor excitation.")
    x = np.arange(len(samples), dtype=float)
    values = np.array([float(r["lipid mixing (%)"]) for r in rows])
    errors = np.array([e.stderr or 0.0 for e in estimates[: len(samples)]])
    panel = Panel(
        (Series(x, values, "% lipid mixing", "bar", errors),),
        " | ".join(f"{i}: {s}" for i, s in enumerate(samples)),
        "lipid mixing (%)",
        title,
    )
    return AnalysisResult(
        kind="fret_fusion",
        title=title,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warnings),
        panels=(panel,),
        tables={"samples": rows},
        provenance={"baseline": baseline, "maximum": maximum, "donor_only": donor_only},
    )


def analyze_fret_table(
    table: LabTable,
    *,
    baseline: str,
    maximum: str,
    donor_only: str | None = None,
    title: str | None = None,
) -> AnalysisResult:
    """FRET fusion from a long table: ``sample``, ``donor`` and optionally ``acceptor``.

    Parameters
    ----------
    table
        One row per replicate reading.
    baseline, maximum, donor_only
        Sample labels of the references (see ``fret_fusion``).
    title
        Title (default: the table's source).
    """
    donor = by_label(table, require(table, DONOR_NAMES, "the donor (DiI) intensity"))
    acceptor_col = find_exact(table, ACCEPTOR_NAMES)
    acceptor = None if acceptor_col is None else by_label(table, acceptor_col)
    return fret_fusion(
        dict(donor),
        baseline=baseline,
        maximum=maximum,
        acceptor=None if acceptor is None else dict(acceptor),
        donor_only=donor_only,
        title=title or table.source,
    )
