"""What an NCA result shows besides its numbers: the formulas used and the two panels.

:func:`nca_formulas` states every rule the analysis applied (trapezoids, λz selection, AUC∞,
CL and V, C0, BLQ handling) with the options chosen; :func:`nca_panels` draws the terminal
phase on a log axis with the λz points and fit, and the profile on a linear axis.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from nanocloak.analysis.nca_auc import AucMethod
from nanocloak.analysis.nca_parameters import Route
from nanocloak.analysis.terminal_slope import LambdaZFit
from nanocloak.kernels.arrays import FloatArray
from nanocloak.plotting.series import Panel, Series


def nca_formulas(
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


def nca_panels(
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
