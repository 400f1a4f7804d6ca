"""``calibrate_membrane``: fit membrane-layer constants to the calibration rows of a table.

The calibration rows of ``examples/validation/pk_observations.csv`` whose ``quantity`` is a
ratio between two scenarios (``kind`` ``value`` with a ``reference_scenario``; e.g. Hu 2011's
elimination half-life of RBC-coated over PEGylated particles) are residuals
:math:`\\ln(P_A/P_B) - \\ln O`; :func:`calibrate_membrane` minimises their sum of squares over
the chosen constants (log-transformed, within bounds) with ``scipy.optimize.least_squares``
and returns the fitted values, their approximate standard errors (from the Jacobian) and the
residuals. Validation rows are never used. The shipped constants in ``pbpk_membrane.yaml``
marked "fitted" are this function's output (a test re-runs the fit and compares).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from nanocloak.errors import SpecificationError
from nanocloak.workflows.validate_pk import Observation, load_observations, predict_ratio

#: constants fitted by default and their bounds (in the model's units).
DEFAULT_BOUNDS: dict[str, tuple[float, float]] = {
    "cd47.min_factor": (0.01, 1.0),
    "opsonization.bare_lag_ratio": (0.02, 1.0),
}


@dataclass(frozen=True, slots=True)
class MembraneCalibration:
    """Fitted constants, approximate standard errors of their logarithms, residuals.

    ``values`` maps ``"mechanism.name"`` to the fitted value; ``log_se`` to the standard error
    of ln(value) from the Gauss–Newton covariance (s² (JᵀJ)⁻¹); ``residuals`` maps each row id to
    ln(predicted/observed) at the optimum; ``rows`` lists the rows used.
    """

    values: dict[str, float]
    log_se: dict[str, float]
    residuals: dict[str, float]
    rows: tuple[str, ...]
    cost: float
    n_evaluations: int
    message: str = ""
    start: dict[str, float] = field(default_factory=dict)


def calibration_rows(observations: Sequence[Observation]) -> list[Observation]:
    """The ratio rows with role ``calibration`` (value rows with a reference scenario)."""
    return [
        o
        for o in observations
        if o.role == "calibration" and o.kind == "value" and o.reference_scenario
    ]


def calibrate_membrane(
    observations_path: str | Path,
    parameters: Mapping[str, tuple[float, float]] | None = None,
    *,
    start: Mapping[str, float] | None = None,
    n_particles: int = 1000,
) -> MembraneCalibration:
    """Fit membrane-layer constants to the calibration ratio rows of an observation table.

    Parameters
    ----------
    observations_path
        CSV observation table (see :mod:`nanocloak.workflows.validate_pk`).
    parameters
        ``"mechanism.name"`` → (lower, upper) bounds; default :data:`DEFAULT_BOUNDS`.
    start
        Starting values (default: geometric middle of the bounds).
    n_particles
        Particles of the manufacture model per evaluation.
    """
    bounds = dict(parameters or DEFAULT_BOUNDS)
    path = Path(observations_path)
    rows = calibration_rows(load_observations(path))
    if not rows:
        raise SpecificationError(
            "observations", str(path), "calibration value rows with a reference_scenario"
        )
    names = list(bounds)
    lo = np.log([bounds[n][0] for n in names])
    hi = np.log([bounds[n][1] for n in names])
    x0 = np.array(
        [
            math.log(start[n]) if start and n in start else 0.5 * (a + b)
            for n, a, b in zip(names, lo, hi, strict=True)
        ]
    )
    count = [0]

    def residual(x: np.ndarray) -> np.ndarray:
        count[0] += 1
        constants = {n: float(math.exp(v)) for n, v in zip(names, x, strict=True)}
        return np.array(
            [
                math.log(predict_ratio(o, path.parent, constants, n_particles) / o.observed)
                for o in rows
            ]
        )

    fit = least_squares(
        residual, np.clip(x0, lo, hi), bounds=(lo, hi), diff_step=1e-3, xtol=1e-6, ftol=1e-8
    )
    dof = max(len(rows) - len(names), 1)
    s2 = 2.0 * float(fit.cost) / dof
    jtj = fit.jac.T @ fit.jac
    cov = np.linalg.pinv(jtj) * s2
    return MembraneCalibration(
        values={n: float(math.exp(v)) for n, v in zip(names, fit.x, strict=True)},
        log_se={n: float(math.sqrt(max(cov[i, i], 0.0))) for i, n in enumerate(names)},
        residuals={o.id: float(r) for o, r in zip(rows, fit.fun, strict=True)},
        rows=tuple(o.id for o in rows),
        cost=float(fit.cost),
        n_evaluations=count[0],
        message=str(fit.message),
        start={n: float(math.exp(v)) for n, v in zip(names, x0, strict=True)},
    )
