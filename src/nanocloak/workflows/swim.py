"""``simulate_swimming``: gallium nanoswimmers under ultrasound, bare or leukocyte-membrane-coated.

Pipeline: knowledge base (``capture.yaml``, SI) → acoustic energy density of the standing wave
→ propulsive force from the reference measurement (Balk 2014), force-limited speed in each
medium with the rod's fouled diameter → Tirado–García de la Torre drag and diffusion → ABP
effective diffusion; then a seeded active-Brownian simulation of the requested case whose MSD
is compared with the exact formula (:mod:`nanocloak.kernels.swimmers`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nanocloak.errors import SpecificationError
from nanocloak.kernels.swimmers import (
    acoustic_energy_density_j_per_m3,
    effective_diffusivity_m2_per_s,
    fouled_diameter_m,
    msd_m2,
    persistence_time_s,
    propulsion_force_n,
    rod_diffusion,
    rod_friction,
    simulate_active_brownian,
    swim_speed_m_per_s,
)
from nanocloak.knowledge import capture as kb
from nanocloak.results.beyond import SwimResult

MEDIA = ("water", "serum", "blood")
MEMBRANES = ("leukocyte", "none")
ROOM_K = 298.15
USED = (
    "swimmer.length",
    "swimmer.diameter",
    "swimmer.membrane_thickness",
    "acoustics.reference_speed",
    "acoustics.reference_energy_density",
    "acoustics.reference_frequency",
    "acoustics.reference_viscosity",
    "acoustics.water_density",
    "acoustics.water_sound_speed",
    "blood.water_viscosity_25c",
    "blood.serum_viscosity",
    "blood.whole_blood_viscosity",
    "binding.temperature",
    "fouling.corona_thickness_serum",
    "fouling.corona_thickness_blood",
    "fouling.membrane_fouling_factor",
)
NOTES = (
    "Propulsion force proportional to the acoustic energy density p^2/(4 rho c^2), prefactor "
    "from Balk 2014 (Au rods, ~3 MHz, E < 10 J/m3: a lower bound); the same force acts in every "
    "medium and on every surface (force-limited swimming).",
    "Frequency dependence is not modelled: the prefactor holds near the reference frequency.",
    "Biofouling acts only as added drag (a thicker rod); the membrane coat adds its own "
    "thickness but keeps a named share of the corona. A rod's drag grows only logarithmically "
    "with diameter, so fouling changes speed by a few percent; viscosity dominates.",
    "Blood is taken at its high-shear bulk viscosity (an upper bound on drag for a micron rod "
    "between red cells); water at 25 degC, serum and blood at 37 degC.",
)


@dataclass(frozen=True, slots=True)
class _Medium:
    viscosity_pa_s: float
    temperature_k: float
    corona_m: float


def _medium(name: str) -> _Medium:
    body = kb.si("binding.temperature")
    if name == "water":
        return _Medium(kb.si("blood.water_viscosity_25c"), ROOM_K, 0.0)
    if name == "serum":
        return _Medium(
            kb.si("blood.serum_viscosity"), body, kb.si("fouling.corona_thickness_serum")
        )
    return _Medium(
        kb.si("blood.whole_blood_viscosity"), body, kb.si("fouling.corona_thickness_blood")
    )


def swimmer_condition(pressure_pa: float, medium: str, membrane: str) -> dict[str, Any]:
    """Speed, diffusion and persistence of one swimmer in ``medium`` with ``membrane``.

    Returns a row with ``speed_um_per_s``, ``translational_um2_per_s`` (orientation mean),
    ``parallel_um2_per_s``, ``perpendicular_um2_per_s``, ``rotational_per_s``,
    ``persistence_s``, ``effective_um2_per_s``, ``diameter_nm`` and ``viscosity_mpa_s``.
    """
    length = kb.si("swimmer.length")
    core = kb.si("swimmer.diameter")
    energy = acoustic_energy_density_j_per_m3(
        pressure_pa, kb.si("acoustics.water_density"), kb.si("acoustics.water_sound_speed")
    )
    reference = rod_friction(length, core, kb.si("acoustics.reference_viscosity"))
    force = propulsion_force_n(
        energy,
        kb.si("acoustics.reference_speed"),
        kb.si("acoustics.reference_energy_density"),
        reference.parallel_n_s_per_m,
    )
    m = _medium(medium)
    diameter = fouled_diameter_m(
        core,
        kb.si("swimmer.membrane_thickness"),
        m.corona_m,
        kb.si("fouling.membrane_fouling_factor"),
        coated=membrane == "leukocyte",
    )
    friction = rod_friction(length, diameter, m.viscosity_pa_s)
    diffusion = rod_diffusion(friction, m.temperature_k)
    speed = swim_speed_m_per_s(force, friction.parallel_n_s_per_m)
    d_eff = effective_diffusivity_m2_per_s(
        diffusion.mean_m2_per_s, speed, diffusion.rotational_per_s
    )
    return {
        "medium": medium,
        "membrane": membrane,
        "viscosity_mpa_s": m.viscosity_pa_s * 1e3,
        "diameter_nm": diameter * 1e9,
        "speed_um_per_s": speed * 1e6,
        "translational_um2_per_s": diffusion.mean_m2_per_s * 1e12,
        "parallel_um2_per_s": diffusion.parallel_m2_per_s * 1e12,
        "perpendicular_um2_per_s": diffusion.perpendicular_m2_per_s * 1e12,
        "rotational_per_s": diffusion.rotational_per_s,
        "persistence_s": persistence_time_s(diffusion.rotational_per_s),
        "effective_um2_per_s": d_eff * 1e12,
    }


def simulate_swimming(
    *,
    pressure_pa: float = 1.0e6,
    frequency_hz: float = 2.66e6,
    medium: str = "blood",
    membrane: str = "leukocyte",
    n_swimmers: int = 2000,
    duration_s: float | None = None,
    steps_per_persistence: int = 50,
    n_records: int = 40,
    seed: int = 2020,
    progress: Callable[[int, int], None] | None = None,
) -> SwimResult:
    """Speeds and diffusion of the swimmers in every medium, and a simulated MSD of one case.

    Parameters
    ----------
    pressure_pa
        Acoustic pressure amplitude of the standing wave (Pa), ≥ 0.
    frequency_hz
        Ultrasound frequency (Hz), > 0; recorded (the model has no frequency dependence).
    medium
        ``"water"``, ``"serum"`` or ``"blood"``: the simulated case.
    membrane
        ``"leukocyte"`` (LMGNS) or ``"none"`` (bare GNS): the simulated case.
    n_swimmers
        Independent swimmers in the simulation, ≥ 10.
    duration_s
        Simulated time (s); default 10 persistence times.
    steps_per_persistence
        Time steps per persistence time ``τ_r`` (≥ 10; Euler error ∝ 1/steps).
    n_records
        MSD points recorded over the duration.
    seed
        Random seed of the simulation.
    progress
        Optional callback ``progress(done_steps, total_steps)``.
    """
    if not (pressure_pa >= 0.0 and math.isfinite(pressure_pa)):
        raise SpecificationError(
            "--pressure", pressure_pa, "a pressure amplitude ≥ 0, e.g. '1 MPa'"
        )
    if not (frequency_hz > 0.0 and math.isfinite(frequency_hz)):
        raise SpecificationError(
            "--frequency", frequency_hz, "a positive frequency, e.g. '2.66 MHz'"
        )
    if medium not in MEDIA:
        raise SpecificationError("--medium", medium, f"one of {', '.join(MEDIA)}")
    if membrane not in MEMBRANES:
        raise SpecificationError("--membrane", membrane, f"one of {', '.join(MEMBRANES)}")
    if n_swimmers < 10 or steps_per_persistence < 10 or n_records < 2:
        raise SpecificationError(
            "simulation",
            (n_swimmers, steps_per_persistence, n_records),
            "≥ 10 swimmers, ≥ 10 steps per persistence time and ≥ 2 records",
        )
    if duration_s is not None and not (duration_s > 0.0 and math.isfinite(duration_s)):
        raise SpecificationError("--duration", duration_s, "a positive time, e.g. '20 s'")
    conditions = tuple(
        swimmer_condition(pressure_pa, m, mem) for m in MEDIA for mem in reversed(MEMBRANES)
    )
    case = next(c for c in conditions if c["medium"] == medium and c["membrane"] == membrane)
    tau = float(case["persistence_s"])
    duration = 10.0 * tau if duration_s is None else duration_s
    dt = tau / steps_per_persistence
    record_every = max(1, math.ceil(duration / dt / n_records))
    n_steps = record_every * n_records
    dt = duration / n_steps
    traj = simulate_active_brownian(
        n_swimmers,
        n_steps,
        dt,
        float(case["speed_um_per_s"]) * 1e-6,
        float(case["parallel_um2_per_s"]) * 1e-12,
        float(case["perpendicular_um2_per_s"]) * 1e-12,
        float(case["rotational_per_s"]),
        seed=seed,
        record_every=record_every,
        progress=progress,
    )
    theory = msd_m2(
        traj.t_s,
        float(case["translational_um2_per_s"]) * 1e-12,
        float(case["speed_um_per_s"]) * 1e-6,
        float(case["rotational_per_s"]),
    )
    energy = acoustic_energy_density_j_per_m3(
        pressure_pa, kb.si("acoustics.water_density"), kb.si("acoustics.water_sound_speed")
    )
    notes: tuple[str, ...] = NOTES
    ratio = frequency_hz / kb.si("acoustics.reference_frequency")
    if not 0.5 <= ratio <= 2.0:
        notes += (
            f"The frequency is {ratio:.2g}x the reference measurement's; the speed prefactor "
            "may not transfer.",
        )
    parameters = {
        p: {
            "value": kb.value(p).value,
            "unit": kb.value(p).unit,
            "source": kb.value(p).source,
            "status": kb.value(p).status,
        }
        for p in USED
    }
    return SwimResult(
        pressure_pa=pressure_pa,
        frequency_hz=frequency_hz,
        energy_density_j_per_m3=energy,
        medium=medium,
        membrane=membrane,
        conditions=conditions,
        t_s=traj.t_s,
        msd_simulated_um2=traj.msd_m2() * 1e12,
        msd_standard_error_um2=traj.msd_standard_error_m2() * 1e12,
        msd_theory_um2=theory * 1e12,
        parameters=parameters,
        notes=notes,
        provenance={"seed": seed, "n_swimmers": n_swimmers, "dt_s": dt, "n_steps": n_steps},
    )
