"""Photothermal conversion efficiency as the slope over several runs (Jiang et al. 2013).

η is the slope of each run's net heat ``hS ΔT_max − Q_dis`` against its extinguished power
``I (1 − 10^(−A))`` (Jiang, Smith, Pinchuk, *J. Phys. Chem. C* 2013, 117, 27073), fitted by
weighted least squares; the runs are results of
:func:`~nanocloak.analysis.photothermal.analyze_photothermal`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import statsmodels.api as sm

from nanocloak.errors import SpecificationError
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate


def photothermal_slope(
    runs: Sequence[AnalysisResult],
    *,
    through_origin: bool = False,
    ci_level: float = 0.95,
    title: str = "photothermal conversion efficiency (multi-power slope)",
) -> AnalysisResult:
    """η as the slope of ``hS ΔT_max − Q_dis`` against ``I (1 − 10^(−A))`` over several runs.

    Jiang, Smith, Pinchuk, *J. Phys. Chem. C* 2013, 117, 27073 using
    several laser powers removes the single-point errors of one run. The fit is weighted least
    squares (statsmodels WLS, weights 1/SE² of each run's net heat when all are known, else
    ordinary least squares); its CI uses the t distribution with n − p degrees of freedom.

    Parameters
    ----------
    runs
        Results of ``analyze_photothermal`` at different laser powers (or absorbances).
    through_origin
        Fit without an intercept (a run at zero power gives zero net heat).
    ci_level
        Level of the confidence interval.
    title
        Copied into the result.
    """
    needed = 2 if through_origin else 3
    if len(runs) < needed:
        raise SpecificationError(
            "runs",
            len(runs),
            f"at least {needed} heating-cooling runs at different laser powers",
            "Give one file or group per laser power.",
        )
    x = np.array([r.value("extinguished_power") for r in runs])
    y = np.array([r.value("net_heat") for r in runs])
    se = np.array([r["net_heat"].stderr or 0.0 for r in runs])
    if np.ptp(x) <= 0:
        raise SpecificationError(
            "runs", [float(v) for v in x], "runs at different extinguished powers I(1 − 10^(−A))"
        )
    design = x[:, None] if through_origin else sm.add_constant(x)
    weights = 1.0 / se**2 if np.all(se > 0) else np.ones_like(x)
    fit = sm.WLS(y, design, weights=weights).fit()
    slope_index = 0 if through_origin else 1
    params, bse = np.asarray(fit.params), np.asarray(fit.bse)
    ci = np.asarray(fit.conf_int(alpha=1 - ci_level))
    estimates = [
        Estimate(
            "eta",
            float(params[slope_index]),
            "",
            float(bse[slope_index]),
            (float(ci[slope_index, 0]), float(ci[slope_index, 1])),
            ci_level,
            "photothermal conversion efficiency η (slope)",
            f"{'WLS' if np.all(se > 0) else 'OLS'} slope over {len(runs)} runs",
        ),
    ]
    warnings: list[str] = []
    if not through_origin:
        estimates.append(
            Estimate(
                "intercept",
                float(params[0]),
                "W",
                float(bse[0]),
                (float(ci[0, 0]), float(ci[0, 1])),
                ci_level,
                "intercept (net heat at zero power)",
            )
        )
        if abs(params[0]) > 2 * bse[0] and abs(params[0]) > 0.02 * float(np.max(np.abs(y))):
            warnings.append(
                f"The intercept ({params[0]:.3g} W) differs from zero by more than 2 SE: a "
                "power-independent heat or a mis-specified Q_dis; check the blank."
            )
    if float(np.max(x)) < 2 * float(np.min(x)):
        warnings.append("The extinguished powers span less than a factor 2; the slope is weak.")
    warnings += [f"run '{r.title}': {w}" for r in runs for w in r.warnings]
    grid = np.linspace(0.0, float(np.max(x)) * 1.05, 50)
    line = params[slope_index] * grid + (0.0 if through_origin else params[0])
    panel = Panel(
        (Series(x, y, "runs", "errorbar", se), Series(grid, line, "fit", "line")),
        "extinguished power I(1 − 10^(−A)) (W)",
        "hS ΔT_max − Q_dis (W)",
        title,
    )
    rows = [
        {
            "run": r.title,
            "I (W)": r.value("laser_power"),
            "A": r.value("absorbance"),
            "I(1−10^−A) (W)": float(xi),
            "hS ΔT_max − Q_dis (W)": float(yi),
            "SE (W)": float(si),
            "η (run)": r.value("eta"),
        }
        for r, xi, yi, si in zip(runs, x, y, se, strict=True)
    ]
    return AnalysisResult(
        kind="photothermal_efficiency_slope",
        title=title,
        estimates=tuple(estimates),
        formulas=(
            "Per run: net heat hS ΔT_max − Q_dis and extinguished power I (1 − 10^(−A)) from "
            "Roper's balance with the fitted τ_s and ΔT_max.",
            "η = slope of net heat against extinguished power"
            + (" (line through the origin)." if through_origin else " (line with intercept)."),
            "Weighted least squares, weights 1/SE² of the net heat (statsmodels WLS; SEs scaled "
            f"by the residual variance); {ci_level:.0%} CI from the t distribution. Errors common "
            "to all runs (Σmᵢcᵢ, power-meter calibration) scale every point alike and are not in "
            "this interval.",
        ),
        warnings=tuple(warnings),
        panels=(panel,),
        tables={"runs": rows},
        provenance={"runs": [r.title for r in runs], "through_origin": through_origin},
    )
