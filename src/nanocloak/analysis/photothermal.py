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
The run's inputs are :class:`~nanocloak.analysis.photothermal_setup.PhotothermalSetup`, its
checks :mod:`nanocloak.analysis.photothermal_checks` and the multi-power slope
:mod:`nanocloak.analysis.photothermal_slope`; their public names are re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from nanocloak.analysis.heating_curves import (
    RelaxationFit,
    clean_curve,
    fit_relaxation,
    read_curve,
    running_mean,
    split_curve,
)
from nanocloak.analysis.photothermal_checks import MAX_RISE_K, TAU_AGREEMENT, run_warnings
from nanocloak.analysis.photothermal_setup import (
    PhotothermalSetup,
    TmaxMethod,
    blank_heat_w,
    inputs_exact,
)
from nanocloak.analysis.photothermal_slope import photothermal_slope
from nanocloak.analysis.uncertainty import estimate_from_ufloat, nominal, stderr, uncertain
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal import lumped
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

__all__ = [
    "PhotothermalSetup",
    "TmaxMethod",
    "analyze_photothermal",
    "analyze_photothermal_table",
    "blank_rise_from_curve",
    "inputs_exact",
    "photothermal_slope",
]

OBSERVED_TMAX_POINTS = 5
"""Heuristic choice (no published source): points averaged to read T_max from the data (the
highest running mean)."""
FIT_ONLY_CI = "fit-only CI (I, A, Σmc taken as exact)"
"""Label of intervals that ignore the uncertainty of laser power, absorbance and heat capacity."""


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
    blank = blank_heat_w(setup, hs)
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
    warnings = run_warnings(setup, heating, cooling, t_off - t_on, rise, eta, seg)
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
