"""Invariants of the voxel Pennes solver and the voxel light solver on random media."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nanocloak.kernels.optics.light_grid import solve_light_grid
from nanocloak.kernels.thermal.pennes import SurfaceBoundary, TissueThermal
from nanocloak.kernels.thermal.voxel import solve_pennes_voxel

SHAPES = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(2, 6))


@settings(max_examples=25, deadline=None)
@given(shape=SHAPES, seed=st.integers(0, 2**31 - 1), outer=st.sampled_from(["fixed", "insulated"]))
def test_heating_from_equilibrium_is_non_negative_and_monotone(
    shape: tuple[int, int, int], seed: int, outer: str
) -> None:
    """From equilibrium (everything at 37 °C), a non-negative source can only warm tissue, and
    under implicit Euler (an M-matrix step) the rise grows monotonically while it is on; the
    energy terms balance."""
    rng = np.random.default_rng(seed)
    tissue = TissueThermal(
        density_kg_per_m3=rng.uniform(900, 1100, shape),
        heat_capacity_j_per_kg_k=rng.uniform(2000, 4000, shape),
        conductivity_w_per_m_k=rng.uniform(0.1, 0.7, shape),
        perfusion_per_s=rng.uniform(0, 0.02, shape),
    )
    source = rng.uniform(0, 1e6, shape) * (rng.random(shape) < 0.6)
    boundary = SurfaceBoundary(rng.uniform(0, 100), 37.0, bottom="fixed", outer=outer)
    run = solve_pennes_voxel(
        shape, 0.5e-3, source, tissue, boundary, 20.0, 2.0, initial_c=37.0, theta=1.0,
        save_every=1, rtol=1e-13,
    )  # fmt: skip
    rise = run.temperature_c - 37.0
    assert rise.min() > -1e-9
    assert np.diff(rise, axis=0).min() > -1e-9
    # relative to the heat deposited, with a floor of 1e-15 J for (almost) source-free cases
    assert abs(run.balance_residual_j).max() <= 1e-9 * run.source_j[-1] + 1e-15


@settings(max_examples=25, deadline=None)
@given(
    shape=SHAPES,
    seed=st.integers(0, 2**31 - 1),
    sides=st.sampled_from(["zero_flux", "robin"]),
    bottom=st.sampled_from(["zero_flux", "robin"]),
)
def test_light_is_non_negative_and_conserves_power(
    shape: tuple[int, int, int], seed: int, sides: str, bottom: str
) -> None:
    """Incident = specular + absorbed + escaped + transmitted, and φ ≥ 0, in random media."""
    rng = np.random.default_rng(seed)
    result = solve_light_grid(
        shape, 0.3, rng.uniform(0.005, 0.5, shape), rng.uniform(0.3, 2.0, shape),
        anisotropy=rng.uniform(0.0, 0.95, shape), irradiance=rng.uniform(0, 1, shape[:2]),
        sides=sides, bottom=bottom, rtol=1e-13,
    )  # fmt: skip
    assert result.fluence.min() >= 0.0
    assert abs(result.balance_residual_mm2) <= 1e-9 * result.incident_mm2
