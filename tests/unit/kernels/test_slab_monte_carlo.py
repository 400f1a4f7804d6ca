"""CPU slab Monte Carlo: conservation, Beer–Lambert, Fresnel, pencil-beam scoring, engines."""

import math

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.kernels.optics.diffusion import fresnel_normal_reflectance
from nanocloak.kernels.optics.slab_monte_carlo import (
    fresnel_reflectance,
    numba_available,
    run_slab_monte_carlo,
)


def test_fresnel_limits_and_the_textbook_formula() -> None:
    """Normal incidence, total internal reflection, matched faces and the s/p average."""
    assert fresnel_reflectance(1.37, 1.0, 1.0) == pytest.approx(fresnel_normal_reflectance(1.37))
    critical = math.sqrt(1.0 - (1.0 / 1.37) ** 2)  # cos of the critical angle
    assert fresnel_reflectance(1.37, 1.0, critical * 0.99) == 1.0
    np.testing.assert_allclose(fresnel_reflectance(1.2, 1.2, np.linspace(0.01, 1, 9)), 0.0,
                               atol=1e-15)  # fmt: skip
    cos_i = np.linspace(0.05, 0.95, 10)
    n1, n2 = 1.0, 1.5
    cos_t = np.sqrt(1 - (n1 / n2) ** 2 * (1 - cos_i**2))
    rs = ((n1 * cos_i - n2 * cos_t) / (n1 * cos_i + n2 * cos_t)) ** 2
    rp = ((n1 * cos_t - n2 * cos_i) / (n1 * cos_t + n2 * cos_i)) ** 2
    np.testing.assert_allclose(fresnel_reflectance(n1, n2, cos_i), (rs + rp) / 2, rtol=1e-12)


def test_energy_is_conserved_in_expectation_with_roulette() -> None:
    """R_sp + R_d + T + A = 1: roulette changes weights only on average, so the batch sums
    scatter around 1 with standard error ``balance_se``; 4 SE (t with 9 dof: p ≈ 0.003)."""
    res = run_slab_monte_carlo(0.1, 1.0, 0.9, 3.0, n_tissue=1.4, n_photons=10_000,
                               rng=11, engine="numpy")  # fmt: skip
    total = res.specular + res.reflectance + res.transmittance + res.absorbed_total
    assert res.balance_se > 0.0  # roulette was played
    assert abs(total - 1.0) < 4.0 * res.balance_se
    assert res.absorbed_beyond == 0.0  # the bins cover the slab
    np.testing.assert_allclose(np.sum(res.absorbed) * 3.0 / res.depth_mm.size,
                               res.absorbed_total, rtol=1e-12)  # fmt: skip


def test_energy_is_conserved_exactly_without_roulette() -> None:
    res = run_slab_monte_carlo(0.5, 2.0, 0.8, 0.5, n_tissue=1.5, n_below=1.33,
                               n_photons=4_000, roulette_threshold=0.0, rng=5,
                               engine="numpy")  # fmt: skip
    total = res.specular + res.reflectance + res.transmittance + res.absorbed_total
    assert total == pytest.approx(1.0, abs=1e-12)


def test_non_scattering_slab_follows_beer_lambert() -> None:
    """μ_s = 0, matched faces: φ(z)/E₀ = e^(−μ_a z), bin-averaged; T = e^(−μ_a d), R_d = 0.

    Each packet deposits all its weight once, so every bin is a binomial count; its batch SE is
    the right scale and 4.5 SE over 20 bins leaves a false-failure chance of about 5e-3
    (t with 19 degrees of freedom).
    """
    mua, d, nbins = 0.5, 4.0, 20
    res = run_slab_monte_carlo(mua, 0.0, 0.0, d, n_tissue=1.0, n_photons=40_000, bin_mm=d / nbins,
                               n_batches=20, rng=2, engine="numpy")  # fmt: skip
    edges = np.linspace(0.0, d, nbins + 1)
    exact = (np.exp(-mua * edges[:-1]) - np.exp(-mua * edges[1:])) / (mua * np.diff(edges))
    assert np.all(np.abs(res.fluence - exact) < 4.5 * res.fluence_se)
    assert abs(res.transmittance - math.exp(-mua * d)) < 4.5 * res.transmittance_se
    assert res.reflectance == 0.0
    assert res.specular == 0.0


def test_pencil_beam_scores_radially_and_matches_the_broad_beam_in_depth() -> None:
    """Lateral invariance: the pencil beam's depth profile is the broad beam's, draw by draw;
    without scattering all light stays in the first annulus: φ(r<r₁, z) = φ(z)/(π r₁²)."""
    kw = {"n_photons": 3_000, "bin_mm": 0.25, "rng": 4, "engine": "numpy"}
    broad = run_slab_monte_carlo(0.2, 1.0, 0.9, 2.0, **kw)  # type: ignore[arg-type]
    pencil = run_slab_monte_carlo(0.2, 1.0, 0.9, 2.0, beam="pencil", **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(broad.fluence, pencil.fluence)
    assert pencil.fluence_rz_per_mm2 is not None
    assert pencil.radial_edges_mm is not None
    area = math.pi * np.diff(pencil.radial_edges_mm**2)
    inside = (pencil.fluence_rz_per_mm2 * area[:, None]).sum(axis=0)
    assert np.all(inside <= pencil.fluence * (1 + 1e-12))
    assert inside[0] > 0.5 * pencil.fluence[0]
    edges = np.array([0.0, 0.1, 1.0])
    straight = run_slab_monte_carlo(0.5, 0.0, 0.0, 2.0, n_tissue=1.0, beam="pencil",
                                    radial_edges_mm=edges, n_photons=2_000, rng=1,
                                    engine="numpy")  # fmt: skip
    assert straight.fluence_rz_per_mm2 is not None
    np.testing.assert_allclose(straight.fluence_rz_per_mm2[0], straight.fluence / (math.pi * 0.01))
    assert np.all(straight.fluence_rz_per_mm2[1] == 0.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"mua_per_mm": 0.0}, "mua_per_mm"),
        ({"musp_per_mm": -1.0}, "musp_per_mm"),
        ({"anisotropy": 1.0}, "anisotropy"),
        ({"thickness_mm": 0.0}, "thickness_mm"),
        ({"thickness_mm": math.inf}, "depth_max_mm"),
        ({"n_photons": 1}, "n_photons"),
        ({"n_tissue": 0.0}, "n_tissue"),
        ({"beam": "gaussian"}, "beam"),
        ({"engine": "cuda"}, "engine"),
        ({"beam": "pencil", "radial_edges_mm": np.array([0.5, 1.0])}, "radial_edges_mm"),
        ({"thickness_mm": math.inf, "depth_max_mm": 5.0, "roulette_threshold": 0.0},
         "roulette_threshold"),
    ],
)  # fmt: skip
def test_input_errors(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"mua_per_mm": 0.1, "musp_per_mm": 1.0, "thickness_mm": 2.0,
                               "n_photons": 100, "engine": "numpy"}  # fmt: skip
    args.update(kwargs)
    with pytest.raises(SpecificationError, match=match):
        run_slab_monte_carlo(**args)  # type: ignore[arg-type]


def test_same_seed_same_result() -> None:
    one = run_slab_monte_carlo(0.1, 1.0, 0.9, 2.0, n_photons=500, rng=9, engine="numpy")
    two = run_slab_monte_carlo(0.1, 1.0, 0.9, 2.0, n_photons=500, rng=9, engine="numpy")
    np.testing.assert_array_equal(one.fluence, two.fluence)
    assert one.reflectance == two.reflectance


@pytest.mark.skipif(not numba_available(), reason="numba is not installed")
def test_numba_engine_agrees_with_numpy_in_distribution() -> None:
    """Different random streams, same physics: totals within 4 combined standard errors."""
    kw = {"n_tissue": 1.37, "n_photons": 20_000, "bin_mm": 0.5, "rng": 3}
    fast = run_slab_monte_carlo(0.1, 1.0, 0.9, 3.0, engine="numba", **kw)  # type: ignore[arg-type]
    slow = run_slab_monte_carlo(0.1, 1.0, 0.9, 3.0, engine="numpy", **kw)  # type: ignore[arg-type]
    for name in ("reflectance", "transmittance", "absorbed_total"):
        se = math.hypot(getattr(fast, name + "_se"), getattr(slow, name + "_se"))
        assert abs(getattr(fast, name) - getattr(slow, name)) < 4.0 * se, name
    se = np.hypot(fast.fluence_se, slow.fluence_se)
    assert np.mean(np.abs(fast.fluence - slow.fluence) < 4.0 * se) > 0.9
