r"""Topology, batched parameters and right-hand side of the nanoparticle PBPK model.

Every organ has three sub-compartments: capillary blood (b), tissue (t) and phagocytic cells
(RES). The central pool is split into arterial (AA) and venous (AV) blood. The lung receives the
cardiac output from AV and returns it to AA; every other (systemic) organ receives
:math:`Q_i C_A`. Organs flagged *portal* (spleen, GI) drain into the liver's capillary blood;
the liver and all other systemic organs drain into AV. With amounts :math:`A` (mg):

.. math::

    \dot A_{i,b} &= Q_i C_A - Q^{out}_i C_{i,b} - PA_i (C_{i,b} - C_{i,t}/P_i)
                    + [\text{blood site}] (K_{rel,i} A_{i,RES} - K_{up,i} A_{i,b}) \\
    \dot A_{i,t} &= PA_i (C_{i,b} - C_{i,t}/P_i)
                    + [\text{tissue site}] (K_{rel,i} A_{i,RES} - K_{up,i} A_{i,t}) \\
    \dot A_{i,RES} &= K_{up,i} A_{i,src} - K_{rel,i} A_{i,RES}

plus :math:`+\sum_{portal} Q_j C_{j,b}` into the liver blood, :math:`-K_{bile} C_{L,t}` from the
liver tissue (to bile) and :math:`-K_{urine} C_{K,b}` from the kidney blood (to urine).

The system is written as transfers between states, :math:`\dot y = M(\tau, y)\,y + u(t)`, where
each column of :math:`M` sums to zero: total amount is conserved by construction, and the
Jacobian is :math:`M` plus the capacity law's state dependence.

State layout (per subject): ``[AA, AV, b_0, t_0, RES_0, b_1, ..., urine, bile]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk.uptake import (
    CAPACITY,
    CONSTANT,
    HILL,
    capacity_limited,
    capacity_slope,
    hill_in_time,
)

ARTERIAL, VENOUS = 0, 1


@dataclass(frozen=True, slots=True)
class Topology:
    """Structure shared by every subject of a batch.

    Parameters
    ----------
    organs
        Organ names, e.g. ``("lung", "liver", ..., "tumor")``; must include lung, liver, kidney.
    portal
        Per organ: True when its venous outflow drains into the liver's capillary blood.
    uptake_from_blood
        Per organ: True when the phagocytes take up from the capillary blood (liver Kupffer
        cells), False when from the tissue.
    uptake_law
        Per organ: law code of :mod:`nanocloak.kernels.pk.uptake` (none, hill, capacity,
        constant).
    """

    organs: tuple[str, ...]
    portal: tuple[bool, ...]
    uptake_from_blood: tuple[bool, ...]
    uptake_law: tuple[int, ...]

    def __post_init__(self) -> None:
        n = len(self.organs)
        if not (len(self.portal) == len(self.uptake_from_blood) == len(self.uptake_law) == n):
            raise ValueError("Topology: every per-organ tuple needs one entry per organ")
        for name in ("lung", "liver", "kidney"):
            if name not in self.organs:
                raise ValueError(f"Topology: the organ list must include {name!r}")
        if self.portal[self.lung] or self.portal[self.liver]:
            raise ValueError("Topology: the lung and the liver cannot be portal organs")

    @property
    def n_organs(self) -> int:
        """Number of organs."""
        return len(self.organs)

    @property
    def n_states(self) -> int:
        """States per subject: 2 central + 3 per organ + urine + bile."""
        return 4 + 3 * self.n_organs

    @property
    def lung(self) -> int:
        """Index of the lung."""
        return self.organs.index("lung")

    @property
    def liver(self) -> int:
        """Index of the liver."""
        return self.organs.index("liver")

    @property
    def kidney(self) -> int:
        """Index of the kidney."""
        return self.organs.index("kidney")

    @property
    def urine(self) -> int:
        """State index of cumulative urinary excretion."""
        return 2 + 3 * self.n_organs

    @property
    def bile(self) -> int:
        """State index of cumulative biliary excretion."""
        return 3 + 3 * self.n_organs

    def blood(self, i: int) -> int:
        """State index of organ ``i``'s capillary blood."""
        return 2 + 3 * i

    def tissue(self, i: int) -> int:
        """State index of organ ``i``'s tissue."""
        return 3 + 3 * i

    def res(self, i: int) -> int:
        """State index of organ ``i``'s phagocytic cells."""
        return 4 + 3 * i


@dataclass(frozen=True, slots=True)
class PkParameters:
    """Parameters of a batch of subjects; arrays have a leading subject axis.

    Per-organ arrays have shape ``(n_subjects, n_organs)``; scalars ``(n_subjects,)``.

    Parameters
    ----------
    q_l_per_h
        Blood flow into each organ, L/h (the lung's is the cardiac output).
    v_blood_l, v_tissue_l
        Capillary-blood and tissue volumes, L.
    partition
        Tissue:blood partition coefficient (dimensionless).
    pa_l_per_h
        Permeability-surface-area product, L/h.
    k_max_per_h, k50_h, hill_n, k_release_per_h
        Phagocytic uptake: maximum rate constant (1/h), Hill half-time (h), Hill coefficient,
        release rate constant (1/h).
    capacity_mg
        Uptake capacity of the capacity-limited law, mg.
    qc_l_per_h
        Cardiac output, L/h.
    v_arterial_l, v_venous_l
        Volumes of the central arterial and venous pools, L.
    q_liver_out_l_per_h
        Flow leaving the liver's capillary blood, L/h (hepatic artery + portal flows when
        physiological; hepatic artery only in the published code).
    k_bile_l_per_h, k_urine_l_per_h
        Biliary clearance of the liver-tissue concentration and urinary clearance of the
        kidney-blood concentration, L/h.
    """

    q_l_per_h: FloatArray
    v_blood_l: FloatArray
    v_tissue_l: FloatArray
    partition: FloatArray
    pa_l_per_h: FloatArray
    k_max_per_h: FloatArray
    k50_h: FloatArray
    hill_n: FloatArray
    k_release_per_h: FloatArray
    capacity_mg: FloatArray
    qc_l_per_h: FloatArray
    v_arterial_l: FloatArray
    v_venous_l: FloatArray
    q_liver_out_l_per_h: FloatArray
    k_bile_l_per_h: FloatArray
    k_urine_l_per_h: FloatArray

    @property
    def n_subjects(self) -> int:
        """Number of subjects (parameter sets) in the batch."""
        return int(self.qc_l_per_h.shape[0])

    def check(self, topology: Topology) -> None:
        """Raise ``ValueError`` when shapes disagree or a value is non-finite or out of range."""
        s, n = self.n_subjects, topology.n_organs
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            organ_wise = name not in _SCALARS
            shape = (s, n) if organ_wise else (s,)
            if value.shape != shape:
                raise ValueError(f"PkParameters.{name} has shape {value.shape}; expected {shape}")
            if not np.all(np.isfinite(value)):
                raise ValueError(f"PkParameters.{name} holds a non-finite value")
            if np.any(value < 0.0):
                raise ValueError(f"PkParameters.{name} holds a negative value")
        for name in ("v_blood_l", "v_tissue_l", "partition", "v_arterial_l", "v_venous_l"):
            if np.any(getattr(self, name) <= 0.0):
                raise ValueError(f"PkParameters.{name} must be positive")
        uses_capacity = np.array(topology.uptake_law) == CAPACITY
        if np.any(self.capacity_mg[:, uses_capacity] <= 0.0):
            raise ValueError("PkParameters.capacity_mg must be positive where the law uses it")


_SCALARS = frozenset(
    {
        "qc_l_per_h",
        "v_arterial_l",
        "v_venous_l",
        "q_liver_out_l_per_h",
        "k_bile_l_per_h",
        "k_urine_l_per_h",
    }
)


def uptake_rates(
    topology: Topology, params: PkParameters, tau_h: float, y: FloatArray
) -> FloatArray:
    """Phagocytic uptake rate constants K_up (1/h), shape ``(n_subjects, n_organs)``.

    Parameters
    ----------
    tau_h
        Time on the uptake clock, h.
    y
        States, shape ``(n_subjects, n_states)``, mg.
    """
    laws = np.array(topology.uptake_law)
    k = np.zeros_like(params.k_max_per_h)
    hill = laws == HILL
    if hill.any():
        k[:, hill] = hill_in_time(
            tau_h, params.k_max_per_h[:, hill], params.k50_h[:, hill], params.hill_n[:, hill]
        )
    const = laws == CONSTANT
    k[:, const] = params.k_max_per_h[:, const]
    cap = laws == CAPACITY
    if cap.any():
        res = y[:, 4 : 4 + 3 * topology.n_organs : 3][:, cap]
        k[:, cap] = capacity_limited(params.k_max_per_h[:, cap], res, params.capacity_mg[:, cap])
    return k


def system_matrix(
    topology: Topology, params: PkParameters, tau_h: float, y: FloatArray
) -> FloatArray:
    """Transfer matrix M with dy/dt = M y (+ dosing input), shape ``(n_subj, n_st, n_st)``.

    Entry ``M[s, j, k]`` is the rate constant (1/h) of transfer from state k into state j; the
    diagonal holds minus the total rate out, so every column sums to zero.
    """
    s, nst = params.n_subjects, topology.n_states
    m = np.zeros((s, nst, nst))

    def move(src: int, dst: int, rate: FloatArray) -> None:
        m[:, dst, src] += rate
        m[:, src, src] -= rate

    p = params
    lung, liver, kidney = topology.lung, topology.liver, topology.kidney
    k_up = uptake_rates(topology, p, tau_h, y)
    move(VENOUS, topology.blood(lung), p.qc_l_per_h / p.v_venous_l)
    move(topology.blood(lung), ARTERIAL, p.q_l_per_h[:, lung] / p.v_blood_l[:, lung])
    for i in range(topology.n_organs):
        b, t, r = topology.blood(i), topology.tissue(i), topology.res(i)
        vb, vt = p.v_blood_l[:, i], p.v_tissue_l[:, i]
        if i != lung:
            move(ARTERIAL, b, p.q_l_per_h[:, i] / p.v_arterial_l)
            if i == liver:
                move(b, VENOUS, p.q_liver_out_l_per_h / vb)
            elif topology.portal[i]:
                move(b, topology.blood(liver), p.q_l_per_h[:, i] / vb)
            else:
                move(b, VENOUS, p.q_l_per_h[:, i] / vb)
        move(b, t, p.pa_l_per_h[:, i] / vb)
        move(t, b, p.pa_l_per_h[:, i] / (p.partition[:, i] * vt))
        src = b if topology.uptake_from_blood[i] else t
        move(src, r, k_up[:, i])
        move(r, src, p.k_release_per_h[:, i])
    move(topology.blood(kidney), topology.urine, p.k_urine_l_per_h / p.v_blood_l[:, kidney])
    move(topology.tissue(liver), topology.bile, p.k_bile_l_per_h / p.v_tissue_l[:, liver])
    return m


def rhs(
    topology: Topology,
    params: PkParameters,
    tau_h: float,
    y: FloatArray,
    input_mg_per_h: FloatArray | None = None,
) -> FloatArray:
    """dy/dt (mg/h), shape ``(n_subjects, n_states)``; ``input_mg_per_h`` infuses into AV."""
    dy: FloatArray = np.einsum("sjk,sk->sj", system_matrix(topology, params, tau_h, y), y)
    if input_mg_per_h is not None:
        dy[:, VENOUS] += input_mg_per_h
    return dy


def jacobian(topology: Topology, params: PkParameters, tau_h: float, y: FloatArray) -> FloatArray:
    """Analytic Jacobian d(dy/dt)/dy, shape ``(n_subjects, n_states, n_states)``, 1/h.

    Equal to the transfer matrix except for capacity-limited organs, where the uptake flux
    :math:`K_{up}(A_{RES}) A_{src}` also depends on :math:`A_{RES}`.
    """
    jac = system_matrix(topology, params, tau_h, y)
    laws = topology.uptake_law
    for i in range(topology.n_organs):
        if laws[i] != CAPACITY:
            continue
        r = topology.res(i)
        src = topology.blood(i) if topology.uptake_from_blood[i] else topology.tissue(i)
        slope = capacity_slope(params.k_max_per_h[:, i], y[:, r], params.capacity_mg[:, i])
        d_flux = slope * y[:, src]  # d(uptake flux)/d A_RES
        jac[:, r, r] += d_flux
        jac[:, src, r] -= d_flux
    return jac
