"""A virtual in vivo study: tumor model, groups of animals, agents, treatments and readouts.

Study time starts at the first dose (day 0); the tumor has its starting volume then. Every
dimensional field takes a string with a unit (``"5 mg/kg"``, ``"21 d"``, ``"808 nm"``).

A group gives one agent (nothing, a free drug, or a particle described by a design file or an
inline design table), its doses, and the treatments applied after the doses (laser or
alternating magnetic field). Inter-animal variability is a named distribution on a named
parameter; the same seed gives the same animals.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from nanocloak.domain.base import (
    DomainModel,
    DoseAmount,
    Exposure,
    FieldAmplitude,
    FieldFrequency,
    Irradiance,
    RadiationDose,
    SpotRadius,
    StudyDuration,
    TimePoint,
    TissueDepth,
    TumorVolume,
    Wavelength,
)
from nanocloak.domain.formulation import Design
from nanocloak.errors import SpecificationError
from nanocloak.knowledge import loader
from nanocloak.knowledge import tumor as tumor_kb

Modality = Literal["mri", "fluorescence"]
MODALITIES: tuple[Modality, ...] = ("mri",)
CellCount = Annotated[float, Field(gt=0.0, le=1e10)]

VARIABLE_PARAMETERS = {
    "tumor.growth_rate": "tumor growth rate (multiplies the model's rate)",
    "tumor.capacity": "tumor carrying capacity (multiplies the model's capacity)",
    "tumor.start_volume": "tumor volume at day 0 (multiplies the study's start volume)",
    "tumor.delivery": "tumor particle delivery (EPR heterogeneity; multiplies tumor permeability)",
    "tumor.perfusion": "tumor blood perfusion during heating (multiplies the calibrated value)",
    "body_weight": "body weight (multiplies the species' default; dose scales with it)",
    "liver.uptake": "liver phagocytic uptake (multiplies liver k_max)",
    "spleen.uptake": "spleen phagocytic uptake (multiplies spleen k_max)",
}
"""Parameters that can vary between animals, with what each multiplies."""


class Variation(DomainModel):
    """A named distribution of a multiplicative factor with median (or mean) 1.

    ``lognormal``: ``exp(N(0, σ²))`` with σ from the coefficient of variation ``cv`` by
    ``σ² = ln(1 + cv²)``; ``normal``: ``N(1, cv²)`` truncated at 0.05; ``uniform``: between
    ``low`` and ``high``.
    """

    distribution: Literal["lognormal", "normal", "uniform"] = "lognormal"
    cv: float | None = Field(default=None, ge=0.0, le=3.0)
    low: float | None = Field(default=None, gt=0.0)
    high: float | None = Field(default=None, gt=0.0)

    @model_validator(mode="after")
    def _parameters_match_distribution(self) -> Variation:
        if self.distribution == "uniform":
            if self.low is None or self.high is None or self.low > self.high:
                raise SpecificationError(
                    "variability",
                    {"low": self.low, "high": self.high},
                    "low <= high for a uniform factor",
                    "e.g. {distribution = 'uniform', low = 0.8, high = 1.2}",
                )
        elif self.cv is None:
            raise SpecificationError(
                "variability.cv",
                None,
                f"a coefficient of variation for a {self.distribution} factor",
                "e.g. {distribution = 'lognormal', cv = 0.3}",
            )
        return self

    @property
    def log_sd(self) -> float:
        """σ of the underlying normal of a lognormal factor."""
        return math.sqrt(math.log1p((self.cv or 0.0) ** 2))


class Inoculation(DomainModel):
    """Cells implanted before treatment; the start volume then follows from the growth law."""

    cells: CellCount
    days_before: StudyDuration
    site: str = "subcutaneous flank"


class TumorSpec(DomainModel):
    """The tumor model: a cell line of the knowledge base's tumor models, and where it sits."""

    model: str = Field(min_length=1, description="tumor_models.yaml id, e.g. '4T1'")
    line: str | None = Field(
        default=None, description="cell line for homotypic targeting; default the model"
    )
    start_volume: TumorVolume = "100 mm^3"
    inoculation: Inoculation | None = None
    depth: TissueDepth = "0.5 mm"
    endpoint_volume: TumorVolume | None = None

    @field_validator("model")
    @classmethod
    def _known_model(cls, value: str) -> str:
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        models = tumor_kb.tumor_models().models
        if key not in models:
            raise SpecificationError(
                "tumor.model", value, f"a tumor model of the knowledge base: {sorted(models)}"
            )
        return value


class NoAgent(DomainModel):
    """Control group (PBS or saline)."""

    kind: Literal["none"] = "none"
    label: str = "PBS"


class FreeDrug(DomainModel):
    """A free (unencapsulated) drug given intravenously."""

    kind: Literal["free_drug"]
    drug: str = Field(min_length=1, description="cargos.yaml id, e.g. 'doxorubicin'")

    @field_validator("drug")
    @classmethod
    def _known_drug(cls, value: str) -> str:
        if value not in loader.cargos():
            raise SpecificationError(
                "agent.drug", value, f"a cargo of the knowledge base: {sorted(loader.cargos())}"
            )
        return value

    dose: DoseAmount
    schedule: str = "bolus"


class Particle(DomainModel):
    """A particle: a design file (path relative to the study file) or an inline design table.

    ``coating`` simulates the design's core as made (``membrane``), or the same core bare or
    PEGylated, for the controls the review compares against.
    """

    kind: Literal["particle"]
    design: str | Design
    dose: DoseAmount
    schedule: str = "bolus"
    coating: Literal["membrane", "bare", "peg"] = "membrane"


Agent = Annotated[NoAgent | FreeDrug | Particle, Field(discriminator="kind")]


class Laser(DomainModel):
    """Laser irradiation of the tumor, ``after`` each chosen dose."""

    kind: Literal["laser"]
    wavelength: Wavelength
    irradiance: Irradiance
    spot_radius: SpotRadius = "5 mm"
    duration: Exposure
    after: TimePoint = "24 h"
    doses: Literal["all", "first"] | list[int] = "all"


class MagneticField(DomainModel):
    """An alternating magnetic field on the tumor, ``after`` each chosen dose."""

    kind: Literal["field"]
    amplitude: FieldAmplitude
    frequency: FieldFrequency
    duration: Exposure
    after: TimePoint = "24 h"
    doses: Literal["all", "first"] | list[int] = "all"


class Radiation(DomainModel):
    """One external-beam radiation fraction on the tumor, ``after`` each chosen dose.

    ``beam`` sets the dose enhancement of gold in the tumor (kV beams far more than MV).
    """

    kind: Literal["xray"]
    dose: RadiationDose
    beam: Literal["kV", "MV", "Ir-192"] = "kV"
    after: TimePoint = "24 h"
    doses: Literal["all", "first"] | list[int] = "all"


class Magnet(DomainModel):
    """A static magnet over the tumor for ``duration`` from ``after`` each chosen dose
    (magnetic targeting of magnetic cores while they circulate)."""

    kind: Literal["magnet"]
    duration: Exposure = "60 min"
    after: TimePoint = "0 h"
    doses: Literal["all", "first"] | list[int] = "all"


Treatment = Annotated[Laser | MagneticField | Radiation | Magnet, Field(discriminator="kind")]


class Group(DomainModel):
    """One arm of the study."""

    name: str = Field(min_length=1, max_length=80)
    animals: int = Field(default=5, ge=1, le=500)
    agent: Agent = Field(default_factory=NoAgent)
    treatments: list[Treatment] = Field(
        default_factory=list,
        description="timed from each chosen dose; for an agent-free group from day 0",
    )


class Readouts(DomainModel):
    """What is measured. Times are after the first dose."""

    biodistribution: list[TimePoint] = Field(default_factory=lambda: ["24 h"])
    blood: bool = True
    imaging: list[TimePoint] = Field(default_factory=list)
    imaging_modalities: list[Modality] = Field(default_factory=lambda: list(MODALITIES))
    temperature: bool = True
    caliper_every: TimePoint = "48 h"
    body_weight: bool = True
    survival: bool = True
    metastasis: bool = False


class StudySpec(DomainModel):
    """A whole virtual study."""

    name: str = Field(min_length=1, max_length=160)
    description: str = ""
    reference: str = ""
    seed: int = Field(default=20221, ge=0, lt=2**63)
    species: Literal["mouse", "rat"] = "mouse"
    duration: StudyDuration = "21 d"
    tumor: TumorSpec
    groups: list[Group] = Field(min_length=1, max_length=50)
    variability: dict[str, Variation] = Field(default_factory=dict)
    readouts: Readouts = Field(default_factory=Readouts)

    @field_validator("variability")
    @classmethod
    def _known_parameters(cls, value: dict[str, Variation]) -> dict[str, Variation]:
        for name in value:
            if name not in VARIABLE_PARAMETERS:
                raise SpecificationError(
                    f"variability.{name}",
                    name,
                    f"one of {sorted(VARIABLE_PARAMETERS)}",
                    "Each multiplies the named model parameter per animal.",
                )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> StudySpec:
        names = [g.name for g in self.groups]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise SpecificationError("groups.name", duplicates, "a different name for each group")
        end_h = float(self.duration.to("h").magnitude)
        for group in self.groups:
            for i, treatment in enumerate(group.treatments):
                if float(treatment.after.to("h").magnitude) >= end_h:
                    raise SpecificationError(
                        f"groups.{group.name}.treatments[{i}].after",
                        str(treatment.after),
                        f"a time before the end of the study ({self.duration})",
                    )
        for i, time in enumerate(self.readouts.biodistribution + self.readouts.imaging):
            if float(time.to("h").magnitude) > end_h:
                raise SpecificationError(
                    f"readouts[{i}]", str(time), f"a time within the study ({self.duration})"
                )
        return self

    @property
    def duration_day(self) -> float:
        """Study length (days)."""
        return float(self.duration.to("d").magnitude)


def spec_summary(spec: StudySpec) -> dict[str, Any]:
    """A compact JSON-safe description of the study for reports."""
    return {
        "name": spec.name,
        "species": spec.species,
        "duration_day": spec.duration_day,
        "tumor": spec.tumor.model,
        "groups": [
            {"name": g.name, "animals": g.animals, "agent": g.agent.kind} for g in spec.groups
        ],
        "seed": spec.seed,
    }
