r"""Dosing schedules in the SBML export: repeated boluses and infusions as SBML events.

A schedule (a sequence of :class:`~nanocloak.kernels.pk.solve.Dose`) is cut exactly as the
solver cuts it (:func:`~nanocloak.kernels.pk.solve.dosing_segments`, at every dose start and
infusion end), and at every cut after t = 0 an SBML event (trigger ``time >= t_k``) sets what
the solver sets for the next segment:

- a bolus adds its amount to ``AV`` (and to the parameter ``dosed``);
- ``infusion_rate`` (mg/h, the sum over running infusions of amount/duration) is set to its
  new value; the reaction ``iv_infusion`` (no reactant) feeds it into ``AV``, and a rate rule
  integrates it into ``dosed``;
- ``t_last_dose`` (h), the origin of the uptake clock, becomes the start of the latest dose
  (``per_dose`` clock) or stays at the first dose (``absolute`` clock, the published code);
  ``uptake_clock`` = ``time - t_last_dose`` replaces ``time`` in the Hill law (written without
  ``piecewise``, whose switch at the clock's start some SBML tools turn into an event;
  :math:`K_{50} = 0` is written as :math:`K_{max}`). Before the first dose the clock counts
  from t = 0: every amount is zero then, so no uptake flux depends on it.

Doses at t = 0 are the initial values. ``dosed`` is the amount given so far, so the sum of all
species equals ``dosed`` at every time (mass balance).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nanocloak.io.sbml_builder import SbmlBuilder, SbmlExportError
from nanocloak.kernels.pk.model import PkParameters
from nanocloak.kernels.pk.solve import Clock, Dose, dosing_segments


def dosing_edges(
    doses: Sequence[Dose], clock: Clock, params: PkParameters, subject: int
) -> list[tuple[float, float, float, float]]:
    """Per dosing segment of ``subject``: start (h), bolus at its start (mg), infusion rate
    (mg/h) and uptake-clock origin (h), cut exactly as the solver cuts the schedule."""
    if not doses:
        raise SbmlExportError("a dosing schedule needs at least one dose")
    if clock not in ("per_dose", "absolute"):
        raise SbmlExportError(f"unknown uptake clock {clock!r}: 'per_dose' or 'absolute'")
    for dose in doses:
        amount = np.asarray(dose.amount_mg, dtype=float)
        if amount.shape != (params.n_subjects,) or not np.all(np.isfinite(amount) & (amount >= 0)):
            raise SbmlExportError(f"each dose needs {params.n_subjects} amounts >= 0 mg")
        if not (np.isfinite(dose.time_h) and dose.time_h >= 0.0 and dose.duration_h >= 0.0):
            raise SbmlExportError("dose times and infusion durations must be finite and >= 0 h")
    # any end after the last infusion ends: the solver's segments up to there, then nothing moves
    t_end = max(d.time_h + d.duration_h for d in doses) + 1.0
    start, _, origin, rate, bolus, _, _ = dosing_segments(
        doses, np.array([0.0, t_end]), clock, params.n_subjects
    )
    return [
        (float(start[k]), float(bolus[subject, k]), float(rate[subject, k]), float(origin[k]))
        for k in range(start.size)
    ]


def write_schedule(builder: SbmlBuilder, edges: list[tuple[float, float, float, float]]) -> None:
    """Dosing parameters, the infusion reaction and one event per cut that changes something."""
    _, bolus0, rate0, origin0 = edges[0]
    if bolus0 == 0.0 and rate0 == 0.0:
        origin0 = 0.0  # nothing dosed yet, no uptake flux: the clock may count from 0 (>= 0)
    infused = any(rate > 0.0 for _, _, rate, _ in edges)
    moving_clock = any(origin != origin0 for *_, origin in edges)
    builder.parameter(
        "t_last_dose", origin0, "hour", "uptake clock origin (h)", constant=not moving_clock
    )
    builder.parameter("uptake_clock", 0.0, "hour", "time on the uptake clock (h)", constant=False)
    builder.rule("uptake_clock", "time - t_last_dose")
    builder.parameter("dosed", bolus0, "mg", "amount dosed so far (mg)", constant=False)
    if infused:
        builder.parameter(
            "infusion_rate", rate0, "mg_per_hour", "IV infusion rate (mg/h)", constant=False
        )
        builder.transfer("iv_infusion", None, "AV", "infusion_rate")  # no reactant: an input
        builder.rate_rule("dosed", "infusion_rate")
    previous = (0.0, bolus0, rate0, origin0)
    for k, (t_h, bolus, rate, origin) in enumerate(edges[1:], start=1):
        changes = []
        if bolus > 0.0:
            changes += [("AV", f"AV + {bolus!r} mg"), ("dosed", f"dosed + {bolus!r} mg")]
        if rate != previous[2]:
            changes.append(("infusion_rate", f"{rate!r} mg_per_hour"))
        if origin != previous[3]:
            changes.append(("t_last_dose", f"{origin!r} hour"))
        if changes:
            builder.event(f"dosing_{k}", t_h, changes)
        previous = (t_h, bolus, rate, origin)
