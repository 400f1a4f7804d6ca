"""``export_pk_sbml``: the PBPK model of one subject as SBML, for other SBML tools.

Builds the same topology and kernel parameters as
:func:`~nanocloak.workflows.simulate_pk.simulate_pk`, through its public
:func:`~nanocloak.workflows.simulate_pk.build_model` (knowledge-base defaults, overrides,
body-weight scaling), and writes them with :func:`nanocloak.io.sbml.to_sbml`. What the SBML
holds, and what it leaves out (repeated dosing, infusions, the per-dose clock), is listed in
:mod:`nanocloak.io.sbml`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.io.sbml import to_sbml
from nanocloak.kernels.pk.model import PkParameters, Topology
from nanocloak.workflows.simulate_pk import Mode, ParamValue, build_model


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
) -> str:
    """SBML (L3V2) text of the PBPK model after one IV bolus of ``dose_mg_per_kg`` at t = 0.

    Parameters
    ----------
    species
        ``"mouse"`` or ``"rat"``.
    dose_mg_per_kg
        Bolus dose, mg/kg body weight (the initial amount of the venous pool).
    params, mode, uptake_laws
        As in :func:`~nanocloak.workflows.simulate_pk.simulate_pk`. In ``reference`` mode the
        structure is the published code's, but the bolus is instantaneous (the published code
        infuses it over 0.005 h) and the Hill clock is SBML ``time``.
    """
    if not (np.isfinite(dose_mg_per_kg) and dose_mg_per_kg > 0.0):
        raise SpecificationError("dose", dose_mg_per_kg, "a positive dose in mg/kg", "e.g. 5")
    topology, kernel, values = pk_model(species, params, mode=mode, uptake_laws=uptake_laws)
    dose_mg = dose_mg_per_kg * values["body_weight"]
    notes = (
        f"nanocloak PBPK model: {species}, body weight {values['body_weight']:g} kg, IV bolus "
        f"{dose_mg_per_kg:g} mg/kg ({dose_mg:g} mg) at t = 0, mode {mode}. Units: h, mg, L. "
        "Hill-in-time uptake uses SBML time (valid for this single bolus at t = 0)."
    )
    return to_sbml(topology, kernel, dose_mg, notes=notes, model_id=f"nanocloak_pbpk_{species}")
