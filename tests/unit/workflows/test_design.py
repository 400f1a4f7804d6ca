"""The review's statements about the assembly methods, as consequences of the mechanisms.

Song 2022 (doi:10.1186/s12951-022-01475-w), 'Technologies for assembling CMCINPs': extrusion
gives uniform size but loses particles on the filter and is slow; sonication is one fast step,
with broader size and a heat risk; microfluidic electroporation gives the most complete coating
and protein retention at a higher cost; co-incubation is the least complete (biology.md §2a).
Every method runs on the same cores, membrane and ratio, at the settings of the examples.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.io.specs import design_from_dict
from nanocloak.knowledge import loader
from nanocloak.results.design import DesignResult
from nanocloak.workflows.design import design
from tests.conftest import CO_INCUBATION, ELECTROPORATION, SONICATION, example_dict, with_assembly

PARTICLES = 6000


def _run(data: dict[str, Any], samples: int = 0, seed: int = 7) -> DesignResult:
    return design(design_from_dict(data), n_particles=PARTICLES, n_samples=samples, seed=seed)


@pytest.fixture(scope="module")
def by_method() -> dict[str, DesignResult]:
    base = example_dict("rbc_mnc_extrusion.toml")
    assemblies = {
        "sonication": SONICATION,
        "co_incubation": CO_INCUBATION,
        "electroporation": ELECTROPORATION,
    }
    results = {"extrusion": _run(base)}
    for name, assembly in assemblies.items():
        results[name] = _run(with_assembly(base, assembly))
    return results


def test_electroporation_gives_the_most_complete_coating(by_method: dict[str, Any]) -> None:
    full = {k: r.metric("fully_coated_share") for k, r in by_method.items()}
    assert max(full, key=full.__getitem__) == "electroporation"
    assert full["electroporation"] > 2 * full["extrusion"]


def test_co_incubation_is_the_least_complete(by_method: dict[str, Any]) -> None:
    mean = {k: r.metric("mean_coating_degree") for k, r in by_method.items()}
    assert min(mean, key=mean.__getitem__) == "co_incubation"


def test_extrusion_and_sonication_leave_most_particles_partially_coated(
    by_method: dict[str, Any],
) -> None:
    """Liu 2021 (doi:10.1038/s41467-021-26052-x): up to 90 % only partially coated.

    The share partially coated (0 < c < full) must be a majority and near the published upper
    bound; few cores stay bare. Tolerance: "up to 90 %" is a rounded abstract figure for one
    preparation, and the same group's ~6 % fully coated (Liu 2022,
    doi:10.1038/s41467-022-33889-3) already leaves up to 94 % not fully coated, so the bound
    is held to +0.05.
    """
    upper = loader.membrane_physics()["partial_coating_upper_share"].value
    full = loader.membrane_physics()["full_coating_threshold"].value
    for method in ("extrusion", "sonication"):
        coverage = by_method[method].nominal.coverage
        partial = float(np.mean((coverage > 0.0) & (coverage < full)))
        assert 0.5 < partial <= upper + 0.05
        assert np.mean(coverage <= 0.0) < 0.05


def test_electroporation_retains_more_protein_than_extrusion(by_method: dict[str, Any]) -> None:
    assert by_method["electroporation"].metric("protein_retention") > by_method["extrusion"].metric(
        "protein_retention"
    )


def test_extrusion_loses_cores_on_the_filter(by_method: dict[str, Any]) -> None:
    recovery = {k: r.metric("core_recovery") for k, r in by_method.items()}
    assert min(recovery, key=recovery.__getitem__) == "extrusion"


def test_extrusion_gives_the_most_uniform_size(by_method: dict[str, Any]) -> None:
    pdi = {k: r.metric("pdi") for k, r in by_method.items()}
    assert min(pdi, key=pdi.__getitem__) == "extrusion"
    assert pdi["sonication"] > pdi["extrusion"]


def test_sonication_is_the_fast_step(by_method: dict[str, Any]) -> None:
    time = {k: r.metric("assembly_time_min") for k, r in by_method.items()}
    assert min(time, key=time.__getitem__) == "sonication"


def test_electroporation_costs_the_most(by_method: dict[str, Any]) -> None:
    cost = {k: r.metric("relative_cost") for k, r in by_method.items()}
    assert max(cost, key=cost.__getitem__) == "electroporation"


def test_probe_sonication_without_cooling_is_a_heat_risk() -> None:
    base = example_dict("rbc_mnc_extrusion.toml")
    gentle = _run(with_assembly(base, SONICATION))
    hot = _run(
        with_assembly(
            base,
            {
                **SONICATION,
                "mode": "probe",
                "power": "5 W",
                "time": "5 min",
                "temperature": "25 degC",
            },
        )
    )
    assert 42.0 < hot.metric("peak_temperature_c") < 100.0
    assert any("heat risk" in w for w in hot.warnings())
    assert hot.metric("protein_retention") < gentle.metric("protein_retention")
    boiling = _run(with_assembly(base, {**SONICATION, "mode": "probe", "power": "100 W"}))
    assert boiling.metric("peak_temperature_c") == pytest.approx(100.0)
    assert any("would boil" in w for w in boiling.warnings())


def test_scarce_membrane_limits_coating() -> None:
    base = example_dict("rbc_mnc_electroporation.toml")
    scarce = copy.deepcopy(base)
    scarce["preparation"]["membrane_to_core_ratio"] = "0.03 mg/mg"
    rich, poor = _run(base), _run(scarce)
    assert poor.metric("excess_ratio") < 1.0
    assert poor.metric("mean_coating_degree") < rich.metric("mean_coating_degree")
    assert any("area-matched minimum" in w for w in poor.warnings())
    assert poor.metric("membrane_used_share") <= 1.0


def test_bare_cores_become_rare_as_membrane_is_added() -> None:
    """Mass action: more membrane per particle, more productive events, fewer bare cores, at
    the same process settings (electroporation twin, 0.1 → 1 mg/mg)."""
    base = example_dict("rbc_mnc_electroporation.toml")
    bare = []
    for ratio in ("0.1 mg/mg", "0.3 mg/mg", "1 mg/mg"):
        data = copy.deepcopy(base)
        data["preparation"]["membrane_to_core_ratio"] = ratio
        bare.append(float((_run(data).nominal.coverage <= 0.0).mean()))
    assert bare[0] > bare[1] > bare[2]
    assert bare[2] < 0.01


def test_hybrid_marker_content_follows_the_mixing_fraction() -> None:
    base = example_dict("rbc_b16_hybrid_cus.toml")
    shares = []
    for rbc_fraction in (0.25, 0.5, 0.75):
        data = copy.deepcopy(base)
        data["membrane"]["sources"][0]["fraction"] = rbc_fraction
        data["membrane"]["sources"][1]["fraction"] = 1 - rbc_fraction
        markers = _run(data).nominal.markers
        shares.append(markers["gp100"].area_share)
        rbc_share = 1 - markers["gp100"].area_share
        assert markers["cd47"].density_per_um2 == pytest.approx(250.0 * rbc_share, rel=1e-9)
        assert markers["cd47"].area_share == pytest.approx(1.0)
    assert shares[0] > shares[1] > shares[2]


def test_same_seed_same_result_different_seed_different_result() -> None:
    data = example_dict("rbc_mnc_extrusion.toml")
    first, second = _run(data, samples=6), _run(data, samples=6)
    assert first.to_dict() == second.to_dict()
    assert _run(data, seed=8).to_dict() != first.to_dict()
    low, high = first.bands["area_needed_m2"]
    assert low < high


def test_cancer_membrane_batch_needs_cells_of_the_order_the_review_quotes() -> None:
    """Song 2022: 200–300 million source cells per membrane preparation.

    A 1-mg lab batch of cancer-membrane-coated gold nanocages at the common 1:1 protein:core
    ratio should need cells within a factor of 3 of that range (the cell-protein value is
    itself uncertain by 2–5×, see membrane_sources.yaml).
    """
    result = _run(example_dict("4t1_aunanocage_dox.toml"))
    low, high = result.review_cells
    assert low / 3 < result.metric("total_cells") < 3 * high


def test_blood_volume_for_rbc_membrane_is_about_a_millilitre_per_mg() -> None:
    """Hu 2011 (doi:10.1073/pnas.1106634108): membrane from ~1 mL blood per mg of cores.

    The prediction for 1:1 protein:core must fall within 0.3–3 mL per mg (order of magnitude;
    the recovery and RBC-protein values each carry a ~2× range).
    """
    result = _run(example_dict("rbc_mnc_extrusion.toml"))
    plan = result.nominal.plans[0]
    assert plan.blood_ml is not None
    per_mg = plan.blood_ml / 2.0
    assert 0.3 < per_mg < 3.0


def test_extrusion_product_holds_only_cores_that_pass_the_pore() -> None:
    data = example_dict("rbc_mnc_extrusion.toml")
    data["preparation"]["assembly"]["pore_size"] = "160 nm"
    result = _run(data)
    assert result.nominal.process_details["sieved_share"] > 0.2
    assert result.metric("number_mean_diameter_nm") < 160.0 + 2 * 10.0


def test_a_pore_far_below_the_cores_is_an_input_error() -> None:
    data = example_dict("rbc_mnc_extrusion.toml")
    data["preparation"]["assembly"]["pore_size"] = "50 nm"
    with pytest.raises(SpecificationError, match="pore larger than the cores"):
        _run(data)


def test_upconversion_core_with_a_mesoporous_silica_shell_designs() -> None:
    data = example_dict("rbc_mnc_extrusion.toml")
    data["core"] = {
        "material": "ucnp_yb_er",
        "silica_shell": "15 nm",
        "geometry": {"kind": "sphere", "diameter": "40 nm"},
    }
    bare = copy.deepcopy(data)
    del bare["core"]["silica_shell"]
    shelled, plain = _run(data), _run(bare)
    # a 70-nm shelled particle weighs more than its 40-nm core alone, so fewer per mg
    assert shelled.metric("particles_per_mg") < plain.metric("particles_per_mg")
    assert shelled.metric("number_mean_diameter_nm") > plain.metric("number_mean_diameter_nm") + 20


def test_electroporation_scales_and_extrusion_does_not() -> None:
    """At 20 mg (20 mL) the continuous method needs the least operator time per mL."""
    base = example_dict("rbc_mnc_extrusion.toml")
    base["batch"]["core_mass"] = "20 mg"
    extruded = _run(base)
    pulsed = _run(with_assembly(base, ELECTROPORATION))
    assert pulsed.metric("ml_per_hands_on_hour") > 1.5 * extruded.metric("ml_per_hands_on_hour")
    small = _run(example_dict("rbc_mnc_extrusion.toml"))
    ratio = extruded.metric("assembly_hands_on_min") / small.metric("assembly_hands_on_min")
    assert ratio == pytest.approx(10.0, rel=0.01)  # ten times the volume, ten times the work


def test_the_coating_ranking_holds_across_the_literature_ranges() -> None:
    """Paired ensembles: electroporation beats extrusion in most parameter draws.

    The coating ranking rests on the methods' resealing probabilities, which are assumptions
    with wide ranges (methods.yaml); a majority of 20 paired draws must keep it (seen: 70–90 %),
    while recovery and cost, set by dead volumes and filters, must keep it in nearly all.
    """
    base = example_dict("rbc_mnc_extrusion.toml")
    extruded = design(design_from_dict(base), n_particles=2000, n_samples=20, seed=3)
    pulsed = design(
        design_from_dict(with_assembly(base, ELECTROPORATION)),
        n_particles=2000,
        n_samples=20,
        seed=3,
    )
    assert pulsed.share_above(extruded, "fully_coated_share") > 0.5
    assert pulsed.share_above(extruded, "core_recovery") >= 0.9
    assert pulsed.share_above(extruded, "relative_cost") >= 0.9
