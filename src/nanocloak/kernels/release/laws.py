r"""Cumulative release laws F(t) in % of the loaded dose, with t in hours.

Each law is a pure function of a time array ``t_h`` (h) and its parameters, returning the
cumulative release ``F`` (% of the loaded dose). The forms follow the DDSolver library
(Zhang et al., AAPS J 2010;12:263, doi:10.1208/s12248-010-9185-1) and Costa & Lobo,
Eur J Pharm Sci 2001;13:123 (doi:10.1016/S0928-0987(01)00095-1). ``release_curve`` adds
the DDSolver variants to any law:

.. math::

    F(t) = F_0 + f\bigl(\max(t - T_\mathrm{lag}, 0)\bigr)

with the burst ``F0`` (%) and the lag time ``Tlag`` (h); the plateau variant replaces the
100 % of the laws that tend to complete release by a fitted ``Fmax`` (%). Every law is
0 at ``t = 0``, so ``F = F0`` for ``t <= Tlag``.

The log-time families (logistic, Gompertz, probit) use ``log10 t`` by default, as in Excel's
``LOG`` used by DDSolver; ``log_base`` makes the base explicit. Rate constants are in
reciprocal hours because t is in hours: refit with t in minutes and they change scale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.special import expit, ndtr

from nanocloak.kernels.arrays import FloatArray

__all__ = [
    "LAWS",
    "ReleaseLaw",
    "baker_lonsdale",
    "baker_lonsdale_lhs",
    "first_order",
    "gompertz",
    "higuchi",
    "hixson_crowell",
    "hopfenberg",
    "korsmeyer_peppas",
    "logistic",
    "makoid_banakar",
    "peppas_sahlin",
    "peppas_sahlin_2",
    "probit",
    "quadratic",
    "release_curve",
    "weibull",
    "zero_order",
]


def _t(t_h: FloatArray | float) -> FloatArray:
    out: FloatArray = np.maximum(np.asarray(t_h, dtype=float), 0.0)
    return out


def _log_t(t_h: FloatArray, log_base: float) -> FloatArray:
    """log_base(t), with -inf at t <= 0 and no floating-point warning."""
    positive = t_h > 0.0
    out = np.full(t_h.shape, -np.inf)
    out[positive] = np.log(t_h[positive]) / np.log(log_base)
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
    return k0 * _t(t_h)


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
    return fmax * -np.expm1(-k1 * _t(t_h))


def higuchi(t_h: FloatArray | float, kh: float) -> FloatArray:
    r"""Higuchi square-root-of-time release, :math:`F = k_H \sqrt{t}` (Higuchi 1963).

    Parameters
    ----------
    t_h
        Time (h).
    kh
        Higuchi constant (%/h^0.5).
    """
    return kh * np.sqrt(_t(t_h))


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
    return kkp * _t(t_h) ** n


def _shrinking(t_h: FloatArray | float, k: float, exponent: float, fmax: float) -> FloatArray:
    remaining = np.clip(1.0 - k * _t(t_h), 0.0, 1.0)
    return fmax * (1.0 - remaining**exponent)


def hixson_crowell(t_h: FloatArray | float, khc: float, fmax: float = 100.0) -> FloatArray:
    r"""Hixson–Crowell cube-root law, :math:`F = F_\mathrm{max}[1 - (1 - k_{HC} t)^3]`.

    Complete (``F = Fmax``) once :math:`k_{HC} t \ge 1`.

    Parameters
    ----------
    t_h
        Time (h).
    khc
        Hixson–Crowell constant (1/h).
    fmax
        Plateau (%).
    """
    return _shrinking(t_h, khc, 3.0, fmax)


def hopfenberg(
    t_h: FloatArray | float, khb: float, n_geom: float = 3.0, fmax: float = 100.0
) -> FloatArray:
    r"""Hopfenberg surface-erosion law, :math:`F = F_\mathrm{max}[1 - (1 - k_{HB} t)^{n}]`.

    Parameters
    ----------
    t_h
        Time (h).
    khb
        Erosion constant :math:`k_0/(C_0 a_0)` (1/h).
    n_geom
        Geometry: 1 slab, 2 cylinder, 3 sphere (held fixed, not fitted).
    fmax
        Plateau (%).
    """
    return _shrinking(t_h, khb, n_geom, fmax)


def baker_lonsdale_lhs(f_pct: FloatArray | float) -> FloatArray:
    r"""Left side of the Baker–Lonsdale law, :math:`\tfrac32[1-(1-F/100)^{2/3}] - F/100`.

    Parameters
    ----------
    f_pct
        Cumulative release (%), between 0 and 100.
    """
    f = np.clip(np.asarray(f_pct, dtype=float) / 100.0, 0.0, 1.0)
    return 1.5 * (1.0 - (1.0 - f) ** (2.0 / 3.0)) - f


def baker_lonsdale(t_h: FloatArray | float, kbl: float) -> FloatArray:
    r"""Baker–Lonsdale release from a sphere (Baker & Lonsdale 1974), solved for F.

    The law is implicit in F:

    .. math::

        \tfrac32\bigl[1 - (1 - F/100)^{2/3}\bigr] - F/100 = k_{BL} t .

    With :math:`u = (1 - F/100)^{1/3}` it is the cubic :math:`u^3 - \tfrac32 u^2 +
    \tfrac12 - k_{BL} t = 0`, whose root in [0, 1] is
    :math:`u = \tfrac12 + \cos\bigl[\tfrac13\arccos(4 k_{BL} t - 1) - \tfrac{2\pi}{3}\bigr]`;
    release is complete once :math:`k_{BL} t \ge 1/2`.

    Parameters
    ----------
    t_h
        Time (h).
    kbl
        Baker–Lonsdale constant (1/h).
    """
    y = np.clip(kbl * _t(t_h), 0.0, 0.5)
    u = 0.5 + np.cos(np.arccos(np.clip(4.0 * y - 1.0, -1.0, 1.0)) / 3.0 - 2.0 * np.pi / 3.0)
    return 100.0 * (1.0 - np.clip(u, 0.0, 1.0) ** 3)


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
    t = _t(t_h)
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
    t = _t(t_h)
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
    t = _t(t_h)
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
    return fmax * -np.expm1(-(_t(t_h) ** beta) / alpha)


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
    out: FloatArray = fmax * expit(alpha + beta * _log_t(_t(t_h), log_base))
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
    t = _t(t_h)
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
    out: FloatArray = fmax * ndtr(alpha + beta * _log_t(_t(t_h), log_base))
    return out


@dataclass(frozen=True, slots=True)
class ReleaseLaw:
    """A release law with its parameters, units and the variants that apply to it.

    Attributes
    ----------
    name
        Key in ``LAWS``.
    label
        Name for reports.
    equation
        The law in plain text (t in h, F in %).
    func
        The kernel, called as ``func(t_h, **params, **constants)``.
    params
        Fitted parameter names, in order.
    units
        Unit of each fitted parameter (t in h).
    constants
        Held-fixed settings (Hopfenberg geometry, log base) and their defaults.
    plateau
        Whether the 100 % of the law can be replaced by a fitted ``fmax``.
    reference
        Primary reference.
    """

    name: str
    label: str
    equation: str
    func: Callable[..., FloatArray]
    params: tuple[str, ...]
    units: tuple[str, ...]
    constants: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    plateau: bool = False
    reference: str = ""

    def __call__(self, t_h: FloatArray | float, **values: float) -> FloatArray:
        """Evaluate the law (without lag or burst) at ``t_h`` (h)."""
        return self.func(t_h, **{**self.constants, **values})


def _law(
    name: str,
    label: str,
    equation: str,
    func: Callable[..., FloatArray],
    params: dict[str, str],
    *,
    constants: dict[str, float] | None = None,
    plateau: bool = False,
    reference: str = "",
) -> ReleaseLaw:
    return ReleaseLaw(
        name,
        label,
        equation,
        func,
        tuple(params),
        tuple(params.values()),
        MappingProxyType(dict(constants or {})),
        plateau,
        reference,
    )


_LOG = {"log_base": 10.0}

LAWS: Mapping[str, ReleaseLaw] = MappingProxyType(
    {
        law.name: law
        for law in (
            _law(
                "zero_order",
                "Zero-order",
                "F = k0·t",
                zero_order,
                {"k0": "%/h"},
                reference="Costa & Lobo 2001, doi:10.1016/S0928-0987(01)00095-1",
            ),
            _law(
                "first_order",
                "First-order",
                "F = Fmax·(1 − exp(−k1·t))",
                first_order,
                {"k1": "1/h"},
                plateau=True,
                reference="Wagner 1969",
            ),
            _law(
                "higuchi",
                "Higuchi",
                "F = kH·t^0.5",
                higuchi,
                {"kh": "%/h^0.5"},
                reference="Higuchi 1963, doi:10.1002/jps.2600521210",
            ),
            _law(
                "korsmeyer_peppas",
                "Korsmeyer–Peppas",
                "F = kKP·t^n",
                korsmeyer_peppas,
                {"kkp": "%/h^n", "n": "1"},
                reference="Korsmeyer et al. 1983, doi:10.1016/0378-5173(83)90064-9",
            ),
            _law(
                "hixson_crowell",
                "Hixson–Crowell",
                "F = Fmax·[1 − (1 − kHC·t)^3]",
                hixson_crowell,
                {"khc": "1/h"},
                plateau=True,
                reference="Hixson & Crowell 1931, doi:10.1021/ie50260a018",
            ),
            _law(
                "hopfenberg",
                "Hopfenberg",
                "F = Fmax·[1 − (1 − kHB·t)^n_geom]",
                hopfenberg,
                {"khb": "1/h"},
                constants={"n_geom": 3.0},
                plateau=True,
                reference="Hopfenberg 1976, ACS Symp Ser 33:26",
            ),
            _law(
                "baker_lonsdale",
                "Baker–Lonsdale",
                "(3/2)·[1 − (1 − F/100)^(2/3)] − F/100 = kBL·t",
                baker_lonsdale,
                {"kbl": "1/h"},
                reference="Baker & Lonsdale 1974",
            ),
            _law(
                "makoid_banakar",
                "Makoid–Banakar",
                "F = kMB·t^n·exp(−k·t)",
                makoid_banakar,
                {"kmb": "%/h^n", "n": "1", "k": "1/h"},
                reference="Makoid et al. 1993",
            ),
            _law(
                "peppas_sahlin",
                "Peppas–Sahlin 1",
                "F = k1·t^m + k2·t^(2m)",
                peppas_sahlin,
                {"k1": "%/h^m", "k2": "%/h^2m", "m": "1"},
                reference="Peppas & Sahlin 1989, doi:10.1016/0378-5173(89)90306-2",
            ),
            _law(
                "peppas_sahlin_2",
                "Peppas–Sahlin 2",
                "F = k1·t^0.5 + k2·t",
                peppas_sahlin_2,
                {"k1": "%/h^0.5", "k2": "%/h"},
                reference="Peppas & Sahlin 1989, doi:10.1016/0378-5173(89)90306-2",
            ),
            _law(
                "quadratic",
                "Quadratic",
                "F = 100·(k1·t² + k2·t)",
                quadratic,
                {"k1": "1/h^2", "k2": "1/h"},
                reference="Polli et al. 1997",
            ),
            _law(
                "weibull",
                "Weibull",
                "F = Fmax·[1 − exp(−t^β/α)]",
                weibull,
                {"alpha": "h^β", "beta": "1"},
                plateau=True,
                reference="Langenbucher 1972",
            ),
            _law(
                "logistic",
                "Logistic",
                "F = Fmax·e^(α+β·log t)/(1 + e^(α+β·log t))",
                logistic,
                {"alpha": "1", "beta": "1"},
                constants=_LOG,
                plateau=True,
            ),
            _law(
                "gompertz",
                "Gompertz",
                "F = Fmax·exp(−α·e^(−β·log t))",
                gompertz,
                {"alpha": "1", "beta": "1"},
                constants=_LOG,
                plateau=True,
            ),
            _law(
                "probit",
                "Probit",
                "F = Fmax·Φ(α + β·log t)",
                probit,
                {"alpha": "1", "beta": "1"},
                constants=_LOG,
                plateau=True,
            ),
        )
    }
)


def release_curve(
    law: ReleaseLaw | str,
    t_h: FloatArray | float,
    params: Mapping[str, float],
    tlag_h: float = 0.0,
    f0_pct: float = 0.0,
) -> FloatArray:
    r"""Cumulative release (%) of ``law`` with lag time and burst.

    .. math:: F(t) = F_0 + f\bigl(\max(t - T_\mathrm{lag}, 0)\bigr)

    Parameters
    ----------
    law
        A ``ReleaseLaw`` or its name in ``LAWS``.
    t_h
        Time (h).
    params
        The law's parameters (and ``fmax`` in % for the plateau variant, or a constant such
        as ``n_geom`` or ``log_base`` to override its default).
    tlag_h
        Lag time (h).
    f0_pct
        Burst release at time zero (%).
    """
    chosen = LAWS[law] if isinstance(law, str) else law
    shifted = np.asarray(t_h, dtype=float) - tlag_h
    return f0_pct + chosen(np.maximum(shifted, 0.0), **params)
