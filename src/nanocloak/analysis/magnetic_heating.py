"""Specific absorption rate (SAR) and ILP from magnetic-hyperthermia heating curves.

Three estimators of the loss-free heating rate ``(dT/dt)₀`` of a sample in an alternating
magnetic field, each giving ``SAR = Σmᵢcᵢ (dT/dt)₀ / m_NP``:

- **initial slope**: a straight line through the first seconds of heating (a lower bound: heat
  losses already bend the curve; a window of ``W`` on a curve of time constant ``τ`` reads
  about ``1 − W/(2τ)`` of the true rate);
- **Box–Lucas**: the heating curve fitted to ``T = T₀ + ΔT (1 − e^(−t/τ))``, so that
  ``(dT/dt)₀ = ΔT/τ``;
- **corrected slope** (Wildeboer et al., *J. Phys. D* 2014, 47, 495003): heating rates over
  successive windows regressed on the temperature rise ``T − T₀``; with linear losses
  ``dT/dt = (dT/dt)₀ − (hS/C)(T − T₀)``, the intercept is the loss-free rate.

``ILP = SAR / (H² f)`` (nH m² kg⁻¹) normalises for the field; ``H·f`` is checked against the
Brezovich criterion (4.85×10⁸ A m⁻¹ s⁻¹) and the Hergt–Dutz limit (5×10⁹ A m⁻¹ s⁻¹).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from nanocloak.analysis.heating_curves import (
    RelaxationFit,
    clean_curve,
    fit_relaxation,
    read_curve,
    split_curve,
)
from nanocloak.analysis.uncertainty import (
    LineFit,
    estimate_from_ufloat,
    fit_line,
    nominal,
    uncertain,
)
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal import lumped
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

BREZOVICH_A_PER_M_S = 4.85e8
"""Brezovich criterion for H·f (A m⁻¹ s⁻¹), tolerable for large body regions."""
HERGT_DUTZ_A_PER_M_S = 5.0e9
"""Hergt–Dutz relaxed limit for H·f (A m⁻¹ s⁻¹), for small body regions."""
INITIAL_SLOPE_BIAS = 0.05
"""Heuristic threshold (no published source): warn when the initial-slope window is expected to
read more than this much too low (the bias ≈ W/(2τ) itself follows from the linear-loss model)."""

SHORT_HEATING = 0.3
"""Heuristic threshold (no published source): warn when heating lasted less than this many
Box–Lucas time constants."""
FIT_ONLY_CI = "fit-only CI (Σmc, m_NP taken as exact)"
"""Label of SAR intervals that ignore the uncertainty of heat capacity and magnetic mass."""

SarMethod = Literal["corrected_slope", "box_lucas", "initial_slope"]
METHODS: tuple[SarMethod, ...] = ("initial_slope", "box_lucas", "corrected_slope")
METHOD_LABELS = {
    "initial_slope": "initial slope",
    "box_lucas": "Box–Lucas",
    "corrected_slope": "corrected slope",
}


@dataclass(frozen=True, slots=True)
class MagneticHeatingSetup:
    """The sample and the field; SI units (mass in g), temperatures in °C.

    Parameters
    ----------
    heat_capacity_j_per_k
        ``Σ mᵢcᵢ`` of the sample that heats (J/K), e.g. 1 mL water: 4.18 J/K.
    particle_mass_g
        Mass of magnetic material in the sample (g), on the basis named by ``mass_basis``.
    heat_capacity_stderr_j_per_k, particle_mass_stderr_g
        Standard deviations of ``Σ mᵢcᵢ`` (J/K) and of the magnetic mass (g, e.g. from the ICP
        assay), propagated into SAR and ILP; while both are 0 the SAR intervals are fit-only
        (and say so).
    field_a_per_m
        Field amplitude ``H`` (A/m); ILP and the H·f check need it.
    frequency_hz
        Field frequency ``f`` (Hz).
    mass_basis
        What ``particle_mass_g`` counts, e.g. ``"Fe"`` or ``"Fe3O4"``; SAR is per gram of it.
    initial_window_s
        Length of the initial-slope window (s), after ``skip_s``.
    skip_s
        Dead time after the field is switched on that no method uses (s), e.g. sensor lag.
    windows
        Number of windows of the corrected-slope method.
    on_s, off_s
        Field on and off times (s); the first point and the temperature peak if None.
    method
        The estimator reported as ``sar``.
    ci_level
        Level of the confidence intervals.
    """

    heat_capacity_j_per_k: float
    particle_mass_g: float
    heat_capacity_stderr_j_per_k: float = 0.0
    particle_mass_stderr_g: float = 0.0
    field_a_per_m: float | None = None
    frequency_hz: float | None = None
    mass_basis: str = "nanoparticles"
    initial_window_s: float = 30.0
    skip_s: float = 0.0
    windows: int = 10
    on_s: float | None = None
    off_s: float | None = None
    method: SarMethod = "corrected_slope"
    ci_level: float = 0.95

    def __post_init__(self) -> None:
        checks = {
            "heat_capacity": (self.heat_capacity_j_per_k, "a positive heat capacity in J/K"),
            "particle_mass": (self.particle_mass_g, "a positive mass of magnetic material"),
            "initial_window": (self.initial_window_s, "a positive window in s"),
        }
        for name, (value, expected) in checks.items():
            if not (math.isfinite(value) and value > 0):
                raise SpecificationError(name, value, expected)
        for name, optional in (("field", self.field_a_per_m), ("frequency", self.frequency_hz)):
            if optional is not None and not (math.isfinite(optional) and optional > 0):
                raise SpecificationError(name, optional, "a positive value or none")
        for name, sd in (
            ("heat_capacity_stderr", self.heat_capacity_stderr_j_per_k),
            ("particle_mass_stderr", self.particle_mass_stderr_g),
        ):
            if not (math.isfinite(sd) and sd >= 0):
                raise SpecificationError(name, sd, "a standard deviation of 0 or more")
        if self.skip_s < 0:
            raise SpecificationError("skip", self.skip_s, "a dead time of 0 s or more")
        if self.windows < 3:
            raise SpecificationError("windows", self.windows, "at least 3 windows")
        if self.method not in METHODS:
            raise SpecificationError("method", self.method, f"one of {', '.join(METHODS)}")
        if not 0.0 < self.ci_level < 1.0:
            raise SpecificationError("ci_level", self.ci_level, "a level between 0 and 1")


def analyze_magnetic_heating(
    time_s: FloatArray,
    temperature_c: FloatArray,
    setup: MagneticHeatingSetup,
    *,
    title: str = "magnetic heating (SAR)",
    provenance: dict[str, Any] | None = None,
) -> AnalysisResult:
    """SAR by initial slope, Box–Lucas and corrected slope; ILP and the H·f check.

    Parameters
    ----------
    time_s
        Times (s).
    temperature_c
        Sample temperature (°C) with the field on (a later cooling segment is ignored).
    setup
        Heat capacity, magnetic mass, field and options.
    title, provenance
        Copied into the result.

    Returns
    -------
    AnalysisResult
        ``sar`` (the chosen method), ``sar_initial_slope``, ``sar_box_lucas``,
        ``sar_corrected_slope`` (W/g) with CIs; ``ilp_*`` (nH m² kg⁻¹) and ``H_f`` when the
        field is given; ``tau``, ``delta_T``, ``hS``; warnings.
    """
    t, temp = clean_curve(time_s, temperature_c, title)
    seg = split_curve(t, temp, setup.on_s, setup.off_s, need_cooling=False, what=title)
    t_on = float(t[seg.on])
    use = (t >= t_on + setup.skip_s) & (t <= t[seg.off])
    ht, htemp = t[use], temp[use]
    if ht.size < 10:
        raise DataFormatError(f"{title}: fewer than 10 points with the field on after the skip")
    level = setup.ci_level
    capacity = uncertain(setup.heat_capacity_j_per_k, setup.heat_capacity_stderr_j_per_k)
    mass = uncertain(setup.particle_mass_g, setup.particle_mass_stderr_g)
    fit_only = setup.heat_capacity_stderr_j_per_k == 0 and setup.particle_mass_stderr_g == 0
    initial_mask = ht <= t_on + setup.skip_s + setup.initial_window_s
    if int(np.sum(initial_mask)) < 5:
        raise DataFormatError(
            f"{title}: fewer than 5 points in the initial window of {setup.initial_window_s:g} s;"
            " lengthen it"
        )
    initial = _line(ht[initial_mask] - t_on, htemp[initial_mask], level)
    start_temp = initial.intercept
    box = fit_relaxation(ht, htemp, t_on)
    rise = box.asymptote - box.start
    corrected, windows = _corrected_slope(ht, htemp, nominal(start_temp), setup.windows, level)
    rates = {
        "initial_slope": (initial.slope, initial.n - 2),
        "box_lucas": (rise / box.tau_s, None),
        "corrected_slope": (corrected.intercept, corrected.n - 2),
    }
    basis = f"W per g of {setup.mass_basis}"
    sar = {m: lumped.heating_power_w(capacity, rate) / mass for m, (rate, _) in rates.items()}
    ci_kind = FIT_ONLY_CI if fit_only else "CI with the fit SE and the SDs of Σmc and m_NP"
    estimates: list[Estimate] = []
    for i, m in enumerate((setup.method, *METHODS)):
        # a linear fit's t interval while the inputs are exact; a normal one once the input SDs
        # (with unknown degrees of freedom) are combined with it
        dof = rates[m][1] if fit_only else None
        estimates.append(
            estimate_from_ufloat(
                "sar" if i == 0 else f"sar_{m}",
                sar[m],
                "W/g",
                level,
                dof,
                label=f"SAR reported ({METHOD_LABELS[m]}), {basis}"
                if i == 0
                else f"SAR ({METHOD_LABELS[m]}), {basis}",
                note=f"{'t-interval' if dof is not None else 'normal interval'}; {ci_kind}",
            )
        )
    field, frequency = setup.field_a_per_m, setup.frequency_hz
    if field is not None and frequency is not None:
        for m in METHODS:
            ilp = lumped.intrinsic_loss_power_h_m2_per_kg(sar[m] * 1e3, field, frequency) * 1e9
            estimates.append(
                estimate_from_ufloat(
                    f"ilp_{m}",
                    ilp,
                    "nH m² kg⁻¹",
                    level,
                    label=f"ILP ({METHOD_LABELS[m]}) = SAR/(H² f)",
                    note=ci_kind,
                )
            )
        estimates.append(Estimate("H_f", field * frequency, "A m⁻¹ s⁻¹", label="H·f"))
    loss = -corrected.slope * capacity
    estimates += [
        estimate_from_ufloat(
            "rate_initial", initial.slope, "K/s", level, label="initial slope dT/dt"
        ),
        estimate_from_ufloat("delta_T", rise, "K", level, label="Box–Lucas plateau rise ΔT"),
        estimate_from_ufloat("tau", box.tau_s, "s", level, label="Box–Lucas time constant τ"),
        estimate_from_ufloat(
            "hS", loss, "W/K", level, label="loss conductance hS (corrected slope)"
        ),
    ]
    warnings = _warnings(setup, box, sar, t[seg.off] - t_on, nominal(loss))
    if fit_only:
        warnings.append(
            f"The SAR intervals are {FIT_ONLY_CI}: heat capacity and magnetic mass were given "
            "without standard deviations, so their (often dominant) uncertainty is not included; "
            "give heat_capacity_stderr_j_per_k and particle_mass_stderr_g."
        )
    return AnalysisResult(
        kind="magnetic_heating",
        title=title,
        estimates=tuple(estimates),
        formulas=_formulas(setup),
        warnings=tuple(warnings),
        panels=_panels(t, temp, ht, initial, box, corrected, windows, t_on, title),
        tables={"corrected-slope windows": windows},
        provenance={
            **(provenance or {}),
            "field_on_s": t_on,
            "field_off_s": float(t[seg.off]),
            "field_off": "detected (temperature peak)" if seg.detected else "given",
            "heat_capacity_j_per_k": setup.heat_capacity_j_per_k,
            "heat_capacity_stderr_j_per_k": setup.heat_capacity_stderr_j_per_k,
            "particle_mass_g": setup.particle_mass_g,
            "particle_mass_stderr_g": setup.particle_mass_stderr_g,
            "ci": ci_kind,
            "mass_basis": setup.mass_basis,
            "initial_window_s": setup.initial_window_s,
            "skip_s": setup.skip_s,
            "windows": setup.windows,
        },
    )


def analyze_magnetic_heating_table(
    table: LabTable, setup: MagneticHeatingSetup, title: str | None = None
) -> AnalysisResult:
    """``analyze_magnetic_heating`` on a table with time and temperature columns."""
    t, temp, _ = read_curve(table)
    return analyze_magnetic_heating(
        t, temp, setup, title=title or f"SAR: {table.source}", provenance={"source": table.source}
    )


def field_check(field_a_per_m: float, frequency_hz: float) -> list[str]:
    """Warnings for ``H·f`` above the Brezovich criterion or the Hergt–Dutz limit.

    Parameters
    ----------
    field_a_per_m
        Field amplitude (A/m).
    frequency_hz
        Frequency (Hz).
    """
    product = field_a_per_m * frequency_hz
    if product > HERGT_DUTZ_A_PER_M_S:
        return [
            f"H·f = {product:.3g} A m⁻¹ s⁻¹ exceeds the Hergt–Dutz limit "
            f"({HERGT_DUTZ_A_PER_M_S:.3g}) tolerated even for small body regions: eddy-current "
            "heating of tissue would be unsafe in vivo."
        ]
    if product > BREZOVICH_A_PER_M_S:
        return [
            f"H·f = {product:.3g} A m⁻¹ s⁻¹ exceeds the Brezovich criterion "
            f"({BREZOVICH_A_PER_M_S:.3g}) for large body regions; it is within the Hergt–Dutz "
            f"limit ({HERGT_DUTZ_A_PER_M_S:.3g}) for small regions only."
        ]
    return []


def _line(x: FloatArray, y: FloatArray, level: float) -> LineFit:
    line = fit_line(x, y, level)
    if line is None:
        raise DataFormatError("a heating-rate line needs at least two distinct times")
    return line


def _corrected_slope(
    t: FloatArray, temp: FloatArray, start_c: float, count: int, level: float
) -> tuple[LineFit, list[dict[str, Any]]]:
    edges = np.linspace(t[0], t[-1], count + 1)
    rows: list[dict[str, Any]] = []
    for i, (a, b) in enumerate(itertools.pairwise(edges)):
        inside = (t >= a) & ((t < b) if i < count - 1 else (t <= b))
        if int(np.sum(inside)) < 3:
            continue
        slope = np.polyfit(t[inside], temp[inside], 1)[0]
        rows.append(
            {
                "from (s)": float(a),
                "to (s)": float(b),
                "T − T0 (K)": float(np.mean(temp[inside]) - start_c),
                "dT/dt (K/s)": float(slope),
            }
        )
    if len(rows) < 3:
        raise DataFormatError(
            f"corrected slope needs at least 3 windows of 3 points; got {len(rows)}; sample "
            "more often or use fewer windows"
        )
    x = np.array([r["T − T0 (K)"] for r in rows])
    y = np.array([r["dT/dt (K/s)"] for r in rows])
    return _line(x, y, level), rows


def _warnings(
    setup: MagneticHeatingSetup,
    box: RelaxationFit,
    sar: dict[str, Any],
    heating_s: float,
    loss_w_per_k: float,
) -> list[str]:
    out: list[str] = []
    tau = nominal(box.tau_s)
    bias = setup.initial_window_s / (2 * tau)
    if math.isfinite(bias) and bias > INITIAL_SLOPE_BIAS:
        out.append(
            f"The initial-slope window ({setup.initial_window_s:g} s) is {bias:.0%} of 2τ "
            f"(τ = {tau:.0f} s): heat losses make that slope read about {bias:.0%} low; use a "
            "shorter window or the corrected slope."
        )
    if heating_s < SHORT_HEATING * tau:
        out.append(
            f"Heated for {heating_s:.0f} s, less than {SHORT_HEATING:g} τ (τ = {tau:.0f} s): the "
            "curve barely bends, so the Box–Lucas ΔT and τ are each poorly determined (their "
            "ratio, the SAR, less so; see its SE)."
        )
    if loss_w_per_k < 0:
        out.append(
            "The heating rate grows with temperature (negative loss): the curve is not "
            "loss-limited (sensor lag at the start, or a field still ramping up); set a skip time."
        )
    values = [nominal(v) for v in sar.values()]
    spread = (max(values) - min(values)) / max(abs(max(values)), 1e-300)
    if spread > 0.2:
        out.append(
            f"The three SAR estimates differ by {spread:.0%}: check the heating curve for lag, "
            "non-linear losses or field drift."
        )
    if not box.errors_ok:
        out.append("The Box–Lucas fit could not estimate its covariance; its SE is missing.")
    if setup.field_a_per_m is not None and setup.frequency_hz is not None:
        out += field_check(setup.field_a_per_m, setup.frequency_hz)
    return out


def _formulas(setup: MagneticHeatingSetup) -> tuple[str, ...]:
    return (
        "SAR = Σmᵢcᵢ (dT/dt)₀ / m_NP, in W per g of "
        f"{setup.mass_basis}; Σmᵢcᵢ = heat capacity of the sample that heats.",
        f"Initial slope: ordinary least-squares line through t_on + {setup.skip_s:g} s … "
        f"+ {setup.initial_window_s:g} s; reads ≈ 1 − W/(2τ) of the loss-free rate.",
        "Box–Lucas: T = T₀ + ΔT (1 − e^(−(t − t_on)/τ)) by nonlinear least squares (lmfit); "
        "(dT/dt)₀ = ΔT/τ (SE from the correlated fit parameters).",
        f"Corrected slope (Wildeboer 2014): heating rate in {setup.windows} equal windows "
        "regressed on the mean T − T₀ (T₀ from the initial-slope line at t_on); "
        "dT/dt = (dT/dt)₀ − (hS/C)(T − T₀), (dT/dt)₀ = intercept; assumes the sample starts at "
        "ambient temperature.",
        "ILP = SAR / (H² f), SAR in W/kg, H in A/m (amplitude), f in Hz → H m² kg⁻¹; "
        "reported ×10⁹ in nH m² kg⁻¹.",
        f"Field safety: H·f ≤ {BREZOVICH_A_PER_M_S:.3g} A m⁻¹ s⁻¹ (Brezovich) or ≤ "
        f"{HERGT_DUTZ_A_PER_M_S:.3g} (Hergt–Dutz, small regions).",
        "CI: t-interval for the linear fits (statsmodels OLS), normal interval (±z·SE) for "
        "Box–Lucas and the ILPs; the SDs of Σmᵢcᵢ and m_NP, when given, are propagated to first "
        "order (uncertainties) and the SAR interval becomes normal (±z·SE); with both SDs 0 it "
        f"is a {FIT_ONLY_CI}.",
        f"Heuristic thresholds (no published source): warn when the initial-slope bias W/(2τ) "
        f"exceeds {INITIAL_SLOPE_BIAS:.0%}, when heating lasted < {SHORT_HEATING:g} τ, and when "
        "the three SAR estimates differ by > 20 %.",
    )


def _panels(
    t: FloatArray,
    temp: FloatArray,
    ht: FloatArray,
    initial: LineFit,
    box: RelaxationFit,
    corrected: LineFit,
    windows: list[dict[str, Any]],
    t_on: float,
    title: str,
) -> tuple[Panel, ...]:
    grid = np.linspace(ht[0], ht[-1], 200)
    line_t = np.linspace(t_on, min(ht[-1], t_on + 3 * (ht[-1] - t_on) / 10), 20)
    curve = Panel(
        (
            Series(t, temp, "data", "points"),
            Series(grid, box.curve(grid), "Box–Lucas fit", "line"),
            Series(
                line_t,
                nominal(initial.intercept) + nominal(initial.slope) * (line_t - t_on),
                "initial slope",
                "dashed",
            ),
        ),
        "time (s)",
        "temperature (°C)",
        title,
    )
    x = np.array([w["T − T0 (K)"] for w in windows])
    y = np.array([w["dT/dt (K/s)"] for w in windows])
    xs = np.linspace(0.0, float(np.max(x)), 20)
    rate = Panel(
        (
            Series(x, y, "window slopes", "points"),
            Series(
                xs,
                nominal(corrected.intercept) + nominal(corrected.slope) * xs,
                "linear-loss fit",
                "line",
            ),
        ),
        "T − T₀ (K)",
        "dT/dt (K/s)",
        "corrected slope",
    )
    return (curve, rate)


__all__ = [
    "BREZOVICH_A_PER_M_S",
    "HERGT_DUTZ_A_PER_M_S",
    "MagneticHeatingSetup",
    "analyze_magnetic_heating",
    "analyze_magnetic_heating_table",
    "field_check",
]
