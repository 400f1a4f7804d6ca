"""Non-compartmental pharmacokinetic analysis (NCA) following PKNCA's and Phoenix's rules.

One concentration–time profile after a single dose at time 0 gives Cmax, Tmax, Clast, Tlast,
the terminal slope λz chosen by the best adjusted R², AUC and AUMC to the last quantifiable
concentration and to infinity (observed and predicted Clast), % extrapolated, MRT and — with a
dose — CL, Vz and (IV bolus) Vss, C0 by log back-extrapolation. The rules are those of PKNCA
(Denney, Duvvuri & Buckeridge, J Pharmacokinet Pharmacodyn 2015;42:11–107,
doi:10.1007/s10928-015-9432-2), which equal Phoenix WinNonlin's "best fit" λz.

Reading tables and BLQ rules live in :mod:`nanocloak.analysis.nca_data`, the trapezoid rules
in :mod:`nanocloak.analysis.nca_auc` and the λz selection in
:mod:`nanocloak.analysis.terminal_slope`; the derived parameters are built in
:mod:`nanocloak.analysis.nca_parameters` and the formulas and panels in
:mod:`nanocloak.analysis.nca_report`; this module runs the analysis and makes the result.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pint
from numpy.typing import ArrayLike

from nanocloak.analysis.assumed_units import with_assumed_units
from nanocloak.analysis.nca_auc import AucMethod, auc_segment, integrate, segment_methods
from nanocloak.analysis.nca_data import (
    DEFAULT_DOSE_UNIT,
    DOSE_NAMES,
    TIME_NAMES,
    BlqRule,
    assumed_units,
    clean_blq,
    read_concentrations,
)
from nanocloak.analysis.nca_parameters import (
    Route,
    auc_to_end_estimates,
    dose_estimates,
    infinity_estimates,
    quality_warnings,
    ratio_unit,
    terminal_estimates,
)
from nanocloak.analysis.nca_report import nca_formulas, nca_panels
from nanocloak.analysis.terminal_slope import best_lambda_z
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.results.analysis import AnalysisResult, Estimate

__all__ = ["Route", "c0_logslope", "nca", "nca_table", "ratio_unit"]


def c0_logslope(time: FloatArray, conc: FloatArray) -> float | None:
    """C0 by back-extrapolating the line through the first two positive-time samples.

    Defined only when they decline and are both > 0 (PKNCA ``logslope``):
    C0 = exp(ln C1 − (ln C2 − ln C1)/(t2 − t1) · t1).
    """
    after = np.flatnonzero(time > 0)
    if after.size < 2:
        return None
    (t1, t2), (c1, c2) = time[after[:2]], conc[after[:2]]
    if not (c2 < c1 and c2 > 0):
        return None
    return float(math.exp(math.log(c1) - (math.log(c2) - math.log(c1)) / (t2 - t1) * t1))


def nca(
    time: ArrayLike,
    conc: ArrayLike,
    dose: float | None = None,
    *,
    route: Route = "extravascular",
    auc_method: AucMethod = "lin-up/log-down",
    blq: ArrayLike | None = None,
    loq: float | None = None,
    blq_rules: tuple[BlqRule, BlqRule, BlqRule] = ("keep", "drop", "keep"),
    min_points: int = 3,
    adj_r2_factor: float = 1e-4,
    allow_tmax_in_half_life: bool = False,
    auc_end: float | None = None,
    time_unit: str = "h",
    conc_unit: str = "mg/L",
    dose_unit: str = "mg",
    title: str = "NCA",
    provenance: dict[str, Any] | None = None,
) -> AnalysisResult:
    """Non-compartmental analysis of one single-dose profile (dose at time 0).

    Parameters
    ----------
    time
        Sampling times after the dose, in ``time_unit``.
    conc
        Concentrations, in ``conc_unit``; NaN = missing (dropped).
    dose
        Dose, in ``dose_unit`` (e.g. mg or mg/kg); without it CL and V are not reported.
    route
        ``"extravascular"`` (CL/F, Vz/F; C(0) = 0 assumed if not sampled) or ``"iv-bolus"``
        (C0 by log back-extrapolation, Vss = CL·MRT).
    auc_method
        ``"lin-up/log-down"`` (PKNCA default) or ``"linear"`` trapezoids.
    blq, loq
        Flags of below-LOQ samples and/or the LOQ, in ``conc_unit``: C < LOQ is BLQ.
    blq_rules
        What to do with BLQ samples before the first, between, and after the last
        quantifiable concentration: ``"keep"`` (as 0) or ``"drop"``.
    min_points, adj_r2_factor, allow_tmax_in_half_life
        λz selection rules (PKNCA ``min.hl.points``, ``adj.r.squared.factor``,
        ``allow.tmax.in.half.life``).
    auc_end
        Also report AUClast over [0, ``auc_end``] (in ``time_unit``), interpolating at the end
        as PKNCA does for an interval such as 0–24 h.
    time_unit, conc_unit, dose_unit
        Unit labels of the inputs; results carry the derived units.
    """
    t = np.asarray(time, dtype=float)
    c = np.asarray(conc, dtype=float)
    if t.shape != c.shape or t.ndim != 1:
        raise DataFormatError(f"{title}: time and concentration must be 1-D and equally long")
    flags = np.zeros(t.size, dtype=bool) if blq is None else np.asarray(blq, dtype=bool)
    if loq is not None:
        flags = flags | (np.isfinite(c) & (c < loq))
    if not np.isfinite(t).all():
        raise DataFormatError(f"{title}: sampling times must all be numbers")
    order = np.argsort(t, kind="stable")
    t, c, flags = t[order], c[order], flags[order]
    if np.any(np.diff(t) == 0):
        raise DataFormatError(f"{title}: repeated sampling time(s) {t[:-1][np.diff(t) == 0]}")
    if np.any(c[np.isfinite(c)] < 0):
        raise DataFormatError(f"{title}: negative concentrations; BLQ values belong as 0 or BLQ")
    warnings: list[str] = []
    if (t < 0).any():
        warnings.append(f"{int((t < 0).sum())} pre-dose sample(s) (t < 0) ignored")
        keep = t >= 0
        t, c, flags = t[keep], c[keep], flags[keep]
    t, c, notes = clean_blq(t, c, flags, blq_rules)
    warnings += notes
    positive = np.flatnonzero(c > 0)
    if positive.size == 0:
        raise DataFormatError(f"{title}: no quantifiable concentration to analyse")

    cmax = float(c.max())
    tmax = float(t[int(np.argmax(c))])  # first occurrence, PKNCA first.tmax = TRUE
    tlast, clast = float(t[positive[-1]]), float(c[positive[-1]])
    fit = best_lambda_z(t, c, tmax, tlast, min_points, adj_r2_factor, allow_tmax_in_half_life)

    # Integration grid: the time-0 value per route (Phoenix convention for extravascular).
    ti, ci = t.copy(), c.copy()
    c0: float | None = None
    c0_note = ""
    if route == "iv-bolus":
        observed = c[t == 0]
        if observed.size and observed[0] > 0:
            c0, c0_note = float(observed[0]), "observed at t = 0"
        else:
            c0 = c0_logslope(t, c)
            c0_note = "log back-extrapolation of the first two samples"
            if c0 is None:
                after = c[t > 0]
                c0, c0_note = float(after[0]), "first sample (C1): the first two do not decline"
                warnings.append("C0 set to the first concentration: the first two samples rise")
        ti, ci = np.concatenate([[0.0], t[t > 0]]), np.concatenate([[c0], c[t > 0]])
    elif not (t == 0).any():
        ti, ci = np.concatenate([[0.0], t]), np.concatenate([[0.0], c])
        warnings.append("no sample at the dose time: C(0) = 0 assumed (extravascular)")
    last_index = int(np.flatnonzero(ti == tlast)[0])
    auclast, aumclast = integrate(ti[: last_index + 1], ci[: last_index + 1], auc_method)
    aucall = auclast
    if last_index + 1 < ti.size:  # AUCall: linear to the first BLQ sample after Tlast
        aucall += (ti[last_index + 1] - tlast) * clast / 2.0

    u_auc = f"{conc_unit}·{time_unit}"
    u_aumc = f"{conc_unit}·{time_unit}²"
    est: list[Estimate] = [
        Estimate("cmax", cmax, conc_unit, label="Cmax"),
        Estimate("tmax", tmax, time_unit, label="Tmax", note="first occurrence of Cmax"),
        Estimate("clast", clast, conc_unit, label="Clast"),
        Estimate("tlast", tlast, time_unit, label="Tlast"),
    ]
    if c0 is not None:
        est.append(Estimate("c0", c0, conc_unit, label="C0", note=c0_note))
    est += [
        Estimate("auclast", auclast, u_auc, label="AUClast", note=auc_method),
        Estimate("aucall", aucall, u_auc, label="AUCall", note="to the first BLQ after Tlast"),
        Estimate("aumclast", aumclast, u_aumc, label="AUMClast", note=auc_method),
        Estimate("mrt_last", aumclast / auclast, time_unit, label="MRTlast"),
    ]
    if auc_end is not None:
        lam = None if fit is None else fit.lambda_z
        est += auc_to_end_estimates(ti, ci, tlast, auc_end, auc_method, u_auc, time_unit, lam)
    tables: dict[str, list[dict[str, Any]]] = {}
    if fit is None:
        warnings.append(
            f"no terminal phase: fewer than {min_points} positive concentrations after Tmax, "
            "or no candidate with λz > 0; AUC∞, MRT, CL, Vz and Vss are not reported"
        )
    else:
        est += terminal_estimates(fit, time_unit, conc_unit)
        est += infinity_estimates(fit, clast, tlast, auclast, aumclast, u_auc, u_aumc, time_unit)
        if dose is not None:
            est += dose_estimates(dose, fit, est, route, dose_unit, conc_unit, time_unit)
        warnings += quality_warnings(fit, est)
    if route == "iv-bolus" and ti.size > 1:
        rule = segment_methods(ci[:2], auc_method)[0]
        share = auc_segment(0.0, ti[1], ci[0], ci[1], rule)[0]
        whole, which = (
            (auclast, "AUClast")
            if fit is None
            else (next(e.value for e in est if e.name == "aucinf_obs"), "AUC∞,obs")
        )
        est.append(
            Estimate(
                "auc_back_extrap_pct",
                100.0 * share / whole,
                "%",
                label="% AUC back-extrapolated (0–t1)",
                note=f"of {which}",
            )
        )
    if fit is not None:
        tables["terminal-phase candidates"] = [dict(row) for row in fit.candidates]
    if cmax == clast and tmax == tlast:
        warnings.append("Cmax is the last quantifiable sample: the profile had not peaked")
    tables["samples used"] = [
        {"time": float(a), "conc": float(b), "lambda_z": bool(fit is not None and fit.mask[i])}
        for i, (a, b) in enumerate(zip(t, c, strict=True))
    ]
    return AnalysisResult(
        kind="nca",
        title=title,
        estimates=tuple(est),
        formulas=nca_formulas(auc_method, route, blq_rules, min_points, adj_r2_factor),
        warnings=tuple(warnings),
        panels=nca_panels(t, c, fit, tlast, time_unit, conc_unit, title),
        tables=tables,
        provenance={
            "route": route,
            "auc_method": auc_method,
            "blq_rules": list(blq_rules),
            "loq": loq,
            "min_points": min_points,
            "adj_r2_factor": adj_r2_factor,
            "allow_tmax_in_half_life": allow_tmax_in_half_life,
            "dose": dose,
            "dose_unit": dose_unit,
            **(provenance or {}),
        },
    )


def nca_table(
    table: LabTable,
    *,
    dose: pint.Quantity[Any] | None = None,
    time_unit: str = "h",
    conc_unit: str | None = None,
    loq: pint.Quantity[Any] | None = None,
    auc_end: pint.Quantity[Any] | None = None,
    title: str | None = None,
    **options: Any,
) -> AnalysisResult:
    """NCA of a ``LabTable`` (columns time, conc and optionally dose and BLQ flags).

    ``dose`` overrides a dose column (first value, unit from its header). ``options`` pass to
    :func:`nca` (route, auc_method, blq_rules, min_points, adj_r2_factor, …).
    """
    t = table.column(TIME_NAMES, time_unit, what="time after dose")
    c, blq, c_unit = read_concentrations(table, conc_unit)
    dose_value: float | None = None
    dose_unit = DEFAULT_DOSE_UNIT
    if dose is not None:
        dose_value, dose_unit = float(dose.magnitude), f"{dose.units:~P}"
    else:
        column = table.find(DOSE_NAMES)
        if column is not None:
            doses = pd.to_numeric(table.frame[column], errors="coerce").dropna().unique()
            if doses.size > 1:
                raise DataFormatError(
                    f"{table.source}: several doses {list(doses)} in one profile; "
                    "group the file by subject with --group-by"
                )
            if doses.size == 1:
                dose_value = float(doses[0])
                dose_unit = table.units.get(column) or DEFAULT_DOSE_UNIT
    loq_value = None if loq is None else float(loq.to(c_unit).magnitude)
    end = None if auc_end is None else float(auc_end.to(time_unit).magnitude)
    result = nca(
        t,
        c,
        dose_value,
        blq=blq,
        loq=loq_value,
        auc_end=end,
        time_unit=time_unit,
        conc_unit=c_unit,
        dose_unit=dose_unit,
        title=title or table.source,
        provenance={"source": table.source},
        **options,
    )
    return with_assumed_units(result, assumed_units(table, conc_unit, dose is not None))
