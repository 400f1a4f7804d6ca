"""Where each animal's particles go: the PBPK model of a group's agent, animal by animal.

The particle group's design runs through the membrane-aware PBPK model
(:func:`~nanocloak.workflows.simulate_design_pk.simulate_design_pk`) with one subject per
animal; the animal's factors scale tumor permeability (EPR heterogeneity), liver and spleen
phagocytic uptake and body weight. Outputs are on the PBPK time grid (h).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import Magnet, Particle, StudySpec
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.capture.magnetophoresis import (
    magnetic_force_n,
    magnetophoretic_velocity_m_per_s,
    particle_moment_a_m2,
    stokes_drag_coefficient_n_s_per_m,
)
from nanocloak.kernels.pk.magnetic_targeting import (
    capture_fraction_per_pass,
    magnet_permeability_factor,
)
from nanocloak.knowledge import capture as capture_kb
from nanocloak.knowledge import loader, pbpk
from nanocloak.knowledge.study import study_constants
from nanocloak.results.pk import PkResult
from nanocloak.results.study import series_row
from nanocloak.workflows.simulate_design_pk import simulate_design_pk
from nanocloak.workflows.simulate_pk import DoseSchedule

BIODISTRIBUTION_ORGANS = ("liver", "spleen", "lung", "kidney", "brain", "tumor")
PK_SCALES = {
    "tumor.delivery": "tumor.permeability",
    "liver.uptake": "liver.k_max",
    "spleen.uptake": "spleen.k_max",
    "body_weight": "body_weight",
}
"""Study variability name → PBPK parameter it multiplies."""


@dataclass(frozen=True)
class Exposure:
    """Particle exposure of a group's animals.

    Attributes
    ----------
    t_h
        PBPK output times (h), shape (nt,).
    tumor_core_ug_per_g
        Core (particle) concentration in the tumor, µg/g, shape (n_animals, nt).
    dose_times_h
        Dose times (h).
    pk
        The PBPK result (one subject per animal), or None for agent-free groups.
    drug_per_core
        Loaded drug per core mass (mg/mg) by cargo name.
    """

    t_h: FloatArray
    tumor_core_ug_per_g: FloatArray
    dose_times_h: tuple[float, ...]
    pk: PkResult | None = None
    drug_per_core: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def sources(self) -> dict[str, str]:
        """Parameter → source key of the PBPK parameters (empty without particles)."""
        return {} if self.pk is None else dict(self.pk.parameter_sources)

    def tumor_mg_per_ml_at(self, t_h: float) -> FloatArray:
        """Per-animal core concentration in the tumor at ``t_h`` (mg/mL, tissue 1 g/mL)."""
        return np.array(
            [np.interp(t_h, self.t_h, row) / 1000.0 for row in self.tumor_core_ug_per_g]
        )


def no_exposure(n: int, until_h: float, dose_times_h: tuple[float, ...] = (0.0,)) -> Exposure:
    """An agent-free group: no particles anywhere."""
    t = np.array([0.0, until_h])
    return Exposure(t, np.zeros((n, 2)), dose_times_h)


def animal_scales(factors: dict[str, FloatArray], n: int) -> list[dict[str, float]]:
    """Per-animal multiplicative factors on PBPK parameters (1 = the nominal animal)."""
    return [
        {param: float(factors[name][i]) for name, param in PK_SCALES.items() if name in factors}
        for i in range(n)
    ]


def chosen_doses(doses: Literal["all", "first"] | list[int], n_doses: int) -> list[int]:
    """0-based indices of the doses a treatment follows (``"all"``, ``"first"`` or 1-based
    numbers; out-of-range numbers dropped, repeats counted once)."""
    if doses == "all":
        return list(range(n_doses))
    if doses == "first":
        return [0]
    return sorted({d - 1 for d in doses if 1 <= d <= n_doses})


def magnet_windows(
    agent: Particle, treatments: list[Any], dose_times_h: tuple[float, ...]
) -> tuple[list[tuple[float, float, dict[str, float]]], list[str]]:
    """PBPK parameter windows of the group's magnets, and a note on each mechanism's numbers.

    A magnet multiplies the tumor permeability by
    :func:`~nanocloak.kernels.pk.magnetic_targeting.magnet_permeability_factor` while it is on;
    the magnetophoretic velocity is that of one core (moment ``V min(χB/μ0, M_sat)`` of its
    magnetic volume, Stokes drag of its radius in plasma). Non-magnetic cores feel no force.
    """
    magnets = [t for t in treatments if isinstance(t, Magnet)]
    design = agent.design
    if not magnets or not isinstance(design, Design):
        return [], []
    factor, note = _magnet_factor(design)
    windows = []
    for magnet in magnets:
        after = float(magnet.after.to("h").magnitude)
        hours = float(magnet.duration.to("h").magnitude)
        for d in chosen_doses(magnet.doses, len(dose_times_h)):
            start = dose_times_h[d] + after
            windows.append((start, start + hours, {"tumor.permeability": factor}))
    return windows, [note]


def _magnet_factor(design: Design) -> tuple[float, str]:
    entry = loader.core_materials()[design.core.material]
    saturation = entry.properties.get("saturation_magnetization")
    diameter = getattr(design.core.geometry, "diameter", None)
    if saturation is None or diameter is None:
        return 1.0, f"magnet: {design.core.material} is not magnetic; no magnetic targeting"
    magnet = study_constants().magnet
    radius_m = float(diameter.to("m").magnitude) / 2.0
    packing = entry.properties.get("packing_fraction")
    ms = saturation.to("A/m") * (packing.value if packing is not None else 1.0)
    moment = particle_moment_a_m2(
        radius_m,
        capture_kb.si("immunomagnetosome.initial_susceptibility"),
        ms,
        magnet.flux_density.to("T"),
    )
    velocity = magnetophoretic_velocity_m_per_s(
        magnetic_force_n(1.0, moment, magnet.gradient.to("T/m")),
        stokes_drag_coefficient_n_s_per_m(radius_m, capture_kb.si("blood.plasma_viscosity")),
    )
    p = capture_fraction_per_pass(
        velocity, magnet.transit_time.to("s"), magnet.vessel_radius.to("m")
    )
    base = pbpk.nanoparticle_defaults().tumor.permeability.to("dimensionless")
    factor = magnet_permeability_factor(p, magnet.retention.value, base)
    return factor, (
        f"magnet: drift {velocity * 1e6:.3g} um/s, {p:.0%} of passes reach the vessel wall, "
        f"tumor permeability x{factor:.3g} while on"
    )


def particle_exposure(
    spec: StudySpec,
    agent: Particle,
    factors: dict[str, FloatArray],
    n: int,
    *,
    n_particles: int = 2000,
    treatments: Sequence[Any] = (),
) -> Exposure:
    """The PBPK exposure of ``n`` animals dosed with ``agent``'s particle (magnets among
    ``treatments`` open tumor-permeability windows, see :func:`magnet_windows`)."""
    design = agent.design
    if not isinstance(design, Design):
        raise TypeError("the study's design paths must be resolved (io.study_specs)")
    schedule = DoseSchedule.parse(agent.schedule)
    until_h = spec.duration_day * 24.0
    windows, notes = magnet_windows(agent, list(treatments), schedule.times_h)
    pk = simulate_design_pk(
        design,
        float(agent.dose.to("mg/kg").magnitude),
        spec.species,
        until_h,
        spec.tumor.line or spec.tumor.model,
        schedule=schedule,
        coating=agent.coating,
        subject_scales=animal_scales(factors, n),
        n_particles=n_particles,
        windows=windows,
    )
    tumor = pk.ug_per_g()[:, :, pk.outputs.index("tumor")]
    return Exposure(
        t_h=pk.t_h,
        tumor_core_ug_per_g=np.asarray(tumor, dtype=float),
        dose_times_h=schedule.times_h,
        pk=pk,
        drug_per_core={c.name: c.per_core_mass for c in design.cargos},
        notes=tuple(notes),
    )


def pk_rows(group: str, exposure: Exposure, times_h: list[float]) -> list[dict[str, Any]]:
    """Each animal's blood curve and tumor particle curve, and its biodistribution at
    ``times_h`` (one PBPK subject per animal, as one mouse per ICP measurement in a study)."""
    pk = exposure.pk
    if pk is None:
        return []
    rows: list[dict[str, Any]] = []
    blood = pk.percent_id()[:, :, pk.outputs.index("blood")]
    tumor = exposure.tumor_core_ug_per_g
    per_g = pk.percent_id_per_g()
    step = max(1, len(pk.t_h) // 400)
    curves = (("blood", "blood", blood, "%ID"), ("tumor_particles", "tumor", tumor, "ug/g"))
    for animal in range(blood.shape[0]):
        for k in range(0, len(pk.t_h), step):
            t = float(pk.t_h[k])
            for readout, site, values, unit in curves:
                rows.append(
                    series_row(group, animal, readout, site, t, "h", values[animal, k], unit)
                )
        for t in times_h:
            for organ in BIODISTRIBUTION_ORGANS:
                if organ in pk.outputs:
                    value = np.interp(t, pk.t_h, per_g[animal, :, pk.outputs.index(organ)])
                    rows.append(
                        series_row(group, animal, "biodistribution", organ, t, "h", value, "%ID/g")
                    )
    return rows
