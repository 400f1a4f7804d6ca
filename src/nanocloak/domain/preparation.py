"""How the particle is made: vesicle separation, the assembly method and the membrane:core ratio."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, model_validator

from nanocloak.domain.base import (
    Acceleration,
    Conductivity,
    DomainModel,
    Duration,
    FlowRate,
    Fraction,
    Frequency,
    GapLength,
    MassRatio,
    PoreSize,
    Power,
    ProcessTemperature,
    PulseRate,
    PulseWidth,
    Voltage,
    ZoneVolume,
)
from nanocloak.errors import SpecificationError
from nanocloak.units import format_quantity


class CentrifugationStep(DomainModel):
    """One spin of the differential-centrifugation train; the pellet or supernatant is kept."""

    rcf: Acceleration
    time: Duration
    keep: Literal["pellet", "supernatant"] = "pellet"


class VesicleSeparation(DomainModel):
    """Step 1: lysing source cells and purifying membrane vesicles.

    ``lysis`` is hypotonic treatment or freeze–thaw cycling. Protease inhibitor, cholesterol and
    divalent ions (Mg²⁺, Ca²⁺) in the buffer protect proteins and membrane rigidity (Song 2022).
    ``vesicle_pore_size`` is the final pore of the vesicle-sizing extrusion.
    """

    lysis: Literal["hypotonic", "freeze_thaw"] = "hypotonic"
    freeze_thaw_cycles: StrictInt | None = Field(default=None, ge=1, le=10)
    protease_inhibitor: bool = True
    cholesterol_added: bool = False
    divalent_ions: list[Literal["MgCl2", "CaCl2"]] = Field(default_factory=list)
    centrifugation: list[CentrifugationStep] = Field(min_length=1, max_length=8)
    washes: StrictInt = Field(default=2, ge=0, le=10)
    vesicle_pore_size: PoreSize = "200 nm"

    @model_validator(mode="after")
    def _cycles_match_lysis(self) -> VesicleSeparation:
        if self.lysis == "freeze_thaw" and self.freeze_thaw_cycles is None:
            raise SpecificationError(
                "preparation.separation.freeze_thaw_cycles",
                None,
                "a number of cycles between 1 and 10 for freeze–thaw lysis",
            )
        if self.lysis == "hypotonic" and self.freeze_thaw_cycles is not None:
            raise SpecificationError(
                "preparation.separation.freeze_thaw_cycles",
                self.freeze_thaw_cycles,
                "no cycles for hypotonic lysis",
            )
        if self.centrifugation[-1].keep != "pellet":
            raise SpecificationError(
                "preparation.separation.centrifugation.keep",
                self.centrifugation[-1].keep,
                "'pellet' for the last step: the membrane is collected as a pellet",
                "Steps that remove nuclei or mitochondria keep the supernatant; the final "
                "high-speed step pellets the membrane.",
            )
        return self


class Extrusion(DomainModel):
    """Co-extrusion of vesicles and cores through a polycarbonate membrane, ``passes`` times."""

    method: Literal["extrusion"] = "extrusion"
    pore_size: PoreSize
    passes: StrictInt = Field(ge=1, le=41)
    temperature: ProcessTemperature = "25 degC"


class Sonication(DomainModel):
    """Sonication of the vesicle–core mixture in a bath or with a probe.

    ``power`` is the generator's electrical power; ``duty_cycle`` the on-fraction of pulsed
    operation; ``temperature`` the bath (or ice-bath) temperature the sample starts from.
    """

    method: Literal["sonication"] = "sonication"
    mode: Literal["bath", "probe"]
    power: Power
    frequency: Frequency
    time: Duration
    temperature: ProcessTemperature = "4 degC"
    duty_cycle: Fraction = 1.0

    @model_validator(mode="after")
    def _settings_in_range(self) -> Sonication:
        minutes = float(self.time.to("min").magnitude)
        if not 0.05 <= minutes <= 60.0:
            raise SpecificationError(
                "preparation.assembly.time",
                format_quantity(self.time),
                "between 3 s and 60 min for sonication",
            )
        if self.duty_cycle <= 0.0:
            raise SpecificationError(
                "preparation.assembly.duty_cycle", self.duty_cycle, "a fraction above 0"
            )
        return self


class Electroporation(DomainModel):
    """Microfluidic electroporation: vesicles and cores mixed on a chip and pulsed in flow.

    The field in the electroporation zone is ``pulse_voltage / electrode_gap``; a particle
    spends ``zone_volume / flow_rate`` in the zone and receives ``pulse_rate`` pulses per second.
    ``buffer_conductivity`` is that of the electroporation buffer (PBS ~1.4 S/m; sucrose-based
    electroporation buffers ~0.01–0.1 S/m): it sets Joule heating and membrane charging.
    """

    method: Literal["microfluidic_electroporation"] = "microfluidic_electroporation"
    pulse_voltage: Voltage
    pulse_width: PulseWidth
    pulse_rate: PulseRate
    flow_rate: FlowRate
    electrode_gap: GapLength
    zone_volume: ZoneVolume
    buffer_conductivity: Conductivity
    temperature: ProcessTemperature = "25 degC"

    @model_validator(mode="after")
    def _field_not_arcing(self) -> Electroporation:
        field_kv_per_cm = float((self.pulse_voltage / self.electrode_gap).to("kV/cm").magnitude)
        if field_kv_per_cm > 300.0:
            raise SpecificationError(
                "preparation.assembly.pulse_voltage",
                format_quantity(self.pulse_voltage),
                f"a field below 300 kV/cm across the {self.electrode_gap} gap "
                f"(got {field_kv_per_cm:.0f} kV/cm, above the breakdown of water)",
            )
        return self


class CoIncubation(DomainModel):
    """Co-incubation (with or without stirring) of vesicles and cores."""

    method: Literal["co_incubation"] = "co_incubation"
    time: Duration
    temperature: ProcessTemperature = "37 degC"
    stirring: bool = True


Assembly = Annotated[
    Extrusion | Sonication | Electroporation | CoIncubation, Field(discriminator="method")
]


class Preparation(DomainModel):
    """The three preparation steps' settings and the membrane-protein : core mass ratio."""

    separation: VesicleSeparation
    assembly: Assembly
    membrane_to_core_ratio: MassRatio


__all__ = [
    "Assembly",
    "CentrifugationStep",
    "CoIncubation",
    "Electroporation",
    "Extrusion",
    "Preparation",
    "Sonication",
    "VesicleSeparation",
]
