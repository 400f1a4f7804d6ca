"""Tissue optical properties (Jacques 2013) and the effective attenuation."""

import math

import numpy as np
import pytest

from nanocloak.kernels.optics import (
    blood_absorption_per_cm,
    effective_attenuation,
    penetration_depth,
    reduced_scattering_per_cm,
    scattering_per_cm,
    tissue_absorption_per_cm,
)


def test_reduced_scattering_matches_jacques_table2_at_808_and_1064() -> None:
    """Jacques 2013 Table 2 (doi:10.1088/0031-9155/58/11/R37); values of the physics notes §2.2."""
    assert float(reduced_scattering_per_cm(808.0, 46.0, 1.421)) == pytest.approx(23.3, abs=0.05)
    assert float(reduced_scattering_per_cm(1064.0, 46.0, 1.421)) == pytest.approx(15.7, abs=0.05)
    assert float(reduced_scattering_per_cm(808.0, 18.9, 1.286)) == pytest.approx(10.2, abs=0.05)
    assert float(reduced_scattering_per_cm(1064.0, 18.9, 1.286)) == pytest.approx(7.2, abs=0.05)
    assert float(reduced_scattering_per_cm(500.0, 18.9, 1.286)) == 18.9


def test_blood_absorption_at_the_806_nm_isosbestic_point() -> None:
    """Jacques 2013: ε ≈ 818 cm⁻¹ M⁻¹ at 806 nm gives μ_a,blood ≈ 4.38 cm⁻¹ (0.0536 ε... ln10)."""
    assert blood_absorption_per_cm(818.0, 818.0, 0.7) == pytest.approx(4.38, rel=0.01)


def test_tissue_absorption_is_the_fraction_weighted_sum() -> None:
    mua = tissue_absorption_per_cm(0.01, 0.75, 4.6, 3.9, water_fraction=0.7, mua_water_per_cm=0.02)
    assert mua == pytest.approx(0.01 * (0.75 * 4.6 + 0.25 * 3.9) + 0.7 * 0.02)


def test_tissue_absorption_rejects_fractions_over_one() -> None:
    with pytest.raises(ValueError, match="add up to more than 1"):
        tissue_absorption_per_cm(0.5, 0.5, 1.0, 1.0, water_fraction=0.6)
    with pytest.raises(ValueError, match="saturation"):
        tissue_absorption_per_cm(0.1, 1.5, 1.0, 1.0)


def test_effective_attenuation_closed_form_and_depth() -> None:
    assert float(effective_attenuation(0.03, 1.0)) == pytest.approx(math.sqrt(3 * 0.03 * 1.03))
    assert float(penetration_depth(0.03, 1.0)) == pytest.approx(1 / math.sqrt(3 * 0.03 * 1.03))
    assert float(effective_attenuation(0.03, 1.0)) == pytest.approx(0.3045, abs=1e-4)  # notes §2.2


def test_scattering_from_reduced_and_bad_inputs() -> None:
    assert scattering_per_cm(1.0, 0.9) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="anisotropy"):
        scattering_per_cm(1.0, 1.0)
    with pytest.raises(ValueError, match="wavelength"):
        reduced_scattering_per_cm(np.array([-1.0]), 1.0, 1.0)
    with pytest.raises(ValueError, match="non-negative"):
        effective_attenuation(-0.1, 1.0)
