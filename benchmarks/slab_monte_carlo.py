"""Photons per second of the CPU slab Monte Carlo: numpy (vectorised) against numba (compiled).

Medium: μ_a 0.05 mm⁻¹, μ_s' 1.0 mm⁻¹, g 0.9, n 1.37 under air, semi-infinite, broad beam,
0.25-mm bins to 15 mm (the diffusion check of ``tests/reference/test_slab_mc_diffusion.py``).
The numba engine runs batches in parallel on all cores; its compile time is excluded.

Run: ``.venv/bin/python benchmarks/slab_monte_carlo.py [--photons N]``.
"""

from __future__ import annotations

import argparse
import math
import os
import time

from nanocloak.kernels.optics.slab_monte_carlo import numba_available, run_slab_monte_carlo


def _run(engine: str, photons: int) -> tuple[float, float]:
    start = time.perf_counter()
    res = run_slab_monte_carlo(0.05, 1.0, 0.9, math.inf, n_photons=photons, bin_mm=0.25,
                               depth_max_mm=15.0, n_batches=32, rng=1,
                               engine=engine)  # type: ignore[arg-type]  # fmt: skip
    return time.perf_counter() - start, res.reflectance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photons", type=int, default=100_000)
    args = parser.parse_args()
    engines = ["numpy"] + (["numba"] if numba_available() else [])
    print(f"{args.photons} packets, {os.cpu_count()} cores")
    for engine in engines:
        if engine == "numba":
            _run(engine, 64)  # compile
        seconds, reflectance = _run(engine, args.photons)
        rate = args.photons / seconds
        print(f"{engine:>6}: {seconds:7.2f} s  {rate:10.0f} photons/s  R_d = {reflectance:.4f}")
    if len(engines) == 1:
        print(" numba: not installed")


if __name__ == "__main__":
    main()
