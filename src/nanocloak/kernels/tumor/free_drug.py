r"""Intratumoral drug: release from particles in the tumor, and free doxorubicin after IV.

Tumor drug pools (µg per g tumor), shared by both routes:

- :math:`F`, exchangeable free drug (interstitial and cytoplasmic), which leaves the tumor
  with :math:`k_\mathrm{out}` and binds with :math:`k_\mathrm{on}`;
- :math:`B`, cell-bound drug (for DOX mostly nuclear, DNA-intercalated), which unbinds with
  :math:`k_\mathrm{off}`.

**From particles.** With the particle mass in the tumor :math:`P(t)` (µg/g, from PBPK), the
drug loading L (mass fraction) and a release rate :math:`k_\mathrm{rel}(t)` (1/h, from the
triggers), the drug still inside particles :math:`Q` follows

.. math::

    \frac{dQ}{dt} = L\,[\dot P]^+ - \frac{Q}{P}[\dot P]^- - k_\mathrm{rel}(t)\,
        \max\bigl(Q - (1 - F_\mathrm{max}) L P,\ 0\bigr)

    \frac{dF}{dt} = k_\mathrm{rel}(\cdot) + k_\mathrm{off} B - (k_\mathrm{out} + k_\mathrm{on}) F,
    \qquad \frac{dB}{dt} = k_\mathrm{on} F - k_\mathrm{off} B

Simplifying assumption, better than one release clock for all particles: particles arrive
fully loaded (:math:`[\dot P]^+` brings :math:`L` per particle mass), particles that leave
carry the *average* loading :math:`Q/P` of those present (well-mixed particle pool), and
all particles present release at the same rate :math:`k_\mathrm{rel}(t)` (the trigger acts on
the whole tumor). The releasable share :math:`F_\mathrm{max}` keeps an unreleasable fraction.
The balance :math:`Q + F + B + \text{carried out} + \text{eliminated} = \text{delivered}`
holds exactly.

**Free doxorubicin IV.** Plasma follows the two-compartment (biexponential) solution per
mg/kg, superposed over doses,
:math:`C_p(t) = \sum_j D_j (A e^{-\alpha (t - t_j)} + B e^{-\beta (t - t_j)})`, and the tumor
takes up drug at :math:`k_\mathrm{in} C_p` (mL/g/h · µg/mL) into F. The tumor uptake and
binding rates are fitted (``examples/calibration/tumor/fit_free_dox_tumor.py``) to the tumor
total and nuclear DOX of Laginha et al., Clin Cancer Res 2005;11:6944 (4T1, 9 mg/kg).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from nanocloak.kernels.arrays import FloatArray

__all__ = [
    "FreeDrugPk",
    "ParticleDrugCourse",
    "TumorDrugExchange",
    "free_drug_tumor",
    "plasma_free_drug_ug_per_ml",
    "tumor_drug_from_particles",
]


@dataclass(frozen=True, slots=True)
class TumorDrugExchange:
    """Exchange of released drug in the tumor.

    Attributes
    ----------
    k_out_per_h
        Loss of free drug from the tumor to blood (1/h).
    k_on_per_h
        Binding of free drug to cells (1/h).
    k_off_per_h
        Unbinding (1/h).
    """

    k_out_per_h: float
    k_on_per_h: float
    k_off_per_h: float

    def __post_init__(self) -> None:
        if min(self.k_out_per_h, self.k_on_per_h, self.k_off_per_h) < 0.0:
            raise ValueError("tumor exchange rates must be non-negative")


@dataclass(frozen=True, slots=True)
class FreeDrugPk:
    """Mouse plasma biexponential (per mg/kg) and tumor uptake of a free drug.

    Attributes
    ----------
    a_ug_per_ml_per_mg_per_kg, b_ug_per_ml_per_mg_per_kg
        Coefficients A and B of the plasma biexponential (µg/mL per mg/kg).
    alpha_per_h, beta_per_h
        Distribution and terminal rate constants (1/h).
    k_in_ml_per_g_per_h
        Tumor uptake clearance per g tumor (mL/g/h).
    exchange
        Exchange rates in the tumor.
    """

    a_ug_per_ml_per_mg_per_kg: float
    alpha_per_h: float
    b_ug_per_ml_per_mg_per_kg: float
    beta_per_h: float
    k_in_ml_per_g_per_h: float
    exchange: TumorDrugExchange

    @property
    def plasma_auc_ug_h_per_ml_per_mg_per_kg(self) -> float:
        """Plasma AUC(0–∞) per mg/kg (µg·h/mL): A/α + B/β."""
        return (
            self.a_ug_per_ml_per_mg_per_kg / self.alpha_per_h
            + self.b_ug_per_ml_per_mg_per_kg / self.beta_per_h
        )


@dataclass(frozen=True, slots=True)
class ParticleDrugCourse:
    """Drug pools in the tumor after particle delivery (µg/g), each shape (n, nt).

    Attributes
    ----------
    t_h
        Times (h), shape (nt,).
    in_particles_ug_per_g
        Drug still inside particles, Q.
    free_ug_per_g
        Released exchangeable drug, F.
    bound_ug_per_g
        Released cell-bound drug, B.
    delivered_ug_per_g, carried_out_ug_per_g, eliminated_ug_per_g, released_ug_per_g
        Cumulative drug delivered inside particles, carried away by leaving particles, lost
        from the tumor as free drug, and released.
    """

    t_h: FloatArray
    in_particles_ug_per_g: FloatArray
    free_ug_per_g: FloatArray
    bound_ug_per_g: FloatArray
    delivered_ug_per_g: FloatArray
    carried_out_ug_per_g: FloatArray
    eliminated_ug_per_g: FloatArray
    released_ug_per_g: FloatArray

    @property
    def released_in_tumor_ug_per_g(self) -> FloatArray:
        """Released drug present in the tumor, F + B (µg/g): the driver of chemo kill."""
        return np.asarray(self.free_ug_per_g + self.bound_ug_per_g, dtype=float)


def _grid(values: FloatArray | float, n: int, nt: int, name: str) -> FloatArray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        return np.full((n, nt), float(arr))
    if arr.ndim == 1 and arr.size == nt:
        return np.array(np.broadcast_to(arr, (n, nt)))
    if arr.shape != (n, nt):
        raise ValueError(f"{name} must be a scalar, shape (nt,) or (n, nt) = {(n, nt)}")
    return np.array(arr)


def tumor_drug_from_particles(
    t_h: FloatArray,
    particle_ug_per_g: FloatArray,
    loading_fraction: float | FloatArray,
    release_rate_per_h: FloatArray | float,
    exchange: TumorDrugExchange,
    *,
    releasable_fraction: float = 1.0,
) -> ParticleDrugCourse:
    """Integrate drug in particles, free and bound in the tumor (module equations).

    Parameters
    ----------
    t_h
        Times (h), shape (nt,), increasing; the particle content starts at ``P(t_h[0])``
        fully loaded.
    particle_ug_per_g
        Particle mass in the tumor (µg per g tumor), shape (n, nt), piecewise linear.
    loading_fraction
        Drug mass per particle mass (mass fraction), scalar or shape (n,).
    release_rate_per_h
        Release rate k_rel (1/h), scalar, (nt,) or (n, nt), piecewise linear.
    exchange
        Tumor exchange rates.
    releasable_fraction
        F_max in [0, 1], the share of the loaded drug that can be released.
    """
    t = np.asarray(t_h, dtype=float)
    p = np.atleast_2d(np.asarray(particle_ug_per_g, dtype=float))
    n, nt = p.shape
    if t.ndim != 1 or t.size != nt or nt < 2 or np.any(np.diff(t) <= 0.0):
        raise ValueError("t_h must be increasing with one entry per column of particle_ug_per_g")
    if np.any(p < 0.0):
        raise ValueError("particle_ug_per_g must be non-negative")
    load = np.broadcast_to(np.asarray(loading_fraction, dtype=float), (n,))
    if np.any((load < 0.0) | (load > 1.0)) or not 0.0 <= releasable_fraction <= 1.0:
        raise ValueError("loading_fraction and releasable_fraction must lie in [0, 1]")
    krel = _grid(release_rate_per_h, n, nt, "release_rate_per_h")
    if np.any(krel < 0.0):
        raise ValueError("release_rate_per_h must be non-negative")
    slope = np.diff(p, axis=1) / np.diff(t)[None, :]
    ex = exchange

    def rhs(time: float, y: FloatArray) -> FloatArray:
        i = int(np.clip(np.searchsorted(t, time, side="right") - 1, 0, nt - 2))
        w = (time - t[i]) / (t[i + 1] - t[i])
        pt = (1.0 - w) * p[:, i] + w * p[:, i + 1]
        k = (1.0 - w) * krel[:, i] + w * krel[:, i + 1]
        q, f, b = y[:n], y[n : 2 * n], y[2 * n : 3 * n]
        s = slope[:, i]
        arriving = load * np.maximum(s, 0.0)
        mean_load = np.divide(q, pt, out=np.zeros(n), where=pt > 1e-300)
        leaving = mean_load * np.maximum(-s, 0.0)
        release = k * np.maximum(q - (1.0 - releasable_fraction) * load * pt, 0.0)
        out = ex.k_out_per_h * f
        dq = arriving - leaving - release
        df = release + ex.k_off_per_h * b - (ex.k_out_per_h + ex.k_on_per_h) * f
        db = ex.k_on_per_h * f - ex.k_off_per_h * b
        return np.concatenate([dq, df, db, arriving, leaving, out, release])

    q0 = load * p[:, 0]
    y0 = np.concatenate([q0, np.zeros(6 * n)])
    scale = max(float(np.max(load[:, None] * p, initial=0.0)), 1e-12)
    sol = solve_ivp(
        rhs,
        (t[0], t[-1]),
        y0,
        method="LSODA",
        t_eval=t,
        rtol=1e-8,
        atol=1e-12 * scale,
        max_step=float(np.min(np.diff(t))),
    )
    if not sol.success:
        raise RuntimeError(f"particle drug ODE failed: {sol.message}")
    y = sol.y
    parts = [y[k * n : (k + 1) * n] for k in range(7)]
    delivered = q0[:, None] + parts[3]
    return ParticleDrugCourse(
        t,
        np.maximum(parts[0], 0.0),
        np.maximum(parts[1], 0.0),
        np.maximum(parts[2], 0.0),
        delivered,
        parts[4],
        parts[5],
        parts[6],
    )


def plasma_free_drug_ug_per_ml(
    t_h: FloatArray, dose_times_h: FloatArray, doses_mg_per_kg: FloatArray, pk: FreeDrugPk
) -> FloatArray:
    r"""Plasma concentration (µg/mL) of IV bolus doses, superposed, shape (nt,).

    .. math:: C_p(t) = \sum_j D_j \bigl(A e^{-\alpha (t - t_j)} + B e^{-\beta (t - t_j)}\bigr)
              \,\mathbb{1}[t \ge t_j]

    Parameters
    ----------
    t_h
        Times (h).
    dose_times_h
        Bolus times (h), shape (nd,).
    doses_mg_per_kg
        Doses (mg/kg), shape (nd,).
    pk
        Plasma and tumor parameters.
    """
    t = np.asarray(t_h, dtype=float)[..., None]
    tj = np.atleast_1d(np.asarray(dose_times_h, dtype=float))
    dj = np.broadcast_to(np.asarray(doses_mg_per_kg, dtype=float), tj.shape)
    tau = t - tj
    on = tau >= 0.0
    tau = np.where(on, tau, 0.0)
    unit = pk.a_ug_per_ml_per_mg_per_kg * np.exp(-pk.alpha_per_h * tau)
    unit += pk.b_ug_per_ml_per_mg_per_kg * np.exp(-pk.beta_per_h * tau)
    return np.asarray(np.sum(np.where(on, dj * unit, 0.0), axis=-1), dtype=float)


def free_drug_tumor(
    t_h: FloatArray,
    dose_times_h: FloatArray,
    doses_mg_per_kg: FloatArray,
    pk: FreeDrugPk,
) -> tuple[FloatArray, FloatArray]:
    r"""Tumor free and bound drug (µg/g) after IV free-drug boluses, each shape (nt,).

    .. math::

        \frac{dF}{dt} = k_\mathrm{in} C_p(t) + k_\mathrm{off} B - (k_\mathrm{out} + k_\mathrm{on})F,
        \qquad \frac{dB}{dt} = k_\mathrm{on} F - k_\mathrm{off} B

    integrated with LSODA (rtol 1e-8), restarting at each dose so the plasma jump is exact.

    Parameters
    ----------
    t_h
        Output times (h), shape (nt,), increasing, starting at or before the first dose.
    dose_times_h, doses_mg_per_kg
        Bolus times (h) and doses (mg/kg).
    pk
        Free-drug parameters.
    """
    t = np.asarray(t_h, dtype=float)
    if t.ndim != 1 or np.any(np.diff(t) <= 0.0):
        raise ValueError("t_h must be 1-D and strictly increasing")
    ex = pk.exchange

    def rhs(time: float, y: FloatArray) -> FloatArray:
        cp = float(plasma_free_drug_ug_per_ml(np.array(time), dose_times_h, doses_mg_per_kg, pk))
        f, b = y
        return np.array(
            [
                pk.k_in_ml_per_g_per_h * cp
                + ex.k_off_per_h * b
                - (ex.k_out_per_h + ex.k_on_per_h) * f,
                ex.k_on_per_h * f - ex.k_off_per_h * b,
            ]
        )

    starts = np.unique(np.concatenate([[t[0]], np.asarray(dose_times_h, dtype=float)]))
    starts = starts[(starts >= t[0]) & (starts < t[-1])]
    bounds = [*starts.tolist(), float(t[-1])]
    out = np.zeros((2, t.size))
    y = np.zeros(2)
    for a, b in itertools.pairwise(bounds):
        mask = (t >= a) & ((t < b) | (b == t[-1]))
        times = np.unique(np.concatenate([t[mask], [b]]))
        sol = solve_ivp(rhs, (a, b), y, method="LSODA", t_eval=times, rtol=1e-8, atol=1e-12)
        if not sol.success:
            raise RuntimeError(f"free-drug tumor ODE failed: {sol.message}")
        out[:, mask] = sol.y[:, np.searchsorted(times, t[mask])]
        y = sol.y[:, -1]
    return np.maximum(out[0], 0.0), np.maximum(out[1], 0.0)
