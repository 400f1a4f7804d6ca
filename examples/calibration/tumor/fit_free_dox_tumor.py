"""Fit the tumor uptake and binding of free doxorubicin to Laginha et al. 2005 (4T1, 9 mg/kg).

Data: ``laginha2005_free_dox_4t1.csv`` holds the numbers of Table 1 of Laginha KM, Verwoert S,
Charrois GJR, Allen TM, Clin Cancer Res 2005;11:6944 (doi:10.1158/1078-0432.CCR-05-0343),
read from https://aacrjournals.org/view-large/8877411: total and nuclear tumor doxorubicin
(µeq/g, taken as µg/g) after 9 mg/kg free DOX IV in mice with orthotopic 4T1 tumors. Facts,
not copyrightable expression; cited for provenance.

The plasma biexponential is held at the (unverified) values of ``tumor_response.yaml``; the
four tumor rates k_in, k_out, k_on, k_off are fitted with lmfit so that the model's total Cmax,
nuclear (bound) concentration at the nuclear Tmax, total AUC(0-24 h) and nuclear AUC(0-24 h)
match the table (relative residuals). Run ``python fit_free_dox_tumor.py`` to print the fit;
``tumor_response.yaml`` stores the result and a test re-runs this fit.
"""

from __future__ import annotations

import csv
from pathlib import Path

import lmfit
import numpy as np

from nanocloak.kernels.tumor.free_drug import FreeDrugPk, TumorDrugExchange, free_drug_tumor

HERE = Path(__file__).resolve().parent
DATA = HERE / "laginha2005_free_dox_4t1.csv"


def read_targets(path: Path = DATA) -> dict[str, float]:
    """``{"cmax_total": ..., "tmax_nuclear": ..., ...}`` from the CSV."""
    with path.open(encoding="utf-8") as handle:
        return {f"{r['quantity']}_{r['pool']}": float(r["value"]) for r in csv.DictReader(handle)}


def build(params: dict[str, float], plasma: dict[str, float]) -> FreeDrugPk:
    """Free-drug PK from fitted tumor rates (1/h, mL/g/h) and plasma constants."""
    exchange = TumorDrugExchange(params["k_out"], params["k_on"], params["k_off"])
    return FreeDrugPk(
        plasma["a"],
        np.log(2.0) / plasma["t_half_alpha_h"],
        plasma["b"],
        np.log(2.0) / plasma["t_half_beta_h"],
        params["k_in"],
        exchange,
    )


def tumor_metrics(
    pk: FreeDrugPk, dose_mg_per_kg: float, t_total: float, t_nuclear: float
) -> tuple[float, float, float, float]:
    """Total C(t_total), bound C(t_nuclear), total and bound AUC(0-24 h) (µg/g, µg h/g)."""
    t = np.unique(np.concatenate([np.linspace(0.0, 24.0, 481), [t_total, t_nuclear]]))
    free, bound = free_drug_tumor(t, np.zeros(1), np.array([dose_mg_per_kg]), pk)
    i_tot, i_nuc = np.searchsorted(t, t_total), np.searchsorted(t, t_nuclear)
    return (
        float(free[i_tot] + bound[i_tot]),
        float(bound[i_nuc]),
        float(np.trapezoid(free + bound, t)),
        float(np.trapezoid(bound, t)),
    )


def fit(
    plasma: dict[str, float], targets: dict[str, float] | None = None
) -> lmfit.minimizer.MinimizerResult:
    """Least-squares fit of k_in, k_out, k_on, k_off (relative residuals)."""
    tg = read_targets() if targets is None else targets
    observed = np.array(
        [tg["cmax_total"], tg["cmax_nuclear"], tg["auc_0_24h_total"], tg["auc_0_24h_nuclear"]]
    )

    def residual(p: lmfit.Parameters) -> np.ndarray:
        pk = build(p.valuesdict(), plasma)
        model = tumor_metrics(pk, tg["dose_iv_bolus"], tg["tmax_total"], tg["tmax_nuclear"])
        out: np.ndarray = (np.array(model) - observed) / observed
        return out

    start = lmfit.Parameters()
    start.add("k_in", 10.0, min=1e-3, max=1e3)
    start.add("k_out", 10.0, min=1e-3, max=1e3)
    start.add("k_on", 0.5, min=1e-4, max=1e3)
    start.add("k_off", 0.03, min=1e-4, max=10.0)
    return lmfit.minimize(residual, start)


if __name__ == "__main__":
    from nanocloak.knowledge.tumor import free_dox_plasma

    result = fit(free_dox_plasma())
    print(lmfit.fit_report(result))
