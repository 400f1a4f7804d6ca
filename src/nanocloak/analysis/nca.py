"""Non-compartmental pharmacokinetic analysis (NCA) following PKNCA's and Phoenix's rules.

One concentration–time profile after a single dose at time 0 gives Cmax, Tmax, Clast, Tlast,
the terminal slope λz chosen by the best adjusted R², AUC and AUMC to the last quantifiable
concentration and to infinity (observed and predicted Clast), % extrapolated, MRT and — with a
dose — CL, Vz and (IV bolus) Vss, C0 by log back-extrapolation. The rules are those of PKNCA
(Denney, Duvvuri & Buckeridge, J Pharmacokinet Pharmacodyn 2015;42:11–107,
doi:10.1007/s10928-015-9432-2), which equal Phoenix WinNonlin's "best fit" λz.

Reading tables and BLQ rules live in :mod:`nanocloak.analysis.nca_data`, the trapezoid rules
in :mod:`nanocloak.analysis.nca_auc` and the λz selection in
:mod:`nanocloak.analysis.terminal_slope`; this module derives the parameters and the result.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import pint
from numpy.typing import ArrayLike

from nanocloak.analysis.assumed_units import with_assumed_units
from nanocloak.analysis.nca_auc import (
    AucMethod,
    auc_segment,
    integrate,
    interpolate,
    segment_methods,
)
from nanocloak.analysis.nca_data import (
    DEFAULT_DOSE_UNIT,
    DOSE_NAMES,
    TIME_NAMES,
    BlqRule,
    assumed_units,
    clean_blq,
    read_concentrations,
)
from nanocloak.analysis.terminal_slope import LambdaZFit, best_lambda_z
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate
from nanocloak.units import Quantity

Route = Literal["extravascular", "iv-bolus"]


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


def ratio_unit(dose_unit: str, conc_unit: str, time_unit: str, per_time: bool) -> tuple[str, float]:
    """Unit and scale factor for Dose/AUC (``per_time``, a clearance) or Dose/C (a volume).

    Returns ``(unit, factor)``: a raw ratio computed in the input units times ``factor`` is in
    ``unit``. The unit depends only on the units, never on the numbers, so it is the same for
    every profile of a batch: volumes in L and clearances in L per ``time_unit`` (L/h with the
    default time unit), per kg (or per m²) when the dose is per kg body weight (or per m² body
    surface). Falls back to the literal ratio with factor 1 when the units do not make a volume.
    """
    try:
        q = Quantity(1.0, dose_unit) / Quantity(1.0, conc_unit)
        if per_time:
            q = q / Quantity(1.0, time_unit)
        base = f"L/{time_unit}" if per_time else "L"
        for dim in ("", "/kg", "/m**2"):
            candidate = base + dim
            if q.dimensionality == Quantity(1.0, candidate).dimensionality:
                return candidate.replace("**2", "²"), float(q.to(candidate).magnitude)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError):
        pass
    if per_time:
        return f"({dose_unit})/({conc_unit}·{time_unit})", 1.0
    return f"({dose_unit})/({conc_unit})", 1.0


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
        est += _auc_to_end(ti, ci, tlast, auc_end, auc_method, u_auc, time_unit, lam)
    tables: dict[str, list[dict[str, Any]]] = {}
    if fit is None:
        warnings.append(
            f"no terminal phase: fewer than {min_points} positive concentrations after Tmax, "
            "or no candidate with λz > 0; AUC∞, MRT, CL, Vz and Vss are not reported"
        )
    else:
        est += _terminal_estimates(fit, time_unit, conc_unit)
        est += _infinity_estimates(fit, clast, tlast, auclast, aumclast, u_auc, u_aumc, time_unit)
        if dose is not None:
            est += _dose_estimates(dose, fit, est, route, dose_unit, conc_unit, time_unit)
        warnings += _quality_warnings(fit, est)
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
        formulas=_formulas(auc_method, route, blq_rules, min_points, adj_r2_factor),
        warnings=tuple(warnings),
        panels=_panels(t, c, fit, tlast, time_unit, conc_unit, title),
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


def _auc_to_end(
    t: FloatArray,
    c: FloatArray,
    tlast: float,
    end: float,
    method: AucMethod,
    unit: str,
    time_unit: str,
    lambda_z: float | None,
) -> list[Estimate]:
    """AUClast and interpolated AUC over the interval [0, ``end``] (PKNCA auclast, aucint)."""
    if end <= 0:
        raise SpecificationError("auc_end", end, "a time after the dose (> 0)")
    span = f"0–{end:g} {time_unit}"
    inside = np.flatnonzero((t <= end) & (c > 0))
    if inside.size == 0:
        raise SpecificationError(
            "auc_end",
            f"{end:g} {time_unit}",
            f"a time at or after the first quantifiable sample ({t[c > 0].min():g} {time_unit})"
            if np.any(c > 0)
            else "a profile with a quantifiable concentration",
        )
    last = int(inside[-1])
    auclast = integrate(t[: last + 1], c[: last + 1], method)[0]
    out = [
        Estimate(
            "auclast_end",
            auclast,
            unit,
            label=f"AUClast({span})",
            note=f"to the last quantifiable sample ≤ {end:g} {time_unit} (t = {t[last]:g})",
        )
    ]
    if end <= tlast:
        c_end = interpolate(t, c, end, method)
        keep = t < end
        value = integrate(np.append(t[keep], end), np.append(c[keep], c_end), method)[0]
        note = f"C({end:g}) = {c_end:.6g} interpolated ({method})"
    elif lambda_z is not None:
        i = int(np.flatnonzero(t == tlast)[0])
        clast = float(c[i])
        value = integrate(t[: i + 1], c[: i + 1], method)[0]
        value += clast / lambda_z * (1.0 - math.exp(-lambda_z * (end - tlast)))
        note = "extrapolated beyond Tlast with Clast·exp(−λz(t − Tlast))"
    else:
        return out
    out.append(Estimate("aucint_end", value, unit, label=f"AUCint({span})", note=note))
    return out


def _terminal_estimates(fit: LambdaZFit, time_unit: str, conc_unit: str) -> list[Estimate]:
    return [
        Estimate(
            "lambda_z",
            fit.lambda_z,
            f"1/{time_unit}",
            stderr=fit.lambda_z_se,
            label="λz",
            note=f"OLS of ln C on t over {fit.n_points} points",
        ),
        Estimate("half_life", fit.half_life, time_unit, label="t½ (terminal)"),
        Estimate("r_squared", fit.r_squared, "", label="R² (λz)"),
        Estimate("adj_r_squared", fit.adj_r_squared, "", label="adjusted R² (λz)"),
        Estimate("lambda_z_n_points", float(fit.n_points), "", label="λz points"),
        Estimate("lambda_z_time_first", fit.time_first, time_unit, label="λz first time"),
        Estimate("lambda_z_time_last", fit.time_last, time_unit, label="λz last time"),
        Estimate("span_ratio", fit.span_ratio, "", label="span ratio"),
        Estimate("clast_pred", fit.clast_pred, conc_unit, label="Clast,pred"),
    ]


def _infinity_estimates(
    fit: LambdaZFit,
    clast: float,
    tlast: float,
    auclast: float,
    aumclast: float,
    u_auc: str,
    u_aumc: str,
    time_unit: str,
) -> list[Estimate]:
    out: list[Estimate] = []
    lam = fit.lambda_z
    for kind, cl in (("obs", clast), ("pred", fit.clast_pred)):
        auc = auclast + cl / lam
        aumc = aumclast + cl * tlast / lam + cl / lam**2
        out += [
            Estimate(f"aucinf_{kind}", auc, u_auc, label=f"AUC∞,{kind}"),
            Estimate(
                f"aucpext_{kind}",
                100.0 * (auc - auclast) / auc,
                "%",
                label=f"% AUC extrapolated ({kind})",
            ),
            Estimate(f"aumcinf_{kind}", aumc, u_aumc, label=f"AUMC∞,{kind}"),
            Estimate(f"mrt_{kind}", aumc / auc, time_unit, label=f"MRT ({kind})"),
        ]
    return out


def _dose_estimates(
    dose: float,
    fit: LambdaZFit,
    est: list[Estimate],
    route: Route,
    dose_unit: str,
    conc_unit: str,
    time_unit: str,
) -> list[Estimate]:
    suffix = "" if route == "iv-bolus" else "/F"
    u_cl, f_cl = ratio_unit(dose_unit, conc_unit, time_unit, per_time=True)
    u_v, f_v = ratio_unit(dose_unit, conc_unit, time_unit, per_time=False)
    values = {e.name: e.value for e in est}
    out: list[Estimate] = []
    for kind in ("obs", "pred"):
        cl = dose / values[f"aucinf_{kind}"]
        out += [
            Estimate(f"cl_{kind}", cl * f_cl, u_cl, label=f"CL{suffix} ({kind})"),
            Estimate(f"vz_{kind}", cl / fit.lambda_z * f_v, u_v, label=f"Vz{suffix} ({kind})"),
        ]
        if route == "iv-bolus":
            vss = cl * values[f"mrt_{kind}"] * f_v
            out.append(Estimate(f"vss_{kind}", vss, u_v, label=f"Vss ({kind})"))
    return out


def _quality_warnings(fit: LambdaZFit, est: list[Estimate]) -> list[str]:
    out = []
    pext = next(e.value for e in est if e.name == "aucpext_obs")
    if pext > 20.0:
        out.append(f"AUC∞ is {pext:.1f} % extrapolated (> 20 %): report AUClast instead")
    if fit.span_ratio < 2.0:
        out.append(
            f"λz span ratio {fit.span_ratio:.2f} < 2: the terminal phase spans "
            "fewer than two half-lives"
        )
    if fit.r_squared < 0.9:
        out.append(f"λz R² {fit.r_squared:.3f} < 0.9: poor terminal log-linear fit")
    return out


def _formulas(
    method: AucMethod, route: Route, rules: Sequence[str], min_points: int, factor: float
) -> tuple[str, ...]:
    return (
        f"AUC by {method} trapezoids: linear Δt·(C1+C2)/2; log Δt·(C2−C1)/ln(C2/C1) on "
        "intervals where C2 < C1 and C2 > 0 (lin-up/log-down only)",
        "AUMC: linear Δt·(C1t1+C2t2)/2; log Δt·(C2t2−C1t1)/ln(C2/C1) − Δt²·(C2−C1)/ln(C2/C1)²",
        f"λz: OLS of ln C on t over the last k ≥ {min_points} positive samples after Tmax "
        f"(Tmax excluded); keep λz > 0 and adjR² > max(adjR²) − {factor:g}, then most points; "
        "adjR² = 1 − (1−R²)(n−1)/(n−2) (PKNCA / Phoenix best fit)",
        "t½ = ln2/λz; span ratio = (t_last − t_first)/t½; Clast,pred = exp(a − λz·Tlast)",
        "AUC∞ = AUClast + Clast/λz (obs: observed Clast; pred: Clast,pred); "
        "%extrap = 100·(AUC∞ − AUClast)/AUC∞",
        "AUMC∞ = AUMClast + Clast·Tlast/λz + Clast/λz²; MRT = AUMC∞/AUC∞",
        "CL = Dose/AUC∞; Vz = CL/λz"
        + ("; Vss = CL·MRT" if route == "iv-bolus" else " (extravascular: CL/F and Vz/F)"),
        "C0 (IV bolus): observed at t = 0 if > 0, else exp(ln C1 − (ln C2 − ln C1)/(t2−t1)·t1) "
        "when C2 < C1, else C1; extravascular C(0) = 0 when not sampled"
        if route == "iv-bolus"
        else "extravascular: C(0) = 0 when not sampled",
        f"BLQ samples: before first quantifiable → {rules[0]}, between → {rules[1]}, after "
        f"last → {rules[2]} ('keep' = as 0; PKNCA default keep/drop/keep); missing → dropped",
        "Tmax = first time of Cmax; Tlast/Clast = last quantifiable sample",
    )


def _panels(
    t: FloatArray,
    c: FloatArray,
    fit: LambdaZFit | None,
    tlast: float,
    time_unit: str,
    conc_unit: str,
    title: str,
) -> tuple[Panel, ...]:
    title = os.path.basename(title)  # panel titles: the file name, not its path
    pos = c > 0
    series = [Series(t[pos], c[pos], "observed", "points")]
    if fit is not None:
        series.append(Series(t[fit.mask], c[fit.mask], f"λz points (n = {fit.n_points})", "points"))
        grid = np.linspace(fit.time_first, tlast, 50)
        series.append(
            Series(
                grid,
                np.exp(fit.intercept - fit.lambda_z * grid),
                f"λz = {fit.lambda_z:.4g} /{time_unit}",
                "dashed",
            )
        )
    terminal = Panel(
        tuple(series),
        f"time ({time_unit})",
        f"concentration ({conc_unit})",
        f"{title}: terminal phase",
        yscale="log",
    )
    linear = Panel(
        (Series(t, c, "observed", "line"),),
        f"time ({time_unit})",
        f"concentration ({conc_unit})",
        title,
    )
    return terminal, linear


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
