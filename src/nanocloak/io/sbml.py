r"""SBML export of the nanoparticle PBPK model (Level 3 Version 2, python-libsbml).

What is exported
----------------
* **Compartments**: the central arterial and venous pools, and per organ its capillary blood
  (``<organ>_blood``) and tissue (``<organ>_tissue``) volumes, L; an ``excreta`` placeholder
  (1 L) for the cumulative urine and bile amounts.
* **Species** (amounts, mg; ``hasOnlySubstanceUnits``): ``AA``, ``AV``, and per organ
  ``<organ>_b``, ``<organ>_t``, ``<organ>_res`` (the phagocytic cells, placed in the tissue
  compartment), ``urine``, ``bile`` — the kernel's state vector, in its order.
* **Parameters**: every flow (L/h), volume (L), partition coefficient, permeability-surface
  product (L/h), uptake constant and clearance of one subject, as the kernel uses them (after
  body-weight scaling), with an SBO-free name that says what it is.
* **Reactions**: one irreversible transfer per term of :func:`nanocloak.kernels.pk.model.
  system_matrix`, with the kinetic law in amounts, e.g. arterial inflow
  :math:`Q_i A_A / V_A`, capillary-to-tissue :math:`PA_i A_b / V_b`, back-diffusion
  :math:`PA_i A_t / (P_i V_t)`, phagocytic uptake :math:`K_{up,i} A_{src}`, release
  :math:`K_{rel,i} A_{RES}`, urine :math:`K_{urine} A_{K,b}/V_{K,b}`, bile
  :math:`K_{bile} A_{L,t}/V_{L,t}`.
* **Uptake laws** as assignment rules for ``Kup_<organ>``: ``constant`` (:math:`K_{max}`),
  ``capacity`` (:math:`K_{max}\max(0, 1 - A_{RES}/A_{cap})` as a ``piecewise``), ``hill``
  (:math:`K_{max} t^n/(K_{50}^n + t^n)` with SBML ``time``) and ``none`` (0).
* **Dosing**, two forms. A plain amount (``dose_mg`` a number): one intravenous bolus at t = 0
  as the initial amount of ``AV``, and the Hill law written with SBML ``time``. A schedule
  (``dose_mg`` a sequence of :class:`~nanocloak.kernels.pk.solve.Dose`): SBML events at every
  cut of the solver's dosing segments, an ``infusion_rate`` feeding ``AV``, the uptake clock
  ``uptake_clock = time - t_last_dose`` in the Hill law and a ``dosed`` tally for mass balance
  (:mod:`~nanocloak.io.sbml_schedule`).

What is not exported
--------------------
* The reported ``blood`` output (venous concentration × total blood volume) and the derived
  metrics (half-lives, AUC, DE); they are computed from the states.
* The membrane layer's multipliers appear only through the parameter values they produced;
  parameter windows (``simulate_pk(windows=...)``) are not exported.

libsbml is imported when the function runs (``pip install python-libsbml``); the element and
unit writing helpers are in :mod:`~nanocloak.io.sbml_builder`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from nanocloak.io.sbml_builder import SbmlBuilder, SbmlExportError, define_units
from nanocloak.io.sbml_schedule import dosing_edges, write_schedule
from nanocloak.kernels.pk.model import PkParameters, Topology
from nanocloak.kernels.pk.solve import Clock, Dose
from nanocloak.kernels.pk.uptake import CAPACITY, CONSTANT, HILL

__all__ = ["LEVEL", "VERSION", "SbmlExportError", "libsbml_module", "species_ids", "to_sbml"]

LEVEL, VERSION = 3, 2


def libsbml_module() -> ModuleType:
    """The ``libsbml`` module, or a clear error naming the package to install."""
    try:
        return importlib.import_module("libsbml")
    except ImportError:
        raise SbmlExportError(
            "SBML export needs python-libsbml; install it with 'pip install python-libsbml'"
        ) from None


def species_ids(topology: Topology) -> list[str]:
    """SBML species ids in the kernel's state order."""
    ids = ["AA", "AV"]
    for organ in topology.organs:
        ids += [f"{organ}_b", f"{organ}_t", f"{organ}_res"]
    return [*ids, "urine", "bile"]


def to_sbml(
    topology: Topology,
    params: PkParameters,
    dose_mg: float | Sequence[Dose],
    *,
    subject: int = 0,
    clock: Clock = "per_dose",
    model_id: str = "nanocloak_pbpk",
    name: str = "nanocloak nanoparticle PBPK model",
    notes: str = "",
) -> str:
    """SBML (L3V2) text of one subject of the PBPK model after intravenous dosing.

    Parameters
    ----------
    topology
        Model structure (organs, portal drainage, uptake sites and laws).
    params
        Kernel parameters of a batch; subject ``subject`` is exported.
    dose_mg
        A number: one bolus at t = 0, mg, the initial amount of the venous pool ``AV``. Or a
        schedule, the doses :func:`~nanocloak.kernels.pk.solve.simulate` takes (start times h
        >= 0, per-subject amounts mg, infusion durations h), written as SBML events
        (:mod:`~nanocloak.io.sbml_schedule`).
    subject
        Which subject of the batch.
    clock
        Uptake clock of a schedule: ``"per_dose"`` (time since the latest dose start) or
        ``"absolute"`` (time since the first dose), as in
        :func:`~nanocloak.kernels.pk.solve.simulate`. A single number dose uses SBML ``time``.
    model_id, name, notes
        SBML model id, name and a plain-text note (e.g. species, dose, mode).
    """
    sbml = libsbml_module()
    if not 0 <= subject < params.n_subjects:
        raise SbmlExportError(f"subject {subject} is not in a batch of {params.n_subjects}")
    document = sbml.SBMLDocument(LEVEL, VERSION)
    model = document.createModel()
    model.setId(model_id)
    model.setName(name)
    p = {field: getattr(params, field)[subject] for field in params.__dataclass_fields__}
    edges: list[tuple[float, float, float, float]] | None = None
    if isinstance(dose_mg, Sequence):
        edges = dosing_edges(dose_mg, clock, params, subject)
        initial_mg = edges[0][1]
    else:
        initial_mg = float(dose_mg)
    define_units(model, sbml, dosing=edges is not None)
    builder = SbmlBuilder(sbml, model)

    builder.compartment("central_arterial", float(p["v_arterial_l"]))
    builder.compartment("central_venous", float(p["v_venous_l"]))
    for i, organ in enumerate(topology.organs):
        builder.compartment(f"{organ}_blood", float(p["v_blood_l"][i]))
        builder.compartment(f"{organ}_tissue", float(p["v_tissue_l"][i]))
    builder.compartment("excreta", 1.0)
    builder.species("AA", "central_arterial", 0.0)
    builder.species("AV", "central_venous", initial_mg)
    for organ in topology.organs:
        builder.species(f"{organ}_b", f"{organ}_blood", 0.0)
        builder.species(f"{organ}_t", f"{organ}_tissue", 0.0)
        builder.species(f"{organ}_res", f"{organ}_tissue", 0.0)
    builder.species("urine", "excreta", 0.0)
    builder.species("bile", "excreta", 0.0)

    builder.parameter("QC", float(p["qc_l_per_h"]), "litre_per_hour", "cardiac output (L/h)")
    builder.parameter(
        "Q_liver_out", float(p["q_liver_out_l_per_h"]), "litre_per_hour", "liver outflow (L/h)"
    )
    builder.parameter("K_bile", float(p["k_bile_l_per_h"]), "litre_per_hour", "bile (L/h)")
    builder.parameter("K_urine", float(p["k_urine_l_per_h"]), "litre_per_hour", "urine (L/h)")
    for i, organ in enumerate(topology.organs):
        builder.parameter(f"Q_{organ}", float(p["q_l_per_h"][i]), "litre_per_hour", "blood flow")
        builder.parameter(f"P_{organ}", float(p["partition"][i]), "dimensionless", "partition")
        builder.parameter(f"PA_{organ}", float(p["pa_l_per_h"][i]), "litre_per_hour", "PA")
        builder.parameter(f"Krel_{organ}", float(p["k_release_per_h"][i]), "per_hour", "release")
        _uptake(builder, topology, p, i, "time" if edges is None else "uptake_clock")

    lung, liver, kidney = topology.lung, topology.liver, topology.kidney
    lung_name = topology.organs[lung]
    builder.transfer("venous_to_lung", "AV", f"{lung_name}_b", "QC * AV / central_venous")
    builder.transfer(
        "lung_to_arterial",
        f"{lung_name}_b",
        "AA",
        f"Q_{lung_name} * {lung_name}_b / {lung_name}_blood",
    )
    liver_name = topology.organs[liver]
    for i, organ in enumerate(topology.organs):
        b, t, res = f"{organ}_b", f"{organ}_t", f"{organ}_res"
        vb, vt = f"{organ}_blood", f"{organ}_tissue"
        if i != lung:
            builder.transfer(f"arterial_to_{organ}", "AA", b, f"Q_{organ} * AA / central_arterial")
            if i == liver:
                builder.transfer(f"{organ}_to_venous", b, "AV", f"Q_liver_out * {b} / {vb}")
            elif topology.portal[i]:
                builder.transfer(
                    f"{organ}_to_liver", b, f"{liver_name}_b", f"Q_{organ} * {b} / {vb}"
                )
            else:
                builder.transfer(f"{organ}_to_venous", b, "AV", f"Q_{organ} * {b} / {vb}")
        builder.transfer(f"{organ}_blood_to_tissue", b, t, f"PA_{organ} * {b} / {vb}")
        builder.transfer(f"{organ}_tissue_to_blood", t, b, f"PA_{organ} * {t} / (P_{organ} * {vt})")
        source = b if topology.uptake_from_blood[i] else t
        builder.transfer(f"{organ}_uptake", source, res, f"Kup_{organ} * {source}")
        builder.transfer(f"{organ}_release", res, source, f"Krel_{organ} * {res}")
    kidney_name = topology.organs[kidney]
    builder.transfer(
        "urinary_excretion",
        f"{kidney_name}_b",
        "urine",
        f"K_urine * {kidney_name}_b / {kidney_name}_blood",
    )
    builder.transfer(
        "biliary_excretion",
        f"{liver_name}_t",
        "bile",
        f"K_bile * {liver_name}_t / {liver_name}_tissue",
    )
    if edges is not None:
        write_schedule(builder, edges)
    if notes:
        model.setNotes(
            '<body xmlns="http://www.w3.org/1999/xhtml"><p>'
            + notes.replace("&", "&amp;").replace("<", "&lt;")
            + "</p></body>"
        )
    if document.getNumErrors(sbml.LIBSBML_SEV_ERROR) > 0:
        raise SbmlExportError(document.getErrorLog().toString())
    return str(sbml.writeSBMLToString(document))


def _uptake(
    builder: SbmlBuilder, topology: Topology, p: dict[str, Any], i: int, clock: str
) -> None:
    organ = topology.organs[i]
    law = topology.uptake_law[i]
    kmax = f"Kmax_{organ}"
    if law in (HILL, CAPACITY, CONSTANT):
        builder.parameter(kmax, float(p["k_max_per_h"][i]), "per_hour", "maximum uptake rate")
    if law == HILL:
        builder.parameter(f"K50_{organ}", float(p["k50_h"][i]), "hour", "Hill half-time")
        builder.parameter(f"n_{organ}", float(p["hill_n"][i]), "dimensionless", "Hill coefficient")
        if clock != "time" and float(p["k50_h"][i]) == 0.0:
            formula = kmax  # K50 = 0: K_max as soon as the clock runs, as hill_in_time gives
        else:
            formula = (
                f"{kmax} * pow({clock}, n_{organ}) / (pow(K50_{organ}, n_{organ}) + "
                f"pow({clock}, n_{organ}))"
            )
    elif law == CAPACITY:
        builder.parameter(f"Cap_{organ}", float(p["capacity_mg"][i]), "mg", "uptake capacity (mg)")
        formula = (
            f"piecewise({kmax} * (1 - {organ}_res / Cap_{organ}), lt({organ}_res, Cap_{organ}), 0)"
        )
    elif law == CONSTANT:
        formula = kmax
    else:
        formula = "0"
    builder.parameter(f"Kup_{organ}", 0.0, "per_hour", "uptake rate constant", constant=False)
    builder.rule(f"Kup_{organ}", formula)
