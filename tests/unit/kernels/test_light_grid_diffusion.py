"""Voxel δ-P1 diffusion: the analytic broad beam, μ_eff, convergence, inclusions, errors."""

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.kernels.optics.diffusion import broad_beam_fluence, delta_p1_medium
from nanocloak.kernels.optics.light_grid import heat_source_w_per_m3, solve_light_grid

MUA, MUSP = 0.03, 1.0  # mm⁻¹, the "808 nm" row of the physics notes §2.2


def _column(step_mm: float, depth_mm: float = 40.0, specular: bool = True):  # type: ignore[no-untyped-def]
    """A homogeneous broad beam: one column with mirror sides is the 1-D problem."""
    nz = round(depth_mm / step_mm)
    return solve_light_grid((1, 1, nz), step_mm, MUA, MUSP, specular=specular, rtol=1e-12)


def _max_relative_error(step_mm: float, specular: bool = True) -> float:
    result = _column(step_mm, specular=specular)
    z = result.depth_mm()
    exact = broad_beam_fluence(delta_p1_medium(MUA, MUSP, specular=specular), z)
    window = (z > 0.5) & (z < 15.0)
    return float(np.max(np.abs(result.fluence[0, 0, window] / exact[window] - 1.0)))


@pytest.mark.parametrize("specular", [True, False])
def test_homogeneous_broad_beam_matches_delta_p1(specular: bool) -> None:
    """Same equations as the analytic δ-P1 solution (Carp et al. 2004) on a 0.1 mm grid.

    Tolerance 0.5 %: the scheme is second order and its error at Δ = 0.1 mm is 0.15 %
    (0.53 % at 0.2 mm) between 0.5 and 15 mm; the 40-mm deep Robin bottom changes φ at
    15 mm by e^(−2 μ_eff · 25 mm) ≈ 2e-7 relative.
    """
    assert _max_relative_error(0.1, specular) < 5e-3


def test_space_convergence_order_is_two() -> None:
    steps = np.array([0.4, 0.2, 0.1])
    errors = [_max_relative_error(float(h)) for h in steps]
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert 1.7 < slope < 2.3


def test_deep_slope_is_mu_eff() -> None:
    """Deep in tissue φ ∝ e^(−μ_eff z), μ_eff = √(3 μ_a (μ_a + μ_s')) = 0.3045 mm⁻¹.

    A log-linear fit over 8–20 mm; tolerance 0.5 % (the collimated term has decayed by
    e^(−1.93·8) ≈ 2e-7 there and the discretisation error of the slope is ≈0.1 %).
    """
    result = _column(0.1)
    z = result.depth_mm()
    window = (z > 8.0) & (z < 20.0)
    slope = -np.polyfit(z[window], np.log(result.fluence[0, 0, window]), 1)[0]
    mueff = np.sqrt(3 * MUA * (MUA + MUSP))
    assert slope == pytest.approx(mueff, rel=5e-3)


def test_absorbing_tumor_shadows_tissue_below() -> None:
    """Particles in an inclusion absorb more: the voxels below it see less light, and the
    power absorbed in the inclusion rises."""
    shape, h = (15, 15, 40), 0.25
    tumor = np.zeros(shape, dtype=bool)
    tumor[5:10, 5:10, 8:16] = True
    plain = solve_light_grid(shape, h, MUA, MUSP, sides="robin")
    loaded = solve_light_grid(shape, h, np.where(tumor, MUA + 0.2, MUA), MUSP, sides="robin")
    below = (slice(5, 10), slice(5, 10), slice(20, 30))
    assert np.all(loaded.fluence[below] < plain.fluence[below])
    absorbed_plain = np.sum((MUA * plain.fluence)[tumor])
    absorbed_loaded = np.sum(((MUA + 0.2) * loaded.fluence)[tumor])
    assert absorbed_loaded > 2 * absorbed_plain
    assert abs(loaded.balance_residual_mm2) < 1e-8 * loaded.incident_mm2


def test_heat_source_units() -> None:
    """Q = μ_a φ: 0.1 mm⁻¹ × φ/E₀ = 2 × 1 W/cm² = 0.2 W cm⁻² mm⁻¹ = 2e6 W/m³."""
    q = heat_source_w_per_m3(np.array([2.0]), 0.1, 1.0)
    assert q[0] == pytest.approx(2e6)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sides": "open"}, "sides"),
        ({"bottom": "mirror"}, "bottom"),
        ({"mua_per_mm": 0.0}, "optical properties"),
        ({"irradiance": -1.0}, "irradiance"),
        ({"musp_per_mm": np.ones((2, 2, 2))}, "musp_per_mm"),
        ({"backend": "opencl"}, "backend"),
        ({"max_iterations": 1, "rtol": 1e-14}, "max_iterations"),
    ],
)
def test_argument_errors(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "shape": (3, 3, 5),
        "spacing_mm": 0.5,
        "mua_per_mm": MUA,
        "musp_per_mm": MUSP,
    }
    args.update(kwargs)
    with pytest.raises(SpecificationError, match=match):
        solve_light_grid(**args)  # type: ignore[arg-type]
