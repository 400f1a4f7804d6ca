"""Fe3O4 nanoclusters at 1064 nm: absorption share and mass extinction recomputed by Mie.

The knowledge base (``core_materials.yaml``, ``fe3o4_mnc``) records C_abs/C_ext and the mass
extinction of a Maxwell-Garnett sphere (magnetite volume fraction 0.6 in water) with Querry's
magnetite n, k (Querry 1985, CRDC-CR-85034; ``optical_constants_magnetite_querry.csv``) for
80 / 100 / 200 nm clusters (low / value / high where the quantity rises or falls with size).
"""

from __future__ import annotations

import math

import pytest

from nanocloak.kernels.optics import mie, permittivity, spectra
from nanocloak.knowledge import loader
from nanocloak.knowledge import optical_constants as oc

N_WATER = 1.33
FRACTION = 0.6
DENSITY_G_PER_CM3 = 5.18


def _magnetite(wavelength_nm: float) -> complex:
    table = oc.index_table("magnetite")
    return spectra.interpolate_index(wavelength_nm, table.wavelength_nm, table.n, table.k)


def _cluster(wavelength_nm: float, diameter_nm: float) -> spectra.CrossSections:
    return spectra.cluster_cross_sections(
        wavelength_nm, diameter_nm, _magnetite(wavelength_nm), FRACTION, N_WATER
    )


def test_absorption_share_1064_reproduces_core_materials() -> None:
    """0.99 / 0.98 / 0.86 for 80 / 100 / 200 nm (high / value / low: scattering grows with size).

    Tolerance ±0.006: the tabulated shares are rounded to two decimals (±0.005) and the share is
    smooth in n, k, so the table interpolation (1060-1070 nm) adds far less than that.
    """
    share = loader.core_materials()["fe3o4_mnc"].properties["absorption_to_extinction_1064nm"]
    assert share.status == "derived"
    assert share.source == "querry1985"
    expected = {80.0: share.high, 100.0: share.value, 200.0: share.low}
    for diameter, value in expected.items():
        assert _cluster(1064.0, diameter).absorption_share == pytest.approx(value, abs=0.006)


def test_mass_extinction_1064_reproduces_core_materials() -> None:
    """2.67 / 2.75 / 3.39 L/g/cm for 80 / 100 / 200 nm, per g of magnetite crystal.

    Tolerance ±0.006 L/g/cm: the rounding of the tabulated values.
    """
    ext = loader.core_materials()["fe3o4_mnc"].properties["mass_extinction_1064nm"]
    expected = {80.0: ext.low, 100.0: ext.value, 200.0: ext.high}
    for diameter, value in expected.items():
        mass_g = FRACTION * DENSITY_G_PER_CM3 * math.pi / 6.0 * diameter**3 * 1e-21
        cs = _cluster(1064.0, diameter)
        assert spectra.mass_coefficient_l_per_g_per_cm(cs.c_ext_nm2, mass_g) == pytest.approx(
            value, abs=0.006
        )


def test_share_rises_from_808_to_1064_nm_at_every_size() -> None:
    """Magnetite's k is ~2.8x larger at 1064 than at 808 nm and the size parameter smaller, so
    absorption takes a larger part of extinction for every cluster size."""
    for diameter in (80.0, 100.0, 150.0, 200.0):
        at_1064 = _cluster(1064.0, diameter).absorption_share
        assert at_1064 > _cluster(808.0, diameter).absorption_share
    props = loader.core_materials()["fe3o4_mnc"].properties
    assert (
        props["absorption_to_extinction_1064nm"].value
        > props["absorption_to_extinction_808nm"].value
    )


def test_numpy_mie_agrees_with_miepython_for_the_cluster_sphere() -> None:
    """The project's Bohren-Huffman series against miepython (Prahl) for the same effective
    sphere; rtol 1e-6 because both sum the same series in double precision."""
    pytest.importorskip("miepython")
    eps = permittivity.maxwell_garnett(_magnetite(1064.0) ** 2, complex(N_WATER**2), FRACTION)
    n_eff = complex(eps**0.5)
    for diameter in (80.0, 100.0, 200.0):
        a = mie.sphere_cross_sections(1064.0, diameter / 2.0, n_eff, N_WATER, backend="numpy")
        b = mie.sphere_cross_sections(1064.0, diameter / 2.0, n_eff, N_WATER, backend="miepython")
        assert a.q_ext == pytest.approx(b.q_ext, rel=1e-6)
        assert a.absorption_share == pytest.approx(b.absorption_share, rel=1e-6)
