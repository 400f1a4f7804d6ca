"""δ-P1 diffusion (the project's default light model) against CPU Monte Carlo in a thick slab.

Issue 4, item 1: "diffusion against Monte Carlo within a few percent in a slab". Tissue-like
medium at 808 nm scale: μ_a 0.05 mm⁻¹, μ_s' 1.0 mm⁻¹, g 0.9, n 1.37 under air (specular loss
on both sides), semi-infinite, broad beam. Monte Carlo: :mod:`nanocloak.kernels.optics.
slab_monte_carlo` (MCML algorithm, Wang, Jacques & Zheng 1995, doi:10.1016/0169-2607(95)01640-F);
diffusion: :func:`nanocloak.kernels.optics.diffusion.broad_beam_fluence` (Carp, Prahl &
Venugopalan 2004, doi:10.1117/1.1695412).
"""

import math

import numpy as np
import pytest

from nanocloak.kernels.optics.diffusion import broad_beam_fluence, delta_p1_medium
from nanocloak.kernels.optics.slab_monte_carlo import SlabMonteCarloResult, run_slab_monte_carlo

MUA, MUSP, G, N = 0.05, 1.0, 0.9, 1.37
BIN, DEPTH = 0.5, 15.0


@pytest.fixture(scope="module")
def mc() -> SlabMonteCarloResult:
    # 5×10⁴ packets in 20 batches: 0.4–1.5 % SE per 0.5-mm bin down to 12 mm (≈ 3 s in numpy)
    return run_slab_monte_carlo(MUA, MUSP, G, math.inf, n_tissue=N, n_outside=1.0,
                                n_photons=50_000, n_batches=20, bin_mm=BIN, depth_max_mm=DEPTH,
                                rng=7, engine="numpy")  # fmt: skip


def _diffusion_bin_means(depth_mm: np.ndarray) -> np.ndarray:
    """δ-P1 φ/E₀ averaged over each Monte Carlo depth bin (the MC scores bin averages)."""
    medium = delta_p1_medium(MUA, MUSP, G, N, 1.0)
    offsets = np.linspace(-BIN / 2, BIN / 2, 101)
    return np.asarray(broad_beam_fluence(medium, (depth_mm[:, None] + offsets).ravel())
                      .reshape(depth_mm.size, -1).mean(axis=1))  # fmt: skip


def test_fluence_agrees_beyond_two_transport_lengths(mc: SlabMonteCarloResult) -> None:
    """2–10 mm (1/μ_tr = 0.95 mm): |φ_MC/φ_δP1 − 1| ≤ 6 % + 3 SE per bin.

    6 % is the δ-P1 model error, not noise: its amplitude is measured 3–5 % above the Monte
    Carlo at 2–6 mm here (2–5 % against MCX at 5–10 mm in the physics notes §2.2), and its
    μ_eff ≈ 2 % high makes the gap drift with depth; 3 SE covers the MC noise of one bin.
    """
    diffusion = _diffusion_bin_means(mc.depth_mm)
    window = (mc.depth_mm > 2.0) & (mc.depth_mm < 10.0)
    ratio = mc.fluence[window] / diffusion[window]
    rel_se = mc.fluence_se[window] / mc.fluence[window]
    assert np.all(np.abs(ratio - 1.0) <= 0.06 + 3.0 * rel_se)


def test_decay_constant_matches_mu_eff(mc: SlabMonteCarloResult) -> None:
    """Weighted log-linear fit of φ_MC over 3–12 mm against μ_eff = √(3 μ_a (μ_a + μ_s')).

    Tolerance 3 % + 3 fit SE: diffusion's μ_eff is an approximation of the transport
    asymptotic decay constant; for isotropic scattering with the same μ_a/μ_s' = 0.05 the
    exact one (Case's relation (a/2ν) ln[(1+ν)/(1−ν)] = 1) is 1.9 % lower, and this run finds
    1.7 % lower (fit SE 0.25 %).
    """
    window = (mc.depth_mm > 3.0) & (mc.depth_mm < 12.0)
    weights = mc.fluence[window] / mc.fluence_se[window]  # 1/SE of ln φ
    coef, cov = np.polyfit(mc.depth_mm[window], np.log(mc.fluence[window]), 1, w=weights,
                           cov="unscaled")  # fmt: skip
    mueff_mc, mueff_se = -coef[0], math.sqrt(cov[0, 0])
    mueff = delta_p1_medium(MUA, MUSP, G, N, 1.0).mueff_per_mm
    assert abs(mueff_mc / mueff - 1.0) <= 0.03 + 3.0 * mueff_se / mueff


def test_near_surface_disagreement_is_larger(mc: SlabMonteCarloResult) -> None:
    """Documented, loosely asserted: within one transport length of the surface diffusion
    misses the build-up shape (MC ≈ 7 % above δ-P1 in the first 0.5 mm here), more than deep
    in the tissue (≈ 1–3 % at 6–12 mm)."""
    diffusion = _diffusion_bin_means(mc.depth_mm)
    gap = np.abs(mc.fluence / diffusion - 1.0)
    shallow = gap[mc.depth_mm < 1.0].max()
    deep = np.median(gap[(mc.depth_mm > 6.0) & (mc.depth_mm < 12.0)])
    assert shallow > deep
    assert mc.fluence[: int(2.0 / BIN)].max() > 2.5  # the sub-surface build-up (φ/E₀ > 1)
