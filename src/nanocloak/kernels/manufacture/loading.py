"""Cargo loading under its labelled definitions (labs mix them; each is named here).

With cargo mass per core mass ``r`` and membrane protein on the particles per core mass
``m``:

* drug loading content on the carrier, ``DLC = r / (1 + r)`` (cargo over core + cargo);
* drug loading content on the coated particle, ``DLC_coated = r / (1 + r + m)``
  (membrane protein counted in the particle mass);
* loading capacity, ``r`` itself (cargo per carrier mass);
* encapsulation efficiency, ``EE = r / r_fed`` when the amount fed is known.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LoadingContent:
    """Cargo per core mass (mg/mg) and its loading contents and efficiency (fractions)."""

    per_core_mass: float
    content_on_carrier: float
    content_on_coated_particle: float
    encapsulation_efficiency: float | None


def loading_content(
    per_core_mass: float, membrane_per_core_mass: float, fed_per_core_mass: float | None = None
) -> LoadingContent:
    """Loading contents of a cargo at ``per_core_mass`` mg per mg of core."""
    efficiency = None if fed_per_core_mass is None else per_core_mass / fed_per_core_mass
    return LoadingContent(
        per_core_mass,
        per_core_mass / (1.0 + per_core_mass),
        per_core_mass / (1.0 + per_core_mass + membrane_per_core_mass),
        efficiency,
    )
