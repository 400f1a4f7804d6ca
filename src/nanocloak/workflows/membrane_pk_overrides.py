"""From the membrane layer's multipliers to ``simulate_pk`` parameter overrides.

A coating sub-population's multipliers (:class:`~nanocloak.kernels.pk.membrane.Multipliers`)
scale base-model parameters of ``pbpk_nanoparticle.yaml``; this module turns them into the
``"<organ>.<field>"`` overrides :func:`~nanocloak.workflows.simulate_pk.simulate_pk` takes
(:func:`parameter_overrides`), with the two time-dependent mechanisms folded in:

- membrane **shedding** (mechanism ``shedding``): the RES uptake of a sub-population whose
  coverage decays at rate :math:`\\ln 2/t_{1/2}` is projected onto the Hill law over
  :data:`SHEDDING_WINDOW_H` (:func:`shedding_overrides`,
  :func:`~nanocloak.kernels.pk.shedding.effective_hill`);
- **accelerated blood clearance** (mechanism ``abc``): antibody titres induced by earlier doses
  give the share of each dose's particles recognised (:func:`dose_recognition`), which
  multiplies RES K_max and K_50 (:func:`~nanocloak.kernels.pk.immune.abc_multipliers`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.pk.immune import epitope_engagement, recognition, titres_at_doses
from nanocloak.kernels.pk.membrane import MembraneConstants, Multipliers, SourceInput, res_factors
from nanocloak.kernels.pk.shedding import effective_hill
from nanocloak.knowledge import pbpk

RES_ORGANS = ("liver", "spleen", "lung")
#: window over which a shedding sub-population's uptake rate is projected onto the Hill law, h
#: (a week in a mouse's blood; fixed so that results do not depend on the simulated horizon, and
#: stretched by the species' allometric time factor like the uptake lag K_50 it is compared with)
SHEDDING_WINDOW_H = 168.0


def parameter_overrides(
    mult: Multipliers,
    species: str,
    *,
    shedding: Mapping[str, tuple[float, float]] | None = None,
    abc: tuple[float, float] = (1.0, 1.0),
    epr: float = 1.0,
) -> dict[str, float]:
    """``simulate_pk`` overrides (``"<organ>.<field>"``, knowledge-base units) of a multiplier
    set; multipliers of exactly 1 give no override.

    ``shedding`` replaces the static RES (K_max, K_50) multipliers per organ by their Hill
    projection; ``abc`` multiplies RES K_max and K_50; ``epr`` the tumour permeability. The
    multipliers act on the base-model values of ``species``
    (:func:`~nanocloak.knowledge.pbpk.nanoparticle_defaults`), so that an override equals
    what ``simulate_pk(species, ...)`` would use times the multiplier.
    """
    defaults = pbpk.nanoparticle_defaults("calibrated", species)
    organs = pbpk.physiology()[species].organs
    out: dict[str, float] = {}
    for organ in RES_ORGANS:
        nano = defaults.organs[organ] if organ in organs else None
        if nano is None or nano.k_max is None:
            continue
        k_max, k_50 = (shedding or {}).get(organ, (mult.res_k_max, mult.res_k_50))
        k_max, k_50 = k_max * abc[0], k_50 * abc[1]
        if k_max != 1.0:
            out[f"{organ}.k_max"] = nano.k_max.to(pbpk.FIELD_UNITS["k_max"]) * k_max
        if k_50 != 1.0 and nano.k_50 is not None:
            out[f"{organ}.k_50"] = nano.k_50.to(pbpk.FIELD_UNITS["k_50"]) * k_50
    tumor = defaults.tumor
    if mult.tumor_k_max != 1.0 and tumor.k_max is not None:
        out["tumor.k_max"] = tumor.k_max.to(pbpk.FIELD_UNITS["k_max"]) * mult.tumor_k_max
    if mult.tumor_permeability * epr != 1.0:
        unit = pbpk.FIELD_UNITS["permeability"]
        out["tumor.permeability"] = tumor.permeability.to(unit) * mult.tumor_permeability * epr
    return out


def shedding_overrides(
    enabled: Collection[str],
    values: Mapping[str, float],
    sources: Sequence[SourceInput],
    k: MembraneConstants,
    coverage: float,
    species: str = "mouse",
) -> dict[str, tuple[float, float]] | None:
    """Per RES organ, the (K_max, K_50) factors of a shedding sub-population's Hill projection;
    None when ``shedding`` is off (the static multipliers apply).

    The projection uses the base-model K_max, K_50 and n of ``species``: its factors depend on
    how the shedding half-life compares with the species' uptake times.
    """
    if "shedding" not in enabled:
        return None
    rate = math.log(2.0) / values["shedding.half_life"]
    defaults = pbpk.nanoparticle_defaults("calibrated", species).organs
    out = {}
    for organ in RES_ORGANS:
        nano = defaults[organ]
        if nano.k_max is None or nano.k_50 is None or nano.hill_n is None:
            continue
        projection = effective_hill(
            lambda c: (res_factors(sources, c, k)[3], res_factors(sources, c, k)[2]),
            coverage,
            rate,
            nano.k_max.to("1/h"),
            nano.k_50.to("h"),
            nano.hill_n.to("dimensionless"),
            SHEDDING_WINDOW_H * pbpk.species_factor(species)[1],
        )
        out[organ] = (projection.k_max_factor, projection.k_50_factor)
    return out


def dose_recognition(
    gammas: Sequence[float],
    sources: Sequence[SourceInput],
    bin_coverage: Sequence[float],
    shares: FloatArray,
    dose_times_h: Sequence[float],
    values: Mapping[str, float],
    abc_on: bool,
) -> tuple[list[list[float]], list[list[float]]]:
    """Antibody titres at each dose and the share of each dose's sub-populations recognised.

    Parent *a* (immunogenicity γ_a) is engaged on sub-population *k* (coverage c_k) by
    :math:`D_{ka}` = :func:`~nanocloak.kernels.pk.immune.epitope_engagement` of its epitope
    density (area share × c_k); the dose-weighted induction :math:`\\gamma_a \\sum_k w_k D_{ka}`
    sets the titres :math:`T_a(t_d)` at each dose, and
    :math:`R_{dk} = 1 - \\exp(-\\sum_a T_a(t_d) D_{ka})`.

    Returns
    -------
    tuple
        ``titres[d][a]`` (all 0 when ``abc_on`` is False) and ``recognised[d][k]``.
    """
    engage = [
        [
            epitope_engagement(
                s.area_share * c,
                values.get("abc.epitope_half_density", 1.0),
                values.get("abc.epitope_hill_n", 1.0),
            )
            for s in sources
        ]
        for c in bin_coverage
    ]
    induction = [g * float(np.dot(shares, [e[a] for e in engage])) for a, g in enumerate(gammas)]
    titres = (
        titres_at_doses(
            dose_times_h, induction, values["abc.igm_peak"], values["abc.igm_decay_half_life"]
        )
        if abc_on
        else [[0.0] * len(gammas) for _ in dose_times_h]
    )
    recognised = [[recognition(t, e) for e in engage] for t in titres]
    return titres, recognised


def any_capacity_law() -> bool:
    """True when an organ or the tumour of the base model has the capacity-limited uptake law
    (nonlinear in the amount, so doses cannot be superposed).

    Uptake laws are not species-specific in the knowledge base (only parameter values are), so
    the answer holds for every species."""
    np_kb = pbpk.nanoparticle_defaults()
    laws = [o.uptake_law for o in np_kb.organs.values()] + [np_kb.tumor.uptake_law]
    return any(str(law) == "capacity" for law in laws)
