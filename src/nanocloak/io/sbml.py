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
  (``dose_mg`` a sequence of :class:`~nanocloak.kernels.pk.solve.Dose`): the time axis is cut
  exactly as the solver cuts it (:func:`~nanocloak.kernels.pk.solve.dosing_segments`, at every
  dose start and infusion end), and at every cut after t = 0 an SBML event (trigger
  ``time >= t_k``) sets what the solver sets for the next segment:

  - a bolus adds its amount to ``AV`` (and to the parameter ``dosed``);
  - ``infusion_rate`` (mg/h, the sum over running infusions of amount/duration) is set to
    its new value; the reaction ``iv_infusion`` (no reactant) feeds it into ``AV``, and a rate
    rule integrates it into ``dosed``;
  - ``t_last_dose`` (h), the origin of the uptake clock, becomes the start of the latest dose
    (``per_dose`` clock) or stays at the first dose (``absolute`` clock, the published code);
    ``uptake_clock`` = ``time - t_last_dose`` replaces ``time`` in the Hill law (written
    without ``piecewise``, whose switch at the clock's start some SBML tools turn into an
    event; :math:`K_{50} = 0` is written as :math:`K_{max}`). Before the first dose the clock
    counts from t = 0: every amount is zero then, so no uptake flux depends on it.

  Doses at t = 0 are the initial values. ``dosed`` is the amount given so far, so the sum of
  all species equals ``dosed`` at every time (mass balance).

What is not exported
--------------------
* The reported ``blood`` output (venous concentration × total blood volume) and the derived
  metrics (half-lives, AUC, DE); they are computed from the states.
* The membrane layer's multipliers appear only through the parameter values they produced;
  parameter windows (``simulate_pk(windows=...)``) are not exported.

libsbml is imported when the function runs (``pip install python-libsbml``).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

from nanocloak.errors import NanocloakError
from nanocloak.kernels.pk.model import PkParameters, Topology
from nanocloak.kernels.pk.solve import Clock, Dose, dosing_segments
from nanocloak.kernels.pk.uptake import CAPACITY, CONSTANT, HILL

LEVEL, VERSION = 3, 2


class SbmlExportError(NanocloakError, RuntimeError):
    """The SBML document could not be built (libsbml missing or an internal inconsistency)."""


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
        >= 0, per-subject amounts mg, infusion durations h), written as SBML events (module
        docstring).
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
        edges = _edges(dose_mg, clock, params, subject)
        initial_mg = edges[0][1]
    else:
        initial_mg = float(dose_mg)
    _units(model, sbml, dosing=edges is not None)
    builder = _Builder(sbml, model)

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
        _schedule(builder, edges)
    if notes:
        model.setNotes(
            '<body xmlns="http://www.w3.org/1999/xhtml"><p>'
            + notes.replace("&", "&amp;").replace("<", "&lt;")
            + "</p></body>"
        )
    if document.getNumErrors(sbml.LIBSBML_SEV_ERROR) > 0:
        raise SbmlExportError(document.getErrorLog().toString())
    return str(sbml.writeSBMLToString(document))


def _edges(
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


def _schedule(builder: _Builder, edges: list[tuple[float, float, float, float]]) -> None:
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


def _uptake(builder: _Builder, topology: Topology, p: dict[str, Any], i: int, clock: str) -> None:
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


class _Builder:
    """Small helpers over libsbml's create* calls, raising on any failed call."""

    def __init__(self, sbml: ModuleType, model: Any) -> None:
        self.sbml = sbml
        self.model = model

    def _ok(self, code: int, what: str) -> None:
        if code != self.sbml.LIBSBML_OPERATION_SUCCESS:
            raise SbmlExportError(
                f"libsbml refused {what}: {self.sbml.OperationReturnValue_toString(code)}"
            )

    def compartment(self, sid: str, size_l: float) -> None:
        c = self.model.createCompartment()
        self._ok(c.setId(sid), sid)
        self._ok(c.setConstant(True), sid)
        self._ok(c.setSize(size_l), sid)
        self._ok(c.setSpatialDimensions(3), sid)
        self._ok(c.setUnits("litre"), sid)

    def species(self, sid: str, compartment: str, amount_mg: float) -> None:
        s = self.model.createSpecies()
        self._ok(s.setId(sid), sid)
        self._ok(s.setCompartment(compartment), sid)
        self._ok(s.setInitialAmount(amount_mg), sid)
        self._ok(s.setHasOnlySubstanceUnits(True), sid)
        self._ok(s.setBoundaryCondition(False), sid)
        self._ok(s.setConstant(False), sid)
        self._ok(s.setSubstanceUnits("mg"), sid)

    def parameter(
        self, sid: str, value: float, units: str, name: str, *, constant: bool = True
    ) -> None:
        q = self.model.createParameter()
        self._ok(q.setId(sid), sid)
        self._ok(q.setName(name), sid)
        self._ok(q.setValue(value), sid)
        self._ok(q.setUnits(units), sid)
        self._ok(q.setConstant(constant), sid)

    def rule(self, variable: str, formula: str) -> None:
        rule = self.model.createAssignmentRule()
        self._ok(rule.setVariable(variable), variable)
        self._ok(rule.setMath(self._math(formula)), variable)

    def transfer(self, sid: str, source: str | None, target: str, formula: str) -> None:
        """A reaction moving ``source`` (None: from outside the model) into ``target``."""
        r = self.model.createReaction()
        self._ok(r.setId(sid), sid)
        self._ok(r.setReversible(False), sid)
        ends = ((source, r.createReactant), (target, r.createProduct))
        for species, make in ((s, m) for s, m in ends if s is not None):
            ref = make()
            self._ok(ref.setSpecies(species), sid)
            self._ok(ref.setStoichiometry(1.0), sid)
            self._ok(ref.setConstant(True), sid)
        law = r.createKineticLaw()
        self._ok(law.setMath(self._math(formula)), sid)

    def rate_rule(self, variable: str, formula: str) -> None:
        rule = self.model.createRateRule()
        self._ok(rule.setVariable(variable), variable)
        self._ok(rule.setMath(self._math(formula)), variable)

    def event(self, sid: str, t_h: float, assignments: list[tuple[str, str]]) -> None:
        """An event at ``time >= t_h`` (h), applying ``assignments`` at once."""
        e = self.model.createEvent()
        self._ok(e.setId(sid), sid)
        self._ok(e.setUseValuesFromTriggerTime(True), sid)
        trigger = e.createTrigger()
        self._ok(trigger.setInitialValue(True), sid)
        self._ok(trigger.setPersistent(True), sid)
        self._ok(trigger.setMath(self._math(f"geq(time, {t_h!r} hour)")), sid)
        for variable, formula in assignments:
            assignment = e.createEventAssignment()
            self._ok(assignment.setVariable(variable), sid)
            self._ok(assignment.setMath(self._math(formula)), sid)

    def _math(self, formula: str) -> Any:
        ast = self.sbml.parseL3Formula(formula)
        if ast is None:
            raise SbmlExportError(f"cannot parse {formula!r}: {self.sbml.getLastParseL3Error()}")
        return ast


def _units(model: Any, sbml: ModuleType, *, dosing: bool = False) -> None:
    """Unit definitions: hour, mg, litre-based flows (and mg/h for a schedule); defaults h, mg,
    L."""
    definitions = {
        "hour": [(sbml.UNIT_KIND_SECOND, 1, 0, 3600.0)],
        "per_hour": [(sbml.UNIT_KIND_SECOND, -1, 0, 3600.0)],
        "mg": [(sbml.UNIT_KIND_GRAM, 1, -3, 1.0)],
        "litre_per_hour": [
            (sbml.UNIT_KIND_LITRE, 1, 0, 1.0),
            (sbml.UNIT_KIND_SECOND, -1, 0, 3600.0),
        ],
    }
    if dosing:
        definitions["mg_per_hour"] = [
            (sbml.UNIT_KIND_GRAM, 1, -3, 1.0),
            (sbml.UNIT_KIND_SECOND, -1, 0, 3600.0),
        ]
    for sid, units in definitions.items():
        definition = model.createUnitDefinition()
        definition.setId(sid)
        for kind, exponent, scale, multiplier in units:
            unit = definition.createUnit()
            unit.setKind(kind)
            unit.setExponent(exponent)
            unit.setScale(scale)
            unit.setMultiplier(multiplier)
    model.setTimeUnits("hour")
    model.setSubstanceUnits("mg")
    model.setExtentUnits("mg")
    model.setVolumeUnits("litre")
