"""Drug loading (EE, DLC, loading capacity) and the sampling-volume correction of release.

Labs mix the loading definitions, so each is computed under its own name and denominator:

* encapsulation efficiency, indirect: EE = 100·(m_total − m_free)/m_total (free drug in the
  supernatant or filtrate after separation);
* encapsulation efficiency, direct: EE = 100·m_loaded/m_fed (drug extracted from the
  particles);
* drug loading content on the carrier: DLC = 100·m_drug/(m_drug + m_carrier);
* drug loading content on the whole particle: DLC = 100·m_drug/(m_drug + m_carrier +
  m_membrane) (the membrane coat counted in the particle mass);
* loading capacity: LC = 100·m_drug/m_carrier (drug per carrier mass, may exceed 100 %).

The same definitions, as fractions, are in ``nanocloak.kernels.manufacture.loading``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from nanocloak.errors import SpecificationError
from nanocloak.kernels.arrays import FloatArray
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate

FORMULAS = {
    "ee_indirect": "EE (indirect) = 100·(m_total − m_free)/m_total, m_total = drug fed "
    "(or measured total), m_free = unencapsulated drug after separation",
    "ee_direct": "EE (direct) = 100·m_loaded/m_fed, m_loaded = drug extracted from the particles",
    "dlc_carrier": "DLC (carrier) = 100·m_drug/(m_drug + m_carrier)",
    "dlc_particle": "DLC (whole particle) = 100·m_drug/(m_drug + m_carrier + m_membrane)",
    "lc": "LC (loading capacity) = 100·m_drug/m_carrier",
    "replicates": "mean of per-replicate values; SD with n − 1; "
    "CI = mean ± t(1 − α/2, n − 1)·SD/√n",
}


def encapsulation_efficiency_indirect(total: FloatArray, free: FloatArray) -> FloatArray:
    """EE (%) = 100·(total − free)/total; amounts in one unit (mass or concentration)."""
    t, f = np.asarray(total, dtype=float), np.asarray(free, dtype=float)
    out: FloatArray = 100.0 * (t - f) / t
    return out


def encapsulation_efficiency_direct(loaded: FloatArray, fed: FloatArray) -> FloatArray:
    """EE (%) = 100·loaded/fed; masses in one unit."""
    out: FloatArray = 100.0 * np.asarray(loaded, dtype=float) / np.asarray(fed, dtype=float)
    return out


def loading_contents(
    drug: FloatArray, carrier: FloatArray, membrane: FloatArray | None = None
) -> dict[str, FloatArray]:
    """DLC on the carrier, DLC on the whole particle and loading capacity (%), by name.

    Parameters
    ----------
    drug, carrier, membrane
        Masses of loaded drug, carrier (core) and membrane coat, in one unit.
    """
    d, c = np.asarray(drug, dtype=float), np.asarray(carrier, dtype=float)
    out = {"dlc_carrier": 100.0 * d / (d + c), "lc": 100.0 * d / c}
    if membrane is not None:
        out["dlc_particle"] = 100.0 * d / (d + c + np.asarray(membrane, dtype=float))
    return out


def corrected_concentration(
    c: FloatArray, sample_volume_ml: float, medium_volume_ml: float
) -> FloatArray:
    r"""Concentration corrected for drug withdrawn in earlier samples (replaced by fresh medium).

    .. math:: C_{\mathrm{corr},n} = C_n + \frac{V_s}{V_0}\sum_{i<n} C_i

    Parameters
    ----------
    c
        Measured concentrations in sampling order (any concentration unit).
    sample_volume_ml
        Volume withdrawn at each sampling (mL), replaced by fresh medium.
    medium_volume_ml
        Release medium volume (mL), constant.
    """
    values = np.asarray(c, dtype=float)
    previous = np.concatenate([[0.0], np.cumsum(values)[:-1]])
    out: FloatArray = values + sample_volume_ml / medium_volume_ml * previous
    return out


def cumulative_release_pct(
    c_mg_per_ml: FloatArray,
    sample_volume_ml: float,
    medium_volume_ml: float,
    dose_mg: float,
    replaced: bool = True,
) -> FloatArray:
    r"""Cumulative release (% of the loaded dose) from medium concentrations.

    With replacement (constant volume :math:`V_0`):
    :math:`M_n = V_0 C_n + V_s\sum_{i<n} C_i`. Without replacement the volume shrinks,
    :math:`M_n = (V_0 - (n-1)V_s) C_n + V_s\sum_{i<n} C_i` (n counted from 1).
    :math:`F_n = 100\,M_n/m_\mathrm{loaded}`.

    Parameters
    ----------
    c_mg_per_ml
        Measured concentrations (mg/mL) in sampling order.
    sample_volume_ml
        Volume withdrawn at each sampling (mL).
    medium_volume_ml
        Initial release medium volume (mL).
    dose_mg
        Drug loaded in the particles put into the medium (mg).
    replaced
        Whether each withdrawn sample is replaced by fresh medium.
    """
    for name, value in (
        ("sample volume", sample_volume_ml),
        ("medium volume", medium_volume_ml),
        ("loaded dose", dose_mg),
    ):
        if not (math.isfinite(value) and value > 0):
            raise SpecificationError(name, value, "a positive finite amount")
    c = np.asarray(c_mg_per_ml, dtype=float)
    previous = np.concatenate([[0.0], np.cumsum(c)[:-1]])
    volume = np.full(c.shape, medium_volume_ml)
    if not replaced:
        volume = medium_volume_ml - np.arange(c.size) * sample_volume_ml
        if np.any(volume <= 0):
            raise SpecificationError(
                "sample volume",
                sample_volume_ml,
                f"samples that leave medium in the vessel ({c.size} × {sample_volume_ml} mL "
                f"from {medium_volume_ml} mL)",
            )
    out: FloatArray = 100.0 * (volume * c + sample_volume_ml * previous) / dose_mg
    return out


def _summary(name: str, label: str, values: FloatArray, level: float, note: str) -> Estimate:
    v = np.asarray(values, dtype=float)
    mean = float(np.mean(v))
    if v.size < 2:
        return Estimate(name, mean, "%", label=label, note=note + "; one replicate: no SD")
    sd = float(np.std(v, ddof=1))
    se = sd / math.sqrt(v.size)
    half = float(stats.t.ppf(0.5 + level / 2, v.size - 1)) * se
    return Estimate(name, mean, "%", se, (mean - half, mean + half), level, label,
                    f"{note}; n = {v.size}, SD = {sd:.3g} %")  # fmt: skip


def analyze_loading(
    masses: Mapping[str, Sequence[float] | FloatArray],
    level: float = 0.95,
    title: str = "Drug loading",
    provenance: Mapping[str, object] | None = None,
) -> AnalysisResult:
    """EE, DLC and loading capacity from replicate masses, each definition labelled.

    Parameters
    ----------
    masses
        Per-replicate masses in one unit (mg): any of ``fed`` (drug fed), ``total`` (total
        drug measured; defaults to ``fed``), ``free`` (unencapsulated drug), ``loaded`` (drug
        extracted from particles), ``carrier`` (core mass) and ``membrane`` (membrane coat).
    level
        Confidence level of the replicate mean intervals.
    """
    arrays = {k: np.asarray(v, dtype=float) for k, v in masses.items() if v is not None}
    if not arrays:
        raise SpecificationError(
            "masses",
            "no masses given",
            "masses (mg) of at least two of fed, total, free, loaded, carrier, membrane",
            "Name the columns e.g. 'Fed (mg)', 'Free (mg)'.",
        )
    sizes = {a.size for a in arrays.values()}
    if len(sizes) != 1:
        raise SpecificationError("masses", {k: a.size for k, a in arrays.items()}, "equal lengths")
    for key, values in arrays.items():
        if np.any(~np.isfinite(values)) or np.any(values < 0):
            raise SpecificationError(key, values.tolist(), "finite non-negative masses")
    estimates: list[Estimate] = []
    formulas: list[str] = []
    warnings: list[str] = []
    total = arrays.get("total", arrays.get("fed"))
    drug_source = ""
    drug: FloatArray | None = None
    if total is not None and "free" in arrays:
        ee = encapsulation_efficiency_indirect(total, arrays["free"])
        basis = "total" if "total" in arrays else "fed"
        estimates.append(_summary("ee_indirect", "encapsulation efficiency (indirect)", ee,
                                  level, f"(m_{basis} − m_free)/m_{basis}"))  # fmt: skip
        formulas.append(FORMULAS["ee_indirect"])
        drug, drug_source = total - arrays["free"], f"m_{basis} − m_free (indirect)"
    if "loaded" in arrays and "fed" in arrays:
        ee = encapsulation_efficiency_direct(arrays["loaded"], arrays["fed"])
        estimates.append(_summary("ee_direct", "encapsulation efficiency (direct)", ee, level,
                                  "m_loaded/m_fed"))  # fmt: skip
        formulas.append(FORMULAS["ee_direct"])
    if "loaded" in arrays:
        drug, drug_source = arrays["loaded"], "m_loaded (direct)"
    if drug is not None and "carrier" in arrays:
        contents = loading_contents(drug, arrays["carrier"], arrays.get("membrane"))
        labels = {
            "dlc_carrier": "drug loading content (on carrier)",
            "dlc_particle": "drug loading content (whole particle incl. membrane)",
            "lc": "loading capacity (drug/carrier)",
        }
        for key, values in contents.items():
            estimates.append(_summary(key, labels[key], values, level, f"m_drug = {drug_source}"))
            formulas.append(FORMULAS[key])
    if not estimates:
        raise SpecificationError(
            "loading data",
            f"masses of {', '.join(sorted(arrays))} only",
            "fed + free (indirect EE), loaded + fed (direct EE), or a drug amount with carrier",
            "Name the columns fed, free, loaded, carrier, membrane (masses with units).",
        )
    for e in estimates:
        if e.name.startswith("ee") and not 0.0 <= e.value <= 100.0:
            warnings.append(f"{e.label} = {e.value:.1f} % lies outside 0–100 %: check the assay")
    if {"ee_indirect", "ee_direct"} <= {e.name for e in estimates}:
        direct = next(e.value for e in estimates if e.name == "ee_direct")
        indirect = next(e.value for e in estimates if e.name == "ee_indirect")
        if abs(direct - indirect) > 10.0:
            warnings.append(
                f"direct ({direct:.1f} %) and indirect ({indirect:.1f} %) EE differ by > 10 "
                "points: drug lost to adsorption or degradation, or incomplete extraction"
            )
    formulas.append(FORMULAS["replicates"])
    names = [e.label for e in estimates]
    panel = Panel(
        (
            Series(
                np.arange(len(estimates), dtype=float),
                np.array([e.value for e in estimates]),
                "mean",
                "bar",
                yerr=np.array([0.0 if e.stderr is None else e.stderr for e in estimates]),
            ),
        ),
        " | ".join(f"{i}: {n}" for i, n in enumerate(names)),
        "%",
        "Loading (bars: mean ± SE)",
    )
    return AnalysisResult(
        kind="drug_loading",
        title=title,
        estimates=tuple(estimates),
        formulas=tuple(formulas),
        warnings=tuple(warnings),
        panels=(panel,),
        provenance={**(provenance or {}), "replicates": next(iter(sizes))},
    )
