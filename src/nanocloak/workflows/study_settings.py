"""Numerical settings of a virtual-study run (output step, particle count, bioheat grid)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class StudySettings:
    """Numerical settings of a study run.

    Attributes
    ----------
    step_day
        Tumor-course output step (day).
    n_particles
        Particles of the manufacture model that sets the coating sub-populations.
    thermal_step_mm, thermal_dt_s
        Grid spacing (mm) and time step (s) of the treatment's bioheat solver.
    """

    step_day: float = 1.0 / 12.0
    n_particles: int = 2000
    thermal_step_mm: float = 0.5
    thermal_dt_s: float = 10.0

    def describe(self) -> dict[str, Any]:
        """JSON-safe settings for the provenance."""
        return asdict(self)
