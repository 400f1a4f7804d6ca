"""Regenerate the synthetic relaxivity example files (seeded; run from the repository root).

Model: R_i = R_i,0 + r_i·[Fe]; inversion recovery S = |S0·(1 − 2·inv·exp(−TI/T1))| and
multi-echo S = S0·exp(−TE/T2), with Gaussian noise of 0.5 % of S0.
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
rng = np.random.default_rng(1)

# Ferumoxytol in plasma at 1.5 T (physics.md §7): r1 = 19.0, r2 = 64.9 1/(mM·s).
# R1,0 = 1/1.40 s and R2,0 = 1/0.25 s are assumed plasma values, not measured ones.
R1, R2, R10, R20 = 19.0, 64.9, 1 / 1.40, 1 / 0.25
S0, INV, NOISE = 1000.0, 0.97, 5.0
conc = [0.0, 0.025, 0.05, 0.1, 0.2, 0.4]
ti_ms = np.array([25, 50, 100, 200, 400, 800, 1600, 3200, 6400], dtype=float)
te_ms = np.arange(1, 65) * 10.0
lines = ["sample,Fe (mM),TI (ms),TE (ms),signal"]
for i, c in enumerate(conc):
    t1 = 1.0 / (R10 + R1 * c)
    t2 = 1.0 / (R20 + R2 * c)
    for ti in ti_ms:
        s = abs(S0 * (1 - 2 * INV * np.exp(-ti / 1e3 / t1)) + rng.normal(0, NOISE))
        lines.append(f"tube{i + 1},{c},{ti:g},,{s:.2f}")
    for te in te_ms:
        s = S0 * np.exp(-te / 1e3 / t2) + rng.normal(0, NOISE)
        lines.append(f"tube{i + 1},{c},,{te:g},{s:.2f}")
(HERE / "ferumoxytol_plasma_1p5T_synthetic.csv").write_text("\n".join(lines) + "\n")

# Fitted relaxation times of two formulations (long format; --group-by particle), 0.5 % CV.
rng = np.random.default_rng(2)
lines = ["particle,Fe,T1,T2", ",mM,ms,ms"]
for particle, r1, r2 in (("Fe3O4 core", 8.0, 110.0), ("RBC-Fe3O4", 6.5, 95.0)):
    for c in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5):
        t1 = 1e3 / (1 / 2.8 + r1 * c) * (1 + rng.normal(0, 0.005))
        t2 = 1e3 / (1 / 1.9 + r2 * c) * (1 + rng.normal(0, 0.005))
        lines.append(f"{particle},{c},{t1:.1f},{t2:.2f}")
(HERE / "relaxation_times_two_particles.csv").write_text("\n".join(lines) + "\n")
