"""Treatment events of a study group: each laser, field or x-ray exposure at its time.

Study time t = 0 is the first dose; a treatment given ``after`` a chosen dose happens at that
dose's time plus ``after``. A magnet is no event: it acts on the particles' distribution (a
PBPK window), not on the tumor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nanocloak.domain.study import Group, Laser, Magnet, MagneticField, Radiation
from nanocloak.workflows.study_exposure import chosen_doses


@dataclass(frozen=True, slots=True)
class Event:
    """A treatment at a time (h after the first dose)."""

    t_h: float
    treatment: Laser | MagneticField | Radiation
    label: str

    @property
    def duration_h(self) -> float:
        """Exposure time (h); a radiation fraction is instantaneous."""
        if isinstance(self.treatment, Radiation):
            return 0.0
        return float(self.treatment.duration.to("h").magnitude)


def treatment_events(
    group: Group, dose_times_h: tuple[float, ...], end_h: float = math.inf
) -> list[Event]:
    """Every treatment × chosen dose before ``end_h``, in time order; agent-free groups time
    from day 0. Out-of-range dose indices are dropped and repeated ones counted once."""
    events = []
    for k, treatment in enumerate(group.treatments):
        if isinstance(treatment, Magnet):
            continue  # acts on the particles' distribution (a PBPK window), not on the tumor
        chosen = chosen_doses(treatment.doses, len(dose_times_h))
        after = float(treatment.after.to("h").magnitude)
        for d in chosen:
            name = {Laser: "laser", MagneticField: "field", Radiation: "x-ray"}[type(treatment)]
            label = f"{name} {k + 1} after dose {d + 1}"
            if dose_times_h[d] + after < end_h:
                events.append(Event(dose_times_h[d] + after, treatment, label))
    return sorted(events, key=lambda e: e.t_h)
