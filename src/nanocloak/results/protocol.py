"""A step-by-step preparation protocol written from a design and its predicted batch plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nanocloak.domain.preparation import (
    Assembly,
    CoIncubation,
    Electroporation,
    Extrusion,
    Sonication,
)
from nanocloak.knowledge import loader
from nanocloak.units import format_quantity

if TYPE_CHECKING:
    from nanocloak.results.design import DesignResult


def _assembly_step(assembly: Assembly) -> str:
    q = format_quantity
    if isinstance(assembly, Extrusion):
        return (
            f"Co-extrude cores and vesicles through a {q(assembly.pore_size)} polycarbonate "
            f"membrane, {assembly.passes} passes, at {q(assembly.temperature)}."
        )
    if isinstance(assembly, Sonication):
        pulsed = "" if assembly.duty_cycle == 1 else f", {assembly.duty_cycle:.0%} duty cycle"
        return (
            f"Sonicate the mixture ({assembly.mode}, {q(assembly.power)}, "
            f"{q(assembly.frequency)}, {q(assembly.time)}{pulsed}) starting at "
            f"{q(assembly.temperature)}."
        )
    if isinstance(assembly, Electroporation):
        return (
            f"Infuse cores and vesicles through the electroporation chip at "
            f"{q(assembly.flow_rate)}: {q(assembly.pulse_voltage)} pulses of "
            f"{q(assembly.pulse_width)} at {q(assembly.pulse_rate)} across a "
            f"{q(assembly.electrode_gap)} gap."
        )
    if isinstance(assembly, CoIncubation):
        stirring = "with stirring" if assembly.stirring else "without stirring"
        return (
            f"Co-incubate cores and vesicles for {q(assembly.time)} at "
            f"{q(assembly.temperature)} {stirring}."
        )
    raise TypeError(assembly)  # pragma: no cover - exhaustive union


def protocol_steps(result: DesignResult) -> list[str]:
    """Numbered-ready steps: harvest, lysis, spins, washes, sizing, mixing, assembly, storage."""
    spec = result.spec
    prep = spec.preparation
    sep = prep.separation
    cells = loader.membrane_sources()
    steps = []
    for plan, source in zip(result.nominal.plans, spec.membrane.sources, strict=True):
        where = (
            ""
            if plan.blood_ml is None
            else f" (about {plan.blood_ml:.2g} mL of {source.donor_species} whole blood)"
        )
        steps.append(
            f"Harvest {plan.cells:.2e} cells ({cells[plan.cell].name}){where} for "
            f"{plan.protein_mg:.3g} mg of membrane protein after losses."
        )
    additives = [
        name
        for name, used in (
            ("protease inhibitor", sep.protease_inhibitor),
            ("cholesterol", sep.cholesterol_added),
        )
        if used
    ]
    additives += sep.divalent_ions
    with_additives = f" with {', '.join(additives)}" if additives else ""
    if sep.lysis == "hypotonic":
        steps.append(f"Lyse in ice-cold hypotonic buffer{with_additives}.")
    else:
        steps.append(f"Lyse by {sep.freeze_thaw_cycles} freeze–thaw cycles{with_additives}.")
    for spin in sep.centrifugation:
        steps.append(
            f"Centrifuge at {format_quantity(spin.rcf)} for "
            f"{format_quantity(spin.time)}; keep the {spin.keep}."
        )
    if sep.washes:
        steps.append(f"Wash the membrane {sep.washes} times in PBS.")
    steps.append(
        f"Size the vesicles by extrusion through {format_quantity(sep.vesicle_pore_size)}"
        " and measure membrane protein (BCA)."
    )
    core_mass = float(spec.batch.core_mass.to("mg").magnitude)
    volume = core_mass / float(spec.batch.core_concentration.to("mg/mL").magnitude)
    steps.append(
        f"Mix {core_mass:g} mg of cores ({volume:.3g} mL at "
        f"{format_quantity(spec.batch.core_concentration)}) with "
        f"{result.metric('protein_planned_mg'):.3g} mg of membrane protein "
        f"({float(prep.membrane_to_core_ratio.to('mg/mg').magnitude):g} mg per mg of core; "
        f"{result.metric('excess_ratio'):.1f}× the area-matched minimum)."
    )
    steps.append(_assembly_step(prep.assembly))
    steps.append("Remove free vesicles by centrifugation and resuspend the coated particles.")
    steps.append(f"Store at 4 °C and use within {result.metric('shelf_life_days'):.0f} days.")
    return steps
