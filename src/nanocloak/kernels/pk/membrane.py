r"""Membrane and core layer of the PBPK model: named multipliers on the base-model parameters.

No published PBPK model of a cell-membrane-coated nanoparticle exists (research note pbpk.md
§4). Each mechanism here maps its inputs onto a multiplier of a parameter the base model
already has, and every constant defaults to *no effect* (multiplier exactly 1), so the
uncoated Lin/Cheng model is recovered exactly and each membrane claim is a testable delta:

=================  =========================================  ================================
mechanism          multiplier                                 parameter
=================  =========================================  ================================
``cd47``           :math:`f_{CD47}(\rho, c)` (≤ 1)            K_max of liver, spleen, lung
``opsonization``   :math:`f_{ops}(c)` (≥ 1)                   K_max of liver, spleen, lung
``opsonization``   :math:`f_{lag}(c)` (≤ 1)                   K_50 of liver, spleen, lung
``extravasation``  :math:`f_{size}(d)`                        tumor permeability PA_C
``homotypic``      :math:`f_{homo}(c)` (≥ 1, own line only)   tumor K_max (K_TRES,max)
=================  =========================================  ================================

The tumour-targeting factors (MSC homing, leukocyte adhesion, platelet P-selectin–CD44 and
injured-vessel adhesion, ligands) are in :mod:`~nanocloak.kernels.pk.targeting`, coating
shedding in :mod:`~nanocloak.kernels.pk.shedding`, repeat-dose ABC in
:mod:`~nanocloak.kernels.pk.immune`; :func:`multipliers` applies all static ones.

``c`` is the coating degree (covered share of the particle surface, 0–1) of a particle
sub-population, :math:`\rho` the CD47 surface density of a membrane source relative to the RBC
membrane's, ``d`` the hydrodynamic diameter. A hybrid membrane combines its parents'
per-source factors by membrane-area share (:func:`combine_hybrid`). Pure functions on floats;
the constants live in ``pbpk_membrane.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from nanocloak.kernels.pk.targeting import (
    endothelial_activation,
    linear_coverage_factor,
    reinforced_injury,
)

HybridRule = Literal["geometric", "arithmetic"]

#: Renkin (1954) polynomial for the hindered convective/diffusive passage through a pore.
_RENKIN = (1.0, -2.104, 0.0, 2.09, 0.0, -0.95)


def cd47_factor(
    relative_density: float,
    coverage: float,
    min_factor: float = 1.0,
    half_density: float = 1.0,
) -> float:
    r"""Multiplier of the phagocytic K_max from CD47 ("marker of self") on the membrane.

    .. math::

        f_{full}(\rho) = f_{min} + (1 - f_{min})\,\frac{\rho_{50}}{\rho_{50} + \rho},\qquad
        f_{CD47} = 1 - c\,(1 - f_{full}(\rho))

    Saturable in the density (SIRPα signalling saturates) and linear in the coated share: the
    bare part of a particle carries no CD47.

    Parameters
    ----------
    relative_density
        CD47 surface density relative to the RBC membrane's (dimensionless, >= 0).
    coverage
        Coating degree c, covered share of the surface (0–1).
    min_factor
        f_min, the multiplier at saturating density and full coating (0–1); 1 = no effect.
    half_density
        ρ_50, relative density at half-maximal effect (dimensionless, > 0).
    """
    _check_share(coverage, "coverage")
    if relative_density < 0.0 or half_density <= 0.0 or not 0.0 <= min_factor <= 1.0:
        raise ValueError(
            "cd47_factor needs relative_density >= 0, half_density > 0 and min_factor in [0, 1]"
        )
    full = min_factor + (1.0 - min_factor) * half_density / (half_density + relative_density)
    return 1.0 - coverage * (1.0 - full)


def opsonization_factor(coverage: float, bare_excess: float = 0.0) -> float:
    r"""Multiplier of the phagocytic K_max from protein corona and opsonins on the bare surface.

    .. math:: f_{ops} = 1 + a\,(1 - c)

    Parameters
    ----------
    coverage
        Coating degree c (0–1).
    bare_excess
        a, the extra relative uptake of a fully bare core over the base model's particle
        (dimensionless, >= 0); 0 = no effect.
    """
    _check_share(coverage, "coverage")
    if bare_excess < 0.0:
        raise ValueError(f"bare_excess must be >= 0; got {bare_excess}")
    return 1.0 + bare_excess * (1.0 - coverage)


def opsonization_lag_factor(coverage: float, bare_lag_ratio: float = 1.0) -> float:
    r"""Multiplier of the phagocytic K_50 (Hill-in-time lag) from fast opsonization of bare area.

    .. math:: f_{lag} = 1 - (1 - \lambda)(1 - c)

    The base model's lag K_50 is the time a (mostly PEGylated) particle needs before
    phagocytes take it up at half the maximal rate; opsonins cover a bare core in minutes rather
    than the hours of a PEGylated one (Liu 2019, Nano-Micro Lett), so its lag is shorter.

    Parameters
    ----------
    coverage
        Coating degree c (0–1).
    bare_lag_ratio
        λ, lag of a fully bare core relative to the base model's particle (0–1]; 1 = no effect.
    """
    _check_share(coverage, "coverage")
    if not 0.0 < bare_lag_ratio <= 1.0:
        raise ValueError(f"bare_lag_ratio must lie in (0, 1]; got {bare_lag_ratio}")
    return 1.0 - (1.0 - bare_lag_ratio) * (1.0 - coverage)


def renkin_hindrance(ratio: float) -> float:
    r"""Renkin's hindrance of a sphere passing a cylindrical pore, 0 once it does not fit.

    .. math:: H(\lambda) = (1-\lambda)^2 (1 - 2.104\lambda + 2.09\lambda^3 - 0.95\lambda^5)

    Parameters
    ----------
    ratio
        λ, particle diameter over pore diameter (dimensionless, >= 0).
    """
    if ratio < 0.0:
        raise ValueError(f"the diameter ratio must be >= 0; got {ratio}")
    if ratio >= 1.0:
        return 0.0
    poly = sum(c * ratio**k for k, c in enumerate(_RENKIN))
    return (1.0 - ratio) ** 2 * poly


def extravasation_factor(
    diameter_nm: float,
    reference_diameter_nm: float,
    pore_diameter_nm: float = math.inf,
) -> float:
    r"""Multiplier of the tumor permeability PA_C for particle size (leaky-vessel pores).

    .. math:: f_{size} = H(d / d_{pore}) / H(d_{ref} / d_{pore})

    equal to 1 at the reference diameter (the size the base model's tumor PA_C holds for) and
    for an infinite pore (no effect); smaller particles pass more easily, particles wider than
    the pore not at all.

    Parameters
    ----------
    diameter_nm
        Hydrodynamic diameter of the particle, nm.
    reference_diameter_nm
        Diameter for which the base model's tumor PA_C holds, nm.
    pore_diameter_nm
        Effective pore diameter of the tumor vessel wall, nm (> reference).
    """
    if diameter_nm < 0.0 or reference_diameter_nm <= 0.0:
        raise ValueError("diameters must be positive")
    if math.isinf(pore_diameter_nm):
        return 1.0
    if pore_diameter_nm <= reference_diameter_nm:
        raise ValueError(
            f"pore_diameter_nm ({pore_diameter_nm}) must exceed the reference diameter "
            f"({reference_diameter_nm})"
        )
    reference = renkin_hindrance(reference_diameter_nm / pore_diameter_nm)
    return renkin_hindrance(diameter_nm / pore_diameter_nm) / reference


def homotypic_factor(matches: bool, coverage: float, enhancement: float = 1.0) -> float:
    r"""Multiplier of the tumor K_max from homotypic adhesion of a cancer-cell membrane.

    .. math:: f_{homo} = 1 + (h - 1)\,c \quad\text{if the source line is the tumor line,
              else } 1

    Parameters
    ----------
    matches
        True when the membrane's source cell line is the tumor's line.
    coverage
        Coating degree c (0–1).
    enhancement
        h, the multiplier for a fully coated particle on its own tumor (>= 1); 1 = no effect.
    """
    _check_share(coverage, "coverage")
    if enhancement < 1.0:
        raise ValueError(f"enhancement must be >= 1; got {enhancement}")
    return 1.0 + (enhancement - 1.0) * coverage if matches else 1.0


def combine_hybrid(
    area_shares: Sequence[float], factors: Sequence[float], rule: HybridRule = "geometric"
) -> float:
    r"""Combine the parents' factors of a hybrid membrane by membrane-area share.

    ``geometric`` (default; multiplicative mixing as in pbpk.md §4):
    :math:`\prod_k f_k^{a_k}`; ``arithmetic``: :math:`\sum_k a_k f_k`. Either gives the
    parent's factor for a single membrane and 1 when every parent has no effect.

    Parameters
    ----------
    area_shares
        a_k, share of the membrane area from each parent (sum 1).
    factors
        f_k, each parent's factor as if it coated the particle alone (>= 0).
    rule
        ``"geometric"`` or ``"arithmetic"``.
    """
    if len(area_shares) != len(factors) or not factors:
        raise ValueError("give one factor per parent membrane, at least one")
    if any(a < 0.0 for a in area_shares) or abs(math.fsum(area_shares) - 1.0) > 1e-6:
        raise ValueError(f"area shares must be >= 0 and sum to 1; got {list(area_shares)}")
    if any(f < 0.0 for f in factors):
        raise ValueError("factors must be >= 0")
    if rule == "arithmetic":
        return math.fsum(a * f for a, f in zip(area_shares, factors, strict=True))
    if rule != "geometric":
        raise ValueError(f"rule must be 'geometric' or 'arithmetic'; got {rule!r}")
    out = 1.0
    for a, f in zip(area_shares, factors, strict=True):
        if a > 0.0:
            out *= f**a
    return out


@dataclass(frozen=True, slots=True)
class SourceInput:
    """One parent membrane as the layer needs it.

    Parameters
    ----------
    area_share
        Share of the membrane area from this source (0–1).
    relative_cd47
        CD47 surface density relative to the RBC membrane's (0 when absent).
    homotypic_match
        True when the source is a cancer line and the tumor is of that line.
    homing
        True for a stem-cell membrane (CXCR4-type tumour homing).
    inflammation_adhesion
        True for a leukocyte or macrophage membrane (α4β1–VCAM-1, LFA-1–ICAM-1).
    platelet
        True for a platelet membrane (P-selectin–CD44, injured-vessel adhesion).
    """

    area_share: float
    relative_cd47: float = 0.0
    homotypic_match: bool = False
    homing: bool = False
    inflammation_adhesion: bool = False
    platelet: bool = False


@dataclass(frozen=True, slots=True)
class MembraneConstants:
    """Constants of every mechanism; the defaults have no effect (see the module table)."""

    cd47_min_factor: float = 1.0
    cd47_half_density: float = 1.0
    opsonization_bare_excess: float = 0.0
    reference_diameter_nm: float = 100.0
    pore_diameter_nm: float = math.inf
    homotypic_enhancement: float = 1.0
    hybrid_rule: HybridRule = "geometric"
    opsonization_bare_lag_ratio: float = 1.0
    msc_homing_enhancement: float = 1.0
    leukocyte_enhancement: float = 1.0
    leukocyte_baseline_activation: float = 1.0
    platelet_cd44_enhancement: float = 1.0
    injury_enhancement: float = 1.0
    injury_reinforcement: float = 0.0


@dataclass(frozen=True, slots=True)
class Multipliers:
    """Multipliers on base-model parameters of one particle sub-population.

    ``res_k_max`` and ``res_k_50`` multiply K_max and K_50 of the phagocytic organs (liver,
    spleen, lung), ``tumor_k_max`` the tumor's K_max, ``tumor_permeability`` the tumor's PA_C;
    ``factors`` names each mechanism's contribution.
    """

    res_k_max: float = 1.0
    tumor_k_max: float = 1.0
    tumor_permeability: float = 1.0
    factors: dict[str, float] = field(default_factory=dict)
    res_k_50: float = 1.0


def res_factors(
    sources: Sequence[SourceInput],
    coverage: float,
    constants: MembraneConstants = MembraneConstants(),
) -> tuple[float, float, float, float]:
    """Phagocytic-organ factors at coating degree ``coverage``: (CD47, opsonization on K_max,
    opsonization lag on K_50, product on K_max).

    Parameters
    ----------
    sources
        The membrane's parents.
    coverage
        Coating degree (0–1).
    constants
        Mechanism constants.
    """
    k = constants
    cd47 = combine_hybrid(
        [s.area_share for s in sources],
        [
            cd47_factor(s.relative_cd47, coverage, k.cd47_min_factor, k.cd47_half_density)
            for s in sources
        ],
        k.hybrid_rule,
    )
    ops = opsonization_factor(coverage, k.opsonization_bare_excess)
    lag = opsonization_lag_factor(coverage, k.opsonization_bare_lag_ratio)
    return cd47, ops, lag, cd47 * ops


def multipliers(
    sources: Sequence[SourceInput],
    coverage: float,
    diameter_nm: float,
    constants: MembraneConstants = MembraneConstants(),
    *,
    vessel_injury: float = 0.0,
    ligand_enhancements: Sequence[float] = (),
) -> Multipliers:
    """All static multipliers of a sub-population with coating degree ``coverage``.

    Per-source factors (CD47, homotypic, MSC homing, leukocyte and platelet adhesion) are
    computed as if that parent coated the particle alone and combined by
    :func:`combine_hybrid`; opsonization, size and ligands belong to the particle.

    Parameters
    ----------
    sources
        The membrane's parents.
    coverage
        Coating degree (0–1).
    diameter_nm
        Hydrodynamic diameter of the sub-population, nm.
    constants
        Mechanism constants (defaults: no effect).
    vessel_injury
        J, tumour vessel injury (0–1; 0 = intact), e.g. from photothermal heating.
    ligand_enhancements
        h of each targeting ligand whose target the tumour expresses (each >= 1).
    """
    k = constants
    shares = [s.area_share for s in sources]

    def hybrid(values: list[float]) -> float:
        return combine_hybrid(shares, values, k.hybrid_rule)

    cd47, ops, lag, _ = res_factors(sources, coverage, k)
    homo = hybrid(
        [homotypic_factor(s.homotypic_match, coverage, k.homotypic_enhancement) for s in sources]
    )
    size = extravasation_factor(diameter_nm, k.reference_diameter_nm, k.pore_diameter_nm)
    activation = endothelial_activation(vessel_injury, k.leukocyte_baseline_activation)
    injury = reinforced_injury(vessel_injury, k.injury_reinforcement)
    homing = hybrid(
        [
            linear_coverage_factor(coverage, k.msc_homing_enhancement if s.homing else 1.0)
            for s in sources
        ]
    )
    leukocyte = hybrid(
        [
            linear_coverage_factor(
                coverage, k.leukocyte_enhancement if s.inflammation_adhesion else 1.0, activation
            )
            for s in sources
        ]
    )
    cd44 = hybrid(
        [
            linear_coverage_factor(coverage, k.platelet_cd44_enhancement if s.platelet else 1.0)
            for s in sources
        ]
    )
    vessel = hybrid(
        [
            linear_coverage_factor(coverage, k.injury_enhancement if s.platelet else 1.0, injury)
            for s in sources
        ]
    )
    ligand = math.prod(linear_coverage_factor(coverage, h) for h in ligand_enhancements)
    return Multipliers(
        res_k_max=cd47 * ops,
        tumor_k_max=homo * cd44 * ligand,
        tumor_permeability=size * homing * leukocyte * vessel,
        factors={
            "cd47": cd47,
            "opsonization": ops,
            "opsonization_lag": lag,
            "extravasation": size,
            "homotypic": homo,
            "msc_homing": homing,
            "leukocyte_adhesion": leukocyte,
            "platelet_cd44": cd44,
            "injury_adhesion": vessel,
            "ligand": ligand,
        },
        res_k_50=lag,
    )


def _check_share(value: float, name: str) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1]; got {value}")
