r"""Cargo release driven by triggers: pH, heat, ROS under laser, GOx acidification, CaCO₃ gates.

Triggered release integrates a time-varying first-order law towards a plateau:

.. math:: \frac{dF}{dt} = k(t)\,(F_\mathrm{max} - F), \qquad
          F(t) = F_\mathrm{max} - (F_\mathrm{max} - F_0)\, e^{-\int_0^t k\,dt'}

(fractions of the loaded cargo; exact for k piecewise linear on the grid, integrated by the
trapezoid rule). With a constant k it is the shared first-order law
:func:`nanocloak.kernels.release.laws.first_order`. Instantaneous bursts (a laser breaking
the shell) release a fraction of what is still releasable. The rate k(t) is built from the
trigger functions below, each a named mechanism:

- pH (:func:`ph_rate_multiplier`): protonation of a group of effective pKa opens the
  carrier (tumor interstitium pH 6.5–6.9, endosome/lysosome 4.5–6.0);
- heat (:func:`phase_change_gate`, :func:`arrhenius_rate_multiplier`): a phase-change
  material in gold nanocages (1-tetradecanol, melting 38–39 °C) releases once molten,
  otherwise diffusion speeds up with temperature;
- ROS under laser (:func:`ros_burst_fraction`): singlet oxygen breaks the membrane shell
  (RMSN-Dox/Ce6), a burst from the singlet-oxygen dose;
- glucose oxidase: its gluconic acid lowers the local pH, passed in as a pH time series to
  :func:`ph_rate_multiplier`;
- CaCO₃ gatekeepers (:func:`gatekeeper_open_fraction`): the cap dissolves at a rate that
  grows with the proton activity, then the pores release.

Loading capacity limits: :func:`check_loading_fraction` (mesoporous silica up to ~50 wt %,
as the review states).
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.release.laws import first_order
from nanocloak.kernels.thermal.damage import GAS_CONSTANT_J_PER_MOL_K, KELVIN_OFFSET

__all__ = [
    "MSN_MAX_LOADING_FRACTION",
    "arrhenius_rate_multiplier",
    "check_loading_fraction",
    "constant_rate_release",
    "gated_rate_per_h",
    "gatekeeper_open_fraction",
    "ph_amplitude_for_fold",
    "ph_rate_multiplier",
    "phase_change_gate",
    "ros_burst_fraction",
    "triggered_release",
]

#: Upper loading of mesoporous silica (mass fraction): "up to 50 wt%" (Song et al. 2022).
MSN_MAX_LOADING_FRACTION = 0.5


def _protonated(ph: FloatArray, pka: float) -> FloatArray:
    return np.asarray(1.0 / (1.0 + 10.0 ** (ph - pka)), dtype=float)


def ph_rate_multiplier(
    ph: FloatArray | float, pka: float, amplitude: float, reference_ph: float = 7.4
) -> FloatArray:
    r"""Release-rate multiplier from protonation, 1 at the reference pH (blood, 7.4).

    .. math::

        m(\mathrm{pH}) = \frac{1 + a\,\theta(\mathrm{pH})}{1 + a\,\theta(\mathrm{pH}_\mathrm{ref})},
        \qquad \theta = \frac{1}{1 + 10^{\mathrm{pH} - \mathrm{p}K_a}}

    θ is the protonated fraction of the group that gates release (Henderson–Hasselbalch);
    ``a`` scales how much faster a fully protonated carrier releases.

    Parameters
    ----------
    ph
        pH, any shape (a time series for glucose-oxidase acidification).
    pka
        Effective pKa of the gating group.
    amplitude
        a >= 0 (dimensionless); see :func:`ph_amplitude_for_fold`.
    reference_ph
        pH at which the multiplier is 1.
    """
    if amplitude < 0.0:
        raise ValueError("amplitude must be non-negative")
    p = np.asarray(ph, dtype=float)
    ref = 1.0 + amplitude * _protonated(np.asarray(reference_ph), pka)
    return np.asarray((1.0 + amplitude * _protonated(p, pka)) / ref, dtype=float)


def ph_amplitude_for_fold(fold: float, ph: float, pka: float, reference_ph: float = 7.4) -> float:
    """Amplitude ``a`` that makes release ``fold`` times faster at ``ph`` than at the reference.

    Parameters
    ----------
    fold
        Rate ratio k(pH)/k(pH_ref) (> 1 for acid-triggered release).
    ph
        pH of the measured fold change (e.g. 5.0).
    pka
        Effective pKa.
    reference_ph
        Reference pH (7.4).
    """
    th, th_ref = (
        float(_protonated(np.asarray(ph), pka)),
        float(_protonated(np.asarray(reference_ph), pka)),
    )
    denominator = th - fold * th_ref
    if fold < 1.0 or denominator <= 0.0:
        raise ValueError(
            f"a {fold}-fold change between pH {ph} and {reference_ph} is not reachable with "
            f"pKa {pka}; the largest is {th / th_ref:.3g}"
        )
    return (fold - 1.0) / denominator


def phase_change_gate(
    temperature_c: FloatArray | float, melting_point_c: float, width_c: float = 0.5
) -> FloatArray:
    r"""Open fraction of a phase-change gate, :math:`1/(1 + e^{-(T - T_m)/w})`.

    Gold nanocages filled with 1-tetradecanol hold the drug until the PCM melts under the
    laser (Moon et al., JACS 2011, doi:10.1021/ja200894u); ``width_c`` smooths the melting
    range.

    Parameters
    ----------
    temperature_c
        Temperature (°C).
    melting_point_c
        Melting point T_m (°C).
    width_c
        Width w of the melting transition (°C), > 0.
    """
    if width_c <= 0.0:
        raise ValueError("width_c must be positive")
    x = (np.asarray(temperature_c, dtype=float) - melting_point_c) / width_c
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=float)


def gated_rate_per_h(
    gate: FloatArray | float, open_rate_per_h: float, closed_rate_per_h: float = 0.0
) -> FloatArray:
    """Release rate of a gate: ``k = k_open g + k_closed (1 − g)`` (1/h)."""
    g = np.clip(np.asarray(gate, dtype=float), 0.0, 1.0)
    if open_rate_per_h < 0.0 or closed_rate_per_h < 0.0:
        raise ValueError("rates must be non-negative")
    return np.asarray(open_rate_per_h * g + closed_rate_per_h * (1.0 - g), dtype=float)


def arrhenius_rate_multiplier(
    temperature_c: FloatArray | float, activation_j_per_mol: float, reference_c: float = 37.0
) -> FloatArray:
    r"""Rate multiplier :math:`\exp[-E_a/R_g\,(1/T - 1/T_\mathrm{ref})]`, 1 at the reference.

    Parameters
    ----------
    temperature_c
        Temperature (°C).
    activation_j_per_mol
        Activation energy of release (J/mol).
    reference_c
        Reference temperature (°C).
    """
    kelvin = np.asarray(temperature_c, dtype=float) + KELVIN_OFFSET
    ref = reference_c + KELVIN_OFFSET
    return np.asarray(
        np.exp(-activation_j_per_mol / GAS_CONSTANT_J_PER_MOL_K * (1.0 / kelvin - 1.0 / ref)),
        dtype=float,
    )


def ros_burst_fraction(
    singlet_oxygen_mm: FloatArray | float, dose50_mm: float, hill: float = 1.0
) -> FloatArray:
    r"""Fraction of shells broken (and of releasable cargo freed) by a singlet-oxygen dose.

    .. math:: f = \frac{D^h}{D_{50}^h + D^h}

    The hook for laser-triggered RMSN-Dox/Ce6: the photochemistry kernel supplies the reacted
    singlet-oxygen dose D (mM) in the tumor; ``dose50_mm`` is the dose that opens half the
    shells.

    Parameters
    ----------
    singlet_oxygen_mm
        Singlet-oxygen dose (mM).
    dose50_mm
        Half-effect dose (mM), > 0.
    hill
        Hill coefficient, > 0.
    """
    d = np.asarray(singlet_oxygen_mm, dtype=float)
    if np.any(d < 0.0) or dose50_mm <= 0.0 or hill <= 0.0:
        raise ValueError("need a non-negative dose, dose50_mm > 0 and hill > 0")
    r = (d / dose50_mm) ** hill
    return np.asarray(r / (1.0 + r), dtype=float)


def gatekeeper_open_fraction(
    t_h: FloatArray,
    ph: FloatArray | float,
    dissolution_rate_ref_per_h: float,
    proton_order: float = 1.0,
    reference_ph: float = 7.4,
) -> FloatArray:
    r"""Open fraction of CaCO₃-capped pores, :math:`1 - \exp(-\int k_d\,dt)`.

    Calcite dissolves at a rate proportional to :math:`\{H^+\}^n` under acidic conditions
    (Plummer, Wigley & Parkhurst, Am J Sci 1978;278:179, doi:10.2475/ajs.278.2.179):
    :math:`k_d(\mathrm{pH}) = k_\mathrm{ref}\,10^{\,n(\mathrm{pH}_\mathrm{ref} - \mathrm{pH})}`.

    Parameters
    ----------
    t_h
        Times (h), shape (nt,).
    ph
        pH, scalar or shape (nt,).
    dissolution_rate_ref_per_h
        Dissolution rate at the reference pH (1/h).
    proton_order
        Reaction order n in the proton activity.
    reference_ph
        Reference pH.
    """
    t = np.asarray(t_h, dtype=float)
    p = np.broadcast_to(np.asarray(ph, dtype=float), t.shape)
    if dissolution_rate_ref_per_h < 0.0 or proton_order < 0.0:
        raise ValueError("dissolution rate and proton order must be non-negative")
    k = dissolution_rate_ref_per_h * 10.0 ** (proton_order * (reference_ph - p))
    integral = np.concatenate([[0.0], np.cumsum(0.5 * (k[1:] + k[:-1]) * np.diff(t))])
    return np.asarray(-np.expm1(-integral), dtype=float)


def constant_rate_release(t_h: FloatArray, rate_per_h: float, fmax: float = 1.0) -> FloatArray:
    """Fraction released at a constant rate: the shared first-order law divided by 100."""
    return np.asarray(first_order(t_h, rate_per_h, 100.0 * fmax) / 100.0, dtype=float)


def triggered_release(
    t_h: FloatArray,
    rate_per_h: FloatArray | float,
    *,
    fmax: float = 1.0,
    f0: float = 0.0,
    burst_times_h: FloatArray | None = None,
    burst_fractions: FloatArray | None = None,
) -> FloatArray:
    """Fraction of the loaded cargo released, shape (nt,) (or (n, nt) for a (n, nt) rate).

    Parameters
    ----------
    t_h
        Times (h), shape (nt,), increasing.
    rate_per_h
        Release rate k(t) (1/h), scalar, shape (nt,) or (n, nt), piecewise linear.
    fmax
        Plateau F_max in [0, 1] (the releasable share).
    f0
        Released at t_h[0] (burst at time zero), in [0, fmax].
    burst_times_h, burst_fractions
        Instantaneous bursts: at each time, the given fraction of what is still releasable
        (F_max − F) is released; e.g. :func:`ros_burst_fraction` of a laser dose.
    """
    t = np.asarray(t_h, dtype=float)
    if t.ndim != 1 or np.any(np.diff(t) < 0.0):
        raise ValueError("t_h must be 1-D and non-decreasing")
    if not 0.0 <= f0 <= fmax <= 1.0:
        raise ValueError("need 0 <= f0 <= fmax <= 1")
    k = np.asarray(rate_per_h, dtype=float)
    k = np.broadcast_to(k, t.shape) if k.ndim <= 1 else k
    if k.shape[-1] != t.size or np.any(k < 0.0):
        raise ValueError("rate_per_h must be non-negative with one value per time")
    steps = 0.5 * (k[..., 1:] + k[..., :-1]) * np.diff(t)
    zero = np.zeros((*k.shape[:-1], 1))
    integral = np.concatenate([zero, np.cumsum(steps, axis=-1)], axis=-1)
    remaining = np.exp(-integral)  # (F_max − F) / (F_max − F_0) without bursts
    if burst_times_h is not None:
        times = np.atleast_1d(np.asarray(burst_times_h, dtype=float))
        fracs = np.broadcast_to(
            np.atleast_1d(np.asarray(burst_fractions, dtype=float)), times.shape
        )
        if np.any((fracs < 0.0) | (fracs > 1.0)):
            raise ValueError("burst_fractions must lie in [0, 1]")
        for when, frac in zip(times, fracs, strict=True):
            remaining = remaining * np.where(t >= when, 1.0 - frac, 1.0)
    return np.asarray(fmax - (fmax - f0) * remaining, dtype=float)


def check_loading_fraction(
    loading_fraction: float, max_fraction: float = MSN_MAX_LOADING_FRACTION, carrier: str = "MSN"
) -> float:
    """Return ``loading_fraction`` if within the carrier's capacity, else raise ValueError.

    Parameters
    ----------
    loading_fraction
        Drug mass per total particle mass (mass fraction).
    max_fraction
        Capacity of the carrier (mass fraction); mesoporous silica 0.5.
    carrier
        Carrier name for the message.
    """
    if not 0.0 <= loading_fraction <= max_fraction:
        raise ValueError(
            f"drug loading {100 * loading_fraction:.3g} wt% is outside what {carrier} can hold "
            f"(0–{100 * max_fraction:.3g} wt%)"
        )
    return loading_fraction
