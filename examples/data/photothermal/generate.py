"""Regenerate the synthetic photothermal example curves (lumped model, seeded noise).

Run from the repository root: ``python examples/data/photothermal/generate.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nanocloak.kernels.thermal import lumped

HERE = Path(__file__).parent
C_J_PER_K = 4.18  # 1 g water × 4.18 J g⁻¹ K⁻¹
HS_W_PER_K = 0.010  # τ = 418 s
AMBIENT_C = 24.0
ETA = 0.55
ABSORBANCE = 0.6
BLANK_PER_W = 0.005  # Q_dis = 5 mW per W of laser power
NOISE_K = 0.05
DT_S = 2.0


def curve(power_w: float, on_s: float, off_s: float, end_s: float, absorbance: float, seed: int):
    t = np.arange(0.0, end_s + DT_S / 2, DT_S)
    heat = ETA * lumped.absorbed_power_w(power_w, absorbance) + BLANK_PER_W * power_w
    temp = lumped.lumped_temperature_c(
        t, heat, C_J_PER_K, HS_W_PER_K, AMBIENT_C, on_s=on_s, off_s=off_s
    )
    return t, temp + np.random.default_rng(seed).normal(0.0, NOISE_K, t.size)


def blank(power_w: float, seed: int):
    t = np.arange(0.0, 2400.0 + DT_S / 2, DT_S)
    temp = lumped.lumped_temperature_c(
        t, BLANK_PER_W * power_w, C_J_PER_K, HS_W_PER_K, AMBIENT_C, off_s=2400.0
    )
    return t, temp + np.random.default_rng(seed).normal(0.0, NOISE_K, t.size)


def main() -> None:
    t, temp = curve(0.4, 0.0, 900.0, 2400.0, ABSORBANCE, seed=1)
    rows = "\n".join(f"{a:g},{b:.3f}" for a, b in zip(t, temp, strict=True))
    (HERE / "pce_single_run.csv").write_text("Time (s),Temperature (°C)\n" + rows + "\n")

    t, temp = blank(1.0, seed=2)
    rows = "\n".join(f"{a:g},{b:.3f}" for a, b in zip(t, temp, strict=True))
    (HERE / "pce_blank_water.csv").write_text(
        "Time (s),Temperature (°C),Power (W)\n"
        + "\n".join(f"{r},1.0" for r in rows.splitlines())
        + "\n"
    )

    # units row under the header, a laser on/off column, 60 s of baseline, stopped at 300 s
    t, temp = curve(0.4, 60.0, 360.0, 2100.0, ABSORBANCE, seed=3)
    lines = ["time,temperature,laser", "s,°C,"]
    lines += [
        f"{a:g},{b:.3f},{'on' if 60.0 <= a < 360.0 else 'off'}"
        for a, b in zip(t, temp, strict=True)
    ]
    (HERE / "pce_laser_column.csv").write_text("\n".join(lines) + "\n")

    lines = ["run,Power (W),Time (s),Temperature (°C)"]
    for i, power in enumerate((0.1, 0.2, 0.3, 0.4)):
        t, temp = curve(power, 0.0, 2100.0, 3600.0, ABSORBANCE, seed=10 + i)
        lines += [f"P{i + 1},{power:g},{a:g},{b:.3f}" for a, b in zip(t, temp, strict=True)]
    (HERE / "pce_multi_power.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
