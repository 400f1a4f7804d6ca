"""Starvation and chemiexcited PDT in a tumour: the CRET nanoreactor (no external light).

Model (stated for reviewers)
----------------------------
The review's bio-nanoreactor (Yu et al., *Nat. Commun.* 2018, 9, 5044,
doi:10.1038/s41467-018-07197-8) carries glucose oxidase (GOx), a peroxyoxalate (CPPO), the
photosensitizer Ce6 and a perfluorocarbon (PFC) O₂ reservoir. In the tumour, per tissue
volume (well mixed, µM):

* **GOx** (:mod:`.gox`): glucose + O₂ → gluconic acid + H₂O₂ at ``v`` (ping-pong).
* **Chemiluminescence**: CPPO + H₂O₂ → high-energy intermediate at ``r = k₂ [CPPO][H₂O₂]``; a
  share ``Φ_CL`` of the events is an excited state, a share ``η_ET`` of those excites Ce6
  (chemiluminescence resonance energy transfer, CRET). A luminol system has the same form with
  its own constants.
* **Singlet oxygen**: an excited Ce6 yields singlet oxygen with ``Φ_Δ O/(O + β)`` (triplet
  quenching by O₂, as in :mod:`.soed`), of which ``α/(1+α)`` reacts:
  ``d[¹O₂]_rx/dt = Φ_CL η_ET Φ_Δ α/(1+α) O/(O+β) r``, consuming that much O₂. Ce6 is in
  excess of the excitations, so its bleaching is neglected.
* **H₂O₂ clearance** by catalase/peroxidases, first order ``k_c [H₂O₂]``; catalase returns
  ½ O₂ per H₂O₂. A basal production ``p₀`` holds the tumour's H₂O₂ level without particles;
  it draws ½ O₂ per H₂O₂, so the basal turnover (O₂ → H₂O₂ → ½ O₂) is oxygen-neutral and
  the untreated tumour stays at its baseline.
* **PFC** (:mod:`.perfluorocarbon`): exchange ``k_r (Q − f K O)``.
* **Supply**: O₂ ``g (1 − O/O₀)`` (:mod:`.hypoxia`); glucose ``k_G (G₀ − G)``.

.. math::

    \\dot G &= -v + k_G (G_b - G), &
    \\dot O &= -v - ρ + \\tfrac12 (k_c H - p_0) + k_r (Q - f K O) + g (1 - O/O_0), \\\\
    \\dot Q &= -k_r (Q - f K O), &
    \\dot H &= v - r - k_c H + p_0, \\\\
    \\dot P &= -r, & \\dot A &= v, \\quad \\dot R = ρ, \\quad \\dot C = k_c H, \\quad \\dot L = r

(``P`` CPPO, ``A`` gluconic acid, ``R`` reacted singlet oxygen, ``C`` H₂O₂ cleared, ``L``
CPPO reacted, ``ρ`` the singlet-oxygen reaction rate). Conservation checks: without supply
(``g = k_G = p₀ = 0``),
``G + A`` and ``O + Q + H + L + R + C/2`` are constant, and with CPPO and clearance absent
glucose consumed = H₂O₂ produced = O₂ consumed = ``A``.

Units: concentrations µM, time s, second-order constant µM⁻¹ s⁻¹.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.photochem.gox import gox_rate_um_per_s

STATES = (
    "glucose",
    "oxygen",
    "pfc_oxygen",
    "h2o2",
    "cppo",
    "gluconic_acid",
    "reacted_singlet_oxygen",
    "h2o2_cleared",
    "cppo_reacted",
)


@dataclass(frozen=True, slots=True)
class NanoreactorParameters:
    """Inputs of the nanoreactor model (per tissue volume; µM, s).

    Attributes
    ----------
    enzyme_um, kcat_per_s, km_glucose_um, km_oxygen_um
        GOx amount (µM) and ping-pong constants (s⁻¹, µM).
    glucose_initial_um, glucose_baseline_um, glucose_resupply_per_s
        Glucose at t = 0, the level perfusion restores, and its relaxation rate (s⁻¹).
    oxygen_initial_um, oxygen_baseline_um, oxygen_supply_um_per_s
        O₂ at t = 0, the unperturbed level O₀, and the maximal supply g (µM/s).
    pfc_oxygen_initial_um, pfc_volume_fraction, partition, pfc_exchange_per_s
        O₂ carried by the PFC per tissue volume at t = 0, PFC volume fraction f, partition
        K = S_PFC/S_tissue and exchange rate constant (s⁻¹).
    h2o2_initial_um, h2o2_production_um_per_s, h2o2_clearance_per_s
        H₂O₂ at t = 0, basal production p₀ (µM/s) and first-order clearance k_c (s⁻¹).
    cppo_initial_um, cppo_rate_per_um_s
        Peroxyoxalate at t = 0 and its second-order constant with H₂O₂ (µM⁻¹ s⁻¹).
    chemiexcitation_yield, transfer_efficiency
        Φ_CL and η_ET.
    singlet_oxygen_yield, reacted_fraction, beta_um
        Φ_Δ of the photosensitizer (0 without one), α/(1+α), β (µM).
    """

    enzyme_um: float
    kcat_per_s: float
    km_glucose_um: float
    km_oxygen_um: float
    glucose_initial_um: float
    glucose_baseline_um: float
    glucose_resupply_per_s: float
    oxygen_initial_um: float
    oxygen_baseline_um: float
    oxygen_supply_um_per_s: float
    pfc_oxygen_initial_um: float
    pfc_volume_fraction: float
    partition: float
    pfc_exchange_per_s: float
    h2o2_initial_um: float
    h2o2_production_um_per_s: float
    h2o2_clearance_per_s: float
    cppo_initial_um: float
    cppo_rate_per_um_s: float
    chemiexcitation_yield: float
    transfer_efficiency: float
    singlet_oxygen_yield: float
    reacted_fraction: float
    beta_um: float

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if not value >= 0.0:
                raise ValueError(f"{name} must be non-negative; got {value}")
        for name in ("km_glucose_um", "km_oxygen_um", "oxygen_baseline_um", "beta_um"):
            if getattr(self, name) <= 0.0:
                raise ValueError(f"{name} must be positive")
        for name in (
            "chemiexcitation_yield",
            "transfer_efficiency",
            "singlet_oxygen_yield",
            "reacted_fraction",
        ):
            if getattr(self, name) > 1.0:
                raise ValueError(f"{name} must not exceed 1")


@dataclass(frozen=True, slots=True)
class NanoreactorSolution:
    """Time courses of the nanoreactor states (µM per tissue volume), each shape (n_times,)."""

    t_s: FloatArray
    states: dict[str, FloatArray]

    def __getitem__(self, name: str) -> FloatArray:
        return self.states[name]


def nanoreactor_rhs(p: NanoreactorParameters) -> Callable[[float, FloatArray], FloatArray]:
    """Right-hand side ``dy/dt`` of the nanoreactor ODEs over :data:`STATES`."""
    singlet_per_event = (
        p.chemiexcitation_yield
        * p.transfer_efficiency
        * p.singlet_oxygen_yield
        * p.reacted_fraction
    )
    exchange_target = p.pfc_volume_fraction * p.partition

    def rhs(_t: float, y: FloatArray) -> FloatArray:
        g, o, q, h, cppo = (max(float(v), 0.0) for v in y[:5])
        v = float(
            gox_rate_um_per_s(p.enzyme_um, g, o, p.kcat_per_s, p.km_glucose_um, p.km_oxygen_um)
        )
        r = p.cppo_rate_per_um_s * cppo * h
        rho = singlet_per_event * o / (o + p.beta_um) * r
        clear = p.h2o2_clearance_per_s * h
        release = p.pfc_exchange_per_s * (q - exchange_target * o)
        supply = p.oxygen_supply_um_per_s * (1.0 - o / p.oxygen_baseline_um)
        return np.array(
            [
                -v + p.glucose_resupply_per_s * (p.glucose_baseline_um - g),
                -v - rho + 0.5 * (clear - p.h2o2_production_um_per_s) + release + supply,
                -release,
                v - r - clear + p.h2o2_production_um_per_s,
                -r,
                v,
                rho,
                clear,
                r,
            ]
        )

    return rhs


def simulate_nanoreactor(
    params: NanoreactorParameters, t_s: FloatArray, rtol: float = 1e-8
) -> NanoreactorSolution:
    """Integrate the nanoreactor model (stiff BDF) and return every state on ``t_s``.

    Parameters
    ----------
    params
        Model inputs.
    t_s
        Output times (s), increasing; ``t_s[0]`` is the initial state.
    rtol
        Relative tolerance; absolute tolerance ``rtol × 10⁻³ µM``.
    """
    t = np.asarray(t_s, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0.0):
        raise ValueError("t_s must be an increasing 1-D array of at least two times")
    y0 = np.array(
        [
            params.glucose_initial_um,
            params.oxygen_initial_um,
            params.pfc_oxygen_initial_um,
            params.h2o2_initial_um,
            params.cppo_initial_um,
            0.0,
            0.0,
            0.0,
            0.0,
        ]
    )
    sol = solve_ivp(
        nanoreactor_rhs(params),
        (t[0], t[-1]),
        y0,
        method="BDF",
        t_eval=t,
        rtol=rtol,
        atol=rtol * 1e-3,
    )
    if not sol.success:  # pragma: no cover - BDF does not fail on this smooth system
        raise ArithmeticError(f"nanoreactor integration failed: {sol.message}")
    y = np.clip(sol.y, 0.0, None)
    return NanoreactorSolution(t_s=t, states={name: y[i] for i, name in enumerate(STATES)})
