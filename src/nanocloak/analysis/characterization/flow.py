"""Flow cytometry: median fluorescence (MFI), fold change and % positive, from FCS files.

FCS files are read with FlowIO (``flowio.FlowData``; channel values after its standard
preprocessing: gain and log-amplifier scaling, no compensation). MFI is the **median** of the
channel over the events in the file (export the gated population, e.g. single live cells).

.. math:: FC = \\frac{MFI_s - MFI_u}{MFI_c - MFI_u}

with MFI_u of an unstained sample (0 if none). Uncertainty of event-level medians: bootstrap
over events (percentile interval), which reflects event sampling only — biological variation
needs replicate samples (``mfi_fold_change_replicates``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import flowio
import numpy as np
from numpy.typing import ArrayLike, NDArray
from statsmodels.stats.proportion import proportion_confint

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

MFI_NAMES = ("MFI", "median", "median fluorescence", "median FI", "mfi value")
POSITIVE_NAMES = ("% positive", "percent positive", "positive", "pos", "positive (%)")


def read_fcs_channel(path: str | os.PathLike[str], channel: str) -> NDArray[np.float64]:
    """Event values of one channel, found by its $PnN (e.g. FL1-A) or $PnS (e.g. CD47) name.

    Parameters
    ----------
    path
        The FCS file.
    channel
        Channel short name ($PnN) or marker label ($PnS), case-insensitive.
    """
    file = Path(path)
    if not file.exists():
        raise DataFormatError(f"FCS file {file} does not exist")
    try:
        data = flowio.FlowData(str(file))
    except Exception as exc:  # FlowIO raises several types for malformed files
        raise DataFormatError(f"{file} cannot be read as an FCS file: {exc}") from None
    names = [str(n) for n in data.pnn_labels]
    markers = [str(s) for s in data.pns_labels]
    wanted = channel.strip().lower()
    for i, (pnn, pns) in enumerate(zip(names, markers, strict=True)):
        if wanted in (pnn.lower(), pns.lower()) and wanted:
            events = np.asarray(data.as_array(preprocess=True), dtype=float)
            return np.asarray(events[:, i], dtype=float)
    listing = ", ".join(f"{n} ({m})" if m else n for n, m in zip(names, markers, strict=True))
    raise DataFormatError(f"{file}: no channel {channel!r}; channels are: {listing}")


def _bootstrap_medians(
    x: NDArray[np.float64], n_boot: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    out = np.empty(n_boot)
    for b in range(n_boot):
        out[b] = np.median(x[rng.integers(0, x.size, x.size)])
    return out


def mfi_fold_change(
    sample: ArrayLike,
    control: ArrayLike,
    *,
    unstained: ArrayLike | None = None,
    gate: float | None = None,
    gate_percentile: float = 99.0,
    n_boot: int = 1000,
    seed: int = 0,
    ci_level: float = 0.95,
    title: str = "Flow cytometry MFI",
) -> AnalysisResult:
    """MFI, background-subtracted fold change and % positive from event values.

    Parameters
    ----------
    sample, control
        Channel values of the events of the sample and of the control (fluorescence units).
    unstained
        Events of an unstained (or isotype) sample, for background subtraction and the gate.
    gate
        Threshold for % positive (fluorescence units); None to place it at ``gate_percentile``
        of the unstained events (or of the control when there is no unstained sample).
    gate_percentile
        Percentile of the reference events used as the gate (99 → 1 % of them are positive).
    n_boot
        Bootstrap resamples for the intervals of the medians and the fold change.
    seed
        Seed of the bootstrap.
    ci_level
        Confidence level.
    title
        Title of the result.
    """
    s = _events(sample, "sample")
    c = _events(control, "control")
    u = None if unstained is None else _events(unstained, "unstained")
    if n_boot < 100:
        raise SpecificationError("n_boot", n_boot, "at least 100 resamples")
    rng = np.random.default_rng(seed)
    boot_s = _bootstrap_medians(s, n_boot, rng)
    boot_c = _bootstrap_medians(c, n_boot, rng)
    boot_u = np.zeros(n_boot) if u is None else _bootstrap_medians(u, n_boot, rng)
    mfi_u = 0.0 if u is None else float(np.median(u))
    mfi_s, mfi_c = float(np.median(s)), float(np.median(c))
    warnings: list[str] = []
    if mfi_c - mfi_u <= 0:
        raise DataFormatError(
            f"{title}: the control MFI ({mfi_c:.4g}) is not above the unstained MFI "
            f"({mfi_u:.4g}); the fold change is undefined"
        )
    fold = (mfi_s - mfi_u) / (mfi_c - mfi_u)
    boot_fold = (boot_s - boot_u) / (boot_c - boot_u)
    lo, hi = 50.0 * (1.0 - ci_level), 50.0 * (1.0 + ci_level)
    reference = u if u is not None else c
    threshold = float(np.percentile(reference, gate_percentile)) if gate is None else gate
    positive = int(np.sum(s > threshold))
    p_lo, p_hi = proportion_confint(positive, s.size, alpha=1.0 - ci_level, method="wilson")

    def boot_estimate(name: str, value: float, draws: NDArray[np.float64], label: str) -> Estimate:
        ci = (float(np.percentile(draws, lo)), float(np.percentile(draws, hi)))
        return Estimate(
            name,
            value,
            "",
            float(np.std(draws, ddof=1)),
            ci,
            ci_level,
            label,
            f"bootstrap over events ({n_boot} resamples, percentile interval)",
        )

    estimates = [
        boot_estimate("mfi_sample", mfi_s, boot_s, "MFI (median), sample"),
        boot_estimate("mfi_control", mfi_c, boot_c, "MFI (median), control"),
    ]
    if u is not None:
        estimates.append(boot_estimate("mfi_unstained", mfi_u, boot_u, "MFI (median), unstained"))
    estimates += [
        boot_estimate("fold_change", fold, boot_fold, "MFI fold change"),
        Estimate(
            "percent_positive",
            100.0 * positive / s.size,
            "%",
            None,
            (100.0 * float(p_lo), 100.0 * float(p_hi)),
            ci_level,
            "% positive, sample",
            f"events above {threshold:.4g}; Wilson binomial interval",
        ),
        Estimate(
            "percent_positive_control",
            100.0 * float(np.mean(c > threshold)),
            "%",
            label="% positive, control",
        ),
        Estimate("gate", threshold, "", label="gate"),
        Estimate("events_sample", float(s.size), "", label="events, sample"),
    ]
    for name, events in (("sample", s), ("control", c), ("unstained", u)):
        if events is not None and events.size < 1000:
            warnings.append(f"{name} has only {events.size} events; MFI is imprecise")
    gate_text = (
        f"gate = {gate:g} (given)"
        if gate is not None
        else f"gate = {gate_percentile:g}th percentile of the "
        f"{'unstained' if u is not None else 'control'} events"
    )
    formulas = (
        "MFI = median of the channel over all events in the file (FlowIO preprocessed values; "
        "no compensation, no gating here).",
        "Fold change = (MFI_sample − MFI_unstained)/(MFI_control − MFI_unstained)"
        + ("" if u is not None else " with MFI_unstained = 0 (no unstained file)")
        + ".",
        f"% positive = 100·(events > gate)/events; {gate_text}.",
        f"Intervals: bootstrap over events ({n_boot} resamples, seed {seed}, percentile) for "
        "medians and fold change — event-sampling error only, not biological variation; "
        "Wilson interval for % positive.",
    )
    panel = _histogram_panel({"sample": s, "control": c, "unstained": u}, threshold, title)
    return AnalysisResult(
        kind="flow_mfi",
        title=title,
        estimates=tuple(estimates),
        formulas=formulas,
        warnings=tuple(warnings),
        panels=(panel,),
        provenance={"n_boot": n_boot, "seed": seed, "gate": threshold},
    )


def _events(values: ArrayLike | None, what: str) -> NDArray[np.float64]:
    x: NDArray[np.float64] = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise DataFormatError(f"the {what} has no events")
    return x


def _histogram_panel(
    events: dict[str, NDArray[np.float64] | None], gate: float, title: str
) -> Panel:
    present = {k: v for k, v in events.items() if v is not None}
    everything = np.concatenate(list(present.values()))
    positive = everything[everything > 0]
    low = float(np.percentile(positive, 0.5)) if positive.size else 1.0
    high = float(np.percentile(everything, 99.9))
    edges = np.geomspace(max(low, 1e-3), max(high, low * 10), 80)
    centres = np.sqrt(edges[:-1] * edges[1:])
    series = [
        Series(centres, np.histogram(v, edges)[0] / v.size, k, "step") for k, v in present.items()
    ]
    peak = max(float(np.max(s.y)) for s in series)
    series.append(Series(np.array([gate, gate]), np.array([0.0, peak]), "gate", "dashed"))
    return Panel(tuple(series), "fluorescence", "fraction of events", title, xscale="log")


def analyze_fcs_files(
    sample: str | os.PathLike[str],
    control: str | os.PathLike[str],
    channel: str,
    *,
    unstained: str | os.PathLike[str] | None = None,
    **options: Any,
) -> AnalysisResult:
    """``mfi_fold_change`` on the channel ``channel`` of FCS files.

    Parameters
    ----------
    sample, control, unstained
        FCS files.
    channel
        Channel $PnN or $PnS name.
    options
        Keyword arguments of ``mfi_fold_change``.
    """
    result = mfi_fold_change(
        read_fcs_channel(sample, channel),
        read_fcs_channel(control, channel),
        unstained=None if unstained is None else read_fcs_channel(unstained, channel),
        title=options.pop("title", f"{Path(sample).name} vs {Path(control).name} [{channel}]"),
        **options,
    )
    provenance = {
        **result.provenance,
        "sample": str(sample),
        "control": str(control),
        "unstained": None if unstained is None else str(unstained),
        "channel": channel,
    }
    return AnalysisResult(
        result.kind,
        result.title,
        result.estimates,
        result.formulas,
        result.warnings,
        result.panels,
        result.tables,
        provenance,
    )


def mfi_fold_change_replicates(
    mfi: dict[str, Any],
    *,
    control: str,
    unstained: str | None = None,
    positive: dict[str, Any] | None = None,
    title: str = "MFI fold change",
) -> AnalysisResult:
    """Fold change from replicate MFIs (e.g. exported from FlowJo), with propagated SE.

    Parameters
    ----------
    mfi
        Sample label → replicate MFIs (fluorescence units).
    control
        The control label.
    unstained
        The unstained/isotype label, subtracted from both (None: no subtraction).
    positive
        Sample label → replicate % positive values, averaged with their SE.
    title
        Title of the result.
    """
    for role, label in (("control", control), ("unstained", unstained)):
        if label is not None and label not in mfi:
            raise SpecificationError(role, label, f"one of the samples {list(mfi)}")
    means = {label: replicate_ufloat(v) for label, v in mfi.items()}
    many = {label: np.size(v) > 1 for label, v in mfi.items()}
    background = means[unstained] if unstained is not None else 0.0
    denominator = means[control] - background
    if denominator.nominal_value <= 0:
        raise DataFormatError(f"{title}: the control MFI is not above the unstained MFI")
    estimates: list[Estimate] = []
    for label in mfi:
        if label == unstained:
            continue
        ok = many[label] and many[control] and (unstained is None or many[unstained])
        estimates.append(
            ufloat_estimate(
                f"fold_change[{label}]",
                (means[label] - background) / denominator,
                "",
                f"fold change, {label}",
                ok,
            )
        )
    for label, values in (positive or {}).items():
        estimates.append(
            ufloat_estimate(
                f"percent_positive[{label}]",
                replicate_ufloat(values),
                "%",
                f"% positive, {label}",
                np.size(values) > 1,
            )
        )
    subtraction = f"'{unstained}'" if unstained is not None else "0 (no unstained sample)"
    formulas = (
        f"Fold change = (MFI_s − MFI_u)/(MFI_c − MFI_u), control '{control}', MFI_u = "
        f"{subtraction}; MFIs are medians exported per sample.",
        f"Uncertainty: {PROPAGATION_NOTE} (replicate samples: biological variation).",
    )
    fold_estimates = [e for e in estimates if e.name.startswith("fold_change")]
    panel = Panel(
        (
            Series(
                np.arange(len(fold_estimates), dtype=float),
                np.array([e.value for e in fold_estimates]),
                "fold change",
                "bar",
                np.array([e.stderr or 0.0 for e in fold_estimates]),
            ),
        ),
        " | ".join(
            f"{i}: {e.label.removeprefix('fold change, ')}" for i, e in enumerate(fold_estimates)
        ),
        "MFI fold change",
        title,
    )
    warnings = tuple(
        f"{label}: single replicate, no uncertainty" for label, ok in many.items() if not ok
    )
    return AnalysisResult(
        kind="flow_mfi_replicates",
        title=title,
        estimates=tuple(estimates),
        formulas=formulas,
        warnings=warnings,
        panels=(panel,),
        provenance={"control": control, "unstained": unstained},
    )


def analyze_mfi_table(
    table: LabTable, *, control: str, unstained: str | None = None, title: str | None = None
) -> AnalysisResult:
    """``mfi_fold_change_replicates`` from a table with ``sample`` and ``MFI`` columns.

    Parameters
    ----------
    table
        One row per replicate sample; optional ``% positive`` column.
    control, unstained
        Labels of the control and unstained samples.
    title
        Title (default: the table's source).
    """
    mfi = by_label(table, require(table, MFI_NAMES, "the median fluorescence (MFI)"))
    positive_col = find_exact(table, POSITIVE_NAMES)
    positive = None if positive_col is None else by_label(table, positive_col)
    return mfi_fold_change_replicates(
        dict(mfi),
        control=control,
        unstained=unstained,
        positive=None if positive is None else dict(positive),
        title=title or table.source,
    )
