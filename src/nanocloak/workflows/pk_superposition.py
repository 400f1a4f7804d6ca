"""Weighted, time-shifted sums of a batch ``PkResult``'s subjects: sub-populations and doses.

:func:`~nanocloak.workflows.simulate_design_pk.simulate_design_pk` solves every coating
sub-population (and, with repeat dosing, every dose cohort as a single dose at time 0) as one
subject of a ``simulate_pk`` batch. An animal is then the sum of its subjects, each weighted by
its share of the particles and shifted to its dose time:

.. math:: A_i(t) = \\sum_d \\sum_j W_{idj}\\,A_j(t - s_d)

The superposition is exact for a model linear in the amount (Hill-in-time and constant uptake
laws). Parameters that differ between an animal's subjects are reported as their share-weighted
mean; each membrane constant's source is added to the parameter sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.knowledge.pbpk_membrane import membrane_layer
from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_pk import DoseSchedule


def superpose_subjects(
    pk: PkResult,
    weights: FloatArray,
    shifts_h: Sequence[float],
    schedule: DoseSchedule,
    info: dict[str, Any],
) -> PkResult:
    """Animals from weighted, time-shifted sums of ``pk``'s subjects.

    .. math:: A_i(t) = \\sum_d \\sum_j W_{idj}\\,A_j(t - s_d)

    Parameters
    ----------
    pk
        A batch result; the subjects of one animal share its physiology and dosing.
    weights
        W, (animals, cohorts, subjects): each (animal, cohort) row sums to 1.
    shifts_h
        s_d, the dose time of each cohort, h (all 0 without superposition).
    schedule
        The dosing schedule the animals received.
    info
        JSON-safe description of the membrane layer, kept under ``solver["membrane_layer"]``.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 3 or w.shape[2] != pk.n_subjects or np.any(w < 0.0):
        raise ValueError(f"need non-negative weights of shape (animals, cohorts, {pk.n_subjects})")
    if not np.allclose(w.sum(axis=2), 1.0, atol=1e-9) or len(shifts_h) != w.shape[1]:
        raise ValueError("each (animal, cohort) row of weights must sum to 1, one shift each")
    # each animal's subjects (sub-populations, dose cohorts) share that animal's physiology;
    # animals may differ (per-animal body weight)
    first = np.argmax(w.sum(axis=1) > 0.0, axis=1)  # a subject of each animal
    for i in range(w.shape[0]):
        own = np.nonzero(w[i].sum(axis=0) > 0.0)[0]
        ref = first[i]
        if not np.allclose(pk.mass_g[own], pk.mass_g[ref], equal_nan=True) or not np.allclose(
            pk.dosed_mg[own], pk.dosed_mg[ref]
        ):
            raise ValueError("an animal's subjects must share physiology and dosing")
    shifted = any(s != 0.0 for s in shifts_h)
    t = pk.t_h
    if shifted:
        t = np.unique(np.concatenate([pk.t_h, [s + x for s in shifts_h for x in pk.t_h]]))
        t = t[t <= pk.t_h[-1] + 1e-9]

    def shift(series: FloatArray, s_h: float) -> FloatArray:
        if not shifted:
            return series
        moved = np.zeros((t.size, *series.shape[1:]))
        live = t >= s_h - 1e-12
        tau = np.maximum(t[live] - s_h, 0.0)
        flat = series.reshape(series.shape[0], -1)
        moved[live] = np.stack(
            [np.interp(tau, pk.t_h, flat[:, c]) for c in range(flat.shape[1])], axis=1
        ).reshape(tau.size, *series.shape[1:])
        return moved

    single = w.shape[0] == 1 and w.shape[1] == 1 and pk.n_subjects == 1
    if single:
        amount, total, dosed = pk.amount_mg, pk.states_total_mg, pk.dosed_mg[:1]
    else:
        amount = np.zeros((w.shape[0], t.size, len(pk.outputs)))
        total = np.zeros((w.shape[0], t.size))
        dosed = np.zeros((w.shape[0], t.size))
        for d, s_h in enumerate(shifts_h):
            a_d = np.stack([shift(pk.amount_mg[j], s_h) for j in range(pk.n_subjects)])
            tot_d = np.stack([shift(pk.states_total_mg[j], s_h) for j in range(pk.n_subjects)])
            amount += np.einsum("is,sto->ito", w[:, d], a_d)
            total += np.einsum("is,st->it", w[:, d], tot_d)
            dosed += np.stack([shift(pk.dosed_mg[j], s_h) for j in first])
    parameters = []
    for i in range(w.shape[0]):
        share = w[i].sum(axis=0) / w.shape[1]
        base = dict(pk.parameters[0])
        for key in set().union(*(p.keys() for p in pk.parameters)):
            if len({p[key] for p in pk.parameters}) > 1:
                base[key] = float(
                    sum(x * p[key] for x, p in zip(share, pk.parameters, strict=True))
                )
        parameters.append(base)
    sources = dict(pk.parameter_sources)
    for name, mech in membrane_layer().items():
        for key, value in mech.parameters.items():
            sources[f"membrane.{name}.{key}"] = value.source
    return PkResult.build(
        species=pk.species,
        mode=pk.mode,
        dose_mg_per_kg=pk.dose_mg_per_kg,
        schedule=schedule.describe() if shifted else pk.schedule,
        dose_times_h=schedule.times_h if shifted else pk.dose_times_h,
        infusion_h=pk.infusion_h,
        t_h=t,
        outputs={
            "names": pk.outputs,
            "amount_mg": amount,
            "mass_g": pk.mass_g[first],
            "body_weight_kg": pk.body_weight_kg[first],
        },
        dosed_mg=dosed,
        states_total_mg=total,
        parameters=tuple(parameters),
        parameter_sources=sources,
        t_last_h=pk.t_last_h,
        solver={**pk.solver, "subjects_combined": int(pk.n_subjects), "membrane_layer": info},
    )


def combine_subjects(pk: PkResult, weights: FloatArray, info: dict[str, Any]) -> PkResult:
    """One subject from the weighted sum of ``pk``'s subjects (same physiology and dosing);
    :func:`superpose_subjects` with one animal, one cohort and no shift."""
    w = np.asarray(weights, dtype=float)
    if w.shape != (pk.n_subjects,) or np.any(w < 0.0) or abs(w.sum() - 1.0) > 1e-9:
        raise ValueError(f"need {pk.n_subjects} non-negative weights summing to 1; got {w}")
    schedule = DoseSchedule(pk.dose_times_h, pk.infusion_h)
    return superpose_subjects(pk, w[None, None, :], [0.0], schedule, info)
