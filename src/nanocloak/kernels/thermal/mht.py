"""Magnetic hyperthermia heat source on the axisymmetric grid, and the heated-sphere solution.

The particles in the tumor dissipate the specific absorption rate ``SAR`` (W per kg of magnetic
material, from Rosensweig's theory, :mod:`nanocloak.kernels.magnetic.rosensweig`) at a uniform
concentration ``c``; the field is taken uniform over the tumor (coil much larger than a mouse
tumor), so the heat source is uniform in the tumor sphere and zero outside:

.. math::

    Q(\\mathbf{x}) = \\mathrm{SAR}\\; c\\; \\mathbb{1}_\\mathrm{tumor}(\\mathbf{x}),
    \\qquad c\\ [\\mathrm{mg/mL} = \\mathrm{kg/m^3}]

Eddy-current heating of tissue (∝ (H f r)², the reason for the H·f limits) is not modelled.
:func:`uniform_sphere_source` averages ``Q`` over each finite-volume cell on a sub-grid, so the
deposited power equals ``Q`` times the sub-grid volume of the sphere.

:func:`sphere_steady_rise_k` is the steady temperature rise of a uniformly heated sphere in an
infinite medium of the same conductivity ``k`` with (or without) Pennes perfusion,
``m² = ω_b ρ_b c_b / k``:

.. math::

    θ_\\mathrm{in}(r) = \\frac{Q}{k m^2}\\left[1 - (1 + mR)\\, e^{-mR}
        \\frac{\\sinh(mr)}{mr}\\right], \\qquad
    θ_\\mathrm{out}(r) = \\frac{Q}{k m^2}\\,[mR\\cosh(mR) - \\sinh(mR)]\\,\\frac{e^{-mr}}{mr}

and without perfusion (m → 0) ``θ_in = Q (3R² − r²)/(6k)``, ``θ_out = Q R³/(3 k r)``.

Units: SI (m, W, K) inside; grid helpers take mm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanocloak.kernels.arrays import BoolArray, FloatArray


def grid_axis_mm(length_mm: float, step_mm: float) -> FloatArray:
    """Uniform nodes from 0 to ``length_mm`` (mm), a whole number (≥ 2) of steps.

    Parameters
    ----------
    length_mm
        Domain length (mm).
    step_mm
        Node spacing (mm).
    """
    if step_mm <= 0.0 or length_mm <= 0.0:
        raise ValueError(f"length and step must be positive; got {length_mm}, {step_mm} mm")
    n = round(length_mm / step_mm)
    if n < 2 or not math.isclose(n * step_mm, length_mm, rel_tol=1e-9):
        raise ValueError(f"{length_mm} mm is not a whole number (≥ 2) of steps of {step_mm} mm")
    return np.linspace(0.0, length_mm, n + 1)


@dataclass(frozen=True, slots=True)
class SphereSource:
    """A uniform source in a sphere, averaged over the finite-volume cells.

    Attributes
    ----------
    r_m, z_m
        Node coordinates (m).
    source_w_per_m3
        Cell-averaged power density (W/m³), shape (nr, nz).
    inside_fraction
        Share of each cell's volume inside the sphere, shape (nr, nz).
    tumor_mask
        Nodes inside the sphere, shape (nr, nz).
    node_volume_m3
        Control volumes of the nodes (m³), shape (nr, nz).
    power_w
        Total deposited power (W): density × sub-grid volume of the sphere.
    """

    r_m: FloatArray
    z_m: FloatArray
    source_w_per_m3: FloatArray
    inside_fraction: FloatArray
    tumor_mask: BoolArray
    node_volume_m3: FloatArray
    power_w: float


def uniform_sphere_source(
    radius_mm: float,
    centre_depth_mm: float,
    power_w_per_m3: float,
    domain_radius_mm: float,
    domain_depth_mm: float,
    step_mm: float,
    n_sub: int = 4,
) -> SphereSource:
    """Uniform power density in a sphere on the axis, cell-averaged on the (r, z) grid.

    Parameters
    ----------
    radius_mm
        Sphere (tumor) radius (mm).
    centre_depth_mm
        Depth of the sphere's centre below the skin (mm), ≥ ``radius_mm``.
    power_w_per_m3
        Power density inside the sphere (W/m³), ≥ 0.
    domain_radius_mm, domain_depth_mm, step_mm
        Grid: radius, depth and uniform spacing (mm).
    n_sub
        Sub-grid points per cell side used to average the sphere's indicator.
    """
    if radius_mm <= 0.0 or centre_depth_mm < radius_mm:
        raise ValueError(
            f"need radius > 0 and the sphere below the skin; got R={radius_mm} mm, "
            f"centre at {centre_depth_mm} mm"
        )
    if power_w_per_m3 < 0.0 or not math.isfinite(power_w_per_m3):
        raise ValueError(f"power density must be finite and ≥ 0; got {power_w_per_m3}")
    if n_sub < 1:
        raise ValueError("n_sub must be at least 1")
    r = grid_axis_mm(domain_radius_mm, step_mm)
    z = grid_axis_mm(domain_depth_mm, step_mm)
    h = step_mm / n_sub
    rf = (np.arange(n_sub * (r.size - 1)) + 0.5) * h
    zf = (np.arange(n_sub * (z.size - 1)) + 0.5) * h
    r_owner = np.floor(rf / step_mm + 0.5).astype(np.intp)
    z_owner = np.floor(zf / step_mm + 0.5).astype(np.intp)
    ring_mm2 = math.pi * ((rf + h / 2.0) ** 2 - (rf - h / 2.0) ** 2)
    cell_mm3 = np.outer(ring_mm2, np.full(zf.size, h))
    inside = rf[:, None] ** 2 + (zf[None, :] - centre_depth_mm) ** 2 <= radius_mm**2
    nr, nz = r.size, z.size
    idx = (r_owner[:, None] * nz + z_owner[None, :]).ravel()
    volume = np.zeros(nr * nz)
    inside_volume = np.zeros(nr * nz)
    np.add.at(volume, idx, cell_mm3.ravel())
    np.add.at(inside_volume, idx, np.where(inside, cell_mm3, 0.0).ravel())
    fraction = (inside_volume / volume).reshape(nr, nz)
    node_inside = r[:, None] ** 2 + (z[None, :] - centre_depth_mm) ** 2 <= radius_mm**2
    return SphereSource(
        r_m=r * 1e-3,
        z_m=z * 1e-3,
        source_w_per_m3=power_w_per_m3 * fraction,
        inside_fraction=fraction,
        tumor_mask=np.asarray(node_inside, dtype=np.bool_),
        node_volume_m3=volume.reshape(nr, nz) * 1e-9,
        power_w=power_w_per_m3 * float(np.sum(inside_volume)) * 1e-9,
    )


def magnetic_power_density_w_per_m3(sar_w_per_kg: float, concentration_mg_per_ml: float) -> float:
    """Heat released per tissue volume, ``Q = SAR × c`` (W/m³).

    Parameters
    ----------
    sar_w_per_kg
        Specific absorption rate per kg of magnetic material (W/kg), ≥ 0.
    concentration_mg_per_ml
        Magnetic material in the tissue (mg/mL = kg/m³), ≥ 0.
    """
    if sar_w_per_kg < 0.0 or concentration_mg_per_ml < 0.0:
        raise ValueError("SAR and concentration must be non-negative")
    return sar_w_per_kg * concentration_mg_per_ml


def sphere_steady_rise_k(
    r_m: FloatArray | float,
    radius_m: float,
    power_w_per_m3: float,
    conductivity_w_per_m_k: float,
    perfusion_w_per_m3_k: float = 0.0,
) -> FloatArray:
    """Steady rise around a uniformly heated sphere in an infinite medium (K).

    Parameters
    ----------
    r_m
        Distances from the sphere's centre (m).
    radius_m
        Sphere radius R (m).
    power_w_per_m3
        Power density Q inside the sphere (W/m³).
    conductivity_w_per_m_k
        Conductivity k of sphere and medium (W m⁻¹ K⁻¹).
    perfusion_w_per_m3_k
        Perfusion heat-sink coefficient ``ω_b ρ_b c_b`` (W m⁻³ K⁻¹), 0 for none.
    """
    r = np.abs(np.asarray(r_m, dtype=float))
    big_r, q, k = radius_m, power_w_per_m3, conductivity_w_per_m_k
    if big_r <= 0.0 or k <= 0.0 or perfusion_w_per_m3_k < 0.0:
        raise ValueError("need R > 0, k > 0 and perfusion ≥ 0")
    if perfusion_w_per_m3_k == 0.0:
        inner = q * (3.0 * big_r**2 - r**2) / (6.0 * k)
        outer = q * big_r**3 / (3.0 * k * np.maximum(r, 1e-300))
        return np.asarray(np.where(r <= big_r, inner, outer), dtype=float)
    m = math.sqrt(perfusion_w_per_m3_k / k)
    scale = q / perfusion_w_per_m3_k
    mr = m * r
    # sinh(x)/x → 1 at the centre
    shape_in = np.where(mr > 1e-8, np.sinh(np.minimum(mr, 700.0)) / np.maximum(mr, 1e-8), 1.0)
    inner = scale * (1.0 - (1.0 + m * big_r) * math.exp(-m * big_r) * shape_in)
    amp = m * big_r * math.cosh(m * big_r) - math.sinh(m * big_r)
    outer = scale * amp * np.exp(-mr) / np.maximum(mr, 1e-300)
    return np.asarray(np.where(r <= big_r, inner, outer), dtype=float)
