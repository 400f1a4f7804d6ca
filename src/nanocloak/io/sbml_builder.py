"""Writing helpers over libsbml: model elements and unit definitions, raising on any failure.

:class:`SbmlBuilder` wraps libsbml's ``create*`` calls for the elements the PBPK export writes
(compartments in L, species as amounts in mg, parameters, assignment and rate rules,
irreversible mass-transfer reactions and timed events), checks every libsbml return code and
parses formulas in SBML L3 infix syntax; :func:`define_units` declares the model's units
(hour, mg, L and their combinations). Any refusal raises :class:`SbmlExportError`.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from nanocloak.errors import NanocloakError


class SbmlExportError(NanocloakError, RuntimeError):
    """The SBML document could not be built (libsbml missing or an internal inconsistency)."""


class SbmlBuilder:
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


def define_units(model: Any, sbml: ModuleType, *, dosing: bool = False) -> None:
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
