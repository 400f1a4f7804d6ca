"""Domain membrane spec → protein areal density, zeta, markers and per-source harvest data."""

from __future__ import annotations

from dataclasses import dataclass

from nanocloak.domain.membrane import Membrane, MembraneSource
from nanocloak.errors import KnowledgeBaseError
from nanocloak.kernels.manufacture.membrane_need import hybrid_protein_density
from nanocloak.knowledge import loader
from nanocloak.knowledge.catalog import MembraneSourceEntry
from nanocloak.knowledge.schema import Value
from nanocloak.results.design import MarkerContent
from nanocloak.workflows.parameters import ParameterDraw

PG_PER_UM2_TO_MG_PER_M2 = 1000.0


@dataclass(frozen=True, slots=True)
class SourceModel:
    """One membrane source: its share and the numbers that size its harvest.

    ``protein_per_cell_pg`` is plasma-membrane protein per donor cell; ``purity`` the share of
    BCA-measured preparation protein that is plasma membrane; ``area_share`` the share of the
    hybrid's membrane area that comes from this source.
    """

    cell: str
    donor_species: str
    family: str
    harvest: str
    fraction: float
    protein_per_cell_pg: float
    purity: float
    area_share: float


@dataclass(frozen=True, slots=True)
class MembraneModel:
    """The (possibly hybrid) membrane as the kernels need it.

    ``protein_density_mg_per_m2`` is BCA-measured preparation protein per m² of plasma
    membrane it carries: σ/purity per source, mixed harmonically by protein fraction.
    ``markers`` maps each surface marker to its ``MarkerContent`` in the mixed membrane.
    """

    protein_density_mg_per_m2: float
    zeta_mv: float
    sources: tuple[SourceModel, ...]
    markers: dict[str, MarkerContent]


def _required(entry: MembraneSourceEntry, name: str, path: str) -> Value:
    value = getattr(entry, name)
    if value is None:
        raise KnowledgeBaseError(f"{path} lacks {name}, which the manufacture model needs")
    return value  # type: ignore[no-any-return]


def _cell_area_um2(
    source: MembraneSource, entry: MembraneSourceEntry, draw: ParameterDraw
) -> float:
    """Membrane area per donor cell; a species-specific value (e.g. mouse RBC) wins."""
    path = f"membrane_sources.{source.cell}"
    species_area = loader.species()[source.donor_species].properties.get(
        f"{entry.family}_membrane_area"
    )
    if species_area is not None:
        return draw.value(
            f"species.{source.donor_species}.{entry.family}_membrane_area", species_area, "um^2"
        )
    return draw.value(f"{path}.membrane_area", _required(entry, "membrane_area", path), "um^2")


def membrane_model(membrane: Membrane, draw: ParameterDraw) -> MembraneModel:
    """Protein per area (harmonic mix by protein fraction), zeta and markers of ``membrane``."""
    table = loader.membrane_sources()
    crude_densities, zetas, models = [], [], []
    for source in membrane.sources:
        entry = table[source.cell]
        path = f"membrane_sources.{source.cell}"
        sigma = draw.value(
            f"{path}.membrane_protein_density",
            _required(entry, "membrane_protein_density", path),
            "mg/m^2",
        )
        purity = draw.value(
            f"{path}.membrane_purity", _required(entry, "membrane_purity", path), "dimensionless"
        )
        zetas.append(
            draw.value(f"{path}.vesicle_zeta", _required(entry, "vesicle_zeta", path), "mV")
        )
        crude_densities.append(sigma / purity)
        per_cell_pg = sigma * _cell_area_um2(source, entry, draw) / PG_PER_UM2_TO_MG_PER_M2
        models.append((source, entry, per_cell_pg, purity))
    fractions = tuple(s.fraction for s in membrane.sources)
    crude = hybrid_protein_density(fractions, tuple(crude_densities))
    area_shares = [f / d * crude for f, d in zip(fractions, crude_densities, strict=True)]
    sources = tuple(
        SourceModel(
            source.cell,
            source.donor_species,
            entry.family,
            entry.harvest or "culture",
            source.fraction,
            per_cell,
            purity,
            share,
        )
        for (source, entry, per_cell, purity), share in zip(models, area_shares, strict=True)
    )
    zeta = sum(share * z for share, z in zip(area_shares, zetas, strict=True))
    return MembraneModel(crude, zeta, sources, _mix_markers(membrane, area_shares))


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
