"""Regenerate the synthetic magnetic-heating example curves (lumped model, seeded noise).

Run from the repository root: ``python examples/data/magnetic_heating/generate.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nanocloak.kernels.thermal import lumped

HERE = Path(__file__).parent
C_J_PER_K = 4.18  # 1 mL water-based ferrofluid × 4.18 J g⁻¹ K⁻¹
HS_W_PER_K = 0.005  # τ = 836 s (insulated vial)
AMBIENT_C = 25.0
NP_MASS_G = 1e-3  # 1 mg Fe in the vial
NOISE_K = 0.05


def curve(sar_w_per_g: float, on_s: float, off_s: float, end_s: float, seed: int):
    t = np.arange(0.0, end_s + 0.5, 1.0)
    temp = lumped.lumped_temperature_c(
        t, sar_w_per_g * NP_MASS_G, C_J_PER_K, HS_W_PER_K, AMBIENT_C, on_s=on_s, off_s=off_s
    )
    return t, temp + np.random.default_rng(seed).normal(0.0, NOISE_K, t.size)


def main() -> None:
    t, temp = curve(100.0, 0.0, 600.0, 600.0, seed=1)
    rows = "\n".join(f"{a:g},{b:.3f}" for a, b in zip(t, temp, strict=True))
    (HERE / "sar_single.csv").write_text("Time (s),Temperature (°C)\n" + rows + "\n")

    lines = ["sample,Time (min),Temperature (°C)"]
    for name, sar, seed in (("A", 60.0, 2), ("B", 150.0, 3)):
        t, temp = curve(sar, 20.0, 620.0, 900.0, seed)
        lines += [f"{name},{a / 60:.5f},{b:.3f}" for a, b in zip(t, temp, strict=True)]
    (HERE / "sar_two_samples.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
