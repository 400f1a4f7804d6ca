"""Photothermal therapy of a subcutaneous tumor: δ-P1 light (finite spot) → 2-D Pennes heat.

Model (stated for reviewers)
----------------------------
Geometry: a semi-infinite tissue slab, axisymmetric about the beam axis, with a spherical
tumor of radius ``R`` whose top lies ``top_depth`` below the skin (z = 0). The tumor holds
nanoparticles with absorption coefficient ``μ_a,NP`` (uniform inside the tumor):

.. math::

    μ_{a,NP} = \\ln(10)\\; ε_m\\; s_\\mathrm{abs}\\; c

with ``ε_m`` the decadic mass extinction (L g⁻¹ cm⁻¹), ``s_abs = Q_abs/Q_ext`` the absorption
share and ``c`` the tumor concentration (mg/mL = g/L).

Light: the fluence rate ``φ(r, z)`` of the laser spot is the δ-P1 diffusion solution of
:func:`nanocloak.kernels.optics.diffusion.spot_fluence` for a *homogeneous* medium. With
``light_medium="tumor"`` (default) its absorption is that of the loaded tumor
(``μ_a,tissue + μ_a,NP``), which is right inside the tumor and over-attenuates the light
beside and below it, where only tissue absorbs; ``"tissue"`` uses ``μ_a,tissue`` (no
self-shielding by the particles; an upper bound on the particles' heating). The absorbed power
density is

.. math::

    Q(r, z) = [μ_{a,\\mathrm{tissue}} + μ_{a,NP}\\,\\mathbb{1}_\\mathrm{tumor}(r, z)]\\; φ(r, z)

averaged over each finite-volume cell on a sub-grid (``n_sub`` points per cell side), so the
tumor's spherical edge and the steep sub-surface light profile are resolved below the thermal
grid spacing and the deposited power equals the sub-grid integral exactly.

Heat: the Pennes equation is linear, so the laser-induced *rise* ``θ = T − T_baseline`` over
the pre-laser steady state obeys it with zero arterial, ambient and boundary temperatures and
no metabolic heat (these only set the baseline, which is taken from measurement). The skin
loses heat by ``−k ∂θ/∂n = h θ``; the deep and outer boundaries are held at θ = 0. Tumor and
host tissue have their own ρ, c, k and perfusion ω_b. Solved by
:func:`nanocloak.kernels.thermal.pennes.solve_pennes_axisymmetric` (Crank–Nicolson).

Units: lengths in mm at the interface (SI inside), irradiance in W/cm², time in s,
temperature rises in K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nanocloak.kernels.arrays import BoolArray, FloatArray
from nanocloak.kernels.optics.diffusion import delta_p1_medium, spot_fluence
from nanocloak.kernels.thermal.pennes import (
    PennesResult,
    SurfaceBoundary,
    TissueThermal,
    solve_pennes_axisymmetric,
)


def nanoparticle_absorption_per_mm(
    concentration_mg_per_ml: float,
    mass_extinction_l_per_g_per_cm: float,
    absorption_share: float = 1.0,
) -> float:
    """Absorption coefficient of particles in tissue, ``ln(10) ε_m s_abs c`` (mm⁻¹).

    Parameters
    ----------
    concentration_mg_per_ml
        Particle mass concentration in the tumor (mg/mL = g/L), ≥ 0.
    mass_extinction_l_per_g_per_cm
        Decadic mass extinction coefficient (L g⁻¹ cm⁻¹).
    absorption_share
        ``Q_abs/Q_ext`` in [0, 1]: the part of the extinction that is absorbed.
    """
    if concentration_mg_per_ml < 0.0 or mass_extinction_l_per_g_per_cm < 0.0:
        raise ValueError("concentration and mass extinction must be non-negative")
    if not 0.0 <= absorption_share <= 1.0:
        raise ValueError(f"absorption share must lie in [0, 1]; got {absorption_share}")
    per_cm = (
        math.log(10.0) * mass_extinction_l_per_g_per_cm * absorption_share * concentration_mg_per_ml
    )
    return per_cm / 10.0


@dataclass(frozen=True, slots=True)
class PttSetup:
    """Geometry, optics, laser and grid of a subcutaneous-tumor PTT simulation.

    Attributes
    ----------
    tumor_radius_mm
        Radius ``R`` of the spherical tumor (mm).
    tumor_top_mm
        Depth of the tumor's top below the skin (mm), ≥ 0.
    np_mua_per_mm
        Particle absorption coefficient inside the tumor (mm⁻¹), see
        :func:`nanoparticle_absorption_per_mm`.
    tissue_mua_per_mm, tissue_musp_per_mm
        Tissue absorption and reduced scattering (mm⁻¹) at the laser wavelength.
    irradiance_w_per_cm2
        Mean irradiance over the spot, ``P/(π a²)`` (W/cm²).
    spot_radius_mm
        Spot radius ``a`` (mm): edge of a flat-top, 1/e² radius of a Gaussian.
    spot_shape
        ``"flat_top"`` or ``"gaussian"``.
    anisotropy, n_tissue
        g and refractive index of tissue.
    light_medium
        ``"tumor"`` (fluence in a medium with the loaded tumor's absorption) or ``"tissue"``.
    domain_radius_mm, domain_depth_mm, step_mm
        Thermal grid: radius, depth and uniform spacing (mm).
    n_sub
        Sub-grid points per cell side for averaging the heat source.
    """

    tumor_radius_mm: float
    tumor_top_mm: float
    np_mua_per_mm: float
    tissue_mua_per_mm: float
    tissue_musp_per_mm: float
    irradiance_w_per_cm2: float
    spot_radius_mm: float
    spot_shape: str = "flat_top"
    anisotropy: float = 0.9
    n_tissue: float = 1.37
    light_medium: str = "tumor"
    domain_radius_mm: float = 15.0
    domain_depth_mm: float = 15.0
    step_mm: float = 0.5
    n_sub: int = 4

    @property
    def power_w(self) -> float:
        """Laser power ``E π a²`` (W)."""
        return self.irradiance_w_per_cm2 * math.pi * (self.spot_radius_mm / 10.0) ** 2


@dataclass(frozen=True, slots=True)
class PttSource:
    """Heat source on the thermal grid and its optical energy budget.

    Attributes
    ----------
    r_m, z_m
        Node coordinates (m).
    source_w_per_m3
        Cell-averaged absorbed power density (W/m³), shape (nr, nz).
    tumor_mask
        Nodes inside the tumor, shape (nr, nz).
    node_volume_m3
        Control volumes of the nodes (m³), shape (nr, nz).
    incident_w
        Laser power (W).
    absorbed_particles_w, absorbed_tissue_w
        Power absorbed in the domain by the particles and by the tissue (W).
    """

    r_m: FloatArray
    z_m: FloatArray
    source_w_per_m3: FloatArray
    tumor_mask: BoolArray
    node_volume_m3: FloatArray
    incident_w: float
    absorbed_particles_w: float
    absorbed_tissue_w: float


def _axis(length_mm: float, step_mm: float) -> FloatArray:
    n = round(length_mm / step_mm)
    if n < 2 or not math.isclose(n * step_mm, length_mm, rel_tol=1e-9):
        raise ValueError(f"{length_mm} mm is not a whole number (≥ 2) of steps of {step_mm} mm")
    return np.linspace(0.0, length_mm, n + 1)


def _sub_points(
    nodes_mm: FloatArray, step_mm: float, n_sub: int
) -> tuple[FloatArray, NDArray[np.intp]]:
    """Sub-cell midpoints and the node each belongs to (control volumes clipped to the domain)."""
    h = step_mm / n_sub
    fine = np.asarray((np.arange(n_sub * (nodes_mm.size - 1)) + 0.5) * h, dtype=float)
    owner = np.floor(fine / step_mm + 0.5).astype(np.intp)
    return fine, owner


def ptt_heat_source(setup: PttSetup) -> PttSource:
    """Absorbed light power density of the loaded tumor and the tissue on the thermal grid.

    Parameters
    ----------
    setup
        Geometry, optics, laser and grid.
    """
    s = setup
    if s.tumor_radius_mm <= 0.0 or s.tumor_top_mm < 0.0 or s.np_mua_per_mm < 0.0:
        raise ValueError("need tumor radius > 0, tumor top ≥ 0 and particle absorption ≥ 0")
    if s.n_sub < 1:
        raise ValueError("n_sub must be at least 1")
    if s.light_medium not in ("tumor", "tissue"):
        raise ValueError(f"light_medium must be 'tumor' or 'tissue'; got {s.light_medium!r}")
    r = _axis(s.domain_radius_mm, s.step_mm)
    z = _axis(s.domain_depth_mm, s.step_mm)
    rf, r_owner = _sub_points(r, s.step_mm, s.n_sub)
    zf, z_owner = _sub_points(z, s.step_mm, s.n_sub)
    hr = s.step_mm / s.n_sub
    ring_mm2 = math.pi * ((rf + hr / 2.0) ** 2 - (rf - hr / 2.0) ** 2)
    cell_mm3 = np.outer(ring_mm2, np.full(zf.size, s.step_mm / s.n_sub))
    mua_light = s.tissue_mua_per_mm + (s.np_mua_per_mm if s.light_medium == "tumor" else 0.0)
    medium = delta_p1_medium(mua_light, s.tissue_musp_per_mm, s.anisotropy, s.n_tissue)
    phi = spot_fluence(medium, rf, zf, s.spot_radius_mm, s.spot_shape, s.power_w)  # W/mm²
    centre = s.tumor_top_mm + s.tumor_radius_mm
    inside = rf[:, None] ** 2 + (zf[None, :] - centre) ** 2 <= s.tumor_radius_mm**2
    p_tissue = s.tissue_mua_per_mm * phi * cell_mm3  # W per sub-cell
    p_np = np.where(inside, s.np_mua_per_mm * phi, 0.0) * cell_mm3
    nr, nz = r.size, z.size
    power = np.zeros((nr, nz))
    volume = np.zeros((nr, nz))
    idx = np.asarray((r_owner[:, None] * nz + z_owner[None, :]).ravel(), dtype=np.intp)
    np.add.at(power.ravel(), idx, (p_tissue + p_np).ravel())
    np.add.at(volume.ravel(), idx, cell_mm3.ravel())
    node_inside = r[:, None] ** 2 + (z[None, :] - centre) ** 2 <= s.tumor_radius_mm**2
    return PttSource(
        r_m=r * 1e-3,
        z_m=z * 1e-3,
        source_w_per_m3=power / volume * 1e9,
        tumor_mask=np.asarray(node_inside, dtype=np.bool_),
        node_volume_m3=volume * 1e-9,
        incident_w=s.power_w,
        absorbed_particles_w=float(np.sum(p_np)),
        absorbed_tissue_w=float(np.sum(p_tissue)),
    )


@dataclass(frozen=True, slots=True)
class ThermalProperties:
    """ρ (kg/m³), c (J kg⁻¹ K⁻¹), k (W m⁻¹ K⁻¹) and perfusion ω_b (1/s) of one tissue."""

    density_kg_per_m3: float
    heat_capacity_j_per_kg_k: float
    conductivity_w_per_m_k: float
    perfusion_per_s: float


@dataclass(frozen=True, slots=True)
class PttResult:
    """Temperature rise of a PTT run.

    Attributes
    ----------
    t_s
        Saved times (s).
    tumor_max_rise_k, tumor_mean_rise_k
        Hottest-node and volume-mean rise in the tumor (K), shape (nt,).
    surface_max_rise_k
        Hottest skin-surface rise (K), what an IR camera reads, shape (nt,).
    pennes
        The full solution (rises in K on the grid, energy terms in J).
    source
        The heat source used.
    """

    t_s: FloatArray
    tumor_max_rise_k: FloatArray
    tumor_mean_rise_k: FloatArray
    surface_max_rise_k: FloatArray
    pennes: PennesResult
    source: PttSource


def _node_field(
    mask: BoolArray, inside: ThermalProperties, outside: ThermalProperties, name: str
) -> FloatArray:
    return np.asarray(np.where(mask, getattr(inside, name), getattr(outside, name)), dtype=float)


def simulate_ptt(
    source: PttSource,
    tumor: ThermalProperties,
    host: ThermalProperties,
    h_w_per_m2_k: float,
    duration_s: float,
    dt_s: float = 5.0,
    save_every: int = 1,
) -> PttResult:
    """Temperature rise of tumor and skin while the laser is on (rise over baseline, K).

    Parameters
    ----------
    source
        Heat source from :func:`ptt_heat_source`.
    tumor, host
        Thermal properties of the tumor and of the surrounding tissue.
    h_w_per_m2_k
        Skin heat-transfer coefficient (convection + linearised radiation) (W m⁻² K⁻¹).
    duration_s
        Irradiation time (s), a whole number of ``dt_s``.
    dt_s
        Time step (s).
    save_every
        Keep every n-th step.
    """
    mask = source.tumor_mask
    tissue = TissueThermal(
        density_kg_per_m3=_node_field(mask, tumor, host, "density_kg_per_m3"),
        heat_capacity_j_per_kg_k=_node_field(mask, tumor, host, "heat_capacity_j_per_kg_k"),
        conductivity_w_per_m_k=_node_field(mask, tumor, host, "conductivity_w_per_m_k"),
        perfusion_per_s=_node_field(mask, tumor, host, "perfusion_per_s"),
        metabolic_w_per_m3=0.0,
        arterial_c=0.0,
    )
    boundary = SurfaceBoundary(
        h_w_per_m2_k=h_w_per_m2_k, ambient_c=0.0, bottom="fixed", bottom_c=0.0
    )
    result = solve_pennes_axisymmetric(
        source.r_m,
        source.z_m,
        source.source_w_per_m3,
        tissue,
        boundary,
        t_end_s=duration_s,
        dt_s=dt_s,
        initial_c=0.0,
        save_every=save_every,
    )
    rise = result.temperature_c  # (nt, nr, nz), rise over baseline
    weights = np.where(mask, source.node_volume_m3, 0.0)
    if not np.any(mask):
        raise ValueError("the tumor covers no grid node; refine the grid")
    tumor_rise = np.where(mask[None], rise, -np.inf)
    return PttResult(
        t_s=result.t_s,
        tumor_max_rise_k=np.max(tumor_rise, axis=(1, 2)),
        tumor_mean_rise_k=np.asarray(
            np.sum(rise * weights[None], axis=(1, 2)) / np.sum(weights), dtype=float
        ),
        surface_max_rise_k=np.max(rise[:, :, 0], axis=1),
        pennes=result,
        source=source,
    )
