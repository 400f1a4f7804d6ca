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

The law functions live by family in :mod:`~nanocloak.kernels.release.kinetic_laws` (order,
power and Weibull), :mod:`~nanocloak.kernels.release.geometry_laws` (Hixson–Crowell,
Hopfenberg, Baker–Lonsdale) and :mod:`~nanocloak.kernels.release.log_time_laws` (logistic,
Gompertz, probit); this module catalogues them as ``ReleaseLaw`` records in ``LAWS`` and
re-exports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.release.geometry_laws import (
    baker_lonsdale,
    baker_lonsdale_lhs,
    hixson_crowell,
    hopfenberg,
)
from nanocloak.kernels.release.kinetic_laws import (
    first_order,
    higuchi,
    korsmeyer_peppas,
    makoid_banakar,
    peppas_sahlin,
    peppas_sahlin_2,
    quadratic,
    weibull,
    zero_order,
)
from nanocloak.kernels.release.log_time_laws import gompertz, logistic, probit

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
