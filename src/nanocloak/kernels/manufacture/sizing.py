"""Hydrodynamic size distribution, DLS Z-average and PDI, shell thickness and zeta potential.

Per particle: hydrodynamic diameter ``d_h = d_core + 2 t_shell c`` (the shell adds
its thickness where the membrane covers), and zeta potential ζ = c·ζ_mem +
(1 − c)·ζ_core (area-weighted mean field of the two surfaces). Particles below the
individual-uptake coating threshold expose bare patches and pair with the given probability; a
pair's diameter is taken as the volume-equivalent sphere ``2^(1/3)·d`` (a lower bound of its
hydrodynamic size). Extrusion breaks up pairs larger than the pore.

DLS weights each particle by scattered intensity ∝ d⁶ (Rayleigh) and sees decay rates ∝ 1/d;
the Z-average is the intensity-weighted harmonic mean and the PDI the intensity-weighted
relative variance of the decay rate (ISO 22412 cumulants).
Units: nm, mV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

from nanocloak.kernels.arrays import FloatArray

PAIR_DIAMETER_FACTOR = 2.0 ** (1.0 / 3.0)


@dataclass(frozen=True, slots=True)
class SizeOutcome:
    """Hydrodynamic size and surface charge of the coated product.

    Attributes
    ----------
    diameters_nm
        Hydrodynamic diameter of every particle or pair in the product (nm).
    z_average_nm
        Intensity-weighted harmonic mean diameter (nm).
    pdi
        Polydispersity index (dimensionless).
    number_mean_nm, number_sd_nm
        Number-weighted mean and SD of diameters (nm).
    paired_share
        Share of particles sitting in pairs.
    paired
        Whether each input particle sits in a pair (same order as the input).
    zeta_mean_mv, zeta_sd_mv
        Mean and SD of particle zeta potential (mV).
    """

    diameters_nm: FloatArray
    z_average_nm: float
    pdi: float
    number_mean_nm: float
    number_sd_nm: float
    paired_share: float
    paired: NDArray[np.bool_]
    zeta_mean_mv: float
    zeta_sd_mv: float


def dls_moments(diameters_nm: FloatArray) -> tuple[float, float]:
    """Z-average (nm) and PDI of a set of diameters, as a DLS cumulant fit reports them.

    Each particle scatters ∝ d⁶ (Rayleigh) and decays at Γ ∝ 1/d. The first cumulant is the
    intensity-weighted mean Γ̄, so Z = 1/⟨1/d⟩_I (a harmonic mean); PDI = Var_I(Γ)/Γ̄².
    """
    weights = diameters_nm**6
    rates = 1.0 / diameters_nm
    mean_rate = float(np.average(rates, weights=weights))
    variance = float(np.average((rates - mean_rate) ** 2, weights=weights))
    return 1.0 / mean_rate, variance / mean_rate**2


def size_and_charge(
    core_diameters_nm: FloatArray,
    coverage: FloatArray,
    shell_nm: float,
    pairing_threshold: float,
    pairing_probability: float,
    zeta_membrane_mv: float,
    zeta_core_mv: float,
    max_diameter_nm: float,
    rng: np.random.Generator,
) -> SizeOutcome:
    """Size distribution and zeta potential of the coated product.

    Parameters
    ----------
    core_diameters_nm
        Equivalent outer diameter of each core (nm).
    coverage
        Coating degree of each particle (0–1).
    shell_nm
        Hydrodynamic shell thickness of the membrane (nm per side).
    pairing_threshold, pairing_probability
        Particles with coverage below the threshold pair with this probability.
    zeta_membrane_mv, zeta_core_mv
        Zeta potentials of membrane vesicles and of bare cores (mV).
    max_diameter_nm
        Pairs larger than this are broken up (the extrusion pore); ``inf`` otherwise.
    """
    singles = core_diameters_nm + 2.0 * shell_nm * coverage
    wants_pair = (coverage < pairing_threshold) & (rng.random(coverage.size) < pairing_probability)
    pair_size = PAIR_DIAMETER_FACTOR * singles
    paired = wants_pair & (pair_size <= max_diameter_nm)
    n_pairs = int(paired.sum()) // 2
    pair_members = np.flatnonzero(paired)[: 2 * n_pairs]
    keep = np.ones(coverage.size, dtype=bool)
    keep[pair_members] = False
    pairs = PAIR_DIAMETER_FACTOR * 0.5 * (singles[pair_members[0::2]] + singles[pair_members[1::2]])
    diameters = np.concatenate([singles[keep], pairs])
    z_average, pdi = dls_moments(diameters)
    zeta = coverage * zeta_membrane_mv + (1.0 - coverage) * zeta_core_mv
    return SizeOutcome(
        diameters,
        z_average,
        pdi,
        float(diameters.mean()),
        float(diameters.std()),
        2 * n_pairs / coverage.size,
        ~keep,
        float(zeta.mean()),
        float(zeta.std()),
    )


def lognormal_scales(gsd: float, max_scale: float, n: int, rng: np.random.Generator) -> FloatArray:
    """Size scale factors (median 1, geometric SD ``gsd``) of cores, truncated at ``max_scale``.

    Cores larger than an extrusion pore stay on the filter, so the product holds only the
    passing part of the distribution; ``max_scale`` is ``inf`` when nothing is sieved.
    Raises ``ValueError`` when practically nothing passes.
    """
    sigma = math.log(gsd)
    passing = float(ndtr(math.log(max_scale) / sigma)) if math.isfinite(max_scale) else 1.0
    if passing < 1e-6:
        raise ValueError("no core passes")
    scales: FloatArray = np.exp(sigma * ndtri(rng.random(n) * passing))
    return scales
