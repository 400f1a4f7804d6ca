"""Optional Monte Carlo photon transport on a voxel grid through MCX (``pmcx``, NVIDIA GPU).

MCX (Fang & Boas, *Opt. Express* 2009, 17, 20178, doi:10.1364/OE.17.020178) launches photon
packets and scores the fluence of the radiative transport equation in every voxel without the
diffusion approximation, so it checks :func:`~nanocloak.kernels.optics.light_grid.solve_light_grid`
near the surface, near sources and where absorption is strong. It is an optional extra
(``pip install 'nanocloak[mc]'``) that needs an NVIDIA GPU and driver; without them
:func:`run_monte_carlo` raises a :class:`~nanocloak.errors.SpecificationError` naming the extra.

The input preparation (:func:`mcx_config`) and the output conversion (:func:`mcx_fluence`) are
pure numpy and run anywhere. Conventions of MCX used here (its README and ``mcxlab`` help):
``vol`` is a label volume with 0 = outside; ``prop`` rows are ``[μ_a, μ_s, g, n]`` in mm⁻¹ with
row 0 the outside medium; lengths are in voxels of ``unitinmm``; ``bc`` lists the faces
−x, −y, −z, +x, +y, +z (``c`` cyclic, ``r`` Fresnel reflection, ``a`` absorbing); with one
time gate of width ``tstep`` the CW fluence rate per watt launched is ``flux · tstep`` (mm⁻²).
Photons start inside the top voxel layer, so no specular reflection is applied at entry:
compare with ``specular=False`` diffusion.

Units: mm and mm⁻¹; fluence rates per unit incident irradiance (dimensionless) or per watt.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray

SOURCES = ("planar", "disk", "gaussian", "pencil")
_GATE_S = 5e-9  # one time gate long enough for CW light in mm-sized tissue (≈ 1 m of path)


@dataclass(frozen=True, slots=True)
class MonteCarloResult:
    """Fluence rate from MCX.

    Attributes
    ----------
    fluence
        ``φ/E₀`` per voxel (dimensionless), with ``E₀ = 1 W / reference_area_mm2``.
    fluence_per_w_per_mm2
        Fluence rate per watt launched (mm⁻²).
    reference_area_mm2
        Area over which one watt gives the reference irradiance ``E₀`` (mm²): the planar
        rectangle, the disk ``π a²``, ``π w²/2`` for a Gaussian (``E₀`` its peak), one voxel
        face for a pencil beam.
    absorbed_fraction
        Fraction of the launched energy absorbed (MCX ``energyabs/energytot``).
    photons, runtime_ms
        Photons simulated and kernel time reported by MCX.
    """

    fluence: FloatArray
    fluence_per_w_per_mm2: FloatArray
    reference_area_mm2: float
    absorbed_fraction: float
    photons: int
    runtime_ms: float


def mcx_config(
    labels: np.ndarray[Any, Any],
    spacing_mm: float,
    optical_table: FloatArray,
    *,
    source: str = "planar",
    beam_radius_mm: float | None = None,
    photons: int = 10**7,
    seed: int = 1,
    n_outside: float = 1.0,
    sides: str = "cyclic",
) -> dict[str, Any]:
    """Build the ``pmcx.run`` configuration of a top-illuminated voxel volume.

    Parameters
    ----------
    labels
        Integer tissue labels per voxel, shape (nx, ny, nz), values 0..N−1 indexing
        ``optical_table`` (stored +1, since MCX reserves 0 for the outside).
    spacing_mm
        Voxel side (mm).
    optical_table
        Shape (N, 4): rows ``[μ_a (mm⁻¹), μ_s' (mm⁻¹), g, n]`` per label; converted to MCX's
        ``[μ_a, μ_s = μ_s'/(1 − g), g, n]``.
    source
        ``"planar"`` (the whole top face: a broad beam with cyclic sides), ``"disk"`` (flat
        top of radius ``beam_radius_mm``), ``"gaussian"`` (MCX's waist radius, taken as the 1/e²
        intensity radius) or ``"pencil"``, centred on the top face and pointing down (+z).
    beam_radius_mm
        Radius of the disk or Gaussian beam (mm).
    photons, seed
        Photon count and random seed (recorded, so runs are reproducible).
    n_outside
        Refractive index outside the volume.
    sides
        ``"cyclic"`` (an infinite slab) or ``"absorbing"`` side faces.
    """
    vol = np.asarray(labels)
    if vol.ndim != 3 or not np.issubdtype(vol.dtype, np.integer):
        raise SpecificationError("labels", vol.shape, "a 3-D integer label array")
    table = np.asarray(optical_table, dtype=float)
    if table.ndim != 2 or table.shape[1] != 4:
        raise SpecificationError("optical_table", table.shape, "shape (N, 4): μ_a, μ_s', g, n")
    if vol.min() < 0 or vol.max() >= table.shape[0] or table.shape[0] > 254:
        raise SpecificationError("labels", (int(vol.min()), int(vol.max())), "0 .. N−1 ≤ 253")
    mua, musp, g, n = table.T
    if np.any(mua < 0) or np.any(musp < 0) or np.any((g < 0) | (g >= 1)) or np.any(n < 1):
        raise SpecificationError("optical_table", table.tolist(), "μ_a, μ_s' ≥ 0, 0 ≤ g < 1, n ≥ 1")
    if source not in SOURCES:
        raise SpecificationError("source", source, "one of " + ", ".join(SOURCES))
    if sides not in ("cyclic", "absorbing"):
        raise SpecificationError("sides", sides, "'cyclic' or 'absorbing'")
    if spacing_mm <= 0 or photons < 1:
        raise SpecificationError("spacing_mm/photons", (spacing_mm, photons), "positive values")
    nx, ny, _ = vol.shape
    prop = np.vstack([[0.0, 0.0, 1.0, n_outside], np.column_stack([mua, musp / (1 - g), g, n])])
    side = "c" if sides == "cyclic" else "a"
    cfg: dict[str, Any] = {
        "nphoton": int(photons),
        "seed": int(seed),
        "vol": (vol + 1).astype(np.uint8),
        "prop": prop,
        "unitinmm": float(spacing_mm),
        "tstart": 0.0,
        "tend": _GATE_S,
        "tstep": _GATE_S,
        "issrcfrom0": 1,
        "isreflect": 1,
        "srcdir": [0.0, 0.0, 1.0],
        "bc": f"{side}{side}r{side}{side}r",
    }
    if source == "planar":
        cfg.update(
            srctype="planar",
            srcpos=[0.0, 0.0, 0.0],
            srcparam1=[float(nx), 0.0, 0.0, 0.0],
            srcparam2=[0.0, float(ny), 0.0, 0.0],
        )
        return cfg
    cfg["srcpos"] = [nx / 2.0, ny / 2.0, 0.0]
    if source == "pencil":
        cfg["srctype"] = "pencil"
        return cfg
    if beam_radius_mm is None or beam_radius_mm <= 0:
        raise SpecificationError("beam_radius_mm", beam_radius_mm, f"a radius > 0 for {source}")
    cfg["srctype"] = source
    cfg["srcparam1"] = [beam_radius_mm / spacing_mm, 0.0, 0.0, 0.0]
    return cfg


def reference_area_mm2(config: dict[str, Any]) -> float:
    """Area (mm²) over which one launched watt makes the reference irradiance ``E₀``."""
    h = float(config["unitinmm"])
    kind = config.get("srctype", "pencil")
    if kind == "planar":
        return float(config["srcparam1"][0] * config["srcparam2"][1]) * h * h
    if kind == "pencil":
        return h * h
    radius = float(config["srcparam1"][0]) * h
    return math.pi * radius**2 if kind == "disk" else math.pi * radius**2 / 2.0


def mcx_fluence(config: dict[str, Any], output: dict[str, Any]) -> MonteCarloResult:
    """Convert a ``pmcx.run`` output to fluence rates (pure numpy).

    ``φ per watt = flux · tstep`` summed over the time gates; ``φ/E₀ = φ per watt × area``.
    """
    flux = np.asarray(output["flux"], dtype=float)
    if flux.ndim == 4:
        flux = flux.sum(axis=3)
    per_watt = flux * float(config["tstep"])
    area = reference_area_mm2(config)
    stat = output.get("stat", {})
    total = float(stat.get("energytot", 0.0)) or 1.0
    return MonteCarloResult(
        fluence=per_watt * area,
        fluence_per_w_per_mm2=per_watt,
        reference_area_mm2=area,
        absorbed_fraction=float(stat.get("energyabs", math.nan)) / total,
        photons=int(stat.get("nphoton", config["nphoton"])),
        runtime_ms=float(stat.get("runtime", math.nan)),
    )


def _pmcx() -> Any:
    """Import ``pmcx`` and check that it sees a GPU; raise a clear error otherwise."""
    hint = (
        "install the Monte Carlo extra (pip install 'nanocloak[mc]') on a machine with an "
        "NVIDIA GPU and driver, or use the diffusion solver (solve_light_grid)"
    )
    try:
        pmcx = importlib.import_module("pmcx")
    except ImportError as exc:
        raise SpecificationError("monte_carlo", "pmcx not installed", "pmcx", hint) from exc
    try:
        gpus = pmcx.gpuinfo()
    except Exception as exc:  # the CUDA runtime raises when no driver is present
        raise SpecificationError("monte_carlo", f"no GPU ({exc})", "an NVIDIA GPU", hint) from exc
    if not gpus:
        raise SpecificationError("monte_carlo", "no GPU found by pmcx", "an NVIDIA GPU", hint)
    return pmcx


def run_monte_carlo(config: dict[str, Any]) -> MonteCarloResult:
    """Run MCX on a configuration from :func:`mcx_config` (needs the ``mc`` extra and a GPU).

    Raises
    ------
    SpecificationError
        When ``pmcx`` is missing or finds no GPU; the message names the extra.
    """
    pmcx = _pmcx()
    return mcx_fluence(config, pmcx.run(config))
