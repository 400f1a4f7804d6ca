"""Review fixes across the analyses: batch-stable PK units, stated unit assumptions, the
relaxivity concentration basis, blood %ID, the Weibull β = 1 label and the shared helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from uncertainties import ufloat

from nanocloak.analysis.biodistribution import biodistribution
from nanocloak.analysis.compartmental import fit_iv_bolus_table
from nanocloak.analysis.nca import nca, nca_table, ratio_unit
from nanocloak.analysis.relaxivity import analyze_relaxivity
from nanocloak.analysis.release.metrics import weibull_mechanism
from nanocloak.analysis.release.tables import release_from_table
from nanocloak.analysis.survival import analyze_survival
from nanocloak.analysis.tumor_growth import analyze_tumor_growth
from nanocloak.analysis.uncertainty import estimate_from_ufloat, fit_line
from nanocloak.errors import DataFormatError
from nanocloak.io.tables import table_from_rows
from nanocloak.units import parse_quantity

T_H = np.array([0.5, 1, 2, 4, 8, 12, 24])


# --- 3. NCA units chosen once from the units -------------------------------------------------


@pytest.mark.parametrize(
    ("dose_unit", "conc_unit", "cl_unit", "cl_factor", "v_unit", "v_factor"),
    [
        ("mg", "mg/L", "L/h", 1.0, "L", 1.0),
        # 1 ug/(ug/mL)/h = 1 mL/h = 1e-3 L/h: before, mL/h was chosen here (factor nearest 1)
        ("ug", "ug/mL", "L/h", 1e-3, "L", 1e-3),
        ("mg", "ng/mL", "L/h", 1e3, "L", 1e3),
        ("mg/kg", "ug/mL", "L/h/kg", 1.0, "L/kg", 1.0),
    ],
)
def test_ratio_unit_is_canonical_and_independent_of_magnitude(
    dose_unit: str, conc_unit: str, cl_unit: str, cl_factor: float, v_unit: str, v_factor: float
) -> None:
    assert ratio_unit(dose_unit, conc_unit, "h", per_time=True) == (
        cl_unit,
        pytest.approx(cl_factor),
    )
    assert ratio_unit(dose_unit, conc_unit, "h", per_time=False) == (
        v_unit,
        pytest.approx(v_factor),
    )


def test_clearance_units_are_identical_across_a_batch() -> None:
    """Two subjects a thousand-fold apart in dose/AUC get the same CL and V units."""
    units = set()
    for dose in (0.001, 1000.0):
        r = nca(
            T_H, 10 * np.exp(-0.2 * T_H), dose, route="iv-bolus", dose_unit="ug", conc_unit="ug/mL"
        )
        units.add((r["cl_obs"].unit, r["vz_obs"].unit))
        # CL = dose/AUC∞ with AUC∞ = 50 ug·h/mL: dose/50 mL/h = dose/50 × 1e-3 L/h
        assert r.value("cl_obs") == pytest.approx(dose / 50 * 1e-3, rel=1e-3)
    assert units == {("L/h", "L")}


# --- 4. assumed units are warned and recorded -------------------------------------------------


def test_nca_table_states_the_assumed_concentration_and_dose_units() -> None:
    rows: list[list[object]] = [["time (h)", "conc", "dose"]]
    rows += [[t, 10 * math.exp(-0.2 * t), 100] for t in T_H]
    r = nca_table(table_from_rows(rows, "no units"))
    assert r.provenance["assumed_units"] == {"conc": "mg/L", "dose": "mg"}
    assert any("'conc'" in w and "mg/L" in w for w in r.warnings)
    assert any("'dose'" in w and "assumed mg" in w for w in r.warnings)
    given = [["time (h)", "conc (mg/L)"], *[[t, 10 * math.exp(-0.2 * t)] for t in T_H]]
    stated = nca_table(table_from_rows(given, "units"), dose=parse_quantity("1 mg", "mg", "d"))
    assert "assumed_units" not in stated.provenance
    fit = fit_iv_bolus_table(table_from_rows(rows, "no units"))
    assert fit.provenance["assumed_units"] == {"conc": "mg/L", "dose": "mg"}


def test_tumor_growth_states_assumed_caliper_and_weight_units() -> None:
    rows: list[list[object]] = [["animal", "group", "day", "length", "width", "body weight"]]
    for g, group in enumerate(("Vehicle", "Drug")):
        for a in range(3):
            for day in (0, 7, 14):
                size = 5.0 + day * (0.6 if g == 0 else 0.2) + 0.1 * a + 0.05 * ((day + a) % 3)
                rows.append([f"{g}{a}", group, day, size, size * 0.8, 20.0])
    r = analyze_tumor_growth(table_from_rows(rows, "no units"), random_effects="intercept")
    assumed = r.provenance["assumed_units"]
    assert assumed == {"length": "mm", "width": "mm", "body weight": "g"}
    assert "day" not in assumed  # the name says days
    assert any("'length'" in w and "assumed mm" in w for w in r.warnings)


def test_release_and_survival_state_assumed_units() -> None:
    rows: list[list[object]] = [["time (h)", "released"]]
    rows += [[t, 100 * (1 - math.exp(-0.3 * t))] for t in (0.5, 1, 2, 4, 6, 8, 12)]
    r = release_from_table(table_from_rows(rows, "release"), models=["first_order"])
    assert r.provenance["assumed_units"] == {"released": "percent"}
    surv_rows: list[list[object]] = [["group", "time", "event"]]
    surv_rows += [["A", t, 1] for t in (3, 5, 8, 9)] + [["B", t, 1] for t in (6, 9, 12, 15)]
    s = analyze_survival(table_from_rows(surv_rows, "surv"))
    assert s.provenance["assumed_units"] == {"time": "day"}
    assert any("'time'" in w and "assumed day" in w for w in s.warnings)


# --- 5. relaxivity: the mass basis must be known ----------------------------------------------


def _mass_rows(header: str, molar_mass: float, per_unit: int) -> list[list[object]]:
    """R1 = 0.5 + 10·[Fe] (mM) with the concentration written as a mass concentration."""
    rows: list[list[object]] = [[header, "T1 (s)"]]
    for fe_mm in (0.0, 0.1, 0.2, 0.4, 0.8):
        rows.append([fe_mm / per_unit * molar_mass, 1.0 / (0.5 + 10.0 * fe_mm)])
    return rows


def test_mass_concentration_needs_an_iron_name_or_a_basis() -> None:
    unnamed = table_from_rows(_mass_rows("concentration (ug/mL)", 55.845, 1), "unnamed")
    with pytest.raises(DataFormatError, match="basis"):
        analyze_relaxivity(unnamed)
    assert analyze_relaxivity(unnamed, basis="Fe").value("r1") == pytest.approx(10.0, rel=1e-9)
    named = table_from_rows(_mass_rows("iron (ug/mL)", 55.845, 1), "named")
    assert analyze_relaxivity(named).value("r1") == pytest.approx(10.0, rel=1e-9)


def test_magnetite_basis_uses_231_53_g_per_mol_and_3_fe() -> None:
    """1 mM Fe = 1/3 mM Fe3O4 = 231.53/3 mg/L of magnetite."""
    table = table_from_rows(_mass_rows("concentration (mg/L)", 231.53, 3), "magnetite")
    r = analyze_relaxivity(table, basis="Fe3O4")
    assert r.value("r1") == pytest.approx(10.0, rel=1e-9)
    assert any("231.53" in f and "3 Fe" in f for f in r.formulas)
    assert r.provenance["concentration_basis"] == "Fe3O4"


def test_relaxivity_formulas_say_the_weights_are_relative() -> None:
    rows: list[list[object]] = [["Fe (mM)", "T1 (ms)"]]
    rows += [
        [c, 1e3 / (0.5 + 10 * c) * (1 + 0.01 * (-1) ** i)]
        for i, c in enumerate((0.0, 0.1, 0.2, 0.4, 0.8))
    ]
    r = analyze_relaxivity(table_from_rows(rows, "w"), weighting="relative")
    assert any("weights are relative" in f for f in r.formulas)


# --- 6. blood %ID ------------------------------------------------------------------------------


def _bio_rows() -> list[list[object]]:
    return [
        ["Mouse", "Organ", "Tissue mass (g)", "Amount (ug)", "Dose (ug)"],
        ["m1", "liver", 1.0, 40.0, 100],
        ["m1", "spleen", 0.1, 10.0, 100],
        ["m1", "blood", 0.05, 1.0, 100],
    ]


def test_blood_is_percent_id_in_the_sample_unless_a_blood_volume_is_given() -> None:
    r = biodistribution(table_from_rows(_bio_rows(), "b"))
    rows = {row["organ"]: row for row in r.tables["biodistribution"]}
    assert rows["blood"]["pct_id_basis"] == "%ID in the sample"
    assert rows["blood"]["pct_id_mean"] == pytest.approx(1.0)
    assert any("%ID in the sample" in w for w in r.warnings)
    # whole blood: 20 %ID/g × 1.06 g/mL × 2 mL = 42.4 %ID; the organ sum exceeds 100 %
    scaled = biodistribution(table_from_rows(_bio_rows(), "b"), blood_volume_ml=2.0)
    rows = {row["organ"]: row for row in scaled.tables["biodistribution"]}
    assert rows["blood"]["pct_id_basis"] == "%ID in whole blood"
    assert rows["blood"]["pct_id_mean"] == pytest.approx(20.0 * 1.06 * 2.0)
    assert rows["blood"]["pct_id_per_g_mean"] == pytest.approx(20.0)
    assert not any("%ID in the sample" in w for w in scaled.warnings)
    big = biodistribution(table_from_rows(_bio_rows(), "b"), blood_volume_ml=5.0)
    assert any("more than 100 %ID" in w for w in big.warnings)
    assert not any("more than 100 %ID" in w for w in r.warnings)


# --- 7. Weibull β = 1 -----------------------------------------------------------------------


def test_weibull_beta_one_is_first_order() -> None:
    assert weibull_mechanism(1.0).startswith("first-order")
    assert weibull_mechanism(0.9).startswith("Fickian diffusion with case-II")
    assert weibull_mechanism(1.2).startswith("complex mechanism (β > 1)")


# --- 10. shared helpers -----------------------------------------------------------------------


def test_estimate_from_ufloat_normal_and_t_intervals() -> None:
    e = estimate_from_ufloat("x", ufloat(2.0, 0.5), "m", 0.95, label="x")
    assert e.ci == pytest.approx((2.0 - 1.959964 * 0.5, 2.0 + 1.959964 * 0.5))
    t = estimate_from_ufloat("x", ufloat(2.0, 0.5), "m", 0.95, dof=4)
    assert t.ci == pytest.approx((2.0 - 2.776445 * 0.5, 2.0 + 2.776445 * 0.5))
    exact = estimate_from_ufloat("x", 3.0, "m")
    assert exact.stderr is None
    assert exact.ci is None
    scaled = estimate_from_ufloat("x", ufloat(2.0, 0.5), "mm", scale=1e3, with_ci=False)
    assert (scaled.value, scaled.stderr, scaled.ci) == (2000.0, 500.0, None)


def test_fit_line_matches_the_textbook_least_squares_line() -> None:
    """y = 1 + 2x + (−0.1, 0.1, 0.1, −0.1): slope Sxy/Sxx = 2, intercept 1 (symmetric noise)."""
    x = np.array([0.0, 1.0, 2.0, 3.0, np.nan])
    y = np.array([0.9, 3.1, 5.1, 6.9, 1.0])
    line = fit_line(x, y)
    assert line is not None
    assert line.n == 4
    assert float(line.slope.nominal_value) == pytest.approx(2.0)
    assert float(line.intercept.nominal_value) == pytest.approx(1.0)
    # residual SD √(0.04/2), SE(slope) = s/√Sxx = √0.02/√5
    assert float(line.slope.std_dev) == pytest.approx(math.sqrt(0.02 / 5))
    assert line.slope_ci[0] < 2.0 < line.slope_ci[1]
    assert fit_line(np.array([1.0, 1.0]), np.array([1.0, 2.0])) is None
