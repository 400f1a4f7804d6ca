"""Regenerate the synthetic example files of this folder (seeded; run from the repo root).

.venv/bin/python examples/data/release/generate_synthetic.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nanocloak.kernels.release import first_order, weibull

HERE = Path(__file__).parent
rng = np.random.default_rng(20240607)

# 1. Cumulative release (%) of two formulations, 3 replicates, 2 % (absolute) Gaussian noise.
times_h = [0.25, 0.5, 1, 2, 4, 6, 8, 12, 24, 48]
rows = ["formulation,replicate,Time (h),Released (%)"]
truth = {
    "DOX@Fe3O4-RBC": lambda t: weibull(t, alpha=4.0, beta=0.7),
    "DOX@Fe3O4-PEG": lambda t: first_order(t, k1=0.35, fmax=92.0),
}
for name, law in truth.items():
    for rep in (1, 2, 3):
        values = law(np.array(times_h)) + rng.normal(0.0, 2.0, len(times_h))
        rows += [f"{name},{rep},{t:g},{v:.2f}" for t, v in zip(times_h, values, strict=True)]
(HERE / "release_two_formulations.csv").write_text("\n".join(rows) + "\n")

# 2. Dialysis concentrations (ug/mL) with 1 mL of 20 mL withdrawn and replaced each time;
#    0.5 mg loaded; true release first-order k1 = 0.2 1/h to 90 %; 1 % CV noise.
v0, vs, dose_mg = 20.0, 1.0, 0.5
rows = ["replicate,Time (h),Concentration (ug/mL)"]
for rep in (1, 2, 3):
    released_mg = dose_mg * first_order(np.array(times_h), k1=0.2, fmax=90.0) / 100.0
    conc: list[float] = []
    for m in released_mg:  # invert M_n = V0*C_n + Vs*sum_{i<n} C_i
        conc.append((m - vs * sum(conc)) / v0)
    noisy = np.array(conc) * (1 + rng.normal(0.0, 0.01, len(conc))) * 1000.0  # ug/mL
    rows += [f"{rep},{t:g},{c:.4f}" for t, c in zip(times_h, noisy, strict=True)]
(HERE / "release_dialysis_concentrations.csv").write_text("\n".join(rows) + "\n")

# 3. Loading replicates: 1 mg DOX fed to 5 mg Fe3O4 cores, 1 mg membrane protein.
rows = ["formulation,replicate,Fed (mg),Free (mg),Loaded (mg),Carrier (mg),Membrane (mg)"]
for name, ee in (("DOX@Fe3O4-RBC", 0.72), ("DOX@Fe3O4-PEG", 0.55)):
    for rep in (1, 2, 3, 4):
        e = ee + rng.normal(0.0, 0.02)
        free = 1.0 * (1 - e)
        loaded = 1.0 * e * (1 + rng.normal(0.0, 0.02))
        rows.append(f"{name},{rep},1.000,{free:.4f},{loaded:.4f},5.000,1.000")
(HERE / "loading_replicates.csv").write_text("\n".join(rows) + "\n")
