r"""Calibrate the base nanoparticle PBPK model: liver and spleen phagocytic uptake, tumor retention.

Run ``python examples/calibration/pbpk/fit_base_model.py`` from the repository root; it prints the
fitted values, their 95 % confidence intervals and the checks, ready to be copied into
``src/nanocloak/knowledge/data/pbpk_nanoparticle.yaml`` (``status: derived``).
``tests/reference/test_pk_base_calibration_refit.py`` re-runs both fits and checks the shipped
values.

Step 1 — liver and spleen uptake (``liver.k_max``, ``liver.k_50``, ``spleen.k_max``,
``spleen.k_50``), Hill coefficients held at the published 5:
    :func:`nanocloak.workflows.calibrate_pk.calibrate_pk` on the liver and spleen rows of
    ``../pegau_13nm_mouse.csv`` (PEG-coated 13-nm gold, 0.85 mg/kg IV, ng/g, 0.5–4320 h),
    proportional errors :math:`r = \ln P - \ln O`, 95 % covariance intervals (Student t). The
    Hill coefficients are not identifiable from seven sampling times per organ (freeing them
    leaves them at their bounds with intervals spanning decades, and raises the AIC), so they
    keep the published value. The kidney and lung rows are left out: their early values are set
    by the organs' capillary blood, which these parameters do not govern.

Step 2 — tumor retention (``tumor.permeability``, ``tumor.k_release``), with step 1's values:
    ``calibrate_pk`` on two observations, the medians of DE24 and DE168 over the 378 datasets of
    ``cheng2020_g1_tumor_de.csv`` (Cheng 2020 / G1), weighted by their bootstrap standard errors
    (2,000 resamples of the datasets, fixed seed): :math:`r = (P - O)/SE`. Two observations, two
    parameters: the fit is exact and its covariance interval carries the sampling uncertainty of
    the medians. The median DEmax is not fitted; it is printed as a check.

Every other nanoparticle parameter is held at its **published** value
(``pbpk.nanoparticle_defaults("published")``), and both fits start from the published values,
so re-running the script does not depend on the values it produced.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nanocloak.io.pk_data import PkObservations, read_pk_data
from nanocloak.knowledge import pbpk
from nanocloak.results.pk_fit import PkFitResult
from nanocloak.workflows.calibrate_pk import calibrate_pk
from nanocloak.workflows.simulate_pk import simulate_pk

HERE = Path(__file__).resolve().parent
PEGAU_CSV = HERE.parent / "pegau_13nm_mouse.csv"
G1_CSV = HERE / "cheng2020_g1_tumor_de.csv"

ORGAN_FIT = ("liver.k_max", "liver.k_50", "spleen.k_max", "spleen.k_50")
ORGAN_BOUNDS = {
    "liver.k_max": (1e-3, 1e3),
    "liver.k_50": (1e-2, 1e4),
    "spleen.k_max": (1e-3, 1e3),
    "spleen.k_50": (1e-2, 1e4),
}
PEGAU_DOSE_MG_PER_KG = 0.85
PEGAU_ORGANS = ("liver", "spleen")

TUMOR_FIT = ("tumor.permeability", "tumor.k_release")
TUMOR_BOUNDS = {"tumor.permeability": (1e-7, 1.0), "tumor.k_release": (1e-5, 10.0)}
#: The base model's dose for DE (%ID is dose-independent in the linear Hill model).
TUMOR_DOSE_MG_PER_KG = 5.0
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20200301
CI_LEVEL = 0.95


@dataclass(frozen=True)
class BaseCalibration:
    """The two fits and the checks printed by :func:`main`."""

    organs: PkFitResult
    tumor: PkFitResult
    medians: dict[str, float]
    standard_errors: dict[str, float]
    predicted: dict[str, float]

    def shipped(self) -> dict[str, tuple[float, float, float]]:
        """Fitted key → (value, CI low, CI high), in the knowledge-base units."""
        out = {}
        for fit in (self.organs, self.tumor):
            for estimate in fit.estimates:
                if estimate.ci is None:
                    raise RuntimeError(f"{estimate.name}: no confidence interval")
                out[estimate.name] = (estimate.value, *estimate.ci)
        return out


def published_fixed() -> dict[str, float]:
    """Every organ and tumor nanoparticle parameter at its published value (model units)."""
    defaults = pbpk.nanoparticle_defaults("published")
    out: dict[str, float] = {}
    for organ, entry in (*defaults.organs.items(), ("tumor", defaults.tumor)):
        for field in sorted(pbpk.OVERRIDABLE):
            value = getattr(entry, field)
            if value is not None:
                out[f"{organ}.{field}"] = value.to(pbpk.FIELD_UNITS[field])
    return out


def pegau_observations() -> PkObservations:
    """The liver and spleen rows of the PEG-gold calibration time course."""
    data = read_pk_data(PEGAU_CSV)
    rows = [i for i, organ in enumerate(data.organ) if organ in PEGAU_ORGANS]
    return PkObservations.from_rows(
        [float(data.time_h[i]) for i in rows],
        [data.organ[i] for i in rows],
        [data.quantity[i] for i in rows],
        [float(data.value[i]) for i in rows],
        source=f"{PEGAU_CSV.name} (liver and spleen rows)",
    )


def g1_medians() -> tuple[dict[str, float], dict[str, float]]:
    """Medians of DE24, DE168 and DEmax over the G1 datasets, and bootstrap SEs of the first two."""
    lines = [line for line in G1_CSV.read_text().splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    columns = {"DE24": "de24_percent", "DE168": "de168_percent", "DEmax": "demax_percent"}
    table = {key: np.array([float(r[col]) for r in rows]) for key, col in columns.items()}
    medians = {key: float(np.median(values)) for key, values in table.items()}
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = rng.integers(0, len(rows), size=(BOOTSTRAP_RESAMPLES, len(rows)))
    errors = {
        key: float(np.std(np.median(table[key][draws], axis=1), ddof=1))
        for key in ("DE24", "DE168")
    }
    return medians, errors


def fit_organs() -> PkFitResult:
    """Step 1: liver and spleen k_max and k_50 to the PEG-gold time course."""
    fixed = {k: v for k, v in published_fixed().items() if k not in ORGAN_FIT}
    initial = {k: v for k, v in published_fixed().items() if k in ORGAN_FIT}
    return calibrate_pk(
        pegau_observations(),
        ORGAN_FIT,
        dose_mg_per_kg=PEGAU_DOSE_MG_PER_KG,
        fixed=fixed,
        initial=initial,
        bounds=ORGAN_BOUNDS,
        residuals="log",
        ci="covariance",
        ci_level=CI_LEVEL,
        max_nfev=200,
    )


def fit_tumor(organs: PkFitResult) -> tuple[PkFitResult, dict[str, float], dict[str, float]]:
    """Step 2: tumor permeability and release to the G1 DE24 and DE168 medians."""
    medians, errors = g1_medians()
    observations = PkObservations.from_rows(
        [24.0, 168.0],
        ["tumor", "tumor"],
        ["%ID", "%ID"],
        [medians["DE24"], medians["DE168"]],
        sd=[errors["DE24"], errors["DE168"]],
        source=f"{G1_CSV.name} (medians over datasets, bootstrap SEs)",
    )
    fixed = {k: v for k, v in published_fixed().items() if k not in TUMOR_FIT}
    fixed.update(organs.parameters)
    initial = {k: v for k, v in published_fixed().items() if k in TUMOR_FIT}
    fit = calibrate_pk(
        observations,
        TUMOR_FIT,
        dose_mg_per_kg=TUMOR_DOSE_MG_PER_KG,
        fixed=fixed,
        initial=initial,
        bounds=TUMOR_BOUNDS,
        residuals="weighted",
        ci="covariance",
        ci_level=CI_LEVEL,
        max_nfev=200,
    )
    return fit, medians, errors


def calibrate() -> BaseCalibration:
    """Both steps, plus the base model's predictions with the fitted values (checks)."""
    organs = fit_organs()
    tumor, medians, errors = fit_tumor(organs)
    params = {**published_fixed(), **organs.parameters, **tumor.parameters}
    result = simulate_pk("mouse", TUMOR_DOSE_MG_PER_KG, None, 168.0, params)
    metrics = result.metrics()
    at24 = int(np.searchsorted(result.t_h, 24.0))
    predicted = {
        "DE24": float(metrics["DE24_percent"]),
        "DE168": float(metrics["DE168_percent"]),
        "DEmax": float(metrics["DEmax_percent"]),
        "liver+spleen 24 h": float(result.series("liver")[at24] + result.series("spleen")[at24]),
    }
    return BaseCalibration(organs, tumor, medians, errors, predicted)


def main() -> None:
    cal = calibrate()
    for name, fit in (("organs (PEG-gold)", cal.organs), ("tumor (G1 medians)", cal.tumor)):
        gof = ", ".join(f"{k} {fit.gof[k]:.4g}" for k in ("n_obs", "chi2", "aic", "gmfe"))
        print(f"# {name}: converged {fit.converged}; {gof}")
        for warning in fit.warnings:
            print(f"#   warning: {warning}")
    for key, (value, low, high) in cal.shipped().items():
        print(f"{key}: value {value:.4g}, {CI_LEVEL:.0%} CI {low:.4g} - {high:.4g}")
    for key in ("DE24", "DE168", "DEmax"):
        se = cal.standard_errors.get(key, math.nan)
        print(
            f"{key}: G1 median {cal.medians[key]:.3g} (bootstrap SE {se:.2g}), "
            f"model {cal.predicted[key]:.3g} %ID"
        )
    print(f"liver + spleen at 24 h (5 mg/kg): {cal.predicted['liver+spleen 24 h']:.3g} %ID")


if __name__ == "__main__":
    main()
