r"""Tumour-targeting mechanisms of the membrane layer: multipliers of tumour parameters.

Every factor is 1 (no effect) at its default constant, grows linearly with the coating degree
``c`` (the receptors sit on the membrane; a bare core carries none) and is computed per parent
membrane, so a hybrid combines its parents' factors by area share
(:func:`~nanocloak.kernels.pk.membrane.combine_hybrid`).

=========================  =======================================================  ==============
mechanism                  factor                                                   parameter
=========================  =======================================================  ==============
``msc_homing``             :math:`1 + (h_{MSC} - 1)\,c`                               tumour PA_C
``leukocyte_adhesion``     :math:`1 + (h_{L} - 1)\,c\,[a_0 + (1 - a_0) J]`            tumour PA_C
``platelet_cd44``          :math:`1 + (h_{P} - 1)\,c`                                 tumour K_max
``injury_adhesion``        :math:`1 + (h_{inj} - 1)\,c\,J_{eff}(J)`                   tumour PA_C
``ligand``                 :math:`1 + (h_{lig} - 1)\,c` per ligand whose target the    tumour K_max
                           tumour expresses
=========================  =======================================================  ==============

``J`` in [0, 1] is the vessel-injury hook (0 = intact tumour vessels, 1 = maximal injury, e.g.
after photothermal heating); the physics code can drive it, as a number or a time series
(:func:`mean_injury`). ``epr_permeability_multipliers`` gives between-animal draws of the
tumour permeability (EPR heterogeneity).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import ndtri

from nanocloak.kernels.arrays import FloatArray


def linear_coverage_factor(coverage: float, enhancement: float, activity: float = 1.0) -> float:
    r"""Generic receptor-mediated factor :math:`1 + (h - 1)\,c\,a`.

    Parameters
    ----------
    coverage
        Coating degree c (0–1).
    enhancement
        h, the multiplier for a fully coated particle at full activity (>= 1; 1 = no effect).
    activity
        a, how much of the receptor's counterpart is present (0–1), e.g. endothelial activation.
    """
    if not 0.0 <= coverage <= 1.0 or not 0.0 <= activity <= 1.0:
        raise ValueError(f"coverage and activity must lie in [0, 1]; got {coverage}, {activity}")
    if enhancement < 1.0:
        raise ValueError(f"enhancement must be >= 1; got {enhancement}")
    return 1.0 + (enhancement - 1.0) * coverage * activity


def reinforced_injury(injury: float, reinforcement: float = 0.0) -> float:
    r"""Effective vessel injury with platelet self-reinforcement.

    .. math:: J_{eff} = \frac{J\,(1 + r)}{1 + r\,J}

    Adherent platelet-like particles expose adhesion receptors and recruit more (the positive
    feedback of platelet plug formation), so a small injury is amplified; :math:`J_{eff}` is
    increasing and concave in J, equals J for r = 0 (no effect) and 1 at J = 1.

    Parameters
    ----------
    injury
        J, vessel injury (0–1).
    reinforcement
        r, self-reinforcement gain (dimensionless, >= 0).
    """
    if not 0.0 <= injury <= 1.0:
        raise ValueError(f"vessel_injury must lie in [0, 1]; got {injury}")
    if reinforcement < 0.0:
        raise ValueError(f"reinforcement must be >= 0; got {reinforcement}")
    return injury * (1.0 + reinforcement) / (1.0 + reinforcement * injury)


def endothelial_activation(injury: float, baseline: float = 1.0) -> float:
    r"""Share of tumour endothelium presenting VCAM-1/ICAM-1: :math:`a_0 + (1 - a_0)\,J`.

    Parameters
    ----------
    injury
        J, vessel injury (0–1); injury and heat up-regulate the adhesion molecules.
    baseline
        a_0, activation of uninjured tumour endothelium (0–1).
    """
    if not 0.0 <= injury <= 1.0 or not 0.0 <= baseline <= 1.0:
        raise ValueError("injury and baseline must lie in [0, 1]")
    return baseline + (1.0 - baseline) * injury


def mean_injury(
    t_h: Sequence[float] | FloatArray, injury: Sequence[float] | FloatArray, until_h: float
) -> float:
    r"""Time-averaged vessel injury over [0, until_h] of a piecewise-linear series.

    .. math:: \bar J = \frac{1}{T}\int_0^T J(t)\,dt

    The PBPK kernel holds tumour parameters constant per run, so a time-varying injury enters
    as its mean over the simulated window (held at the first value before the first time and
    at the last after the last time).

    Parameters
    ----------
    t_h
        Times of the series, h (increasing).
    injury
        J at those times (0–1).
    until_h
        End of the window T, h (> 0).
    """
    t = np.asarray(t_h, dtype=float)
    j = np.asarray(injury, dtype=float)
    if t.ndim != 1 or t.shape != j.shape or t.size == 0:
        raise ValueError("vessel_injury series: give matching 1-D times and values")
    if np.any(np.diff(t) <= 0.0) or until_h <= 0.0:
        raise ValueError("vessel_injury series: times must increase and until_h be > 0")
    if np.any((j < 0.0) | (j > 1.0)):
        raise ValueError("vessel_injury values must lie in [0, 1]")
    grid = np.unique(np.concatenate([[0.0, until_h], t[(t > 0.0) & (t < until_h)]]))
    values = np.interp(grid, t, j)
    area = float(np.sum(0.5 * (values[1:] + values[:-1]) * np.diff(grid)))
    return area / until_h


def epr_permeability_multipliers(n_animals: int, sigma_ln: float) -> FloatArray:
    r"""Between-animal multipliers of the tumour permeability (EPR heterogeneity).

    Log-normal with median 1: animal *i* takes the quantile
    :math:`p_i = (i - 1/2)/N` (a deterministic, stratified draw),
    :math:`m_i = \exp(\sigma\,\Phi^{-1}(p_i))`. With one animal or :math:`\sigma = 0` the
    multiplier is exactly 1.

    Parameters
    ----------
    n_animals
        N, number of animals (>= 1).
    sigma_ln
        σ, standard deviation of ln(PA_C) between animals (>= 0).
    """
    if n_animals < 1 or sigma_ln < 0.0 or not math.isfinite(sigma_ln):
        raise ValueError("need n_animals >= 1 and a finite sigma_ln >= 0")
    if n_animals == 1 or sigma_ln == 0.0:
        return np.ones(n_animals)
    p = (np.arange(n_animals) + 0.5) / n_animals
    return np.asarray(np.exp(sigma_ln * ndtri(p)), dtype=float)
