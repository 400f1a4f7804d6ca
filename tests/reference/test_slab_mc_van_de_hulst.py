"""Slab Monte Carlo against van de Hulst's transport-theory table (matched boundaries).

Reference: H. C. van de Hulst, *Multiple Light Scattering*, Vol. 2 (Academic Press, 1980),
Table 35, p. 435 — slab of optical thickness τ = 2, albedo a = 0.9, Henyey–Greenstein
g = 0.75, normal incidence, no surface reflection: total diffuse reflectance R_d = 0.09739 and
total transmittance T_t = 0.66096 (unscattered e⁻² included). The same case and numbers are the
first check of MCML (Wang, Jacques & Zheng, *Comput. Methods Programs Biomed.* 1995, 47, 131,
doi:10.1016/0169-2607(95)01640-F: μ_a 10, μ_s 90 cm⁻¹, d 0.02 cm). Read in transcriptions of
the table (mgcooper/imcrt ``tests/verify/vdhtable35.m``; the RSMCRT validation script citing
MCML), not in the book itself.
"""

import math

from nanocloak.kernels.optics.slab_monte_carlo import run_slab_monte_carlo

# μ_t = 10 mm⁻¹, μ_s = 9 mm⁻¹ (μ_s' = 9 × 0.25), d = 0.2 mm: τ = 2, a = 0.9
MUA, MUSP, G, D = 1.0, 2.25, 0.75, 0.2
RD_TABLE, TT_TABLE = 0.09739, 0.66096


def test_total_diffuse_reflectance_and_transmittance() -> None:
    """2×10⁵ packets in 20 batches: SE ≈ 3×10⁻⁴ (R_d) and 5×10⁻⁴ (T_t). The tolerance is 4 SE
    (t with 19 dof: two-sided p ≈ 8×10⁻⁴) plus the table's last-digit rounding (5×10⁻⁶).
    """
    res = run_slab_monte_carlo(MUA, MUSP, G, D, n_tissue=1.0, n_outside=1.0, n_photons=200_000,
                               n_batches=20, bin_mm=0.01, rng=20240601, engine="numpy")  # fmt: skip
    assert res.specular == 0.0
    assert abs(res.reflectance - RD_TABLE) < 4.0 * res.reflectance_se + 5e-6
    assert abs(res.transmittance - TT_TABLE) < 4.0 * res.transmittance_se + 5e-6
    assert res.transmittance > math.exp(-2.0)  # diffuse transmission on top of the direct beam
    # the batch SE is at the binomial scale, so the tolerance stays ~1 % of R_d
    assert res.reflectance_se < 0.01 * RD_TABLE
