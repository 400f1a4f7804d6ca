"""Regenerate the synthetic efficacy example files (seeded; run from this folder).

tumor_growth.csv: V_ij = V0_i·exp(k_i·t_j)·exp(e_ij), log V0_i ~ N(log 100 mm³, 0.2²),
k_i ~ N(k_g, 0.01²) per day with k_g = 0.15 (Vehicle), 0.10 (Free drug), 0.05 (CM-NP),
e_ij ~ N(0, 0.10²); diameters from V = L·W²/2 with L/W ~ U(1.2, 1.6), rounded to 0.1 mm;
animals are removed after their volume first exceeds 2000 mm³ (humane endpoint).
Body weight: 20 g·(1 + d_g·t + N(0, 0.01²)), d_g = +0.4, −0.2, +0.1 %/day.

survival.csv: exponential event times with hazards 0.10, 0.05, 0.025 per day (hazard ratios
0.5 and 0.25 against Vehicle), 10 animals per group, administrative censoring at 60 days.
"""

import numpy as np

rng = np.random.default_rng(20240611)
groups = {"Vehicle": (0.15, 0.004), "Free drug": (0.10, -0.002), "CM-NP": (0.05, 0.001)}
days = np.arange(0, 22, 3)
lines = ["animal,group,day,length (mm),width (mm),body weight (g)"]
for g_index, (group, (rate, drift)) in enumerate(groups.items()):
    for a in range(8):
        animal = f"M{g_index + 1}{a + 1:02d}"
        v0 = np.exp(rng.normal(np.log(100.0), 0.2))
        k = rng.normal(rate, 0.01)
        ratio = rng.uniform(1.2, 1.6)
        for t in days:
            v = v0 * np.exp(k * t + rng.normal(0.0, 0.10))
            w = (2.0 * v / ratio) ** (1.0 / 3.0)
            length = ratio * w
            bw = 20.0 * (1.0 + drift * t + rng.normal(0.0, 0.01))
            lines.append(f"{animal},{group},{t},{length:.1f},{w:.1f},{bw:.2f}")
            if length * w * w / 2.0 > 2000.0:
                break
with open("tumor_growth.csv", "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")

lines = ["animal,group,time (day),event"]
for g_index, (group, hazard) in enumerate(
    {"Vehicle": 0.10, "Free drug": 0.05, "CM-NP": 0.025}.items()
):
    for a in range(10):
        t = rng.exponential(1.0 / hazard)
        event = int(t <= 60.0)
        lines.append(f"S{g_index + 1}{a + 1:02d},{group},{min(t, 60.0):.1f},{event}")
with open("survival.csv", "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
