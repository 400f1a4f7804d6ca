r"""Release laws on log time: logistic, Gompertz and probit.

They use ``log10 t`` by default, as in Excel's ``LOG`` used by DDSolver; ``log_base`` makes the
base explicit, and their location parameters depend on the time unit (h here). ``F`` in % of
the loaded dose, 0 at t = 0.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, ndtr

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.release.kinetic_laws import nonnegative_time_h


def _log_t(t_h: FloatArray, log_base: float) -> FloatArray:
    """log_base(t), with -inf at t <= 0 and no floating-point warning."""
    positive = t_h > 0.0
    out = np.full(t_h.shape, -np.inf)
    out[positive] = np.log(t_h[positive]) / np.log(log_base)
    return out


def logistic(
    t_h: FloatArray | float,
    alpha: float,
    beta: float,
    fmax: float = 100.0,
    log_base: float = 10.0,
) -> FloatArray:
    r"""Logistic law, :math:`F = F_\mathrm{max}\,\mathrm{expit}(\alpha + \beta\log t)`.

    Parameters
    ----------
    t_h
        Time (h).
    alpha
        Location (dimensionless; depends on the time unit).
    beta
        Slope on log time (dimensionless).
    fmax
        Plateau (%).
    log_base
        Base of the logarithm of time (10 by default).
    """
    out: FloatArray = fmax * expit(alpha + beta * _log_t(nonnegative_time_h(t_h), log_base))
    return out


def gompertz(
    t_h: FloatArray | float,
    alpha: float,
    beta: float,
    fmax: float = 100.0,
    log_base: float = 10.0,
) -> FloatArray:
    r"""Gompertz law, :math:`F = F_\mathrm{max}\exp[-\alpha e^{-\beta\log t}]`.

    Parameters
    ----------
    t_h
        Time (h).
    alpha
        Scale (dimensionless; depends on the time unit).
    beta
        Shape on log time (dimensionless).
    fmax
        Plateau (%).
    log_base
        Base of the logarithm of time (10 by default).
    """
    t = nonnegative_time_h(t_h)
    positive = t > 0.0
    out = np.zeros(t.shape)
    log_t = _log_t(t, log_base)[positive]
    out[positive] = fmax * np.exp(-alpha * np.exp(np.clip(-beta * log_t, -700.0, 700.0)))
    return out


def probit(
    t_h: FloatArray | float,
    alpha: float,
    beta: float,
    fmax: float = 100.0,
    log_base: float = 10.0,
) -> FloatArray:
    r"""Probit law, :math:`F = F_\mathrm{max}\,\Phi(\alpha + \beta\log t)`.

    Parameters
    ----------
    t_h
        Time (h).
    alpha
        Location (dimensionless; depends on the time unit).
    beta
        Slope on log time (dimensionless).
    fmax
        Plateau (%).
    log_base
        Base of the logarithm of time (10 by default).
    """
    out: FloatArray = fmax * ndtr(alpha + beta * _log_t(nonnegative_time_h(t_h), log_base))
    return out
