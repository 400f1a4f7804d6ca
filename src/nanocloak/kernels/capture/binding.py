"""Binding of antibody-bearing magnetic particles to cells in blood (SI units throughout).

Mechanisms (each named so it can be argued with)
------------------------------------------------
**Encounter.** A particle (radius ``a``) meets a cell (radius ``R``) by Brownian diffusion
(Smoluchowski) and by the shear of gentle mixing (orthokinetic collision):

.. math::

    k_\\mathrm{enc} = 4π(D_p + D_c)(a + R) + \\tfrac{4}{3} G (a + R)^3,
    \\qquad D = \\frac{k_B T}{6π η r}

**Specific binding.** An encounter binds only where an antigen patch meets an antibody patch.
The Berg–Purcell factor gives the share of encounters that hit one of ``N`` patches of capture
radius ``s`` on a sphere of radius ``ρ``: :math:`φ(N, s, ρ) = N s / (N s + π ρ)`. The cell's
EpCAM and the particle's antibodies must both be hit; taking the two as independent,

.. math::

    k_\\mathrm{on} = k_\\mathrm{enc}\\; φ(N_\\mathrm{EpCAM}, s, R)\\; φ(N_\\mathrm{Ab}, s, a)

**Nonspecific binding** to a leukocyte (no EpCAM) is a sticking probability per encounter,
``k_on = α_ns f_membrane k_enc``; a leukocyte membrane on the particle lowers it by the named
factor ``f_membrane`` (homotypic repulsion).

**Kinetics.** With free particles ``P`` (m⁻³), cells of type ``i`` at ``c_i`` (m⁻³) carrying on
average ``n_i`` particles, up to a capacity ``n_max,i`` (surface jamming or antigen supply),

.. math::

    \\frac{dn_i}{dt} = k_{on,i} P \\Big(1 - \\frac{n_i}{n_{max,i}}\\Big) - k_\\mathrm{off} n_i,
    \\qquad \\frac{dP}{dt} = -\\sum_i c_i \\frac{dn_i}{dt}

so ``P + Σ c_i n_i`` is conserved.

References: Berg HC, Purcell EM, Biophys J 1977;20:193 (doi:10.1016/S0006-3495(77)85544-6);
Berg HC, Random Walks in Biology, 1993; Feder J, J Theor Biol 1980;87:237 (jamming 0.547).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from nanocloak.kernels.arrays import FloatArray

BOLTZMANN_J_PER_K = 1.380649e-23


def stokes_einstein_m2_per_s(radius_m: float, viscosity_pa_s: float, temperature_k: float) -> float:
    """Translational diffusion coefficient of a sphere, :math:`D = k_B T / (6π η r)` (m²/s).

    Parameters
    ----------
    radius_m
        Hydrodynamic radius (m), > 0.
    viscosity_pa_s
        Dynamic viscosity of the medium (Pa·s), > 0.
    temperature_k
        Absolute temperature (K), > 0.
    """
    _positive(radius_m=radius_m, viscosity_pa_s=viscosity_pa_s, temperature_k=temperature_k)
    return BOLTZMANN_J_PER_K * temperature_k / (6.0 * math.pi * viscosity_pa_s * radius_m)


def smoluchowski_rate_m3_per_s(
    radius_a_m: float,
    radius_b_m: float,
    diffusivity_a_m2_per_s: float,
    diffusivity_b_m2_per_s: float,
) -> float:
    """Diffusion-limited encounter rate constant :math:`4π(D_a + D_b)(a + b)` (m³/s)."""
    _positive(radius_a_m=radius_a_m, radius_b_m=radius_b_m)
    return (
        4.0
        * math.pi
        * (diffusivity_a_m2_per_s + diffusivity_b_m2_per_s)
        * (radius_a_m + radius_b_m)
    )


def shear_collision_rate_m3_per_s(
    radius_a_m: float, radius_b_m: float, shear_rate_per_s: float
) -> float:
    """Orthokinetic (shear) collision rate constant :math:`\\tfrac43 G (a + b)^3` (m³/s).

    Parameters
    ----------
    radius_a_m, radius_b_m
        Radii of the two spheres (m).
    shear_rate_per_s
        Shear rate ``G`` of the mixing flow (1/s), ≥ 0.
    """
    if shear_rate_per_s < 0.0:
        raise ValueError(f"shear rate must be non-negative; got {shear_rate_per_s}")
    return 4.0 / 3.0 * shear_rate_per_s * (radius_a_m + radius_b_m) ** 3


def berg_purcell_factor(n_sites: float, site_radius_m: float, body_radius_m: float) -> float:
    """Share of diffusive encounters that hit one of ``n_sites`` absorbing patches.

    :math:`φ = N s / (N s + π ρ)` (Berg & Purcell 1977); 0 without sites, → 1 for many.

    Parameters
    ----------
    n_sites
        Number of binding patches on the sphere, ≥ 0.
    site_radius_m
        Capture radius of one patch (m).
    body_radius_m
        Radius of the sphere carrying the patches (m).
    """
    if n_sites < 0.0:
        raise ValueError(f"number of sites must be non-negative; got {n_sites}")
    _positive(site_radius_m=site_radius_m, body_radius_m=body_radius_m)
    ns = n_sites * site_radius_m
    return ns / (ns + math.pi * body_radius_m)


def jamming_capacity(cell_radius_m: float, particle_radius_m: float, coverage: float) -> float:
    """Most particles one cell can carry: ``coverage × 4 R² / a²`` (projected disks on a sphere)."""
    _positive(cell_radius_m=cell_radius_m, particle_radius_m=particle_radius_m)
    return coverage * 4.0 * cell_radius_m**2 / particle_radius_m**2


@dataclass(frozen=True, slots=True)
class BindingTarget:
    """One cell population in the incubation.

    Attributes
    ----------
    cells_per_m3
        Number concentration of the cells (m⁻³).
    on_rate_m3_per_s
        Binding rate constant per free particle and cell, ``k_on`` (m³/s).
    capacity
        Most particles one cell can hold, ``n_max`` (> 0).
    """

    cells_per_m3: float
    on_rate_m3_per_s: float
    capacity: float


@dataclass(frozen=True, slots=True)
class BindingSolution:
    """Free particles and mean particles bound per cell over the incubation time.

    ``bound_per_cell`` has shape (n_times, n_targets) in the order of the targets given.
    """

    t_s: FloatArray
    free_per_m3: FloatArray
    bound_per_cell: FloatArray
    initial_per_m3: float
    cells_per_m3: FloatArray

    def conservation_error(self) -> float:
        """Largest ``|P + Σ c_i n_i − P₀| / P₀`` over time (0 for exact mass balance)."""
        total = self.free_per_m3 + self.bound_per_cell @ self.cells_per_m3
        return float(np.max(np.abs(total - self.initial_per_m3)) / self.initial_per_m3)


def solve_binding(
    t_s: FloatArray,
    particles_per_m3: float,
    targets: Sequence[BindingTarget],
    dissociation_rate_per_s: float,
) -> BindingSolution:
    """Integrate the binding kinetics (module docstring) from ``n_i = 0``, ``P = P₀``.

    Parameters
    ----------
    t_s
        Increasing output times (s), starting at 0.
    particles_per_m3
        Initial free-particle number concentration ``P₀`` (m⁻³), > 0.
    targets
        The cell populations (CTCs, leukocytes, ...).
    dissociation_rate_per_s
        Detachment rate of a bound particle ``k_off`` (1/s), ≥ 0.
    """
    t = np.asarray(t_s, dtype=float)
    if t.ndim != 1 or t.size < 1 or t[0] != 0.0 or np.any(np.diff(t) <= 0.0):
        raise ValueError("output times must increase strictly from 0")
    _positive(particles_per_m3=particles_per_m3)
    if dissociation_rate_per_s < 0.0:
        raise ValueError(f"dissociation rate must be non-negative; got {dissociation_rate_per_s}")
    conc = np.array([x.cells_per_m3 for x in targets], dtype=float)
    kon = np.array([x.on_rate_m3_per_s for x in targets], dtype=float)
    cap = np.array([x.capacity for x in targets], dtype=float)
    if np.any(conc < 0.0) or np.any(kon < 0.0) or np.any(cap <= 0.0):
        raise ValueError("cell concentrations and on-rates must be ≥ 0, capacities > 0")
    # Work in P / P0 so the tolerances mean the same at any dose.
    scale = particles_per_m3

    def rhs(_: float, y: FloatArray) -> FloatArray:
        p = y[0]
        n = y[1:]
        dn = kon * scale * p * (1.0 - n / cap) - dissociation_rate_per_s * n
        return np.concatenate(([-(conc @ dn) / scale], dn))

    y0 = np.concatenate(([1.0], np.zeros(len(targets))))
    if t.size == 1:
        return BindingSolution(t, np.array([scale]), np.zeros((1, len(targets))), scale, conc)
    sol = solve_ivp(rhs, (0.0, float(t[-1])), y0, method="LSODA", t_eval=t, rtol=1e-9, atol=1e-12)
    if not sol.success:  # pragma: no cover - smooth, bounded system
        raise RuntimeError(f"binding kinetics failed: {sol.message}")
    free = sol.y[0] * scale
    bound = sol.y[1:].T.copy()
    return BindingSolution(t, free, bound, scale, conc)


def _positive(**values: float) -> None:
    for name, v in values.items():
        if not (v > 0.0 and math.isfinite(v)):
            raise ValueError(f"{name} must be positive and finite; got {v}")
