"""Inputs of the PBPK membrane layer: its constants, the parent membranes, ligands, injury.

What :func:`~nanocloak.workflows.simulate_design_pk.simulate_design_pk` reads before it solves
anything:

- the layer constants of ``pbpk_membrane.yaml`` as ``"mechanism.name"`` → value
  (:func:`layer_values`) and as the kernel's bundle, switched-off mechanisms neutralised
  (:func:`layer_constants`);
- per parent membrane of a design: its area share, CD47 density relative to RBC, homotypic match
  and targeting families (:func:`source_inputs`) and its immunogenicity γ from the donor
  relation (:func:`source_immunogenicity`);
- the enhancement of each surface ligand whose target the tumour expresses
  (:func:`ligand_enhancements`);
- the validated set of mechanisms switched on (:func:`enabled_mechanisms`) and the tumour
  vessel injury J averaged over the simulated window (:func:`vessel_injury_mean`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from nanocloak.domain.formulation import Design
from nanocloak.domain.membrane import MembraneSource
from nanocloak.errors import SpecificationError
from nanocloak.kernels.pk.membrane import MembraneConstants, SourceInput
from nanocloak.kernels.pk.targeting import mean_injury
from nanocloak.knowledge import loader
from nanocloak.knowledge.pbpk_membrane import MECHANISMS, constant, membrane_layer
from nanocloak.workflows.membrane_model import membrane_model
from nanocloak.workflows.parameters import ParameterDraw

HOMOTYPIC_FAMILIES = frozenset({"cancer", "cancer_stem_cell"})
ADHESION_FAMILIES = frozenset({"leukocyte", "macrophage", "neutrophil"})
RBC_CD47_PER_UM2 = ("rbc", "cd47")  # the reference density: membrane_sources.yaml rbc.cd47
LIGAND_CONSTANTS = {
    "folate_lipid_insertion": "folate_enhancement",
    "antibody_azide_click": "antibody_enhancement",
}
Injury = float | tuple[Sequence[float], Sequence[float]]


def layer_values(
    enabled: Collection[str], overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Every layer constant as ``"mechanism.name"`` → value in the model's unit; overrides win.

    Switched-off mechanisms keep their values here; :func:`layer_constants` neutralises them.
    """
    out = {
        f"{mech}.{name}": constant(mech, name)
        for mech, entry in membrane_layer().items()
        for name in entry.parameters
    }
    for key, value in (overrides or {}).items():
        if key not in out:
            raise SpecificationError("constants", key, f"one of {sorted(out)}")
        out[key] = float(value)
    return out


def layer_constants(
    enabled: Collection[str], overrides: Mapping[str, float] | None = None
) -> MembraneConstants:
    """Mechanism constants from ``pbpk_membrane.yaml``; switched-off ones take no-effect values."""
    v = layer_values(enabled, overrides)
    none = MembraneConstants()

    def on(mechanism: str, key: str, off: float) -> float:
        return v[f"{mechanism}.{key}"] if mechanism in enabled else off

    return MembraneConstants(
        cd47_min_factor=on("cd47", "min_factor", 1.0),
        cd47_half_density=v["cd47.half_density"],
        opsonization_bare_excess=on("opsonization", "bare_excess", 0.0),
        opsonization_bare_lag_ratio=on("opsonization", "bare_lag_ratio", 1.0),
        reference_diameter_nm=v["extravasation.reference_diameter"],
        pore_diameter_nm=on("extravasation", "pore_diameter", none.pore_diameter_nm),
        homotypic_enhancement=on("homotypic", "enhancement", 1.0),
        msc_homing_enhancement=on("msc_homing", "enhancement", 1.0),
        leukocyte_enhancement=on("leukocyte_adhesion", "enhancement", 1.0),
        leukocyte_baseline_activation=v["leukocyte_adhesion.baseline_activation"],
        platelet_cd44_enhancement=on("platelet_cd44", "enhancement", 1.0),
        injury_enhancement=on("injury_adhesion", "enhancement", 1.0),
        injury_reinforcement=on("injury_adhesion", "reinforcement", 0.0),
    )


def source_inputs(spec: Design, tumor_line: str | None, seed: int = 20221) -> list[SourceInput]:
    """Per parent membrane: area share, CD47 density relative to RBC, homotypic match and the
    targeting receptors its cell family carries."""
    table = loader.membrane_sources()
    tumor = None if tumor_line is None else (loader.resolve(table, tumor_line) or tumor_line)
    model = membrane_model(spec.membrane, ParameterDraw(seed))
    reference = table[RBC_CD47_PER_UM2[0]].markers[RBC_CD47_PER_UM2[1]].to("molecule/um^2")
    out = []
    for source, source_model in zip(spec.membrane.sources, model.sources, strict=True):
        family = table[source.cell].family
        out.append(
            SourceInput(
                area_share=source_model.area_share,
                relative_cd47=cd47_per_um2(source) / reference,
                homotypic_match=family in HOMOTYPIC_FAMILIES and source.cell == tumor,
                homing=family == "msc",
                inflammation_adhesion=family in ADHESION_FAMILIES,
                platelet=family == "platelet",
            )
        )
    return out


def source_immunogenicity(spec: Design, values: Mapping[str, float]) -> list[float]:
    """γ of each parent membrane from its donor relation (autologous and syngeneic: 0)."""
    table = {
        "allogeneic": values["abc.immunogenicity_allogeneic"],
        "xenogeneic": values["abc.immunogenicity_xenogeneic"],
    }
    return [float(table.get(s.donor, 0.0)) for s in spec.membrane.sources]


def ligand_enhancements(
    spec: Design, values: Mapping[str, float], tumor_targets: Collection[str] | None
) -> tuple[float, ...]:
    """Enhancement h of each surface ligand whose target the tumour expresses."""
    wanted = None if tumor_targets is None else {t.strip().lower() for t in tumor_targets}
    return tuple(
        values[f"ligand.{LIGAND_CONSTANTS[m.kind]}"]
        for m in spec.surface_modifications
        if wanted is None or m.target.strip().lower() in wanted
    )


def enabled_mechanisms(mechanisms: Collection[str] | None) -> frozenset[str]:
    """The mechanisms switched on: all of :data:`MECHANISMS` for None, else a checked subset."""
    if mechanisms is None:
        return frozenset(MECHANISMS)
    chosen = frozenset(mechanisms)
    unknown = chosen - set(MECHANISMS)
    if unknown:
        raise SpecificationError("mechanisms", sorted(unknown), f"a subset of {list(MECHANISMS)}")
    return chosen


def vessel_injury_mean(value: Injury, until_h: float) -> float:
    """Tumour vessel injury J in [0, 1]: the number itself, or a ``(t_h, J)`` series' mean
    over ``[0, until_h]`` h (:func:`~nanocloak.kernels.pk.targeting.mean_injury`)."""
    if isinstance(value, tuple):
        try:
            return mean_injury(value[0], value[1], until_h)
        except ValueError as exc:
            raise SpecificationError("vessel_injury", "series", str(exc)) from None
    if not 0.0 <= float(value) <= 1.0:
        raise SpecificationError("vessel_injury", value, "a number in [0, 1] or (t_h, J) series")
    return float(value)


def cd47_per_um2(source: MembraneSource) -> float:
    """CD47 density of one parent, molecule/µm²: measured override, knowledge base, assumed
    relative density when only its presence is known, 0 when absent."""
    for marker in source.markers:
        if marker.name == "cd47":
            return float(marker.density.to("molecule/um^2").magnitude)
    markers = loader.membrane_sources()[source.cell].markers
    if "cd47" not in markers:
        return 0.0
    value = markers["cd47"]
    if value.unit.startswith("molecule"):
        return value.to("molecule/um^2")
    reference = loader.membrane_sources()["rbc"].markers["cd47"].to("molecule/um^2")
    return constant("cd47", "unknown_relative_density") * reference
