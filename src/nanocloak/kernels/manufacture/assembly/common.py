"""Shared pieces of the assembly kernels: protein stability, costs, the outcome record."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

WATER_HEAT_CAPACITY_J_PER_ML_K = 4.18  # CRC Handbook, water near 25 °C
WATER_BOILING_POINT_C = 100.0  # at 1 atm; excess power then goes into evaporation
GAS_CONSTANT_J_PER_MOL_K = 8.314462618
KELVIN = 273.15


@dataclass(frozen=True, slots=True)
class ProteinStability:
    """First-order loss of membrane-protein function, Arrhenius in temperature.

    ``rate_at_reference_per_min`` (1/min) at ``reference_temperature_c`` (°C) with activation
    energy (J/mol); proteolysis adds its own Arrhenius term when no protease inhibitor is used;
    ``damage_factor`` (< 1 with cholesterol or divalent-ion stabilizers) scales every damage
    rate of assembly; ``heat_risk_temperature_c`` is where warnings start.
    """

    rate_at_reference_per_min: float
    reference_temperature_c: float
    activation_energy_j_per_mol: float
    proteolysis_per_min: float
    proteolysis_activation_energy_j_per_mol: float
    damage_factor: float
    protease_inhibitor: bool
    heat_risk_temperature_c: float

    def rate_per_min(self, temperature_c: float | NDArray[np.float64]) -> NDArray[np.float64]:
        """Loss rate (1/min) at ``temperature_c`` (°C), including unprotected proteolysis."""
        shift = 1.0 / (np.asarray(temperature_c) + KELVIN) - 1.0 / (
            self.reference_temperature_c + KELVIN
        )
        rate = self.rate_at_reference_per_min * np.exp(
            -self.activation_energy_j_per_mol / GAS_CONSTANT_J_PER_MOL_K * shift
        )
        if not self.protease_inhibitor:
            rate = rate + self.proteolysis_per_min * np.exp(
                -self.proteolysis_activation_energy_j_per_mol / GAS_CONSTANT_J_PER_MOL_K * shift
            )
        return self.damage_factor * np.asarray(rate, dtype=float)

    def retention(self, temperature_c: float, minutes: float) -> float:
        """Share of protein function left after ``minutes`` at constant ``temperature_c``."""
        return math.exp(-float(self.rate_per_min(temperature_c)) * minutes)

    def heat_warnings(self, peak_c: float, cause: str) -> tuple[str, ...]:
        """Warnings for a peak temperature (°C) reached by ``cause``."""
        if peak_c >= WATER_BOILING_POINT_C:
            return (f"{cause} would boil the sample: far too much power for its volume",)
        if peak_c > self.heat_risk_temperature_c:
            return (f"{cause} heats the sample to {peak_c:.0f} °C: heat risk to membrane proteins",)
        return ()


@dataclass(frozen=True, slots=True)
class CostRates:
    """Relative cost units (RCU) per hour of labor and of equipment use."""

    labor_per_hour: float
    equipment_per_hour: float

    def cost(self, consumables: float, wall_min: float, hands_on_min: float) -> float:
        """Consumables plus equipment time plus hands-on labor (RCU)."""
        return (
            consumables
            + self.equipment_per_hour * wall_min / 60.0
            + self.labor_per_hour * hands_on_min / 60.0
        )


@dataclass(frozen=True, slots=True)
class ProcessOutcome:
    """A method's settings translated into the coating model, and its process figures.

    Attributes
    ----------
    capture_intensity
        κ: expected productive encounters of one membrane piece (vesicle) with the cores
        during the process; the coating model captures a share 1 − e^(−κ) of the pieces.
    vesicle_median_nm, vesicle_gsd
        Log-normal size of the vesicles or fragments the particles meet (nm, –).
    reseal_probability
        Chance that an event with a vesicle at least the particle's size envelops it fully.
    core_recovery
        Share of cores recovered from the assembly step (before purification).
    protein_retention
        Share of membrane-protein function surviving the assembly step.
    wall_time_min, hands_on_min
        Elapsed and operator time of the assembly step (min).
    cost_rcu
        Assembly cost in relative cost units.
    peak_temperature_c
        Highest sample temperature during assembly (°C).
    details
        Method-specific figures (e.g. ``porated_share``), for reports.
    warnings
        Problems with the settings, in words.
    """

    capture_intensity: float
    vesicle_median_nm: float
    vesicle_gsd: float
    reseal_probability: float
    core_recovery: float
    protein_retention: float
    wall_time_min: float
    hands_on_min: float
    cost_rcu: float
    peak_temperature_c: float
    details: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
