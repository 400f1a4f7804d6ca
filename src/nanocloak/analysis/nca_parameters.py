"""The parameters NCA derives from a profile, its terminal slope and the dose, as ``Estimate``\\ s.

* :func:`auc_to_end_estimates` — AUClast and the interpolated or extrapolated AUC over
  [0, end] (PKNCA ``auclast`` and ``aucint``).
* :func:`terminal_estimates` — λz, t½, the fit's R² and adjusted R², its points and span.
* :func:`infinity_estimates` — AUC∞ = AUClast + Clast/λz, % extrapolated,
  AUMC∞ = AUMClast + Clast·Tlast/λz + Clast/λz², MRT = AUMC∞/AUC∞ (with the observed and the
  predicted Clast).
* :func:`dose_estimates` — CL = Dose/AUC∞, Vz = CL/λz and (IV bolus) Vss = CL·MRT, in the
  units of :func:`ratio_unit`.
* :func:`quality_warnings` — the usual acceptance checks (> 20 % extrapolated, span ratio < 2,
  R² < 0.9).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pint

from nanocloak.analysis.nca_auc import AucMethod, integrate, interpolate
from nanocloak.analysis.terminal_slope import LambdaZFit
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.results.analysis import Estimate
from nanocloak.units import Quantity

#: How the dose was given: CL/F and Vz/F for extravascular, Vss and C0 for an IV bolus.
Route = Literal["extravascular", "iv-bolus"]


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


def auc_to_end_estimates(
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


def terminal_estimates(fit: LambdaZFit, time_unit: str, conc_unit: str) -> list[Estimate]:
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


def infinity_estimates(
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


def dose_estimates(
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


def quality_warnings(fit: LambdaZFit, est: list[Estimate]) -> list[str]:
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
