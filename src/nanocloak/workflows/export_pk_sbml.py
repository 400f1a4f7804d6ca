"""``export_pk_sbml``: the PBPK model of one subject as SBML, for other SBML tools.

Builds the same topology and kernel parameters as
:func:`~nanocloak.workflows.simulate_pk.simulate_pk` (knowledge-base defaults, overrides,
body-weight scaling) and writes them with :func:`nanocloak.io.sbml.to_sbml`. What the SBML
holds, and what it leaves out (repeated dosing, infusions, the per-dose clock), is listed in
:mod:`nanocloak.io.sbml`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.io.sbml import to_sbml
from nanocloak.kernels.pk.model import PkParameters, Topology
from nanocloak.kernels.pk.uptake import LAW_CODES
from nanocloak.knowledge import pbpk
from nanocloak.workflows import simulate_pk as sim


def pk_model(
    species: str = "mouse",
    params: Mapping[str, sim.ParamValue] | None = None,
    *,
    mode: sim.Mode = "physiological",
    uptake_laws: Mapping[str, str] | None = None,
) -> tuple[Topology, PkParameters, dict[str, float]]:
    """Topology, kernel parameters (one subject) and resolved parameter values.

    Parameters are resolved exactly as :func:`~nanocloak.workflows.simulate_pk.simulate_pk`
    resolves them (same keys, units and checks).
    """
    if mode not in ("physiological", "reference"):
        raise SpecificationError("mode", mode, "'physiological' or 'reference'")
    physiology = pbpk.physiology()
    if species not in physiology:
        raise SpecificationError("species", species, f"one of {sorted(physiology)}")
    species_kb = physiology[species]
    organs = tuple(
        o
        for o in sim.ORGAN_ORDER
        if (o in species_kb.organs or o == "tumor")
        and not (mode == "reference" and o in species_kb.reference_omit)
    )
    defaults = sim._defaults(species, organs)
    laws = sim._laws(organs, uptake_laws)
    values = sim._resolve(defaults, dict(params or {}), 0)
    topology = Topology(
        organs=organs,
        portal=tuple(o in sim.PORTAL for o in organs),
        uptake_from_blood=tuple(sim._nanoparticle(o).uptake_site == "blood" for o in organs),
        uptake_law=tuple(LAW_CODES[laws[o]] for o in organs),
    )
    kernel, _ = sim._kernel_parameters(topology, [values], mode)
    return topology, kernel, values


def export_pk_sbml(
    species: str = "mouse",
    dose_mg_per_kg: float = 5.0,
    params: Mapping[str, sim.ParamValue] | None = None,
    *,
    mode: sim.Mode = "physiological",
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
