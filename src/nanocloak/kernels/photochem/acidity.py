"""pH of a buffered tissue into which glucose oxidase releases gluconic acid.

Model (stated for reviewers)
----------------------------
Gluconic acid (pKa 3.86) is a weak acid that is almost fully dissociated at tissue pH. The
tissue is buffered by bicarbonate (pKa' 6.1, [HCO₃⁻] ≈ 24 mM). With ``B₀`` the buffer base and
``A₀ = B₀ 10^(pKa − pH₀)`` its acid form, electroneutrality gives the proton concentration
``h`` after ``G`` of gluconic acid was added:

.. math::

    B_0 + h = [\\mathrm{A^-}] + G \\frac{K_g}{K_g + h}, \\qquad
    [\\mathrm{A^-}] = \\begin{cases}
        (A_0 + B_0) \\dfrac{K_a}{K_a + h} & \\text{closed (CO₂ retained)} \\\\[1ex]
        A_0 \\dfrac{K_a}{h} & \\text{open (CO₂ held by perfusion)}
    \\end{cases}

(water's own ions neglected; pH between 3 and 9). The left side rises and the right side falls
with ``h``, so the root is unique; it is found by bisection on log₁₀ h, vectorised over arrays.
The open system is the perfused tumour (CO₂ carried away, so the buffer's acid form stays
fixed); the closed one bounds the drop from above.

Units: concentrations mM, pH and pKa dimensionless.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray


def dissociated_fraction(ph: FloatArray | float, pka: float) -> FloatArray:
    """Share of a weak acid present as its anion, ``1 / (1 + 10^(pKa − pH))``.

    Parameters
    ----------
    ph
        pH.
    pka
        Acid dissociation constant, pKa.
    """
    return np.asarray(1.0 / (1.0 + 10.0 ** (pka - np.asarray(ph, dtype=float))), dtype=float)


def buffered_ph(
    acid_added_mm: FloatArray | float,
    ph0: float,
    buffer_base_mm: float,
    buffer_pka: float,
    acid_pka: float = 3.86,
    open_system: bool = True,
) -> FloatArray:
    """pH after adding a weak acid to a bicarbonate-type buffer.

    Parameters
    ----------
    acid_added_mm
        Weak acid added per tissue volume (mM), ≥ 0; e.g. gluconic acid made by GOx.
    ph0
        pH before any acid is added.
    buffer_base_mm
        Buffer base ``B₀`` at ``ph0`` (mM), e.g. bicarbonate.
    buffer_pka
        pKa' of the buffer (6.1 for CO₂/HCO₃⁻).
    acid_pka
        pKa of the added acid (3.86 for gluconic acid).
    open_system
        True: the buffer's acid form is held (CO₂ removed by perfusion); False: closed.

    Returns
    -------
    numpy.ndarray
        pH, same shape as ``acid_added_mm``.
    """
    g = np.asarray(acid_added_mm, dtype=float) * 1e-3  # M
    if np.any(g < 0.0) or buffer_base_mm <= 0.0:
        raise ValueError("added acid must be non-negative and the buffer base positive")
    b0 = buffer_base_mm * 1e-3
    ka = 10.0**-buffer_pka
    kg = 10.0**-acid_pka
    a0 = b0 * 10.0 ** (buffer_pka - ph0)

    def excess(h: FloatArray) -> FloatArray:
        anion = a0 * ka / h if open_system else (a0 + b0) * ka / (ka + h)
        return np.asarray(b0 + h - anion - g * kg / (kg + h), dtype=float)

    low = np.full(g.shape, -14.0)  # log10 h where the excess is negative
    high = np.full(g.shape, 1.0)  # and positive
    for _ in range(60):  # 15 decades / 2^60: far below any meaningful pH digit
        mid = 0.5 * (low + high)
        positive = excess(10.0**mid) > 0.0
        high = np.where(positive, mid, high)
        low = np.where(positive, low, mid)
    return np.asarray(-0.5 * (low + high), dtype=float)
