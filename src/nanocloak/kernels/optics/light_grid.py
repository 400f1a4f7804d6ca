"""Light in heterogeneous tissue: δ-P1 diffusion by finite volumes on a 3-D voxel grid.

Model (stated for reviewers)
----------------------------
The same δ-P1 model as :mod:`nanocloak.kernels.optics.diffusion` (Carp, Prahl, Venugopalan,
*J. Biomed. Opt.* 2004, 9, 632, doi:10.1117/1.1695412), with every optical property a per-voxel
array, e.g. a tumor loaded with absorbing particles inside normal tissue. A collimated beam of
relative irradiance ``E(x, y)`` (1 for a broad beam) enters through the top face z = 0 and is
attenuated along each column by the δ-Eddington total attenuation ``μ_t* = μ_a + μ_s (1 − g²)``:

.. math::

    φ_c(x, y, z) = (1 - R_{sp})\\, E(x, y)\\, \\exp\\Big(-\\int_0^z μ_t^*\\,dz'\\Big).

The diffuse fluence obeys, in conservation form,

.. math::

    ∇·\\mathbf{J} + μ_a φ_d = μ_s^* φ_c, \\qquad
    \\mathbf{J} = -D ∇φ_d + 3 D g^* μ_s^* φ_c\\, \\hat{\\mathbf{z}}, \\qquad
    D = \\frac{1}{3(μ_a + μ_s')},

with ``g* = g/(1 + g)``, and on a boundary with outward normal ``n`` the extrapolated
(partial-current) condition ``φ_d = 2 A_b \\mathbf{J}·\\mathbf{n}``,
``A_b = (1 + R_eff)/(1 − R_eff)`` (Groenhuis et al. 1983). For a homogeneous medium and a
broad beam it reduces to the analytic solution of
:func:`~nanocloak.kernels.optics.diffusion.broad_beam_fluence`.

Discretisation: cell-centred finite volumes on cubic voxels; harmonic-mean ``D`` on faces;
``φ_c`` averaged exactly over each voxel (so the collimated power removed in a voxel is exact);
the boundary condition through the half-cell series resistance ``Δ/(2D)`` in series with
``2A_b``. Second order in Δ. The symmetric positive-definite system is solved matrix-free by
Jacobi-preconditioned CG on any array backend (:mod:`nanocloak.kernels.thermal.backend`).
Side faces are either ``"zero_flux"`` (mirror symmetry: a broad beam, or half a symmetric
problem) or ``"robin"`` (light escapes, as through the top); the bottom likewise.

Energy: ``incident = specular + absorbed + escaped + transmitted`` (the collimated beam leaving
through the bottom) holds to the CG tolerance; all powers are per unit incident irradiance
(mm², i.e. W per W/mm²).

Diffusion is poor within about one transport mean free path of the surface and of sources,
and where ``μ_a`` approaches ``μ_s'``; use the Monte Carlo path
(:mod:`nanocloak.kernels.optics.monte_carlo`) to check such cases.

Units: lengths in mm, coefficients in mm⁻¹, fluence rates per unit incident irradiance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.optics.diffusion import fresnel_normal_reflectance, internal_reflection
from nanocloak.kernels.thermal.backend import get_backend, jacobi, solve_spd, to_faces

Shape3 = tuple[int, int, int]
_KINDS = ("zero_flux", "robin")


@dataclass(frozen=True, slots=True)
class LightGridResult:
    """Fluence rates on the voxel grid and the optical power budget.

    Attributes
    ----------
    fluence
        Total fluence rate per unit incident irradiance, ``φ/E₀`` (dimensionless), voxel
        averages of shape (nx, ny, nz); z index 0 is under the surface.
    collimated, diffuse
        Its collimated (voxel-averaged) and diffuse parts.
    spacing_mm
        Voxel side (mm).
    incident_mm2, specular_mm2, absorbed_mm2, escaped_mm2, transmitted_mm2
        Powers per unit incident irradiance (mm² = W per W/mm²): incident on the top face,
        reflected specularly, absorbed in the grid, diffuse light leaving through Robin faces,
        and collimated light leaving through the bottom.
    iterations
        CG iterations used.
    """

    fluence: FloatArray
    collimated: FloatArray
    diffuse: FloatArray
    spacing_mm: float
    incident_mm2: float
    specular_mm2: float
    absorbed_mm2: float
    escaped_mm2: float
    transmitted_mm2: float
    iterations: int

    @property
    def balance_residual_mm2(self) -> float:
        """``incident − specular − absorbed − escaped − transmitted`` (≈ 0), mm²."""
        return (
            self.incident_mm2
            - self.specular_mm2
            - self.absorbed_mm2
            - self.escaped_mm2
            - self.transmitted_mm2
        )

    def depth_mm(self) -> FloatArray:
        """Depths of the voxel centres (mm)."""
        return np.asarray((np.arange(self.fluence.shape[2]) + 0.5) * self.spacing_mm, dtype=float)


def heat_source_w_per_m3(
    fluence: FloatArray, mua_per_mm: float | FloatArray, irradiance_w_per_cm2: float
) -> FloatArray:
    """Absorbed power density ``Q = μ_a φ`` (W/m³) for an incident irradiance.

    Parameters
    ----------
    fluence
        ``φ/E₀`` from :func:`solve_light_grid` (dimensionless).
    mua_per_mm
        Absorption coefficient that heats (mm⁻¹), e.g. the particles' ``μ_a,NP`` per voxel.
    irradiance_w_per_cm2
        Incident irradiance ``E₀`` (W/cm²).
    """
    # μ_a [mm⁻¹] × 10³ → m⁻¹ ; E₀ [W/cm²] × 10⁴ → W/m²
    q = np.asarray(mua_per_mm, dtype=float) * fluence * (irradiance_w_per_cm2 * 1e7)
    return np.asarray(q, dtype=np.float64)


def _field(value: float | FloatArray, shape: Shape3, name: str) -> FloatArray:
    try:
        arr = np.broadcast_to(np.asarray(value, dtype=float), shape).astype(float)
    except ValueError as exc:
        raise SpecificationError(name, np.shape(value), f"a scalar or shape {shape}") from exc
    if not np.all(np.isfinite(arr)):
        raise SpecificationError(name, "non-finite values", "finite numbers")
    return arr


def solve_light_grid(
    shape: Shape3,
    spacing_mm: float,
    mua_per_mm: float | FloatArray,
    musp_per_mm: float | FloatArray,
    *,
    anisotropy: float | FloatArray = 0.9,
    n_tissue: float = 1.37,
    n_outside: float = 1.0,
    irradiance: float | FloatArray = 1.0,
    specular: bool = True,
    sides: str = "zero_flux",
    bottom: str = "robin",
    rtol: float = 1e-10,
    max_iterations: int = 50_000,
    backend: str = "numpy",
) -> LightGridResult:
    """Fluence rate of a collimated beam in a heterogeneous voxel medium (δ-P1 diffusion).

    Parameters
    ----------
    shape
        Voxels ``(nx, ny, nz)``; z is depth.
    spacing_mm
        Voxel side (mm).
    mua_per_mm, musp_per_mm
        Absorption and reduced scattering (mm⁻¹), scalars or per voxel; ``μ_a > 0``.
    anisotropy
        Scattering anisotropy g in [0, 1), scalar or per voxel.
    n_tissue, n_outside
        Refractive indices of the tissue and of the medium outside every face.
    irradiance
        Relative irradiance on the top face, scalar or shape (nx, ny); 1 is the reference
        ``E₀`` that fluence rates are divided by.
    specular
        Subtract the Fresnel specular reflection of the incident beam.
    sides, bottom
        ``"zero_flux"`` or ``"robin"`` for the four sides and for the bottom face.
    rtol, max_iterations
        CG stopping rule and iteration cap.
    backend
        ``"numpy"``, ``"numba"``, ``"cupy"`` or ``"jax"``.
    """
    xb = get_backend(backend)
    if len(shape) != 3 or min(shape) < 1 or spacing_mm <= 0:
        raise SpecificationError("shape/spacing_mm", (shape, spacing_mm), "3 counts and Δ > 0")
    for name, kind in (("sides", sides), ("bottom", bottom)):
        if kind not in _KINDS:
            raise SpecificationError(name, kind, "'zero_flux' or 'robin'")
    mua = _field(mua_per_mm, shape, "mua_per_mm")
    musp = _field(musp_per_mm, shape, "musp_per_mm")
    g = _field(anisotropy, shape, "anisotropy")
    if np.any(mua <= 0) or np.any(musp < 0) or np.any((g < 0) | (g >= 1)):
        raise SpecificationError("optical properties", "out of range", "μ_a > 0, μ_s' ≥ 0, 0≤g<1")
    h = spacing_mm
    nz = shape[2]
    mus_star = musp * (1.0 + g)  # μ_s (1 − g²) with μ_s = μ_s'/(1 − g)
    g_star = g / (1.0 + g)
    mut = mua + mus_star
    diff = 1.0 / (3.0 * (mua + musp))
    flux_coef = 3.0 * diff * g_star * mus_star  # collimated-flux factor of J
    t_sp = 1.0 - fresnel_normal_reflectance(n_tissue, n_outside) if specular else 1.0
    reff = internal_reflection(n_tissue / n_outside)
    c_b = (1.0 - reff) / (2.0 * (1.0 + reff))  # 1/(2 A_b)
    e_top = np.broadcast_to(np.asarray(irradiance, dtype=float), shape[:2]).astype(float)
    if np.any(e_top < 0):
        raise SpecificationError("irradiance", "negative values", "values ≥ 0")
    # collimated beam: values on z faces (nz + 1) and exact voxel averages
    tau = np.concatenate([np.zeros((*shape[:2], 1)), np.cumsum(mut * h, axis=2)], axis=2)
    face_c = t_sp * e_top[:, :, None] * np.exp(-tau)
    coll = (face_c[:, :, :-1] - face_c[:, :, 1:]) / (mut * h)
    area, vol = h * h, h**3
    faces = []
    for axis in range(3):
        a = np.take(diff, range(shape[axis] - 1), axis=axis)
        b = np.take(diff, range(1, shape[axis]), axis=axis)
        faces.append(2.0 * a * b / (a + b) * h)  # D_f Δ² / Δ
    diag = mua * vol
    rhs = mus_star * coll * vol
    # collimated flux through interior z faces moves source between the two voxels
    f_int = 0.5 * (flux_coef[:, :, :-1] + flux_coef[:, :, 1:]) * face_c[:, :, 1:-1] * area
    rhs[:, :, :-1] -= f_int
    rhs[:, :, 1:] += f_int

    def robin(d_cell: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Series conductance (mm²/mm) and the weight of the collimated flux at a face."""
        a_half = 2.0 * d_cell / h
        return area * a_half * c_b / (a_half + c_b), c_b / (a_half + c_b)

    # top: outward J_n = G φ₀ − w F with F = 3 D g* μ_s* φ_c(0)
    g_top, w_top = robin(diff[:, :, 0])
    f_top = flux_coef[:, :, 0] * face_c[:, :, 0] * area
    diag[:, :, 0] += g_top
    rhs[:, :, 0] += w_top * f_top
    # bottom: outward J_n = G φ_last + w F; "zero_flux" (a mirror) has J_n = 0
    f_bot = flux_coef[:, :, -1] * face_c[:, :, nz] * area
    g_bot = w_bot = np.zeros(shape[:2])
    if bottom == "robin":
        g_bot, w_bot = robin(diff[:, :, -1])
        diag[:, :, -1] += g_bot
        rhs[:, :, -1] -= w_bot * f_bot
    g_side = []
    if sides == "robin":
        for sl in ((0,), (-1,), (slice(None), 0), (slice(None), -1)):
            gs, _ = robin(diff[sl])
            diag[sl] += gs
            g_side.append((sl, gs))
    ft = np.float64
    fc = to_faces(xb, tuple(faces), ft)  # type: ignore[arg-type]
    minv = jacobi(diag, tuple(faces))  # type: ignore[arg-type]
    sol, k, rel = solve_spd(
        xb,
        fc,
        xb.asarray(diag, ft),
        1.0,
        xb.asarray(minv, ft),
        xb.asarray(rhs, ft),
        xb.asarray(np.zeros(shape), ft),
        rtol,
        max_iterations,
    )
    if float(rel) > rtol * (1.0 + 1e-6):
        raise SpecificationError(
            "max_iterations", max_iterations, f"enough CG iterations to reach rtol={rtol}"
        )
    phi_d = xb.to_numpy(sol).astype(float)
    escaped = float(np.sum(g_top * phi_d[:, :, 0] - w_top * f_top))
    if bottom == "robin":
        escaped += float(np.sum(g_bot * phi_d[:, :, -1] + w_bot * f_bot))
    for sl, gs in g_side:
        escaped += float(np.sum(gs * phi_d[sl]))
    fluence = coll + phi_d
    incident = float(e_top.sum()) * area
    return LightGridResult(
        fluence=fluence,
        collimated=coll,
        diffuse=phi_d,
        spacing_mm=h,
        incident_mm2=incident,
        specular_mm2=incident * (1.0 - t_sp),
        absorbed_mm2=float(np.sum(mua * fluence)) * vol,
        escaped_mm2=escaped,
        transmitted_mm2=float(face_c[:, :, nz].sum()) * area,
        iterations=int(k),
    )
