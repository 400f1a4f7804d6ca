"""Photothermal conversion efficiency (PCE, η) from heating and cooling curves.

Roper's lumped energy balance (Roper, Ahn, Hoepfner, *J. Phys. Chem. C* 2007, 111, 3636),
done as it should be:

- the time constant ``τ_s`` from a nonlinear exponential fit of the whole laser-off segment
  (not a two-point ``ln θ``), giving ``hS = Σ mᵢcᵢ / τ_s``;
- the steady-state rise ``ΔT_max`` from a nonlinear fit of the heating curve,
  ``T = T_s + ΔT (1 − e^(−t/τ))``, so that a run stopped before the plateau is not biased low
  (reading ``T_max`` at 2.2 τ underestimates η by ~12 %, at 0.7 τ by ~49 %);
- the solvent/vessel heat ``Q_dis`` given, or measured with a blank under the same beam;
- ``η = (hS ΔT_max − Q_dis) / (I (1 − 10^(−A)))`` with ``I`` the laser power in W and ``A`` the
  absorbance at the laser wavelength;
- the multi-power slope method (Jiang, Smith, Pinchuk, *J. Phys. Chem. C* 2013, 117, 27073):
  η as the slope of ``hS ΔT_max − Q_dis`` against the extinguished power
  ``I (1 − 10^(−A))`` over several runs.

Fit standard errors (lmfit, correlated) are propagated with ``uncertainties``. Reading,
splitting and fitting the curve are shared with magnetic heating in
:mod:`nanocloak.analysis.heating_curves`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm

from nanocloak.analysis.heating_curves import (
    CurveSegments,
    RelaxationFit,
    clean_curve,
    fit_relaxation,
    read_curve,
    running_mean,
    split_curve,
)
from nanocloak.analysis.uncertainty import estimate_from_ufloat, nominal, stderr, uncertain
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal import lumped
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

PLATEAU_TIME_CONSTANTS = 5.0
"""Irradiation shorter than this many τ_s has not reached the plateau (e^(−5) < 1 %)."""
MAX_ABSORBANCE = 1.0
"""Above this absorbance most light is absorbed in the first part of the path."""
MAX_RISE_K = 20.0
"""Heuristic threshold (no published source): above this rise radiative and evaporative losses
make the linear-loss model strained (radiation h_rad ≈ 4εσT³ changes by ~25 % over 20 K near
300 K)."""
TAU_AGREEMENT = 0.10
"""Heuristic threshold (no published source): heating and cooling time constants further apart
than this (relative), and by more than 3 combined SE, disagree."""
OBSERVED_TMAX_POINTS = 5
"""Heuristic choice (no published source): points averaged to read T_max from the data (the
highest running mean)."""
FIT_ONLY_CI = "fit-only CI (I, A, Σmc taken as exact)"
"""Label of intervals that ignore the uncertainty of laser power, absorbance and heat capacity."""

TmaxMethod = Literal["fit", "observed"]

FORMULAS = (
    "Energy balance (lumped, linear loss): "
    "Σmᵢcᵢ dT/dt = η I (1 − 10^(−A)) + Q_dis − hS (T − T_surr).",
    "Cooling (laser off at t_off): T = T_surr + (T_off − T_surr) e^(−(t − t_off)/τ_s), fitted by "
    "nonlinear least squares (lmfit) over the whole laser-off segment.",
    "hS = Σmᵢcᵢ / τ_s, with Σmᵢcᵢ the heat capacity of what heats (solvent, plus vessel if given).",
    "Heating (laser on at t_on): T = T_s + ΔT (1 − e^(−(t − t_on)/τ_h)), fitted by nonlinear least "
    "squares; the steady state is T_max = T_s + ΔT.",
    "η = (hS (T_max − T_surr) − Q_dis) / (I (1 − 10^(−A))), I = laser power at the sample in W "
    "(not W/cm²), A = decadic absorbance at the laser wavelength along the beam path.",
    "Blank: Q_dis = hS ΔT_blank · I / I_blank, with ΔT_blank the fitted steady rise of the solvent "
    "alone in the same vessel (same hS), when a blank curve is given.",
    "Uncertainty: fit standard errors with their correlations (lmfit covariance scaled by the "
    "reduced χ²) and the given SDs of I, A, Σmᵢcᵢ and Q_dis (independent of the fits), "
    "propagated to first order (uncertainties); CI = value ± z·SE (normal). With those SDs at "
    f"0 the interval is a {FIT_ONLY_CI}.",
    f"Heuristic thresholds (no published source): warn above a {MAX_RISE_K:g} K rise, when "
    f"τ_h and τ_s differ by more than {TAU_AGREEMENT:.0%} (and 3 SE), and read the observed "
    f"T_max as the highest {OBSERVED_TMAX_POINTS}-point running mean.",
)


@dataclass(frozen=True, slots=True)
class PhotothermalSetup:
    """What was irradiated and how; SI units, temperatures in °C.

    Parameters
    ----------
    power_w
        Laser power reaching the sample (W) — power, not power density.
    absorbance
        Decadic absorbance (OD) of the sample at the laser wavelength along the beam path.
    heat_capacity_j_per_k
        ``Σ mᵢcᵢ`` of what heats (J/K), e.g. 1 g water × 4.18 J g⁻¹ K⁻¹ = 4.18 J/K.
    heat_capacity_stderr_j_per_k
        Standard deviation of ``Σ mᵢcᵢ`` (J/K), e.g. from the pipetted volume; propagated into
        ``hS`` and η.
    power_stderr_w, absorbance_stderr
        Standard errors of the laser power (W) and the absorbance, propagated into η. While
        these and ``heat_capacity_stderr_j_per_k`` are 0 the CI of η is fit-only (and says so).
    blank_heat_w, blank_heat_stderr_w
        Heat from solvent and vessel at this run's power, ``Q_dis`` (W), and its standard error.
    blank_rise_k, blank_rise_stderr_k
        Alternatively, the steady rise of a blank (solvent only) run (K); then
        ``Q_dis = hS ΔT_blank I / I_blank`` with this run's ``hS``.
    blank_power_w
        Laser power of the blank run (W); this run's power if None.
    ambient_c
        Temperature of the surroundings ``T_surr`` (°C); fitted as the cooling asymptote if None.
    on_s, off_s
        Times the laser was switched on and off (s); the first time point and the detected
        temperature peak if None.
    tmax
        ``"fit"``: ``T_max`` from the heating-curve fit (the default); ``"observed"``: the highest
        5-point running mean of the data (classical, biased low if the plateau was not reached).
    ci_level
        Level of the confidence intervals.
    """

    power_w: float
    absorbance: float
    heat_capacity_j_per_k: float
    heat_capacity_stderr_j_per_k: float = 0.0
    power_stderr_w: float = 0.0
    absorbance_stderr: float = 0.0
    blank_heat_w: float = 0.0
    blank_heat_stderr_w: float = 0.0
    blank_rise_k: float | None = None
    blank_rise_stderr_k: float = 0.0
    blank_power_w: float | None = None
    ambient_c: float | None = None
    on_s: float | None = None
    off_s: float | None = None
    tmax: TmaxMethod = "fit"
    ci_level: float = 0.95

    def __post_init__(self) -> None:
        positive = {
            "power": (self.power_w, "W"),
            "heat_capacity": (self.heat_capacity_j_per_k, "J/K"),
        }
        for name, (value, unit) in positive.items():
            if not (math.isfinite(value) and value > 0):
                raise SpecificationError(
                    name, value, f"a positive number in {unit}", "It must be measured and given."
                )
        if not (math.isfinite(self.absorbance) and self.absorbance > 0):
            raise SpecificationError(
                "absorbance",
                self.absorbance,
                "a positive decadic absorbance at the laser wavelength",
                "Measure the sample's OD at the laser wavelength in the same path length.",
            )
        sds = {
            "power_stderr": self.power_stderr_w,
            "absorbance_stderr": self.absorbance_stderr,
            "heat_capacity_stderr": self.heat_capacity_stderr_j_per_k,
            "blank_heat_stderr": self.blank_heat_stderr_w,
            "blank_rise_stderr": self.blank_rise_stderr_k,
        }
        for name, sd in sds.items():
            if not (math.isfinite(sd) and sd >= 0):
                raise SpecificationError(name, sd, "a standard deviation of 0 or more")
        if self.tmax not in ("fit", "observed"):
            raise SpecificationError("tmax", self.tmax, "'fit' or 'observed'")
        if not 0.0 < self.ci_level < 1.0:
            raise SpecificationError("ci_level", self.ci_level, "a level between 0 and 1")


def blank_rise_from_curve(
    time_s: FloatArray,
    temperature_c: FloatArray,
    on_s: float | None = None,
    off_s: float | None = None,
) -> tuple[float, float]:
    """Steady rise ``ΔT_blank`` (K) of a blank run and its standard error, by the heating fit.

    Parameters
    ----------
    time_s, temperature_c
        The blank's heating (and possibly cooling) curve (s, °C).
    on_s, off_s
        Laser on and off times (s); the first point and the detected peak if None.
    """
    t, temp = clean_curve(time_s, temperature_c, "blank")
    seg = split_curve(t, temp, on_s, off_s, need_cooling=False, what="blank")
    fit = fit_relaxation(t[seg.on : seg.off + 1], temp[seg.on : seg.off + 1], t[seg.on])
    rise = fit.asymptote - fit.start
    return nominal(rise), stderr(rise)


def analyze_photothermal(
    time_s: FloatArray,
    temperature_c: FloatArray,
    setup: PhotothermalSetup,
    *,
    title: str = "photothermal conversion efficiency",
    provenance: dict[str, Any] | None = None,
) -> AnalysisResult:
    """η of one heating–cooling run by Roper's method with fitted ``τ_s`` and ``ΔT_max``.

    Parameters
    ----------
    time_s
        Times (s).
    temperature_c
        Sample temperature (°C): laser on, then laser off (the cooling segment gives ``τ_s``).
    setup
        Laser power, absorbance, heat capacity, blank heat and options.
    title, provenance
        Copied into the result.

    Returns
    -------
    AnalysisResult
        Estimates ``eta`` (with CI), ``tau_cooling``, ``hS``, ``T_surr``, ``delta_T_max``,
        ``tau_heating``, ``Q_dis``, ``extinguished_power``, ``net_heat``, ``laser_power``,
        ``absorbance``; a table comparing fitted and observed ``T_max``; warnings.
    """
    t, temp = clean_curve(time_s, temperature_c, title)
    seg = split_curve(t, temp, setup.on_s, setup.off_s, need_cooling=True, what=title)
    t_on, t_off = float(t[seg.on]), float(t[seg.off])
    heat_t, heat_temp = t[seg.on : seg.off + 1], temp[seg.on : seg.off + 1]
    cool_t, cool_temp = t[seg.off :], temp[seg.off :]
    cooling = fit_relaxation(cool_t, cool_temp, t_off, asymptote_c=setup.ambient_c)
    heating = fit_relaxation(heat_t, heat_temp, t_on)
    tau_s = cooling.tau_s
    ambient = cooling.asymptote
    capacity = uncertain(setup.heat_capacity_j_per_k, setup.heat_capacity_stderr_j_per_k)
    hs = lumped.loss_coefficient_w_per_k(capacity, tau_s)
    power = uncertain(setup.power_w, setup.power_stderr_w)
    absorbance = uncertain(setup.absorbance, setup.absorbance_stderr)
    blank = _blank_heat(setup, hs)
    tmax_fit = heating.asymptote
    k = min(OBSERVED_TMAX_POINTS, heat_temp.size)
    smooth = running_mean(heat_temp, k)
    noise = cooling.noise_c if math.isfinite(cooling.noise_c) else 0.0
    tmax_obs = uncertain(float(np.max(smooth)), noise / math.sqrt(k))
    tmax = tmax_fit if setup.tmax == "fit" else tmax_obs
    rise = tmax - ambient
    net = hs * rise - blank
    extinguished = lumped.absorbed_power_w(power, absorbance)
    eta = net / extinguished
    eta_by = {
        m: (hs * (tm - ambient) - blank) / extinguished
        for m, tm in (("fit", tmax_fit), ("observed", tmax_obs))
    }
    level = setup.ci_level
    warnings = _warnings(setup, heating, cooling, t_off - t_on, rise, eta, seg)
    fit_only = inputs_exact(setup)
    ci_kind = FIT_ONLY_CI if fit_only else "CI with the fit SEs and the input SDs of I, A, Σmc"
    if fit_only:
        warnings.append(
            f"The interval of η is a {FIT_ONLY_CI}: laser power, absorbance and heat capacity "
            "were given without standard deviations, so their (often dominant) uncertainty is "
            "not included; give power_stderr_w, absorbance_stderr and "
            "heat_capacity_stderr_j_per_k."
        )

    def est(name: str, value: Any, unit: str, label: str, note: str = "") -> Estimate:
        return estimate_from_ufloat(name, value, unit, level, label=label, note=note)

    estimates = (
        est(
            "eta",
            eta,
            "",
            "photothermal conversion efficiency η",
            f"ΔT_max from {'the heating fit' if setup.tmax == 'fit' else 'the data'}; {ci_kind}",
        ),
        est("tau_cooling", tau_s, "s", "time constant τ_s (cooling fit)"),
        est("hS", hs, "W/K", "heat-loss conductance hS = Σmc/τ_s", ci_kind),
        est(
            "T_surr",
            ambient,
            "°C",
            "surroundings T_surr",
            "given" if setup.ambient_c is not None else "cooling-fit asymptote",
        ),
        est("delta_T_max", rise, "K", "steady rise T_max − T_surr"),
        est("tau_heating", heating.tau_s, "s", "time constant τ_h (heating fit)"),
        est("Q_dis", blank, "W", "solvent/vessel heat Q_dis"),
        est("extinguished_power", extinguished, "W", "I (1 − 10^(−A))"),
        est("net_heat", net, "W", "hS ΔT_max − Q_dis", ci_kind),
        est("laser_power", power, "W", "laser power I"),
        est("absorbance", absorbance, "", "absorbance A at the laser wavelength"),
        est("heat_capacity", capacity, "J/K", "heat capacity Σmᵢcᵢ"),
    )
    table = [
        {
            "T_max from": name,
            "T_max (°C)": nominal(tm),
            "ΔT_max (K)": nominal(tm - ambient),
            "η": nominal(eta_by[name]),
            "η SE": stderr(eta_by[name]),
        }
        for name, tm in (("fit", tmax_fit), ("observed", tmax_obs))
    ]
    return AnalysisResult(
        kind="photothermal_efficiency",
        title=title,
        estimates=estimates,
        formulas=FORMULAS,
        warnings=tuple(warnings),
        panels=_panels(t, temp, heating, cooling, title),
        tables={"T_max methods": table},
        provenance={
            **(provenance or {}),
            "laser_on_s": t_on,
            "laser_off_s": t_off,
            "laser_off": "detected (temperature peak)" if seg.detected else "given",
            "heat_capacity_j_per_k": setup.heat_capacity_j_per_k,
            "input_sds": {
                "power_stderr_w": setup.power_stderr_w,
                "absorbance_stderr": setup.absorbance_stderr,
                "heat_capacity_stderr_j_per_k": setup.heat_capacity_stderr_j_per_k,
            },
            "ci": ci_kind,
            "tmax": setup.tmax,
            "points_heating": int(heat_t.size),
            "points_cooling": int(cool_t.size),
        },
    )


def analyze_photothermal_table(
    table: LabTable, setup: PhotothermalSetup, title: str | None = None
) -> AnalysisResult:
    """``analyze_photothermal`` on a table with time and temperature columns (units in headers).

    A ``laser`` column (on/off, 1/0) sets the laser on and off times unless ``setup`` gives them.
    """
    t, temp, laser = read_curve(table, switch_names=("laser", "laser on", "irradiation"))
    if laser is not None and setup.on_s is None and setup.off_s is None:
        on_times = t[laser]
        if on_times.size == 0:
            raise DataFormatError(f"{table.source}: the laser column is never 'on'")
        after = t[(t > on_times.max())]
        setup = replace(
            setup,
            on_s=float(on_times.min()),
            off_s=float(after.min()) if after.size else float(on_times.max()),
        )
    return analyze_photothermal(
        t, temp, setup, title=title or f"PCE: {table.source}", provenance={"source": table.source}
    )


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


def inputs_exact(setup: PhotothermalSetup) -> bool:
    """True when laser power, absorbance and heat capacity were given without an SD."""
    return (
        setup.power_stderr_w == 0
        and setup.absorbance_stderr == 0
        and setup.heat_capacity_stderr_j_per_k == 0
    )


def _blank_heat(setup: PhotothermalSetup, hs: Any) -> Any:
    if setup.blank_rise_k is None:
        return uncertain(setup.blank_heat_w, setup.blank_heat_stderr_w)
    blank_power = setup.blank_power_w or setup.power_w
    rise = uncertain(setup.blank_rise_k, setup.blank_rise_stderr_k)
    return hs * rise * (setup.power_w / blank_power)


def _warnings(
    setup: PhotothermalSetup,
    heating: RelaxationFit,
    cooling: RelaxationFit,
    irradiation_s: float,
    rise: Any,
    eta: Any,
    seg: CurveSegments,
) -> list[str]:
    out: list[str] = []
    tau = nominal(cooling.tau_s)
    reached = irradiation_s / tau
    if reached < PLATEAU_TIME_CONSTANTS:
        fraction = -math.expm1(-reached)
        if setup.tmax == "observed":
            out.append(
                f"Plateau not reached: irradiated {irradiation_s:.0f} s = {reached:.2f} τ_s "
                f"(< {PLATEAU_TIME_CONSTANTS:g} τ_s); the observed T_max holds only about "
                f"{fraction:.0%} of the steady rise, so η is biased low. Use tmax='fit' or "
                "irradiate longer."
            )
        else:
            out.append(
                f"Plateau not reached: irradiated {irradiation_s:.0f} s = {reached:.2f} τ_s "
                f"(< {PLATEAU_TIME_CONSTANTS:g} τ_s); ΔT_max is extrapolated by the heating fit."
            )
    if setup.absorbance > MAX_ABSORBANCE:
        out.append(
            f"Absorbance {setup.absorbance:g} > {MAX_ABSORBANCE:g}: most light is absorbed near "
            "the entry window, 1 − 10^(−A) is insensitive to A, and an extinction measured in a "
            "spectrometer may include scattering; dilute the sample."
        )
    rise_k = nominal(rise)
    if rise_k > MAX_RISE_K:
        out.append(
            f"Temperature rise {rise_k:.1f} K > {MAX_RISE_K:g} K: radiative and evaporative "
            "losses grow faster than linearly, straining the lumped linear-loss model; lower the "
            "power or concentration."
        )
    th, tc = heating.tau_s, cooling.tau_s
    diff = abs(nominal(th) - nominal(tc))
    combined = math.hypot(stderr(th), stderr(tc))
    if diff > TAU_AGREEMENT * nominal(tc) and diff > 3 * combined:
        out.append(
            f"Heating and cooling time constants disagree (τ_h = {nominal(th):.0f} s, "
            f"τ_s = {nominal(tc):.0f} s): the lumped model (one τ) does not hold — check "
            "stirring, evaporation, thermocouple position and the laser-on/off times."
        )
    cooling_span = cooling.span_s / tau
    if setup.ambient_c is None and cooling_span < 2.0:
        out.append(
            f"Cooling recorded for only {cooling_span:.1f} τ_s with T_surr fitted: T_surr and τ_s "
            "are strongly correlated; record longer or give the ambient temperature."
        )
    value = nominal(eta)
    if not 0.0 < value <= 1.0:
        out.append(f"η = {value:.3g} lies outside (0, 1]: check power, absorbance and Q_dis.")
    if not (heating.errors_ok and cooling.errors_ok):
        out.append("A fit could not estimate its covariance; standard errors are missing.")
    return out


def _panels(
    t: FloatArray, temp: FloatArray, heating: RelaxationFit, cooling: RelaxationFit, title: str
) -> tuple[Panel, ...]:
    ht = np.linspace(heating.t0_s, heating.t0_s + heating.span_s, 200)
    ct = np.linspace(cooling.t0_s, cooling.t0_s + cooling.span_s, 200)
    plateau = nominal(heating.asymptote)
    curve = Panel(
        (
            Series(t, temp, "data", "points"),
            Series(ht, heating.curve(ht), "heating fit", "line"),
            Series(ct, cooling.curve(ct), "cooling fit", "line"),
            Series(np.array([t[0], t[-1]]), np.array([plateau, plateau]), "fitted T_max", "dashed"),
        ),
        "time (s)",
        "temperature (°C)",
        title,
    )
    ambient = nominal(cooling.asymptote)
    start = nominal(cooling.start)
    ctime = cooling.t - cooling.t0_s
    theta = (cooling.temperature - ambient) / (start - ambient)
    ok = theta > 0.02
    tau = nominal(cooling.tau_s)
    roper = Panel(
        (
            Series(ctime[ok], -np.log(theta[ok]), "cooling data", "points"),
            Series(ctime[ok], ctime[ok] / tau, f"fit, τ_s = {tau:.0f} s", "line"),
        ),
        "time after laser off (s)",
        "−ln θ, θ = (T − T_surr)/(T_off − T_surr)",
        "cooling (Roper plot)",
    )
    return (curve, roper)


__all__ = [
    "PhotothermalSetup",
    "analyze_photothermal",
    "analyze_photothermal_table",
    "blank_rise_from_curve",
    "photothermal_slope",
]
