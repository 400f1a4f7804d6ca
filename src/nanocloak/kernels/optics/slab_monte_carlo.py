"""Monte Carlo photon transport in a homogeneous slab on the CPU (MCML-style, numpy or numba).

Algorithm (Wang, Jacques & Zheng, *Comput. Methods Programs Biomed.* 1995, 47, 131,
doi:10.1016/0169-2607(95)01640-F; Prahl et al., *SPIE Inst. Ser.* 1989, IS 5, 102): a
collimated beam hits the slab at normal incidence; photon packets enter with weight
``1 − R_sp`` (Fresnel specular loss). Each free path is ``s = −ln ξ / μ_t`` with
``μ_t = μ_a + μ_s``. A path that reaches the top or bottom face stops there; the packet is
internally reflected with the unpolarised Fresnel probability ``R(θ)`` (all or none) or leaves,
adding its weight to the diffuse reflectance or the transmittance. Otherwise the packet
deposits ``w μ_a/μ_t`` in its depth bin (implicit capture), keeps ``w μ_s/μ_t`` and scatters
by the Henyey–Greenstein phase function,

.. math::

    \\cos θ = \\frac{1}{2g}\\Big[1 + g^2 - \\Big(\\frac{1 - g^2}{1 - g + 2gξ}\\Big)^2\\Big],
    \\qquad ψ = 2πξ'.

Packets lighter than ``roulette_threshold`` survive Russian roulette with probability
``roulette_chance`` and weight ``w / chance`` (unbiased). After a boundary reflection a fresh
free path is drawn (the exponential law is memoryless), which is equivalent to MCML's carried
step in a homogeneous slab. Per unit incident irradiance ``E₀``, the absorbed power density
is ``A(z)`` (mm⁻¹) and the fluence rate ``φ(z)/E₀ = A(z)/μ_a``: for a broad beam they are the
photon tallies per unit depth; a pencil beam gives the same depth profiles (lateral
invariance) and, in addition, ``φ(r, z)`` per watt (mm⁻²) in annuli. Standard errors come from
``n_batches`` independent batches of packets. Engines: numpy here (vectorised over the packets
alive), numba in :mod:`~nanocloak.kernels.optics.slab_monte_carlo_numba` (compiled, batches in
parallel); they agree in distribution, not draw by draw.

When to use which: the δ-P1 diffusion kernels (:mod:`~nanocloak.kernels.optics.diffusion`,
:mod:`~nanocloak.kernels.optics.light_grid`) are the default and fast; this module checks them
in a 1-D slab on any CPU (near the surface, for strong absorption, mismatched indices);
:mod:`~nanocloak.kernels.optics.monte_carlo` (MCX, NVIDIA GPU) is for 3-D voxel geometry.

Units: lengths in mm, coefficients in mm⁻¹.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.optics.slab_monte_carlo_numba import numba_available, run_numba

Engine = Literal["auto", "numpy", "numba"]


@dataclass(frozen=True, slots=True)
class SlabMonteCarloResult:
    """Depth profiles and the power budget of a slab Monte Carlo run (per unit ``E₀``).

    Attributes
    ----------
    depth_mm
        Centres of the depth bins (mm).
    fluence, fluence_se
        ``φ/E₀`` per depth bin (dimensionless) and its batch standard error.
    absorbed, absorbed_se
        Absorbed power per unit depth ``A(z)`` (mm⁻¹, fraction of incident power per mm).
    specular
        Specular reflectance ``R_sp`` at entry.
    reflectance, transmittance, absorbed_total (and ``*_se``)
        Diffuse reflectance, total transmittance (unscattered + diffuse) and absorbed fraction
        (including ``absorbed_beyond``, absorption deeper than the last bin).
    balance_se
        Batch standard error of ``R_sp + R_d + T + A``, which is 1 in expectation (roulette
        conserves energy only on average).
    n_photons, n_batches
        Packets launched and batches used for the standard errors.
    radial_edges_mm, fluence_rz_per_mm2
        Pencil beam only: annulus edges (mm) and ``φ(r, z)`` per watt (mm⁻²), shape (nr, nz).
    """

    depth_mm: FloatArray
    fluence: FloatArray
    fluence_se: FloatArray
    absorbed: FloatArray
    absorbed_se: FloatArray
    specular: float
    reflectance: float
    reflectance_se: float
    transmittance: float
    transmittance_se: float
    absorbed_total: float
    absorbed_total_se: float
    absorbed_beyond: float
    balance_se: float
    n_photons: int
    n_batches: int
    radial_edges_mm: FloatArray | None = None
    fluence_rz_per_mm2: FloatArray | None = None


def fresnel_reflectance(n_incident: float, n_transmitted: float, cos_incident: Any) -> Any:
    """Unpolarised Fresnel reflectance for incidence cosines ``cos_incident`` (array or float).

    .. math::

        R = \\tfrac12 \\Big[\\frac{\\sin^2(θ_i - θ_t)}{\\sin^2(θ_i + θ_t)}
            + \\frac{\\tan^2(θ_i - θ_t)}{\\tan^2(θ_i + θ_t)}\\Big],
        \\quad n_i \\sin θ_i = n_t \\sin θ_t,

    1 beyond the critical angle, ``((n_i − n_t)/(n_i + n_t))²`` at normal incidence.
    """
    ci = np.clip(np.asarray(cos_incident, dtype=float), 0.0, 1.0)
    si = np.sqrt(1.0 - ci * ci)
    st = n_incident / n_transmitted * si
    ct = np.sqrt(np.clip(1.0 - st * st, 0.0, 1.0))
    cp, cm = ci * ct - si * st, ci * ct + si * st  # cos(θi + θt), cos(θi − θt)
    sp, sm = si * ct + ci * st, si * ct - ci * st  # sin(θi + θt), sin(θi − θt)
    oblique = 0.5 * sm**2 * (cm**2 + cp**2) / np.maximum(sp**2 * cm**2, 1e-300)
    normal = ((n_incident - n_transmitted) / (n_incident + n_transmitted)) ** 2
    r = np.where(ci > 1.0 - 1e-12, normal, np.where((st >= 1.0) | (ci < 1e-9), 1.0, oblique))
    return float(r) if np.ndim(r) == 0 else r


def _scatter(ux: Any, uy: Any, uz: Any, g: float, xi: Any, xj: Any) -> tuple[Any, Any, Any]:
    """New direction cosines after Henyey–Greenstein scattering (MCML's ``Spin``)."""
    if abs(g) > 1e-6:
        cos_t = (1.0 + g * g - ((1.0 - g * g) / (1.0 - g + 2.0 * g * xi)) ** 2) / (2.0 * g)
    else:
        cos_t = 2.0 * xi - 1.0
    cos_t = np.clip(cos_t, -1.0, 1.0)
    sin_t = np.sqrt(1.0 - cos_t * cos_t)
    psi = 2.0 * math.pi * xj
    cp, sp = np.cos(psi), np.sin(psi)
    tmp = np.sqrt(np.maximum(1.0 - uz * uz, 1e-300))
    normal = np.abs(uz) > 0.99999
    nx = np.where(normal, sin_t * cp, sin_t * (ux * uz * cp - uy * sp) / tmp + ux * cos_t)
    ny = np.where(normal, sin_t * sp, sin_t * (uy * uz * cp + ux * sp) / tmp + uy * cos_t)
    nz = np.where(normal, np.sign(uz) * cos_t, -sin_t * cp * tmp + uz * cos_t)
    return nx, ny, nz


def _run_numpy(p: tuple[Any, ...], rng: np.random.Generator) -> tuple[FloatArray, ...]:
    """Transport all packets at once, vectorised over the packets still alive."""
    (mua, mus, g, d, n_t, n_top, n_bot, dz, nz_bins, edges, n_ph, nb, thr, chance, w0) = p
    mut = mua + mus
    nr = 0 if edges is None else len(edges) - 1
    absorbed = np.zeros(nb * (nz_bins + 1))
    absorbed_rz = np.zeros((nr + 1) * (nz_bins + 1))
    top, bottom = np.zeros(nb), np.zeros(nb)
    batch = np.arange(n_ph) % nb
    z, x, y = np.zeros(n_ph), np.zeros(n_ph), np.zeros(n_ph)
    ux, uy, uz, w = np.zeros(n_ph), np.zeros(n_ph), np.ones(n_ph), np.full(n_ph, w0)
    while z.size:
        s = -np.log1p(-rng.random(z.size)) / mut
        with np.errstate(divide="ignore"):
            wall = np.where(uz > 0, (d - z) / uz, np.where(uz < 0, -z / uz, np.inf))
        hit = s >= wall
        step = np.where(hit, wall, s)
        z, x, y = z + step * uz, x + step * ux, y + step * uy
        inside = ~hit
        zi = np.minimum((z[inside] / dz).astype(np.int64), nz_bins)
        dep = w[inside] * (mua / mut)
        absorbed += np.bincount(batch[inside] * (nz_bins + 1) + zi, dep, absorbed.size)
        if nr:
            ri = np.searchsorted(edges, np.hypot(x[inside], y[inside]), side="right") - 1
            ri = np.minimum(ri, nr)
            absorbed_rz += np.bincount(ri * (nz_bins + 1) + zi, dep, absorbed_rz.size)
        w[inside] -= dep
        ux[inside], uy[inside], uz[inside] = _scatter(
            ux[inside], uy[inside], uz[inside], g, rng.random(zi.size), rng.random(zi.size)
        )
        light = inside & (w < thr)
        w[light] = np.where(rng.random(int(light.sum())) < chance, w[light] / chance, 0.0)
        # boundary: Fresnel reflection (all or none) or escape
        up, down = hit & (uz < 0), hit & (uz > 0)
        z[up], z[down] = 0.0, d
        reflect = np.zeros(z.size, dtype=bool)
        for side, n_o in ((up, n_top), (down, n_bot)):
            r = fresnel_reflectance(n_t, n_o, np.abs(uz[side]))
            reflect[side] = rng.random(int(side.sum())) < r
        uz[reflect] = -uz[reflect]
        leave = hit & ~reflect
        top += np.bincount(batch[leave & up], w[leave & up], nb)
        bottom += np.bincount(batch[leave & down], w[leave & down], nb)
        keep = ~leave & (w > 0.0)
        z, x, y, ux, uy, uz, w, batch = (a[keep] for a in (z, x, y, ux, uy, uz, w, batch))
    return absorbed.reshape(nb, nz_bins + 1), absorbed_rz.reshape(nr + 1, nz_bins + 1), top, bottom


def _mean_se(per_batch: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean over batches (axis 0) and its standard error ``s/√n_batches``."""
    n = per_batch.shape[0]
    return per_batch.mean(axis=0), per_batch.std(axis=0, ddof=1) / math.sqrt(n)


def run_slab_monte_carlo(
    mua_per_mm: float,
    musp_per_mm: float,
    anisotropy: float = 0.9,
    thickness_mm: float = math.inf,
    *,
    n_tissue: float = 1.37,
    n_outside: float = 1.0,
    n_below: float | None = None,
    beam: Literal["broad", "pencil"] = "broad",
    n_photons: int = 100_000,
    bin_mm: float = 0.1,
    depth_max_mm: float | None = None,
    radial_edges_mm: FloatArray | None = None,
    n_batches: int = 10,
    roulette_threshold: float = 1e-4,
    roulette_chance: float = 0.1,
    rng: np.random.Generator | int | None = None,
    engine: Engine = "auto",
) -> SlabMonteCarloResult:
    """Fluence rate, absorption, reflectance and transmittance of a slab by Monte Carlo.

    Parameters
    ----------
    mua_per_mm
        Absorption coefficient μ_a (mm⁻¹), > 0.
    musp_per_mm
        Reduced scattering coefficient μ_s' (mm⁻¹), ≥ 0; ``μ_s = μ_s'/(1 − g)``.
    anisotropy
        Henyey–Greenstein g in (−1, 1).
    thickness_mm
        Slab thickness (mm); ``math.inf`` for a semi-infinite medium.
    n_tissue, n_outside, n_below
        Refractive indices of the slab, of the medium above (where the beam comes from) and
        below (default ``n_outside``). Equal indices give matched (non-reflecting) faces.
    beam
        ``"broad"`` (uniform, infinitely wide) or ``"pencil"`` (also scores ``φ(r, z)``).
    n_photons, n_batches
        Packets launched, split into batches for the standard errors (≥ 2).
    bin_mm, depth_max_mm
        Depth bin (mm, adjusted to divide ``depth_max_mm``) and scored depth (mm; default the
        thickness, required for a semi-infinite slab).
    radial_edges_mm
        Annulus edges for the pencil beam (mm), increasing from 0; default the depth edges.
    roulette_threshold, roulette_chance
        Russian roulette below this weight, survival probability (MCML: 1e-4, 0.1).
    rng
        ``numpy.random.Generator`` or seed (recorded by the caller for reproducibility).
    engine
        ``"numpy"`` (vectorised over packets), ``"numba"`` (compiled, one packet at a time) or
        ``"auto"`` (numba when it imports). Engines agree in distribution, not draw by draw.

    Returns
    -------
    SlabMonteCarloResult
        ``φ(z)/E₀ = A(z)/μ_a`` per depth bin and ``R_sp + R_d + T + A = 1`` (in expectation).
    """
    g = anisotropy
    checks = [
        ("mua_per_mm", mua_per_mm, mua_per_mm > 0, "> 0 mm⁻¹"),
        ("musp_per_mm", musp_per_mm, musp_per_mm >= 0, "≥ 0 mm⁻¹"),
        ("anisotropy", g, -1 < g < 1, "−1 < g < 1"),
        ("thickness_mm", thickness_mm, thickness_mm > 0, "> 0 mm (math.inf: semi-infinite)"),
        ("n_photons", n_photons, n_photons >= n_batches >= 2, "n_photons ≥ n_batches ≥ 2"),
        ("bin_mm", bin_mm, bin_mm > 0, "> 0 mm"),
        ("roulette_chance", roulette_chance, 0 < roulette_chance <= 1, "in (0, 1]"),
        ("beam", beam, beam in ("broad", "pencil"), "'broad' or 'pencil'"),
        ("engine", engine, engine in ("auto", "numpy", "numba"), "'auto', 'numpy' or 'numba'"),
    ]
    for field, value, ok, expected in checks:
        if not ok:
            raise SpecificationError(field, value, expected)
    n_bot = n_outside if n_below is None else n_below
    if min(n_tissue, n_outside, n_bot) <= 0:
        raise SpecificationError("n_tissue/n_outside/n_below", (n_tissue, n_outside, n_bot), "> 0")
    if math.isinf(thickness_mm) and not roulette_threshold > 0:
        raise SpecificationError("roulette_threshold", roulette_threshold, "> 0 when semi-infinite")
    depth = thickness_mm if depth_max_mm is None else depth_max_mm
    if not 0 < depth < math.inf:
        raise SpecificationError("depth_max_mm", depth_max_mm, "a finite depth > 0 mm",
                                 "give depth_max_mm for a semi-infinite slab")  # fmt: skip
    nz_bins = max(1, round(depth / bin_mm))
    dz = depth / nz_bins
    edges = None
    if beam == "pencil":
        edges = np.asarray(
            np.linspace(0.0, depth, nz_bins + 1) if radial_edges_mm is None else radial_edges_mm,
            dtype=float,
        )
        if edges.ndim != 1 or edges.size < 2 or edges[0] != 0 or np.any(np.diff(edges) <= 0):
            raise SpecificationError("radial_edges_mm", edges.tolist(), "increasing edges from 0")
    if engine == "numba" and not numba_available():
        raise SpecificationError("engine", engine, "numba installed", "pip install numba")
    use_numba = engine == "numba" or (engine == "auto" and numba_available())
    specular = float(fresnel_reflectance(n_outside, n_tissue, 1.0))
    mus = musp_per_mm / (1.0 - g)
    params = (float(mua_per_mm), mus, float(g), float(thickness_mm), float(n_tissue),
              float(n_outside), float(n_bot), dz, nz_bins, edges, int(n_photons),
              int(n_batches), float(roulette_threshold), float(roulette_chance),
              1.0 - specular)  # fmt: skip
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    runner = run_numba if use_numba else _run_numpy
    absorbed, absorbed_rz, top, bottom = runner(params, generator)
    per_batch = np.bincount(np.arange(n_photons) % n_batches).astype(float)  # packets per batch
    per_batch_col = per_batch[:, None]
    density, density_se = _mean_se(absorbed[:, :nz_bins] / (per_batch_col * dz))
    total, total_se = _mean_se(absorbed.sum(axis=1) / per_batch)
    refl, refl_se = _mean_se(top / per_batch)
    trans, trans_se = _mean_se(bottom / per_batch)
    balance_se = _mean_se((top + bottom + absorbed.sum(axis=1)) / per_batch)[1]
    fluence_rz = None
    if edges is not None:
        area = math.pi * np.diff(edges**2)
        fluence_rz = absorbed_rz[:-1, :nz_bins] / (n_photons * dz * mua_per_mm * area[:, None])
    return SlabMonteCarloResult(
        depth_mm=np.asarray((np.arange(nz_bins) + 0.5) * dz, dtype=float),
        fluence=density / mua_per_mm,
        fluence_se=density_se / mua_per_mm,
        absorbed=density,
        absorbed_se=density_se,
        specular=specular,
        reflectance=float(refl),
        reflectance_se=float(refl_se),
        transmittance=float(trans),
        transmittance_se=float(trans_se),
        absorbed_total=float(total),
        absorbed_total_se=float(total_se),
        absorbed_beyond=float(absorbed[:, nz_bins].sum() / n_photons),
        balance_se=float(balance_se),
        n_photons=int(n_photons),
        n_batches=int(n_batches),
        radial_edges_mm=edges,
        fluence_rz_per_mm2=fluence_rz,
    )
