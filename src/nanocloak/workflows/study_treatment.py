"""Treatments inside a study: each animal's laser or field exposure from its tumor at that time.

Per animal, the tumor radius comes from its current caliper volume (sphere) and the particle
content from its own PBPK course; the bioheat solve (:mod:`~nanocloak.workflows.treat`) gives
the temperature course and the volume-averaged Arrhenius damage Ω, and the surviving viable
fraction is ``1 − damage``. An agent-free group under the laser heats the tissue alone (particle
content 0); the optics of a particle are then irrelevant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import Laser, MagneticField, Radiation
from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.tumor.kill import (
    gold_dose_enhancement,
    pdt_surviving_fraction,
    radiation_surviving_fraction,
)
from nanocloak.knowledge import loader
from nanocloak.knowledge import photochem as photochem_kb
from nanocloak.knowledge import tumor as tumor_kb
from nanocloak.results.study import series_row
from nanocloak.results.treatment import TreatmentResult
from nanocloak.workflows.simulate_pdt import simulate_pdt
from nanocloak.workflows.treat import (
    FieldSetting,
    LaserSetting,
    TumorSite,
    calibrated_tumor_perfusion_per_s,
    designed_core_optics,
    magnetic_treatment,
    photothermal_treatment,
)

ACTIVATION_WINDOW_NM = 15.0
"""A laser excites a photosensitizer within this distance of its activation peak (nm)."""

MIN_RADIUS_MM = 0.5
"""Smallest tumor radius the bioheat grid resolves (mm); smaller tumors are treated at it."""


@dataclass(frozen=True)
class TreatmentOutcome:
    """One treatment event over a group's animals (arrays of shape (n,))."""

    surviving_fraction: FloatArray
    tumor_max_c: FloatArray
    skin_burn: np.ndarray[Any, np.dtype[np.bool_]]
    results: tuple[TreatmentResult, ...]
    sources: dict[str, str] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    pdt_dose_mm: FloatArray | None = None

    def temperature_rows(self, group: str, label: str) -> list[dict[str, Any]]:
        """Tumor-max and skin-max temperature during the exposure, per animal (°C vs min)."""
        rows: list[dict[str, Any]] = []
        for i, result in enumerate(self.results):
            minutes = np.asarray(result.t_s, dtype=float) / 60.0
            for site, values in (
                (f"{label} tumor max", result.tumor_max_c),
                (f"{label} skin max", result.skin_max_c),
            ):
                rows.extend(
                    series_row(group, i, "tumor_temperature", site, t, "min", v, "degC")
                    for t, v in zip(minutes, values, strict=True)
                )
        return rows


def sphere_radius_mm(volume_mm3: float) -> float:
    """Radius (mm) of a sphere of ``volume_mm3``."""
    return float((3.0 * max(volume_mm3, 0.0) / (4.0 * math.pi)) ** (1.0 / 3.0))


@dataclass(frozen=True)
class PdtKill:
    """Photodynamic kill of one laser exposure: surviving fraction and mean dose per animal."""

    surviving_fraction: FloatArray
    dose_mm: FloatArray
    photosensitizer: str
    sources: dict[str, str]


def photodynamic_kill(
    laser: Laser,
    design: Design,
    tumor_mg_per_ml: FloatArray,
    radius_mm: FloatArray,
    depth_mm: float,
) -> PdtKill | None:
    """Singlet-oxygen kill when the design carries a photosensitizer excited by this laser.

    The photosensitizer concentration is the core concentration × its loading per core mass;
    the reacted singlet-oxygen dose (mM) at the end of the exposure is averaged over the
    tumor's depth range and turned into a surviving fraction by the sourced threshold model
    (:func:`~nanocloak.kernels.tumor.kill.pdt_surviving_fraction`). None when no loaded
    photosensitizer absorbs within 15 nm of the laser line.
    """
    wavelength = float(laser.wavelength.to("nm").magnitude)
    known = set(photochem_kb.photosensitizer_names())
    for cargo in design.cargos:
        if cargo.name not in known:
            continue
        entry = photochem_kb.photosensitizer(cargo.name)
        if abs(entry.activation_wavelength.to("nm") - wavelength) > ACTIVATION_WINDOW_NM:
            continue
        molar = loader.cargos()[cargo.name].molar_mass.to("g/mol")
        pdt = tumor_kb.tumor_response().pdt
        doses = []
        for conc, radius in zip(tumor_mg_per_ml, radius_mm, strict=True):
            # mg/mL = g/L; g/L ÷ g/mol = mol/L; × 1e6 → µM
            um = float(conc) * cargo.per_core_mass / molar * 1e6
            result = simulate_pdt(
                um,
                cargo.name,
                wavelength_nm=wavelength,
                irradiance_w_per_cm2=float(laser.irradiance.to("W/cm^2").magnitude),
                duration_s=float(laser.duration.to("s").magnitude),
                max_depth_mm=depth_mm + 2.0 * float(radius),
                spot_radius_mm=float(laser.spot_radius.to("mm").magnitude),
            )
            final = result.reacted_mm[-1]
            inside = (result.depth_mm >= depth_mm) & (
                result.depth_mm <= depth_mm + 2.0 * float(radius)
            )
            doses.append(float(np.mean(final[inside])) if np.any(inside) else float(final[-1]))
        dose = np.array(doses)
        surviving = pdt_surviving_fraction(
            dose, pdt["singlet_oxygen_threshold"].to("mM"), pdt["steepness"].value
        )
        return PdtKill(
            np.asarray(surviving, dtype=float),
            dose,
            cargo.name,
            {
                "pdt.singlet_oxygen_threshold": pdt["singlet_oxygen_threshold"].source,
                "pdt.steepness": pdt["steepness"].source,
            },
        )
    return None


GOLD_BEAM_SLOPES = {
    "kV": "gold_enhancement_kv",
    "MV": "gold_enhancement_mv",
    "Ir-192": "gold_enhancement_ir192",
}
"""Beam → ``tumor_response.yaml`` radiation entry of gold's dose-enhancement slope."""


def irradiate_animals(
    treatment: Radiation, design: Design | None, tumor_mg_per_ml: FloatArray
) -> TreatmentOutcome:
    """One radiation fraction: linear-quadratic survival with gold's dose enhancement.

    S = exp(−α εd − β (εd)²) with ε = 1 + s·c_Au (c_Au the gold core in the tumor, mg/g; s the
    beam's slope); ε = 1 without a gold core.
    """
    rad = tumor_kb.tumor_response().radiation
    key = GOLD_BEAM_SLOPES[treatment.beam]
    gold = design is not None and loader.core_materials()[design.core.material].family == "gold"
    content = np.asarray(tumor_mg_per_ml, dtype=float) if gold else np.zeros(len(tumor_mg_per_ml))
    enhancement = gold_dose_enhancement(content, rad[key].to("g/mg"))
    surviving = radiation_surviving_fraction(
        float(treatment.dose.to("Gy").magnitude),
        rad["alpha"].to("1/Gy"),
        rad["beta"].to("1/Gy^2"),
        enhancement,
    )
    n = content.size
    return TreatmentOutcome(
        surviving_fraction=np.asarray(surviving, dtype=float),
        tumor_max_c=np.full(n, np.nan),
        skin_burn=np.zeros(n, dtype=bool),
        results=(),
        sources={f"radiation.{k}": rad[k].source for k in ("alpha", "beta", key)},
        assumptions=(
            f"{treatment.dose} {treatment.beam} fraction: gold dose enhancement "
            f"{float(np.mean(enhancement)):.3g} (linear-quadratic survival)",
        ),
    )


def treat_animals(
    treatment: Laser | MagneticField,
    design: Design,
    tumor_mg_per_ml: FloatArray,
    volume_mm3: FloatArray,
    depth_mm: float,
    *,
    perfusion_factor: FloatArray | None = None,
    step_mm: float = 0.5,
    dt_s: float = 10.0,
) -> TreatmentOutcome:
    """Apply one treatment to every animal of a group.

    Parameters
    ----------
    treatment
        The laser or field of the study spec.
    design
        The particle whose core sets optics or magnetic heating (with content 0 for an
        agent-free group).
    tumor_mg_per_ml
        Core concentration in each animal's tumor at the time (mg/mL), shape (n,).
    volume_mm3
        Each animal's caliper volume at the time (mm³), shape (n,).
    depth_mm
        Depth of the tumor's top below the skin (mm).
    perfusion_factor
        Each animal's factor on the calibrated tumor perfusion, shape (n,); 1 if None.
    step_mm, dt_s
        Bioheat grid step (mm) and time step (s).
    """
    notes: list[str] = []
    radii = np.array([max(sphere_radius_mm(float(v)), MIN_RADIUS_MM) for v in volume_mm3])
    factors = np.ones(len(volume_mm3)) if perfusion_factor is None else perfusion_factor
    perfusion = calibrated_tumor_perfusion_per_s() * np.asarray(factors, dtype=float)
    heats = True
    if isinstance(treatment, Laser):
        heats, note = _core_absorbs(design, treatment)
        if note:
            notes.append(note)
    # a core that does not absorb at the line still sees the tissue heat: content 0
    results = [
        _heat(
            treatment,
            design,
            float(c) if heats else 0.0,
            TumorSite(float(r), depth_mm),
            float(w),
            step_mm,
            dt_s,
        )
        for c, r, w in zip(tumor_mg_per_ml, radii, perfusion, strict=True)
    ]
    first = results[0].provenance
    sources = {
        f"treatment.{row['name']}": str(row["source"]) for row in first.get("parameters", [])
    }
    notes = [*first.get("assumptions", []), *notes]
    surviving = np.array([1.0 - r.tumor_damage_fraction for r in results])
    pdt = None
    if isinstance(treatment, Laser):
        pdt = photodynamic_kill(treatment, design, tumor_mg_per_ml, radii, depth_mm)
    if pdt is not None:
        surviving = surviving * pdt.surviving_fraction
        sources.update(pdt.sources)
        notes.append(
            f"photodynamic kill by {pdt.photosensitizer}: mean singlet-oxygen dose "
            f"{np.mean(pdt.dose_mm):.3g} mM over the tumor depth"
        )
    return TreatmentOutcome(
        surviving_fraction=surviving,
        tumor_max_c=np.array([float(np.max(r.tumor_max_c)) for r in results]),
        skin_burn=np.array([r.skin_burn for r in results], dtype=bool),
        results=tuple(results),
        sources=sources,
        assumptions=tuple(notes),
        pdt_dose_mm=None if pdt is None else pdt.dose_mm,
    )


def _heat(
    treatment: Laser | MagneticField,
    design: Design,
    conc_mg_per_ml: float,
    site: TumorSite,
    perfusion_per_s: float,
    step_mm: float,
    dt_s: float,
) -> TreatmentResult:
    """One animal's bioheat solve under a laser or field."""
    duration_s = float(treatment.duration.to("s").magnitude)
    if isinstance(treatment, Laser):
        laser = LaserSetting(
            wavelength_nm=float(treatment.wavelength.to("nm").magnitude),
            irradiance_w_per_cm2=float(treatment.irradiance.to("W/cm^2").magnitude),
            spot_radius_mm=float(treatment.spot_radius.to("mm").magnitude),
            duration_s=duration_s,
        )
        return photothermal_treatment(
            design,
            conc_mg_per_ml,
            laser,
            site,
            step_mm=step_mm,
            dt_s=dt_s,
            tumor_perfusion_per_s=perfusion_per_s,
        )
    setting = FieldSetting(
        amplitude_ka_per_m=float(treatment.amplitude.to("kA/m").magnitude),
        frequency_khz=float(treatment.frequency.to("kHz").magnitude),
        duration_s=duration_s,
    )
    return magnetic_treatment(
        design,
        conc_mg_per_ml,
        setting,
        site,
        step_mm=step_mm,
        dt_s=dt_s,
        tumor_perfusion_per_s=perfusion_per_s,
    )


def _core_absorbs(design: Design, laser: Laser) -> tuple[bool, str]:
    """Whether the core's absorption at the laser line is tabulated (else tissue heats alone)."""
    wavelength = float(laser.wavelength.to("nm").magnitude)
    try:
        designed_core_optics(design.core, wavelength)
    except SpecificationError:
        return False, (
            f"{design.core.material} has no optical model at {wavelength:g} nm: the particles are "
            "taken not to absorb and only the tissue heats (photodynamic kill, if any, is "
            "computed separately)"
        )
    return True, ""
