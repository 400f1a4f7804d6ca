r"""Release laws derived for a particle geometry: a shrinking or eroding particle, a sphere.

Hixson–Crowell (dissolving sphere) and Hopfenberg (surface erosion of a slab, cylinder or
sphere) share the shrinking-core form :math:`F = F_\mathrm{max}[1 - (1 - k t)^n]`;
Baker–Lonsdale (diffusion out of a spherical matrix) is implicit in F and solved in closed
form. ``F`` in % of the loaded dose, ``t_h`` in h.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.release.kinetic_laws import nonnegative_time_h


def _shrinking(t_h: FloatArray | float, k: float, exponent: float, fmax: float) -> FloatArray:
    remaining = np.clip(1.0 - k * nonnegative_time_h(t_h), 0.0, 1.0)
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
    y = np.clip(kbl * nonnegative_time_h(t_h), 0.0, 0.5)
    u = 0.5 + np.cos(np.arccos(np.clip(4.0 * y - 1.0, -1.0, 1.0)) / 3.0 - 2.0 * np.pi / 3.0)
    return 100.0 * (1.0 - np.clip(u, 0.0, 1.0) ** 3)
