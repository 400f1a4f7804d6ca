"""``export_pk_sbml``: the PBPK model of one subject as SBML, for other SBML tools.

Builds the same topology and kernel parameters as
:func:`~nanocloak.workflows.simulate_pk.simulate_pk`, through its public
:func:`~nanocloak.workflows.simulate_pk.build_model` (knowledge-base defaults, overrides,
body-weight scaling), and writes them with :func:`nanocloak.io.sbml.to_sbml`. A dosing schedule
is turned into the same doses and uptake clock ``simulate_pk`` solves (repeated boluses and
infusions as SBML events, the per-dose clock as a parameter each dose resets); what the SBML
holds and leaves out is listed in :mod:`nanocloak.io.sbml`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.io.sbml import to_sbml
from nanocloak.kernels.pk.model import PkParameters, Topology
from nanocloak.kernels.pk.solve import Clock, Dose
from nanocloak.workflows.simulate_pk import (
    REFERENCE_INFUSION_H,
    DoseSchedule,
    Mode,
    ParamValue,
    build_model,
)


def pk_model(
    species: str = "mouse",
    params: Mapping[str, ParamValue] | None = None,
    *,
    mode: Mode = "physiological",
    uptake_laws: Mapping[str, str] | None = None,
) -> tuple[Topology, PkParameters, dict[str, float]]:
    """Topology, kernel parameters (one subject) and resolved parameter values.

    Parameters are resolved by :func:`~nanocloak.workflows.simulate_pk.build_model`, exactly
    as :func:`~nanocloak.workflows.simulate_pk.simulate_pk` resolves them (same keys, units
    and checks).
    """
    model = build_model(species, dict(params or {}), mode=mode, uptake_laws=uptake_laws)
    return model.topology, model.parameters, model.values[0]


def export_pk_sbml(
    species: str = "mouse",
    dose_mg_per_kg: float = 5.0,
    params: Mapping[str, ParamValue] | None = None,
    *,
    mode: Mode = "physiological",
    uptake_laws: Mapping[str, str] | None = None,
    schedule: DoseSchedule | str | None = None,
) -> str:
    """SBML (L3V2) text of the PBPK model after intravenous dosing.

    Parameters
    ----------
    species
        ``"mouse"`` or ``"rat"``.
    dose_mg_per_kg
        Each dose, mg/kg body weight.
    params, mode, uptake_laws
        As in :func:`~nanocloak.workflows.simulate_pk.simulate_pk`.
    schedule
        None (default): one bolus at t = 0, the initial amount of the venous pool, with the
        Hill clock written as SBML ``time``; in ``reference`` mode this bolus is instantaneous
        (the published code, and ``simulate_pk``, infuse it over 0.005 h). A
        :class:`~nanocloak.workflows.simulate_pk.DoseSchedule` or its text (``"at 0, 120 h"``,
        ``"every 24 h x 3 infusion 1 h"``): the doses exactly as ``simulate_pk`` gives them
        (in ``reference`` mode a bolus becomes a 0.005-h infusion and the uptake clock runs
        from the first dose; otherwise each dose restarts it), as SBML events.
    """
    if not (np.isfinite(dose_mg_per_kg) and dose_mg_per_kg > 0.0):
        raise SpecificationError("dose", dose_mg_per_kg, "a positive dose in mg/kg", "e.g. 5")
    topology, kernel, values = pk_model(species, params, mode=mode, uptake_laws=uptake_laws)
    dose_mg = dose_mg_per_kg * values["body_weight"]
    model_id = f"nanocloak_pbpk_{species}"
    if schedule is not None:
        plan = DoseSchedule.parse(schedule) if isinstance(schedule, str) else schedule
        infusion_h = plan.infusion_h
        if mode == "reference" and infusion_h == 0.0:
            infusion_h = REFERENCE_INFUSION_H
        doses = [Dose(t, np.array([dose_mg]), infusion_h) for t in plan.times_h]
        notes = (
            f"nanocloak PBPK model: {species}, body weight {values['body_weight']:g} kg, "
            f"{plan.describe()}, {dose_mg_per_kg:g} mg/kg ({dose_mg:g} mg) each"
            + (f", given as {infusion_h:g}-h infusions" if infusion_h > 0.0 else "")
            + f", mode {mode}. Units: h, mg, L. Doses are SBML events; the Hill-in-time uptake "
            + "clock is uptake_clock = time - t_last_dose, t_last_dose being the start of "
            + ("the first dose." if mode == "reference" else "the latest dose.")
        )
        clock: Clock = "absolute" if mode == "reference" else "per_dose"
        return to_sbml(topology, kernel, doses, clock=clock, notes=notes, model_id=model_id)
    notes = (
        f"nanocloak PBPK model: {species}, body weight {values['body_weight']:g} kg, IV bolus "
        f"{dose_mg_per_kg:g} mg/kg ({dose_mg:g} mg) at t = 0, mode {mode}. Units: h, mg, L. "
        "Hill-in-time uptake uses SBML time (valid for this single bolus at t = 0)."
    )
    return to_sbml(topology, kernel, dose_mg, notes=notes, model_id=model_id)
