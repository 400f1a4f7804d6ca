"""Rat and human PBPK runs use their species' nanoparticle parameters.

Rule (``pbpk_nanoparticle.yaml`` species_scaling): rate constants of the mouse base model scale
as (BW_s/BW_m)^-1/4 and Hill times as (BW_s/BW_m)^+1/4 (Lindstedt SL, Schaeffer PJ. Lab Anim.
2002;36:1-19, PMID 11833526: biological rates scale as BW^-1/4). The mouse model is untouched:
its parameters are read here straight from the YAML file, independently of the loader.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from nanocloak.kernels.pk.membrane import MembraneConstants, Multipliers, SourceInput
from nanocloak.knowledge import pbpk
from nanocloak.workflows.membrane_pk_overrides import parameter_overrides, shedding_overrides
from nanocloak.workflows.simulate_pk import build_model, simulate_pk


def _file() -> dict:
    text = resources.files("nanocloak.knowledge.data").joinpath("pbpk_nanoparticle.yaml")
    return yaml.safe_load(text.read_text(encoding="utf-8"))


def _bw_ratio(species: str) -> float:
    phys = pbpk.physiology()
    return phys[species].body_weight.to("kg") / phys["mouse"].body_weight.to("kg")


def test_mouse_model_uses_the_file_values_unchanged() -> None:
    raw = _file()
    values = build_model("mouse").values[0]
    for organ, fields in raw["organs"].items():
        for field in ("k_max", "k_50", "k_release", "partition", "permeability"):
            if field in fields:
                # exact: the species layer must be the identity for the reference species
                assert values[f"{organ}.{field}"] == float(fields[field]["value"]), (
                    f"{organ}.{field}"
                )
    assert values["tumor.k_release"] == float(raw["tumor"]["k_release"]["value"])


@pytest.mark.parametrize("species", ["rat", "human"])
def test_species_rate_constants_reach_the_kernel(species: str) -> None:
    raw = _file()
    model = build_model(species)
    organs = model.topology.organs
    ratio = _bw_ratio(species)
    for organ in ("liver", "spleen", "kidney", "lung", "tumor"):
        mouse = raw["tumor"] if organ == "tumor" else raw["organs"][organ]
        i = organs.index(organ)
        # rel 1e-12: only float rounding separates the loader's product from this one
        assert model.parameters.k_max_per_h[0, i] == pytest.approx(
            mouse["k_max"]["value"] * ratio**-0.25, rel=1e-12
        )
        assert model.parameters.k_release_per_h[0, i] == pytest.approx(
            mouse["k_release"]["value"] * ratio**-0.25, rel=1e-12
        )
        assert model.parameters.k50_h[0, i] == pytest.approx(
            mouse["k_50"]["value"] * ratio**0.25, rel=1e-12
        )
    assert model.sources["liver.k_max"] == "lindstedt_schaeffer2002"
    # a larger animal takes its particles up more slowly (rule: rates fall with BW)
    mouse_model = build_model("mouse")
    liver_m = mouse_model.topology.organs.index("liver")
    assert (
        model.parameters.k_max_per_h[0, organs.index("liver")]
        < mouse_model.parameters.k_max_per_h[0, liver_m]
    )


@pytest.mark.parametrize("species", ["rat", "human"])
@pytest.mark.parametrize("mode", ["physiological", "reference"])
def test_species_runs_conserve_mass(species: str, mode: str) -> None:
    result = simulate_pk(species, 5.0, None, 168.0, mode=mode)  # type: ignore[arg-type]
    metrics = result.to_dict()["subjects"][0]["metrics"]
    # issue 3: all compartments + excreted = dosed to 1e-6 relative
    assert metrics["mass_balance_error"] < 1e-6


def test_membrane_overrides_act_on_the_species_defaults() -> None:
    mult = Multipliers(res_k_max=0.5, res_k_50=2.0, tumor_k_max=0.8, tumor_permeability=1.5)
    for species in ("mouse", "rat", "human"):
        over = parameter_overrides(mult, species)
        defaults = build_model(species).values[0]
        for key, factor in {
            "liver.k_max": 0.5,
            "liver.k_50": 2.0,
            "spleen.k_max": 0.5,
            "tumor.k_max": 0.8,
            "tumor.permeability": 1.5,
        }.items():
            assert over[key] == pytest.approx(defaults[key] * factor, rel=1e-12), (species, key)


def test_shedding_projection_uses_the_species_uptake_times() -> None:
    sources = [SourceInput(area_share=1.0, relative_cd47=1.0)]
    values = {"shedding.half_life": 24.0}
    k = MembraneConstants(cd47_min_factor=0.2, opsonization_bare_excess=1.0)
    mouse = shedding_overrides({"shedding"}, values, sources, k, 0.9)
    assert mouse == shedding_overrides({"shedding"}, values, sources, k, 0.9, "mouse")
    rat = shedding_overrides({"shedding"}, values, sources, k, 0.9, "rat")
    assert mouse is not None
    assert rat is not None
    assert set(mouse) == set(rat)
    # the projection compares the shedding half-life with the species' (longer) uptake times
    assert any(rat[o] != pytest.approx(mouse[o], rel=1e-6) for o in mouse)


@pytest.mark.parametrize("species", ["rat", "human"])
def test_shedding_projection_is_invariant_under_the_allometric_time_rescaling(
    species: str,
) -> None:
    """Rates scale by f^-1 and times by f (f = BW ratio^0.25), so a shedding half-life stretched
    by the same f must give the mouse's projection factors: the problem is the mouse's in a
    rescaled time (the projection window stretches too). Tolerance 1e-6: the projection is a
    least-squares fit on a grid that rescales exactly, so only rounding differs."""
    sources = [SourceInput(area_share=1.0, relative_cd47=1.0)]
    k = MembraneConstants(cd47_min_factor=0.2, opsonization_bare_excess=1.0)
    time_factor = pbpk.species_factor(species)[1]
    mouse = shedding_overrides({"shedding"}, {"shedding.half_life": 24.0}, sources, k, 0.9)
    other = shedding_overrides(
        {"shedding"}, {"shedding.half_life": 24.0 * time_factor}, sources, k, 0.9, species
    )
    assert mouse is not None
    assert other is not None
    for organ, (k_max_factor, k_50_factor) in mouse.items():
        assert other[organ][0] == pytest.approx(k_max_factor, rel=1e-6), organ
        assert other[organ][1] == pytest.approx(k_50_factor, rel=1e-6), organ
