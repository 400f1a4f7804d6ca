"""Domain membrane spec → protein areal density, zeta, markers and per-source harvest data."""

from __future__ import annotations

from dataclasses import dataclass

from nanocloak.domain.membrane import Membrane
from nanocloak.errors import KnowledgeBaseError
from nanocloak.kernels.manufacture.membrane_need import hybrid_protein_density
from nanocloak.knowledge import loader
from nanocloak.results.design import MarkerContent
from nanocloak.workflows.parameters import ParameterDraw

PG_PER_UM2_TO_MG_PER_M2 = 1000.0


@dataclass(frozen=True, slots=True)
class SourceModel:
    """One membrane source: its share and the numbers that size its harvest."""

    cell: str
    donor_species: str
    family: str
    harvest: str
    fraction: float
    protein_per_cell_pg: float
    area_per_cell_um2: float
    area_share: float


@dataclass(frozen=True, slots=True)
class MembraneModel:
    """The (possibly hybrid) membrane as the kernels need it.

    ``markers`` maps each surface marker to its ``MarkerContent`` in the mixed membrane.
    """

    protein_density_mg_per_m2: float
    zeta_mv: float
    sources: tuple[SourceModel, ...]
    markers: dict[str, MarkerContent]


def membrane_model(membrane: Membrane, draw: ParameterDraw) -> MembraneModel:
    """Protein areal density (harmonic mix), zeta and markers of ``membrane``."""
    table = loader.membrane_sources()
    densities, zetas, protein, areas = [], [], [], []
    for source in membrane.sources:
        entry = table[source.cell]
        path = f"membrane_sources.{source.cell}"
        if (
            entry.membrane_protein_per_cell is None
            or entry.membrane_area is None
            or entry.vesicle_zeta is None
        ):
            raise KnowledgeBaseError(
                f"{path} lacks membrane_protein_per_cell, membrane_area or vesicle_zeta"
            )
        per_cell = draw.value(
            f"{path}.membrane_protein_per_cell", entry.membrane_protein_per_cell, "pg"
        )
        area = draw.value(f"{path}.membrane_area", entry.membrane_area, "um^2")
        species_area = loader.species()[source.donor_species].properties.get(
            f"{entry.family}_membrane_area"
        )
        if species_area is not None:
            # the entry describes one species' cell; the donor's cells differ in size, so the
            # protein per cell scales with area at the same areal protein density
            donor_area = draw.value(
                f"species.{source.donor_species}.{entry.family}_membrane_area", species_area, "um^2"
            )
            per_cell *= donor_area / area
            area = donor_area
        densities.append(per_cell / area * PG_PER_UM2_TO_MG_PER_M2)
        zetas.append(draw.value(f"{path}.vesicle_zeta", entry.vesicle_zeta, "mV"))
        protein.append(per_cell)
        areas.append(area)
    fractions = tuple(s.fraction for s in membrane.sources)
    sigma = hybrid_protein_density(fractions, tuple(densities))
    area_shares = [f / d * sigma for f, d in zip(fractions, densities, strict=True)]
    sources = tuple(
        SourceModel(
            s.cell,
            s.donor_species,
            table[s.cell].family,
            table[s.cell].harvest or "culture",
            s.fraction,
            protein[i],
            areas[i],
            area_shares[i],
        )
        for i, s in enumerate(membrane.sources)
    )
    markers = _mix_markers(membrane, area_shares)
    zeta = sum(share * z for share, z in zip(area_shares, zetas, strict=True))
    return MembraneModel(sigma, zeta, sources, markers)


def _mix_markers(membrane: Membrane, area_shares: list[float]) -> dict[str, MarkerContent]:
    """Mix markers by area share; measured overrides in the spec replace the knowledge base."""
    table = loader.membrane_sources()
    carrying: dict[str, float] = {}
    density: dict[str, float] = {}
    unknown: set[str] = set()
    for share, spec in zip(area_shares, membrane.sources, strict=True):
        known = {
            name: value.to("molecule/um^2")
            for name, value in table[spec.cell].markers.items()
            if value.unit.startswith("molecule")
        }
        present = set(table[spec.cell].markers)
        for marker in spec.markers:
            known[marker.name] = float(marker.density.to("molecule/um^2").magnitude)
            present.add(marker.name)
        for name in present:
            carrying[name] = carrying.get(name, 0.0) + share
            if name in known:
                density[name] = density.get(name, 0.0) + share * known[name]
            else:
                unknown.add(name)
    return {
        name: MarkerContent(carrying[name], density.get(name), name not in unknown)
        for name in sorted(carrying)
    }
