r"""Release laws that are explicit functions of time: order kinetics, power laws and Weibull.

Each returns the cumulative release ``F`` (% of the loaded dose) at ``t_h`` (h), 0 at t = 0;
negative times are clamped to 0 (:func:`nonnegative_time_h`). Forms as in DDSolver (Zhang et
al., AAPS J 2010;12:263, doi:10.1208/s12248-010-9185-1); rate constants are per hour.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray


def nonnegative_time_h(t_h: FloatArray | float) -> FloatArray:
    """``t_h`` (h) as a float array with negative times set to 0."""
    out: FloatArray = np.maximum(np.asarray(t_h, dtype=float), 0.0)
    return out


def zero_order(t_h: FloatArray | float, k0: float) -> FloatArray:
    r"""Zero-order release, :math:`F = k_0 t`.

    Parameters
    ----------
    t_h
        Time (h).
    k0
        Release rate (%/h).
    """
    return k0 * nonnegative_time_h(t_h)


def first_order(t_h: FloatArray | float, k1: float, fmax: float = 100.0) -> FloatArray:
    r"""First-order release, :math:`F = F_\mathrm{max}(1 - e^{-k_1 t})` (Wagner 1969).

    Parameters
    ----------
    t_h
        Time (h).
    k1
        First-order rate constant (1/h).
    fmax
        Plateau (%), 100 unless the plateau variant is fitted.
    """
    return fmax * -np.expm1(-k1 * nonnegative_time_h(t_h))


def higuchi(t_h: FloatArray | float, kh: float) -> FloatArray:
    r"""Higuchi square-root-of-time release, :math:`F = k_H \sqrt{t}` (Higuchi 1963).

    Parameters
    ----------
    t_h
        Time (h).
    kh
        Higuchi constant (%/h^0.5).
    """
    return kh * np.sqrt(nonnegative_time_h(t_h))


def korsmeyer_peppas(t_h: FloatArray | float, kkp: float, n: float) -> FloatArray:
    r"""Korsmeyer–Peppas power law, :math:`F = k_{KP} t^n` (Korsmeyer et al. 1983).

    Valid for the first 60 % of release only; ``n`` is the release exponent.

    Parameters
    ----------
    t_h
        Time (h).
    kkp
        Release constant (%/h^n).
    n
        Release exponent (dimensionless).
    """
    return kkp * nonnegative_time_h(t_h) ** n


def makoid_banakar(t_h: FloatArray | float, kmb: float, n: float, k: float) -> FloatArray:
    r"""Makoid–Banakar law, :math:`F = k_{MB} t^n e^{-k t}` (Makoid et al. 1993).

    Parameters
    ----------
    t_h
        Time (h).
    kmb
        Scale (%/h^n).
    n
        Exponent (dimensionless).
    k
        Exponential rate (1/h).
    """
    t = nonnegative_time_h(t_h)
    return kmb * t**n * np.exp(-k * t)


def peppas_sahlin(t_h: FloatArray | float, k1: float, k2: float, m: float) -> FloatArray:
    r"""Peppas–Sahlin law 1, :math:`F = k_1 t^m + k_2 t^{2m}` (Peppas & Sahlin 1989).

    ``k1`` carries the Fickian part, ``k2`` the polymer-relaxation (case II) part.

    Parameters
    ----------
    t_h
        Time (h).
    k1
        Fickian constant (%/h^m).
    k2
        Relaxation constant (%/h^(2m)).
    m
        Diffusional exponent (dimensionless).
    """
    t = nonnegative_time_h(t_h)
    return k1 * t**m + k2 * t ** (2.0 * m)


def peppas_sahlin_2(t_h: FloatArray | float, k1: float, k2: float) -> FloatArray:
    r"""Peppas–Sahlin law 2 (slab, m = 0.5), :math:`F = k_1 t^{0.5} + k_2 t`.

    Parameters
    ----------
    t_h
        Time (h).
    k1
        Fickian constant (%/h^0.5).
    k2
        Relaxation constant (%/h).
    """
    return peppas_sahlin(t_h, k1, k2, 0.5)


def quadratic(t_h: FloatArray | float, k1: float, k2: float) -> FloatArray:
    r"""Quadratic law, :math:`F = 100(k_1 t^2 + k_2 t)` (Polli et al. 1997).

    Parameters
    ----------
    t_h
        Time (h).
    k1
        Quadratic constant (1/h^2, as a fraction of the dose).
    k2
        Linear constant (1/h, as a fraction of the dose).
    """
    t = nonnegative_time_h(t_h)
    return 100.0 * (k1 * t**2 + k2 * t)


def weibull(t_h: FloatArray | float, alpha: float, beta: float, fmax: float = 100.0) -> FloatArray:
    r"""Weibull law, :math:`F = F_\mathrm{max}\{1 - \exp(-t^\beta/\alpha)\}` (Langenbucher 1972).

    The scale is :math:`\alpha = \mathrm{MDT}^\beta`, so :math:`\mathrm{MDT} = \alpha^{1/\beta}`
    is the time to 63.2 % of ``fmax``; the location ``Ti`` is the lag variant.

    Parameters
    ----------
    t_h
        Time (h).
    alpha
        Scale (h^beta).
    beta
        Shape (dimensionless).
    fmax
        Plateau (%).
    """
    return fmax * -np.expm1(-(nonnegative_time_h(t_h) ** beta) / alpha)
