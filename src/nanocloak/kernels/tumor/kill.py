r"""Kill terms and growth multipliers that each treatment modality adds to the tumor model.

Every mechanism is a named pure function with its own equation; they feed
:func:`~nanocloak.kernels.tumor.simulate.simulate_tumor` either as a continuous kill rate
``k(t)`` (1/day), a growth multiplier ``m(t)`` in [0, 1], or a surviving fraction S of an
instantaneous event (:func:`~nanocloak.kernels.tumor.simulate.apply_kill`). Nothing here
adds a synergy bonus: combinations act through the shared state (a smaller viable volume
after PTT meets the same drug concentration; a starved tumor regrows slower after PDT).

Parameter values and their sources are in ``knowledge/data/tumor_response.yaml``; the
defaults below repeat the value used there where a default is needed by the study runner.
"""

from __future__ import annotations

import numpy as np

from nanocloak.kernels.arrays import FloatArray
from nanocloak.kernels.thermal.damage import arrhenius_damage, surviving_fraction

__all__ = [
    "TUMOR_ACTIVATION_J_PER_MOL",
    "TUMOR_FREQUENCY_FACTOR_PER_S",
    "chemo_kill_rate_per_day",
    "gold_dose_enhancement",
    "knockdown_growth_multiplier",
    "pdt_surviving_fraction",
    "radiation_surviving_fraction",
    "sirna_knockdown",
    "starvation_growth_multiplier",
    "thermal_surviving_fraction",
    "vaccine_kill_rate_per_day",
]

#: Arrhenius pair used for tumor tissue (``tumor_response.yaml`` → ``thermal``): the
#: Henriques–Moritz pair (Pearce 2010), a surrogate; no tumor-specific pair was read. Its high
#: activation energy keeps 37 °C harmless (S > 0.9999 per hour) while ~55 °C for minutes ablates.
TUMOR_FREQUENCY_FACTOR_PER_S = 3.1e98
TUMOR_ACTIVATION_J_PER_MOL = 6.28e5


def _nonneg(x: FloatArray | float, name: str) -> FloatArray:
    arr = np.asarray(x, dtype=float)
    if np.any(arr < 0.0) or np.any(np.isnan(arr)):
        raise ValueError(f"{name} must be non-negative")
    return arr


def chemo_kill_rate_per_day(
    free_drug_ug_per_g: FloatArray | float,
    emax_per_day: float,
    ec50_ug_per_g: float,
    hill: float = 1.0,
) -> FloatArray:
    r"""Chemotherapy kill rate from the intratumoral free (released) drug, Emax model.

    .. math:: k(C) = E_\mathrm{max} \frac{C^h}{EC_{50}^h + C^h}

    The sigmoid Emax model; Harashima et al. (J Control Release 1999;61:93) link the free
    DOX in the tumor to a cell-kill rate in the same way.

    Parameters
    ----------
    free_drug_ug_per_g
        Released drug in the tumor (µg/g), any shape.
    emax_per_day
        Maximal kill rate (1/day).
    ec50_ug_per_g
        Concentration of half-maximal kill (µg/g).
    hill
        Hill coefficient (dimensionless).
    """
    c = _nonneg(free_drug_ug_per_g, "free_drug_ug_per_g")
    if ec50_ug_per_g <= 0.0 or emax_per_day < 0.0 or hill <= 0.0:
        raise ValueError("need ec50_ug_per_g > 0, emax_per_day >= 0 and hill > 0")
    ratio = (c / ec50_ug_per_g) ** hill
    return np.asarray(emax_per_day * ratio / (1.0 + ratio), dtype=float)


def thermal_surviving_fraction(
    t_s: FloatArray,
    temperature_c: FloatArray,
    *,
    frequency_factor_per_s: float = TUMOR_FREQUENCY_FACTOR_PER_S,
    activation_j_per_mol: float = TUMOR_ACTIVATION_J_PER_MOL,
) -> FloatArray:
    r"""Surviving fraction after a temperature history (PTT or magnetic hyperthermia).

    .. math:: S = e^{-\Omega}, \quad \Omega = \int A e^{-E_a/(R_g T)}\,dt

    wrapping :func:`nanocloak.kernels.thermal.damage.arrhenius_damage`.

    Parameters
    ----------
    t_s
        Times (s), shape (nt,).
    temperature_c
        Tumor temperature (°C), shape (nt, ...) (e.g. (nt, n) for n animals).
    frequency_factor_per_s
        Arrhenius frequency factor A (1/s).
    activation_j_per_mol
        Activation energy E_a (J/mol).

    Returns
    -------
    FloatArray
        S, shape ``temperature_c.shape[1:]``.
    """
    omega = arrhenius_damage(
        np.asarray(t_s, dtype=float),
        np.asarray(temperature_c, dtype=float),
        frequency_factor_per_s,
        activation_j_per_mol,
    )
    return surviving_fraction(omega)


def pdt_surviving_fraction(
    singlet_oxygen_mm: FloatArray | float, threshold_mm: float, steepness: float
) -> FloatArray:
    r"""Surviving fraction after PDT from the reacted singlet-oxygen dose.

    Explicit PDT dosimetry (Wang et al., J Biophotonics 2010, doi:10.1002/jbio.200900101)
    finds necrosis once the reacted singlet oxygen :math:`[^1O_2]_{rx}` exceeds a threshold.
    A log-logistic curve centred on the threshold makes that step smooth:

    .. math:: S = \frac{1}{1 + ([^1O_2]_{rx} / T)^s}

    so half the cells die at the threshold T and the curve tends to a step as ``s`` grows.

    Parameters
    ----------
    singlet_oxygen_mm
        Reacted singlet-oxygen dose (mM), any shape.
    threshold_mm
        Threshold dose T (mM).
    steepness
        Slope s of the log-logistic curve (dimensionless).
    """
    dose = _nonneg(singlet_oxygen_mm, "singlet_oxygen_mm")
    if threshold_mm <= 0.0 or steepness <= 0.0:
        raise ValueError("threshold_mm and steepness must be positive")
    return np.asarray(1.0 / (1.0 + (dose / threshold_mm) ** steepness), dtype=float)


def starvation_growth_multiplier(
    glucose_fraction: FloatArray | float, half_saturation: float
) -> FloatArray:
    r"""Growth multiplier of glucose deprivation (glucose-oxidase starvation), Monod form.

    .. math:: m(G) = \frac{G (1 + K_s)}{G + K_s}

    with G the tumor glucose relative to the untreated tumor (1 = untreated, so m(1) = 1)
    and :math:`K_s` the half-saturation on the same relative scale (Monod, Annu Rev
    Microbiol 1949;3:371, doi:10.1146/annurev.mi.03.100149.002103).

    Parameters
    ----------
    glucose_fraction
        Tumor glucose relative to untreated (dimensionless, >= 0).
    half_saturation
        Half-saturation glucose K_s, relative (dimensionless, > 0).
    """
    g = _nonneg(glucose_fraction, "glucose_fraction")
    if half_saturation <= 0.0:
        raise ValueError("half_saturation must be positive")
    return np.asarray(g * (1.0 + half_saturation) / (g + half_saturation), dtype=float)


def sirna_knockdown(
    t_day: FloatArray,
    dose_times_day: FloatArray,
    knockdown_max: float,
    onset_per_day: float,
    recovery_per_day: float,
) -> FloatArray:
    r"""Fractional knockdown of the target gene after repeated siRNA doses.

    Each dose ``i`` silences with a rise-and-recovery pulse,
    :math:`f(\tau) = (1 - e^{-k_\mathrm{on}\tau})\, e^{-k_\mathrm{rec}\tau}` for
    :math:`\tau = t - t_i \ge 0`; doses act independently on the remaining message:

    .. math::

        \mathrm{KD}(t) = \mathrm{KD}_\mathrm{max}
            \Bigl[1 - \prod_i \bigl(1 - f(t - t_i)\bigr)\Bigr]

    Knockdown peaks a few days after a dose and wears off as the cells divide (Bartlett &
    Davis, Nucleic Acids Res 2006;34:322, doi:10.1093/nar/gkj439).

    Parameters
    ----------
    t_day
        Times (day), shape (nt,).
    dose_times_day
        Dose times (day), shape (nd,).
    knockdown_max
        Maximal knockdown in [0, 1].
    onset_per_day
        Onset rate k_on (1/day).
    recovery_per_day
        Recovery rate k_rec (1/day).

    Returns
    -------
    FloatArray
        Knockdown in [0, knockdown_max], shape (nt,).
    """
    if not 0.0 <= knockdown_max <= 1.0:
        raise ValueError("knockdown_max must lie in [0, 1]")
    if onset_per_day <= 0.0 or recovery_per_day < 0.0:
        raise ValueError("need onset_per_day > 0 and recovery_per_day >= 0")
    t = np.asarray(t_day, dtype=float)[:, None]
    doses = np.atleast_1d(np.asarray(dose_times_day, dtype=float))[None, :]
    tau = np.maximum(t - doses, 0.0)
    pulse = -np.expm1(-onset_per_day * tau) * np.exp(-recovery_per_day * tau)
    remaining = np.prod(1.0 - pulse, axis=1)
    return np.asarray(knockdown_max * (1.0 - remaining), dtype=float)


def knockdown_growth_multiplier(knockdown: FloatArray | float, dependence: float) -> FloatArray:
    r"""Growth multiplier of gene silencing, :math:`m = 1 - \delta\,\mathrm{KD}`.

    ``dependence`` δ is the share of the growth rate that needs the silenced gene
    (e.g. a survival gene such as PLK1 for SK-BR-3 in Zhuang et al. 2020).

    Parameters
    ----------
    knockdown
        Fractional knockdown in [0, 1].
    dependence
        Growth dependence δ on the target in [0, 1].
    """
    kd = np.asarray(knockdown, dtype=float)
    if np.any((kd < 0.0) | (kd > 1.0)) or not 0.0 <= dependence <= 1.0:
        raise ValueError("knockdown and dependence must lie in [0, 1]")
    return np.asarray(1.0 - dependence * kd, dtype=float)


def radiation_surviving_fraction(
    dose_gy: FloatArray | float,
    alpha_per_gy: float,
    beta_per_gy2: float,
    dose_enhancement: FloatArray | float = 1.0,
) -> FloatArray:
    r"""Linear-quadratic surviving fraction of one radiation fraction.

    .. math:: S = \exp\bigl[-\alpha\,(\varepsilon d) - \beta\,(\varepsilon d)^2\bigr]

    with the physical dose d and the dose-enhancement factor ε of a radiosensitizer such as
    gold (:func:`gold_dose_enhancement`); LQ model as in Joiner & van der Kogel, *Basic
    Clinical Radiobiology*.

    Parameters
    ----------
    dose_gy
        Physical dose of the fraction (Gy).
    alpha_per_gy
        α (1/Gy).
    beta_per_gy2
        β (1/Gy²).
    dose_enhancement
        Dose-enhancement factor ε (>= 1 for a sensitizer).
    """
    d = _nonneg(dose_gy, "dose_gy") * _nonneg(dose_enhancement, "dose_enhancement")
    if alpha_per_gy < 0.0 or beta_per_gy2 < 0.0:
        raise ValueError("alpha_per_gy and beta_per_gy2 must be non-negative")
    return np.asarray(np.exp(-alpha_per_gy * d - beta_per_gy2 * d * d), dtype=float)


def gold_dose_enhancement(
    gold_mg_per_g: FloatArray | float, enhancement_per_mg_per_g: float
) -> FloatArray:
    r"""Macroscopic dose-enhancement factor of gold in tissue, linear in the gold content.

    .. math:: \varepsilon = 1 + s\, c_\mathrm{Au}

    Monte Carlo studies find the DEF rising about linearly with the gold mass fraction and
    strongly with falling beam energy (kV beams: tens of % at ~7–18 mg/g; MV beams: a few
    %; Cho, Phys Med Biol 2005;50:N163, doi:10.1088/0031-9155/50/15/N01). The slope ``s``
    carries the beam quality.

    Parameters
    ----------
    gold_mg_per_g
        Gold in the tumor (mg per g tissue).
    enhancement_per_mg_per_g
        Slope s (per mg/g) for the beam used.
    """
    c = _nonneg(gold_mg_per_g, "gold_mg_per_g")
    if enhancement_per_mg_per_g < 0.0:
        raise ValueError("enhancement_per_mg_per_g must be non-negative")
    return np.asarray(1.0 + enhancement_per_mg_per_g * c, dtype=float)


def vaccine_kill_rate_per_day(
    t_day: FloatArray,
    priming_times_day: FloatArray,
    antigen_dose: float,
    adjuvant: float,
    *,
    max_kill_per_day: float,
    antigen_half_saturation: float,
    adjuvant_fold: float,
    expansion_per_day: float,
    contraction_per_day: float,
    delay_day: float,
    memory_boost: float = 1.0,
) -> FloatArray:
    r"""Kill rate of a tumor-specific effector response to a membrane vaccine (+ CpG).

    A deliberately simple immune model, stated so it can be argued with. Each priming
    ``i`` at :math:`t_i` starts an effector wave after a delay :math:`t_d`:

    .. math::

        w(\tau) = \frac{e^{-k_c \tau} - e^{-k_x \tau}}{w_\mathrm{peak}}, \qquad
        E(t) = \sum_i a_i\, w(t - t_i - t_d)

    (expansion :math:`k_x`, contraction :math:`k_c`, peak-normalised), with the stimulus of
    the antigen dose A (membrane antigens; any consistent unit) and adjuvant fraction
    :math:`u \in [0, 1]` (CpG present = 1):

    .. math::

        a_i = \frac{A}{A + A_{50}} \bigl(1 + (\phi - 1) u\bigr)\, b^{\min(i, 1)}

    where φ is the fold increase by the adjuvant and b a memory boost for secondary
    primings. The kill rate saturates: :math:`k = k_\mathrm{max} E / (1 + E)`. Nanovaccines
    without adjuvant stimulate weakly and CpG strengthens the response (Fang et al., Nano
    Lett 2014, doi:10.1021/nl500618u; Kroll et al., Adv Mater 2017,
    doi:10.1002/adma.201703969; both as summarised in the review).

    Parameters
    ----------
    t_day
        Times (day), shape (nt,).
    priming_times_day
        Vaccination times (day), shape (np,).
    antigen_dose
        Antigen dose A (same unit as ``antigen_half_saturation``).
    adjuvant
        Adjuvant fraction u in [0, 1].
    max_kill_per_day
        Maximal kill rate (1/day).
    antigen_half_saturation
        A50 (unit of ``antigen_dose``).
    adjuvant_fold
        φ >= 1.
    expansion_per_day, contraction_per_day
        Effector expansion and contraction rates (1/day), different from each other.
    delay_day
        Delay from priming to the start of expansion (day).
    memory_boost
        b >= 1 for second and later primings.

    Returns
    -------
    FloatArray
        Kill rate (1/day), shape (nt,).
    """
    if not 0.0 <= adjuvant <= 1.0 or antigen_dose < 0.0 or antigen_half_saturation <= 0.0:
        raise ValueError("need adjuvant in [0, 1], antigen_dose >= 0, half-saturation > 0")
    kx, kc = expansion_per_day, contraction_per_day
    if kx <= 0.0 or kc <= 0.0 or np.isclose(kx, kc) or adjuvant_fold < 1.0 or memory_boost < 1.0:
        raise ValueError(
            "need positive, distinct expansion/contraction rates, adjuvant_fold >= 1 "
            "and memory_boost >= 1"
        )
    t = np.asarray(t_day, dtype=float)[:, None]
    primes = np.sort(np.atleast_1d(np.asarray(priming_times_day, dtype=float)))[None, :]
    tau = np.maximum(t - primes - delay_day, 0.0)
    tau_peak = np.log(kx / kc) / (kx - kc)
    peak = np.exp(-kc * tau_peak) - np.exp(-kx * tau_peak)
    wave = (np.exp(-kc * tau) - np.exp(-kx * tau)) / peak
    stimulus = antigen_dose / (antigen_dose + antigen_half_saturation)
    stimulus *= 1.0 + (adjuvant_fold - 1.0) * adjuvant
    boost = np.where(np.arange(primes.size) > 0, memory_boost, 1.0)[None, :]
    effectors = np.sum(stimulus * boost * wave, axis=1)
    return np.asarray(max_kill_per_day * effectors / (1.0 + effectors), dtype=float)
