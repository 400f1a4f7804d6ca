"""Biodistribution: %ID and %ID/g per organ from ICP-MS/OES or fluorescence, tumor delivery.

For each harvested tissue sample the amount of tracer (e.g. µg Au or Fe, or a dye) is

- given directly (``amount``), or
- ``amount = C_digest · V_digest · dilution`` from the digest concentration (ICP), or
- ``amount = (signal − intercept)/slope · dilution`` from a linear standard curve
  (fluorescence), fitted by OLS (statsmodels) on standards of known amount.

Then %ID = 100·amount/dose and %ID/g = %ID/m_tissue, summarised as mean ± SD (n − 1) over the
animals of each group, time and organ. Tumor delivery efficiency is the tumor %ID (Wilhelm et
al., *Nat. Rev. Mater.* 2016;1:16014, doi:10.1038/natrevmats.2016.14). With several time
points, AUC ratios AUC_tumor/AUC_blood use the linear trapezoid over the mean %ID/g profiles.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pint
import statsmodels.api as sm
from numpy.typing import ArrayLike

from nanocloak.errors import DataFormatError, SpecificationError
from nanocloak.io.tables import LabTable
from nanocloak.plotting.series import Panel, Series
from nanocloak.results.analysis import AnalysisResult, Estimate
from nanocloak.units import Quantity

ORGAN_NAMES = ("organ", "tissue", "sample type")
ANIMAL_NAMES = ("animal", "mouse", "rat", "subject", "animal id", "id")
GROUP_NAMES = ("group", "formulation", "treatment")
TIME_NAMES = ("time", "timepoint", "time point")
MASS_NAMES = ("tissue mass", "organ mass", "mass", "tissue weight", "organ weight", "wet weight")
AMOUNT_NAMES = ("amount", "content", "tracer amount")
DIGEST_CONC_NAMES = ("digest concentration", "icp concentration", "concentration", "conc")
DIGEST_VOLUME_NAMES = ("digest volume", "volume")
SIGNAL_NAMES = ("signal", "fluorescence", "intensity", "radiant efficiency", "radiance")
DILUTION_NAMES = ("dilution", "dilution factor")
DOSE_NAMES = ("dose", "injected dose")
TUMOR_WORDS = ("tumor", "tumour")
BLOOD_WORDS = ("blood", "plasma")
BLOOD_DENSITY_G_PER_ML = 1.06
"""Density of whole blood (g/mL), to turn a blood aliquot's %ID/g into %ID per mL (Trudnowski &
Rico, Clin. Chem. 1974;20:615, specific gravity of blood ≈ 1.05–1.06 at 37 °C)."""
SAMPLE_BASIS = "%ID in the sample"
WHOLE_BLOOD_BASIS = "%ID in whole blood"
ORGAN_BASIS = "%ID in the organ"


@dataclass(frozen=True, slots=True)
class StandardCurve:
    """Linear standard curve signal = slope·amount + intercept.

    ``amount_unit`` is the unit of the standards' amount (e.g. ``"ug"``); ``slope_se``,
    ``intercept_se`` and ``r_squared`` come from the OLS fit when it was fitted here.
    """

    slope: float
    intercept: float
    amount_unit: str
    slope_se: float | None = None
    intercept_se: float | None = None
    r_squared: float | None = None

    def amount(self, signal: ArrayLike) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Amount (in ``amount_unit``) from a signal: (signal − intercept)/slope."""
        return (np.asarray(signal, dtype=float) - self.intercept) / self.slope


def fit_standard_curve(amount: ArrayLike, signal: ArrayLike, amount_unit: str) -> StandardCurve:
    """OLS standard curve signal = slope·amount + intercept (statsmodels).

    Parameters
    ----------
    amount
        Known amounts of the standards, in ``amount_unit``.
    signal
        Measured signals (arbitrary units).
    amount_unit
        Unit of ``amount``, e.g. ``"ug"`` or ``"nmol"``.
    """
    x = np.asarray(amount, dtype=float)
    y = np.asarray(signal, dtype=float)
    if x.size < 3 or x.shape != y.shape:
        raise DataFormatError("a standard curve needs at least 3 standards (amount, signal)")
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    intercept, slope = (float(v) for v in fit.params)
    if slope <= 0:
        raise DataFormatError(f"the standard curve has a non-positive slope ({slope:.4g})")
    se = [float(v) for v in fit.bse]
    return StandardCurve(slope, intercept, amount_unit, se[1], se[0], float(fit.rsquared))


def standard_curve_from_table(table: LabTable, amount_unit: str = "ug") -> StandardCurve:
    """Fit a standard curve from a table of standards (amount and signal columns)."""
    amount = table.column(AMOUNT_NAMES, amount_unit, what="standard amount")
    signal = table.column(SIGNAL_NAMES, None, what="standard signal")
    return fit_standard_curve(amount, signal, amount_unit)


def _tissue_amounts(
    table: LabTable, amount_unit: str, curve: StandardCurve | None
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], str]:
    """Tracer amount per sample, in ``amount_unit``, and how it was obtained."""
    dilution = np.ones(len(table.frame))
    if table.find(DILUTION_NAMES) is not None:
        dilution = table.column(DILUTION_NAMES, None, what="dilution factor")
    if table.find(AMOUNT_NAMES) is not None:
        return table.column(AMOUNT_NAMES, amount_unit, what="tracer amount") * dilution, (
            "amount column"
        )
    if table.find(SIGNAL_NAMES) is not None:
        if curve is None:
            raise SpecificationError(
                "standard_curve",
                None,
                "a standard curve for the signal column",
                "Give --standards FILE (amount and signal of the standards) or "
                "--slope/--intercept.",
            )
        amount = curve.amount(table.column(SIGNAL_NAMES, None, what="signal")) * dilution
        factor = float(Quantity(1.0, curve.amount_unit).to(amount_unit).magnitude)
        return amount * factor, "(signal − intercept)/slope · dilution (standard curve)"
    if table.find(DIGEST_CONC_NAMES) is not None and table.find(DIGEST_VOLUME_NAMES) is not None:
        conc = table.column(DIGEST_CONC_NAMES, f"{amount_unit}/mL", what="digest concentration")
        volume = table.column(DIGEST_VOLUME_NAMES, "mL", what="digest volume")
        return conc * volume * dilution, "C_digest · V_digest · dilution (ICP)"
    raise DataFormatError(
        f"{table.source}: no way to get the tracer amount; give an 'amount' column, a "
        "'digest concentration' and 'digest volume' pair (ICP), or a 'signal' column with a "
        f"standard curve; columns are: {', '.join(table.columns)}"
    )


def _to(quantity: pint.Quantity[Any], unit: str) -> float:
    try:
        return float(Quantity(quantity.magnitude, str(quantity.units)).to(unit).magnitude)
    except pint.errors.DimensionalityError:
        raise SpecificationError(
            "dose", f"{quantity:~P}", f"an amount convertible to {unit}", "e.g. '50 ug'"
        ) from None


def biodistribution(
    table: LabTable,
    *,
    dose: pint.Quantity[Any] | None = None,
    amount_unit: str = "ug",
    time_unit: str = "h",
    standard_curve: StandardCurve | None = None,
    blood_volume_ml: float | None = None,
    blood_density_g_per_ml: float = BLOOD_DENSITY_G_PER_ML,
    title: str | None = None,
) -> AnalysisResult:
    """%ID and %ID/g per organ, group and time, with tumor delivery and AUC ratios.

    A blood (or plasma) row is an aliquot, not the whole pool: its %ID is "%ID in the sample"
    and is left out of the organ sum unless ``blood_volume_ml`` is given, in which case it is
    scaled to "%ID in whole blood" = %ID/g of the aliquot × ρ_blood × V_blood.

    Parameters
    ----------
    table
        One row per tissue sample: organ, tissue mass (g), and the amount (or digest
        concentration + volume, or signal), with optional animal, group, time, dilution and
        dose columns.
    dose
        Injected dose of tracer per animal (mass, e.g. ``"50 ug"``); overrides a dose column.
    amount_unit
        Unit in which amounts are computed (also for digest concentrations: amount/mL).
    time_unit
        Unit of the time column, if any.
    standard_curve
        For a signal column: the curve that turns signals into amounts.
    blood_volume_ml
        Total blood volume per animal (mL; for plasma rows, the plasma volume), e.g. about
        7–8 % of body weight, ≈ 1.5–2 mL for a 20–25 g mouse. None: blood %ID stays "%ID in
        the sample".
    blood_density_g_per_ml
        Density of blood (g/mL) to turn the aliquot's mass into a volume; 1.06 by default.
    """
    if blood_volume_ml is not None and not (math.isfinite(blood_volume_ml) and blood_volume_ml > 0):
        raise SpecificationError("blood_volume", blood_volume_ml, "a positive volume in mL")
    if not (math.isfinite(blood_density_g_per_ml) and blood_density_g_per_ml > 0):
        raise SpecificationError("blood_density", blood_density_g_per_ml, "a density in g/mL")
    name = title or table.source
    organ_col = table.find(ORGAN_NAMES)
    if organ_col is None:
        raise DataFormatError(
            f"{table.source}: no organ/tissue column; columns are: {', '.join(table.columns)}"
        )
    mass = table.column(MASS_NAMES, "g", what="tissue mass")
    amount, how = _tissue_amounts(table, amount_unit, standard_curve)
    if dose is not None:
        dose_values = np.full(mass.size, _to(dose, amount_unit))
    elif table.find(DOSE_NAMES) is not None:
        dose_values = table.column(DOSE_NAMES, amount_unit, what="injected dose")
    else:
        raise SpecificationError(
            "dose",
            None,
            "the injected dose per animal, e.g. '50 ug'",
            "Give --dose or a 'dose' column.",
        )
    if np.any(mass <= 0) or np.any(~np.isfinite(mass)):
        raise DataFormatError(f"{table.source}: tissue masses must be positive numbers")
    if np.any(dose_values <= 0):
        raise DataFormatError(f"{table.source}: the dose must be positive")
    frame = pd.DataFrame(
        {
            "group": table.labels(GROUP_NAMES) or ["all"] * mass.size,
            "time": (
                table.column(TIME_NAMES, time_unit, what="time")
                if table.find(TIME_NAMES) is not None
                else np.full(mass.size, np.nan)
            ),
            "animal": table.labels(ANIMAL_NAMES) or [str(i + 1) for i in range(mass.size)],
            "organ": [str(v).strip() for v in table.frame[organ_col]],
            "mass_g": mass,
            "amount": amount,
            "pct_id": 100.0 * amount / dose_values,
        }
    )
    frame["pct_id_per_g"] = frame["pct_id"] / frame["mass_g"]
    blood = np.array([_is(o, BLOOD_WORDS) for o in frame["organ"]], dtype=bool)
    frame["pct_id_basis"] = np.where(blood, SAMPLE_BASIS, ORGAN_BASIS)
    if blood_volume_ml is not None:
        frame.loc[blood, "pct_id"] = (
            frame.loc[blood, "pct_id_per_g"] * blood_density_g_per_ml * blood_volume_ml
        )
        frame.loc[blood, "pct_id_basis"] = WHOLE_BLOOD_BASIS
    warnings: list[str] = []
    if blood.any() and blood_volume_ml is None:
        warnings.append(
            "Blood/plasma %ID is of the sampled aliquot (%ID in the sample), not of the blood "
            "pool, and is left out of the organ sum; give the total blood volume "
            "(blood_volume_ml) to report %ID in whole blood."
        )
    if (frame["amount"] < 0).any():
        warnings.append(
            f"{int((frame['amount'] < 0).sum())} sample(s) with a negative amount "
            "(signal below the standard curve's intercept)"
        )
    summary = _summary(frame)
    in_sum = frame[frame["pct_id_basis"] != SAMPLE_BASIS]
    total = in_sum.groupby(["group", "time", "animal"], dropna=False)["pct_id"].sum()
    if (total > 100.0).any():
        warnings.append(
            "the organs of some animals sum to more than 100 %ID: check the dose and units"
        )
    est, auc_rows = _delivery_estimates(summary, time_unit)
    if not any(e.name.startswith("tumor_pct_id") for e in est):
        warnings.append("no tumor organ found: tumor delivery efficiency not computed")
    tables = {
        "biodistribution": summary.to_dict("records"),
        "per sample": frame.to_dict("records"),
    }
    if auc_rows:
        tables["AUC ratios"] = auc_rows
    if standard_curve is not None:
        tables["standard curve"] = [
            {
                "slope": standard_curve.slope,
                "slope_se": standard_curve.slope_se,
                "intercept": standard_curve.intercept,
                "intercept_se": standard_curve.intercept_se,
                "r_squared": standard_curve.r_squared,
                "amount_unit": standard_curve.amount_unit,
            }
        ]
    return AnalysisResult(
        kind="biodistribution",
        title=name,
        estimates=tuple(est),
        formulas=(
            f"amount: {how}, in {amount_unit}",
            "%ID = 100·amount/dose; %ID/g = %ID/m_tissue (wet mass, g)",
            (
                "blood/plasma: %ID in whole blood = %ID/g of the aliquot × ρ_blood × V_blood, "
                f"ρ_blood = {blood_density_g_per_ml:g} g/mL, V_blood = {blood_volume_ml:g} mL "
                "(given); included in the organ sum"
                if blood_volume_ml is not None
                else "blood/plasma: %ID in the sample (of the aliquot harvested, not of the "
                "blood pool); left out of the organ sum (give the total blood volume to scale)"
            ),
            "group summary: mean ± SD (n − 1) over animals per group, time and organ",
            "tumor delivery efficiency = tumor %ID (mean over animals); the estimate's SE is SD/√n",
            "AUC ratio = AUC_tumor/AUC_blood of the mean %ID/g vs time, linear trapezoid "
            "over the sampled times (no extrapolation)",
        ),
        warnings=tuple(warnings),
        panels=_panels(summary, name, time_unit),
        tables=tables,
        provenance={
            "source": table.source,
            "amount_unit": amount_unit,
            "dose": None if dose is None else f"{dose:~P}",
            "blood_volume_ml": blood_volume_ml,
            "blood_density_g_per_ml": blood_density_g_per_ml,
        },
    )


def _summary(frame: pd.DataFrame) -> pd.DataFrame:
    grouped = frame.groupby(["group", "time", "organ"], sort=False, dropna=False)
    out = grouped.agg(
        n=("pct_id", "size"),
        pct_id_mean=("pct_id", "mean"),
        pct_id_sd=("pct_id", "std"),
        pct_id_per_g_mean=("pct_id_per_g", "mean"),
        pct_id_per_g_sd=("pct_id_per_g", "std"),
        pct_id_basis=("pct_id_basis", "first"),
    ).reset_index()
    out["n"] = out["n"].astype(int)
    return out


def _is(organ: str, words: tuple[str, ...]) -> bool:
    return any(w in organ.lower() for w in words)


def _delivery_estimates(
    summary: pd.DataFrame, time_unit: str
) -> tuple[list[Estimate], list[dict[str, Any]]]:
    est: list[Estimate] = []
    rows: list[dict[str, Any]] = []
    for (group, time), part in summary.groupby(["group", "time"], sort=False, dropna=False):
        when = "" if pd.isna(time) else f" at {time:g} {time_unit}"
        key = f"{group}" + ("" if pd.isna(time) else f"_{time:g}{time_unit}")
        for _, row in part[[_is(o, TUMOR_WORDS) for o in part["organ"]]].iterrows():
            n, sd = int(row["n"]), float(row["pct_id_sd"])
            est.append(
                Estimate(
                    f"tumor_pct_id[{key}]",
                    float(row["pct_id_mean"]),
                    "%ID",
                    stderr=sd / math.sqrt(n) if n > 1 else None,
                    label=f"tumor delivery efficiency, {group}{when}",
                    note=f"mean ± SD = {row['pct_id_mean']:.4g} ± {sd:.3g} (n = {n})",
                )
            )
            est.append(
                Estimate(
                    f"tumor_pct_id_per_g[{key}]",
                    float(row["pct_id_per_g_mean"]),
                    "%ID/g",
                    stderr=float(row["pct_id_per_g_sd"]) / math.sqrt(n) if n > 1 else None,
                    label=f"tumor %ID/g, {group}{when}",
                )
            )
    for group, part in summary.groupby("group", sort=False):
        times = part["time"].dropna().unique()
        if times.size < 2:
            continue
        auc = {}
        for label, words in (("tumor", TUMOR_WORDS), ("blood", BLOOD_WORDS)):
            rows_o = part[[_is(o, words) for o in part["organ"]]].sort_values("time")
            if rows_o["time"].nunique() >= 2:
                auc[label] = float(np.trapezoid(rows_o["pct_id_per_g_mean"], rows_o["time"]))
        if len(auc) == 2 and auc["blood"] > 0:
            ratio = auc["tumor"] / auc["blood"]
            rows.append(
                {
                    "group": group,
                    "auc_tumor": auc["tumor"],
                    "auc_blood": auc["blood"],
                    "ratio": ratio,
                    "unit": f"%ID/g·{time_unit}",
                }
            )
            est.append(
                Estimate(
                    f"auc_ratio_tumor_blood[{group}]",
                    ratio,
                    "",
                    label=f"AUC_tumor/AUC_blood, {group}",
                    note="mean %ID/g profiles, linear trapezoid",
                )
            )
    return est, rows


def _panels(summary: pd.DataFrame, title: str, time_unit: str) -> tuple[Panel, ...]:
    title = os.path.basename(title)  # panel titles: the file name, not its path
    last_time = summary["time"].max()
    latest = summary if pd.isna(last_time) else summary[summary["time"] == last_time]
    series = []
    for i, ((group, organ), row) in enumerate(latest.set_index(["group", "organ"]).iterrows()):
        label = organ if latest["group"].nunique() == 1 else f"{organ} ({group})"
        sd = row["pct_id_per_g_sd"]
        series.append(
            Series(
                np.array([float(i)]),
                np.array([row["pct_id_per_g_mean"]]),
                label,
                "bar",
                np.array([0.0 if pd.isna(sd) else sd]),
            )
        )
    when = "" if pd.isna(last_time) else f" at {last_time:g} {time_unit}"
    panels = [Panel(tuple(series), "organ", "%ID/g (mean ± SD)", f"{title}{when}")]
    if summary["time"].nunique() >= 2:
        course = []
        for (group, organ), part in summary.groupby(["group", "organ"], sort=False):
            part = part.sort_values("time")
            sd = part["pct_id_per_g_sd"].fillna(0.0).to_numpy(dtype=float)
            course.append(
                Series(
                    part["time"].to_numpy(dtype=float),
                    part["pct_id_per_g_mean"].to_numpy(dtype=float),
                    f"{organ} ({group})",
                    "errorbar",
                    sd,
                )
            )
        panels.append(
            Panel(
                tuple(course), f"time ({time_unit})", "%ID/g (mean ± SD)", f"{title}: time course"
            )
        )
    return tuple(panels)
