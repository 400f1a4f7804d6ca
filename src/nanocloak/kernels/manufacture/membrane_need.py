"""Membrane area and protein needed to coat a batch: the surface-area balance at the mid-plane.

A particle of mid-plane area ``A_mid`` (Steiner's formula at offset gap + bilayer/2; see
``nanocloak.kernels.manufacture.geometry``) needs that much bilayer. A batch of core mass
``m`` holds ``N = m / m_p`` particles and needs ``N A_mid`` of membrane, i.e.
σ·N·A_mid of membrane protein for a membrane of protein areal density σ.
Practice uses an excess (the membrane-protein : core mass ratio); ``excess_ratio`` compares it
with the area-matched minimum (Hu 2011; Hu 2015 area-matched controls).
"""

from __future__ import annotations

from dataclasses import dataclass

NM2_PER_M2 = 1e18


@dataclass(frozen=True, slots=True)
class MembraneNeed:
    """Membrane bookkeeping of one batch.

    Attributes
    ----------
    particles_per_mg
        Cores per mg of core mass.
    core_area_m2_per_mg
        Outer core area per mg (m²/mg), i.e. the specific surface area.
    midplane_area_m2_per_mg
        Area at the membrane mid-plane per mg of core (m²/mg).
    area_needed_m2
        Area-matched minimum membrane area for the batch (m²).
    protein_needed_mg
        Membrane protein carrying that area (mg).
    protein_planned_mg
        Membrane protein the design uses (ratio × core mass, mg).
    area_planned_m2
        Membrane area in the planned protein (m²).
    excess_ratio
        Planned / area-matched membrane (dimensionless); < 1 means coverage cannot be complete.
    """

    particles_per_mg: float
    core_area_m2_per_mg: float
    midplane_area_m2_per_mg: float
    area_needed_m2: float
    protein_needed_mg: float
    protein_planned_mg: float
    area_planned_m2: float
    excess_ratio: float


def membrane_need(
    core_area_nm2: float,
    midplane_area_nm2: float,
    particle_mass_mg: float,
    core_mass_mg: float,
    protein_density_mg_per_m2: float,
    protein_to_core_ratio: float,
) -> MembraneNeed:
    """Surface-area balance of a batch.

    Parameters
    ----------
    core_area_nm2, midplane_area_nm2
        Outer core area and mid-plane area of one particle (nm²).
    particle_mass_mg
        Mass of one core (mg).
    core_mass_mg
        Core mass of the batch (mg).
    protein_density_mg_per_m2
        Measured (BCA) preparation protein per m² of plasma membrane it carries (mg/m²): the
        membrane's protein density over the preparation's purity (≈4.6 for RBC ghosts).
    protein_to_core_ratio
        Membrane protein mass per core mass used by the design (mg/mg).
    """
    per_mg = 1.0 / particle_mass_mg
    core_area = per_mg * core_area_nm2 / NM2_PER_M2
    mid_area = per_mg * midplane_area_nm2 / NM2_PER_M2
    area_needed = mid_area * core_mass_mg
    protein_needed = area_needed * protein_density_mg_per_m2
    protein_planned = protein_to_core_ratio * core_mass_mg
    area_planned = protein_planned / protein_density_mg_per_m2
    return MembraneNeed(
        per_mg,
        core_area,
        mid_area,
        area_needed,
        protein_needed,
        protein_planned,
        area_planned,
        area_planned / area_needed,
    )


def hybrid_protein_density(
    fractions: tuple[float, ...], densities_mg_per_m2: tuple[float, ...]
) -> float:
    """Protein areal density of a hybrid membrane mixed by protein-mass fractions (mg/m²).

    Protein mass P splits as ``P f_i``, carrying area P·f_i/σ_i, so
    σ = 1 / Σ_i (f_i/σ_i) (a harmonic mean).
    """
    return 1.0 / sum(f / s for f, s in zip(fractions, densities_mg_per_m2, strict=True))


def cells_to_harvest(protein_mg: float, protein_per_cell_pg: float, recovery: float) -> float:
    """Source cells whose membranes yield ``protein_mg`` after a separation ``recovery`` (0–1)."""
    return protein_mg * 1e9 / (protein_per_cell_pg * recovery)
