"""Regenerate the synthetic characterization examples (seeded; run from the repository root)."""

from pathlib import Path

import flowio
import numpy as np

HERE = Path(__file__).resolve().parent
rng = np.random.default_rng(2024)


def write(name: str, lines: list[str]) -> None:
    (HERE / name).write_text("\n".join(lines) + "\n")


# DLS: g2 = 1 + β·g1², g1 a Gaussian mixture of decay rates around the Γ̄ of a 120 nm sphere
# (633 nm, 173°, water at 25 °C), relative width √PDI = √0.12; noise SD 1e-3 on g2.
kT = 1.380649e-23 * 298.15
eta = 0.02414e-3 * 10 ** (247.8 / (298.15 - 140.0))
q = 4 * np.pi * 1.330 / 633e-9 * np.sin(np.radians(173.0) / 2)
gamma_mean = kT / (3 * np.pi * eta * 120e-9) * q**2
rates = gamma_mean * (1 + np.sqrt(0.12) * np.linspace(-2.5, 2.5, 41))
weights = np.exp(-0.5 * np.linspace(-2.5, 2.5, 41) ** 2)
tau_us = np.geomspace(0.5, 1e5, 150)
lines = ["run,tau (us),g2"]
for run in (1, 2, 3):
    g1 = (weights[:, None] * np.exp(-rates[:, None] * tau_us * 1e-6)).sum(0) / weights.sum()
    g2 = 1 + 0.92 * g1**2 + rng.normal(0, 1e-3, tau_us.size)
    lines += [f"{run},{t:.4g},{g:.6f}" for t, g in zip(tau_us, g2, strict=True)]
write("dls_correlation_rbc_np.csv", lines)

lines = ["sample,Z-average (nm),PDI"]
for sample, z, pdi in (("Fe3O4 core", 98.0, 0.11), ("RBC-Fe3O4", 114.0, 0.15)):
    for _ in range(3):
        lines.append(f"{sample},{z + rng.normal(0, 1.5):.1f},{pdi + rng.normal(0, 0.01):.3f}")
write("dls_sizes_core_vs_coated.csv", lines)

# Zeta: mobilities in 10 mM NaCl, 25 °C; bare cores −2.6, RBC-coated −1.9 µm·cm/(V·s).
lines = ["sample,mobility (um*cm/V/s)"]
for sample, mu in (("Fe3O4 core", -2.6), ("RBC-Fe3O4", -1.9)):
    lines += [f"{sample},{mu + rng.normal(0, 0.06):.3f}" for _ in range(3)]
write("zeta_mobility.csv", lines)

# FRET: DiI/DiD-labelled RBC membrane (baseline 100), fused 1:1 and 1:3 with cancer-cell
# membrane, Triton X-100 (250), donor-only DiI membrane (310); triplicate readings.
lines = ["sample,donor (a.u.),acceptor (a.u.)"]
for sample, donor, acceptor in (
    ("RBC labelled", 100.0, 180.0),
    ("RBC + 4T1 1:1", 160.0, 120.0),
    ("RBC + 4T1 1:3", 205.0, 80.0),
    ("Triton X-100", 250.0, 40.0),
    ("DiI only", 310.0, 5.0),
):
    for _ in range(3):
        lines.append(
            f"{sample},{donor * (1 + rng.normal(0, 0.03)):.1f},"
            f"{acceptor * (1 + rng.normal(0, 0.03)):.1f}"
        )
write("fret_fusion.csv", lines)

# Western blot: integrated densities of CD47 and Na+/K+-ATPase, loading control β-actin.
lines = ["protein,sample,lane,target,target background,loading,loading background"]
lane = 0
for protein, levels in (
    ("CD47", {"RBC ghosts": 1.0, "RBC-Fe3O4": 0.85, "Fe3O4 core": 0.02}),
    ("Na/K-ATPase", {"RBC ghosts": 1.0, "RBC-Fe3O4": 0.9, "Fe3O4 core": 0.03}),
):
    for sample, level in levels.items():
        for _ in range(3):
            lane += 1
            loading = 20000 * (1 + rng.normal(0, 0.08))
            target = 15000 * level * loading / 20000 * (1 + rng.normal(0, 0.06))
            lines.append(
                f"{protein},{sample},{lane},{target + 800:.0f},800,{loading + 600:.0f},600"
            )
write("western_markers.csv", lines)

# Flow cytometry: log-normal DiD fluorescence of macrophages (5000 events per file).
# Uptake of bare vs RBC-coated NPs: sample rbc_np, control bare_np, background cells_only.
for name, median in (
    ("cells_only", 120.0),
    ("bare_np", 2400.0),
    ("rbc_np", 650.0),
):
    fsc = rng.normal(50000, 8000, 5000)
    ssc = rng.normal(20000, 4000, 5000)
    fl = rng.lognormal(np.log(median), 0.6, 5000)
    with open(HERE / f"flow_{name}.fcs", "wb") as handle:
        flowio.create_fcs(
            handle,
            np.column_stack([fsc, ssc, fl]).flatten().tolist(),
            ["FSC-A", "SSC-A", "FL4-A"],
            opt_channel_names=["", "", "DiD"],
        )

lines = ["sample,MFI,% positive"]
for sample, mfi, pos in (
    ("cells only", 120, 1.0),
    ("bare NP", 2400, 95.0),
    ("RBC-NP", 650, 60.0),
):
    for _ in range(3):
        lines.append(
            f"{sample},{mfi * (1 + rng.normal(0, 0.08)):.0f},"
            f"{min(pos * (1 + rng.normal(0, 0.05)), 100):.1f}"
        )
write("flow_mfi_replicates.csv", lines)

# CTC capture: 4T1 cells spiked into blood, captured by membrane-coated immunomagnetic beads.
lines = ["beads,run,spiked,captured,WBC,WBC input"]
for beads, ce, wbc in (("antibody beads", 0.92, 900), ("leukocyte-membrane beads", 0.90, 120)):
    for run in (1, 2, 3):
        captured = rng.binomial(200, ce)
        lines.append(f"{beads},{run},200,{captured},{rng.poisson(wbc)},5000000")
write("ctc_capture.csv", lines)
