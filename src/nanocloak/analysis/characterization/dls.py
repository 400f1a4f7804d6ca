"""DLS: cumulant analysis of an intensity autocorrelation function, and size shift on coating.

Cumulants (ISO 22412:2017): with the Siegert relation g2(τ) = 1 + β·g1(τ)², the second-order
cumulant expansion

.. math:: \\ln\\left(g_2(\\tau) - 1\\right) = \\ln\\beta - 2\\bar\\Gamma\\tau + \\mu_2\\tau^2

gives the mean decay rate Γ̄ and the second cumulant μ2; D = Γ̄/q², q = (4πn/λ)·sin(θ/2), the
Z-average d_H = k_B·T/(3πηD) and PDI = μ2/Γ̄².
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import lmfit
import numpy as np
from numpy.typing import ArrayLike
from scipy import stats
from uncertainties import correlated_values

from nanocloak.analysis.characterization._common import (
    BOLTZMANN_J_PER_K,
    LABEL_NAMES,
    VISCOSITY_SOURCE,
    by_label,
    find_exact,
    mean_estimate,
    require,
    water_viscosity_mpa_s,
)
from nanocloak.analysis.uncertainty import estimate_from_ufloat
from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

LAG_NAMES = ("tau", "lag", "lag time", "delay", "delay time", "correlation time", "time")
G2_NAMES = ("g2", "g2(tau)", "G2")
G2_MINUS_1_NAMES = ("g2-1", "g2 - 1", "g2minus1", "correlation", "C", "g1^2", "beta g1^2")
SIZE_NAMES = ("Z-average", "Z-ave", "Z-avg", "Z average", "Zave", "size", "diameter", "d_H", "dH")
PDI_NAMES = ("PDI", "polydispersity index", "Pdi")
PDI_POLYDISPERSE = 0.3
"""Above this PDI a sample is called polydisperse: the acceptance limit for lipid-based
nanocarriers reviewed by Danaei et al., Pharmaceutics 2018, 10, 57 (doi:10.3390/
pharmaceutics10020057)."""
PDI_TOO_BROAD = 0.7
"""Above this PDI the distribution is too broad for cumulants/DLS: Malvern Instruments, "Dynamic
light scattering: common terms defined" (Inform white paper, 2011); also Bettersize's
PDI note quoted in shared analysis.md §4."""
BETA_MIN = 0.1
BETA_MAX = 1.05
"""Heuristic thresholds (no published source) on the intercept β: below 0.1 the correlation
signal is weak; above 1 (with 5 % tolerance) the baseline is not 1 (g2 read as g2 − 1)."""


@dataclass(frozen=True, slots=True)
class DLSSetup:
    """Optical and solvent settings of a DLS measurement.

    Attributes
    ----------
    wavelength_nm
        Laser wavelength in vacuum λ (nm); 633 for a He–Ne laser.
    angle_deg
        Scattering angle θ (degrees); 173 for back-scatter (NIBS) instruments, 90 for classic.
    refractive_index
        Refractive index n of the dispersant (1.330 for water).
    temperature_c
        Temperature (°C).
    viscosity_mpa_s
        Dispersant viscosity η (mPa·s); None for water at ``temperature_c`` (Vogel equation).
    """

    wavelength_nm: float = 633.0
    angle_deg: float = 173.0
    refractive_index: float = 1.330
    temperature_c: float = 25.0
    viscosity_mpa_s: float | None = None

    def __post_init__(self) -> None:
        for name in ("wavelength_nm", "refractive_index", "viscosity_mpa_s"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise SpecificationError(name, value, "a positive number")
        if not 0.0 < self.angle_deg <= 180.0:
            raise SpecificationError("angle_deg", self.angle_deg, "an angle in (0, 180] degrees")
        if self.temperature_c <= -273.15:
            raise SpecificationError("temperature_c", self.temperature_c, "above absolute zero")

    @property
    def viscosity_pa_s(self) -> float:
        """η (Pa·s)."""
        eta = self.viscosity_mpa_s
        return (water_viscosity_mpa_s(self.temperature_c) if eta is None else eta) * 1e-3

    @property
    def q_per_m(self) -> float:
        """Scattering vector q = (4πn/λ)·sin(θ/2) (1/m)."""
        return scattering_vector_per_m(self.wavelength_nm, self.angle_deg, self.refractive_index)


def scattering_vector_per_m(
    wavelength_nm: float, angle_deg: float, refractive_index: float
) -> float:
    """q = (4πn/λ)·sin(θ/2) (1/m).

    Parameters
    ----------
    wavelength_nm
        Vacuum wavelength λ (nm).
    angle_deg
        Scattering angle θ (degrees).
    refractive_index
        Refractive index n of the dispersant.
    """
    return (
        4.0
        * math.pi
        * refractive_index
        / (wavelength_nm * 1e-9)
        * math.sin(math.radians(angle_deg) / 2.0)
    )


def _cumulant_model(tau: ArrayLike, ln_beta: float, gamma: float, mu2: float) -> ArrayLike:
    t = np.asarray(tau, dtype=float)
    return ln_beta - 2.0 * gamma * t + mu2 * t**2


def cumulants(
    tau_s: ArrayLike,
    correlation: ArrayLike,
    *,
    baseline_subtracted: bool = False,
    setup: DLSSetup | None = None,
    cutoff: float = 0.1,
    title: str = "DLS cumulants",
) -> AnalysisResult:
    """Z-average and PDI by the second-order cumulant fit (ISO 22412).

    Parameters
    ----------
    tau_s
        Lag times τ (s).
    correlation
        g2(τ) (baseline 1) or, with ``baseline_subtracted``, g2(τ) − 1.
    baseline_subtracted
        Whether ``correlation`` is already g2 − 1.
    setup
        Instrument and dispersant settings (default: 633 nm, 173°, water at 25 °C).
    cutoff
        Fit lags from the first point while g2 − 1 ≥ ``cutoff`` × intercept (fraction, 0–1).
    title
        Title of the result.
    """
    setup = setup or DLSSetup()
    if not 0.0 < cutoff < 1.0:
        raise SpecificationError("cutoff", cutoff, "a fraction between 0 and 1", "e.g. 0.1")
    tau = np.asarray(tau_s, dtype=float)
    y = np.asarray(correlation, dtype=float) - (0.0 if baseline_subtracted else 1.0)
    keep = np.isfinite(tau) & np.isfinite(y) & (tau > 0)
    tau, y = tau[keep], y[keep]
    order = np.argsort(tau)
    tau, y = tau[order], y[order]
    if tau.size < 5:
        raise DataFormatError(f"{title}: a cumulant fit needs ≥ 5 lag times; got {tau.size}")
    intercept = float(np.max(y[: min(3, y.size)]))
    if intercept <= 0:
        raise DataFormatError(
            f"{title}: g2 − 1 is not positive at short lags; is the column g2 (baseline 1) "
            "or g2 − 1? Name it 'g2' or 'g2-1'"
        )
    below = np.flatnonzero(y < cutoff * intercept)
    end = int(below[0]) if below.size else y.size
    if end < 4:
        raise DataFormatError(
            f"{title}: only {end} lags above {cutoff:g}×intercept; the correlation decays "
            "before the first lags — check the lag-time unit"
        )
    t_fit, y_fit = tau[:end], y[:end]
    model = lmfit.Model(_cumulant_model, independent_vars=["tau"])
    slope = np.polyfit(t_fit, np.log(y_fit), 1)[0]
    params = model.make_params(ln_beta=math.log(intercept), gamma=max(-slope / 2.0, 1e-12), mu2=0)
    # weights = y: the residual in ln y times y ≈ the residual in y, so points near the noise
    # floor (where ln y is dominated by noise) do not dominate the fit.
    fit = model.fit(np.log(y_fit), params, tau=t_fit, weights=y_fit)
    values = [float(fit.params[name].value) for name in fit.var_names]
    u: dict[str, Any] = dict(zip(fit.var_names, values, strict=True))
    if fit.covar is not None:  # a perfect fit leaves lmfit without a covariance
        u = dict(zip(fit.var_names, correlated_values(values, fit.covar), strict=True))
    gamma, mu2 = u["gamma"], u["mu2"]
    q = setup.q_per_m
    eta = setup.viscosity_pa_s
    kelvin = setup.temperature_c + 273.15
    diffusion = gamma / q**2
    d_h_nm = BOLTZMANN_J_PER_K * kelvin / (3.0 * math.pi * eta * diffusion) * 1e9
    pdi = mu2 / gamma**2
    beta = float(np.exp(fit.params["ln_beta"].value))

    def est(name: str, value: Any, unit: str, label: str) -> Estimate:
        return estimate_from_ufloat(
            name,
            value,
            unit,
            label=label,
            note="SE from the fit covariance, first-order propagation",
            with_ci=False,
        )

    estimates = (
        est("z_average", d_h_nm, "nm", "Z-average d_H"),
        est("pdi", pdi, "", "PDI = μ2/Γ̄²"),
        est("gamma", gamma, "1/s", "mean decay rate Γ̄"),
        est("mu2", mu2, "1/s^2", "second cumulant μ2"),
        est("diffusion", diffusion * 1e12, "um^2/s", "diffusion coefficient D"),
        Estimate("intercept", beta, "", label="intercept β"),
    )
    warnings = _warnings(float(getattr(pdi, "nominal_value", pdi)), beta, end)
    formulas = (
        "Siegert relation g2(τ) = 1 + β·g1(τ)²; second-order cumulants (ISO 22412:2017): "
        "ln(g2 − 1) = ln β − 2Γ̄τ + μ2τ², fitted by lmfit with weights (g2 − 1) on lags from the "
        f"first until g2 − 1 < {cutoff:g} × intercept ({end} of {tau.size} lags).",
        f"q = (4πn/λ)·sin(θ/2) = {q:.5g} 1/m with n = {setup.refractive_index}, "
        f"λ = {setup.wavelength_nm} nm, θ = {setup.angle_deg}°.",
        f"D = Γ̄/q²; Z-average d_H = k_B·T/(3πηD) with T = {kelvin:.2f} K, "
        f"η = {eta * 1e3:.4g} mPa·s"
        + (f" (water, {VISCOSITY_SOURCE})" if setup.viscosity_mpa_s is None else "")
        + ".",
        "PDI = μ2/Γ̄² (%PD = 100·√PDI); the Z-average is an intensity-weighted harmonic mean.",
        f"Warnings: PDI > {PDI_POLYDISPERSE:g} polydisperse (Danaei et al. 2018), PDI > "
        f"{PDI_TOO_BROAD:g} too broad for cumulants (Malvern white paper 2011); intercept β < "
        f"{BETA_MIN:g} or > {BETA_MAX:g}: heuristic thresholds.",
    )
    panel = Panel(
        (
            Series(tau * 1e6, y, "g2 − 1", "points"),
            Series(t_fit * 1e6, np.exp(np.asarray(fit.best_fit, dtype=float)), "cumulant fit"),
        ),
        "lag time τ (µs)",
        "g2 − 1",
        title,
        xscale="log",
    )
    return AnalysisResult(
        kind="dls_cumulants",
        title=title,
        estimates=estimates,
        formulas=formulas,
        warnings=warnings,
        panels=(panel,),
        provenance={
            "wavelength_nm": setup.wavelength_nm,
            "angle_deg": setup.angle_deg,
            "refractive_index": setup.refractive_index,
            "temperature_c": setup.temperature_c,
            "viscosity_mpa_s": eta * 1e3,
            "cutoff": cutoff,
            "lags_fitted": end,
        },
    )


def _warnings(pdi: float, beta: float, n_fit: int) -> tuple[str, ...]:
    notes = []
    if pdi > PDI_TOO_BROAD:
        notes.append(
            f"PDI = {pdi:.2f} > {PDI_TOO_BROAD:g}: too broad for cumulants; use a size distribution"
        )
    elif pdi > PDI_POLYDISPERSE:
        notes.append(
            f"PDI = {pdi:.2f} > {PDI_POLYDISPERSE:g}: polydisperse; the Z-average is not a "
            "typical size"
        )
    if pdi < -0.005:
        notes.append("negative PDI: noise or a fit range too short; the value is not meaningful")
    if beta < BETA_MIN:
        notes.append(
            f"intercept β = {beta:.3f} < {BETA_MIN:g}: weak or unstable signal (dust, low count)"
        )
    if beta > BETA_MAX:
        notes.append(f"intercept β = {beta:.3f} > 1: the baseline is not 1; check g2 vs g2 − 1")
    if n_fit < 10:
        notes.append(f"only {n_fit} lags in the fit range; Γ̄ and μ2 are poorly determined")
    return tuple(notes)


def size_shift(
    core_nm: ArrayLike,
    coated_nm: ArrayLike,
    *,
    core_label: str = "core",
    coated_label: str = "coated",
    core_pdi: ArrayLike | None = None,
    coated_pdi: ArrayLike | None = None,
    ci_level: float = 0.95,
    title: str = "Size shift on coating",
) -> AnalysisResult:
    """Δd = mean Z-average (coated) − mean Z-average (core), with a Welch interval.

    Parameters
    ----------
    core_nm, coated_nm
        Replicate Z-averages of the bare cores and of the coated particles (nm).
    core_label, coated_label
        Names in the report.
    core_pdi, coated_pdi
        Replicate PDIs, reported as means with SE when given.
    ci_level
        Confidence level.
    title
        Title of the result.
    """
    a = np.asarray(core_nm, dtype=float)
    b = np.asarray(coated_nm, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size == 0 or b.size == 0:
        raise DataFormatError(f"{title}: both samples need at least one Z-average")
    delta = float(b.mean() - a.mean())
    warnings = []
    if a.size >= 2 and b.size >= 2:
        se = math.sqrt(b.var(ddof=1) / b.size + a.var(ddof=1) / a.size)
        test = stats.ttest_ind(b, a, equal_var=False)
        ci = test.confidence_interval(ci_level)
        shift = Estimate(
            "size_shift",
            delta,
            "nm",
            se,
            (float(ci.low), float(ci.high)),
            ci_level,
            f"Δd ({coated_label} − {core_label})",
            f"Welch SE √(s₁²/n₁ + s₂²/n₂), df = {float(test.df):.3g}; p = {float(test.pvalue):.3g}",
        )
    else:
        shift = Estimate("size_shift", delta, "nm", label=f"Δd ({coated_label} − {core_label})")
        warnings.append("fewer than 2 replicates in a sample: no uncertainty; measure ≥ 3 runs")
    if a.size < 3 or b.size < 3:
        warnings.append("report mean ± SD of ≥ 3 runs per sample")
    if delta < 0:
        warnings.append("the coated particles are smaller than the cores: check the labels")
    pdis = [
        mean_estimate(f"pdi[{label}]", pdi, "", f"PDI, {label}", ci_level)
        for label, pdi in ((core_label, core_pdi), (coated_label, coated_pdi))
        if pdi is not None and np.size(pdi)
    ]
    estimates = (
        mean_estimate(f"z_average[{core_label}]", a, "nm", f"Z-average, {core_label}", ci_level),
        mean_estimate(
            f"z_average[{coated_label}]", b, "nm", f"Z-average, {coated_label}", ci_level
        ),
        shift,
        *pdis,
    )
    return AnalysisResult(
        kind="dls_size_shift",
        title=title,
        estimates=estimates,
        formulas=(
            "Δd = mean(Z_coated) − mean(Z_core); SE = √(s_coated²/n_coated + s_core²/n_core); "
            "Welch t interval. A membrane bilayer typically adds ~10–20 nm to the diameter.",
        ),
        warnings=tuple(warnings),
        panels=(
            Panel(
                (
                    Series(
                        np.array([0.0, 1.0]),
                        np.array([a.mean(), b.mean()]),
                        "mean ± SD",
                        "bar",
                        np.array([_sd(a), _sd(b)]),
                    ),
                ),
                f"0 = {core_label}, 1 = {coated_label}",
                "Z-average (nm)",
                title,
            ),
        ),
    )


def _sd(x: np.ndarray) -> float:
    return float(np.std(x, ddof=1)) if x.size > 1 else 0.0


def analyze_dls_table(
    table: LabTable,
    *,
    setup: DLSSetup | None = None,
    cutoff: float = 0.1,
    reference: str | None = None,
    title: str | None = None,
) -> list[AnalysisResult]:
    """Cumulants from a correlation-function table, or size shifts from a Z-average table.

    A table with a lag-time column (``tau (µs)``) and ``g2`` or ``g2-1`` is a correlation
    function: one result. A table with ``sample`` and ``Z-average (nm)`` columns gives the size
    shift of every sample against ``reference`` (default: the first sample).

    Parameters
    ----------
    table
        The lab table.
    setup
        Instrument and dispersant settings.
    cutoff
        Cumulant fit range (fraction of the intercept).
    reference
        The bare-core sample label for size shifts.
    title
        Title (default: the table's source).
    """
    name = title or table.source
    lag = find_exact(table, LAG_NAMES)
    if lag is not None:
        g2 = find_exact(table, G2_NAMES)
        g2m1 = find_exact(table, G2_MINUS_1_NAMES)
        if g2 is None and g2m1 is None:
            raise DataFormatError(
                f"{table.source}: a lag-time column needs 'g2' or 'g2-1'; columns are: "
                f"{table.columns}"
            )
        tau = table.column([lag], "s", what="lag time")
        values = table.column([g2 or g2m1 or ""], None)
        return [
            cumulants(
                tau,
                values,
                baseline_subtracted=g2 is None,
                setup=setup,
                cutoff=cutoff,
                title=name,
            )
        ]
    size = require(table, SIZE_NAMES, "a lag time (correlation function) or a Z-average")
    sizes = by_label(table, size, "nm")
    if find_exact(table, LABEL_NAMES) is None or len(sizes) < 2:
        raise DataFormatError(
            f"{table.source}: size shifts need a 'sample' column with ≥ 2 samples"
        )
    ref = reference or next(iter(sizes))
    if ref not in sizes:
        raise SpecificationError("reference", ref, f"one of the samples {list(sizes)}")
    pdi_column = find_exact(table, PDI_NAMES)
    pdis = {} if pdi_column is None else by_label(table, pdi_column)
    return [
        size_shift(
            sizes[ref],
            values,
            core_label=ref,
            coated_label=label,
            core_pdi=pdis.get(ref),
            coated_pdi=pdis.get(label),
            title=f"{name}: {label} vs {ref}",
        )
        for label, values in sizes.items()
        if label != ref
    ]
