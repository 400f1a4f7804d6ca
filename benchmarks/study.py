"""Study benchmark: the README's main job, timed end to end, and where its time goes.

The main job is ``nanocloak study run examples/studies/rbc_mns_ptt.toml --out DIR`` (4 groups
x 5 animals, 3 weeks, one 808-nm laser treatment; issue 5 asks for under a minute on the
2-core machine, report included). This script

1. runs that CLI command in a fresh interpreter (``--fresh``, so no checkpoint is reused) and
   reports its wall time — what a researcher waits for, with interpreter start, imports and
   numba's cache load — and, separately, the import time of the CLI; once with the BLAS
   threads as set and once with ``OPENBLAS_NUM_THREADS=1`` (multi-threaded OpenBLAS made the
   small matrix products of the light-fluence Hankel transform ~50x slower on the shared
   2-core machine);
2. runs the same job in this process (:func:`~nanocloak.io.study_specs.load_study_spec`,
   :func:`~nanocloak.workflows.run_study.run_study` with checkpoints,
   :func:`~nanocloak.workflows.run_study.write_study`, as the CLI does) with explicit timers
   wrapped around the functions of each phase — manufacture model, PBPK solve, the
   membrane-aware PBPK layer around it, bioheat treatments (light fluence, perfusion
   calibration, the rest), tumor course, tumor biology and readouts, report, store,
   checkpoints — and prints each phase's *exclusive* time (nested phases subtracted), the
   rest being the runner's own bookkeeping (pandas tables, progress);
3. with ``--profile``, prints the functions with the largest own time (cProfile; it slows
   Python-heavy code, so the phase table comes from a run without it).

The timers wrap module attributes of the runner's modules at run time; nothing in the package
is changed. A hook whose function no longer exists is listed and skipped.

Run: ``.venv/bin/python benchmarks/study.py [--study PATH] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MAIN_JOB = ROOT / "examples" / "studies" / "rbc_mns_ptt.toml"

#: (module, attribute, phase): the functions whose time is charged to each phase.
HOOKS: tuple[tuple[str, str, str], ...] = (
    ("nanocloak.workflows.simulate_design_pk", "run_design", "manufacture model"),
    ("nanocloak.workflows.simulate_design_pk", "simulate_pk", "PBPK solve (simulate_pk)"),
    (
        "nanocloak.workflows.study_exposure",
        "simulate_design_pk",
        "PBPK membrane layer (rest of simulate_design_pk)",
    ),
    ("nanocloak.kernels.thermal.ptt", "spot_fluence", "bioheat: light fluence (optics)"),
    (
        "nanocloak.workflows.study_treatment",
        "calibrated_tumor_perfusion_per_s",
        "bioheat: tumor perfusion calibration",
    ),
    ("nanocloak.workflows.study_segments", "treat_animals", "bioheat: rest (Pennes, damage)"),
    ("nanocloak.workflows.study_segments", "simulate_tumor", "tumor course (growth + kill)"),
    ("nanocloak.workflows.study_biology", "tumor_biology", "tumor biology and readouts"),
    ("nanocloak.workflows.study_drug", "intratumoral_drug", "tumor biology and readouts"),
    ("nanocloak.workflows.study_modulation", "growth_modulation", "tumor biology and readouts"),
    ("nanocloak.workflows.study_drug", "release_bursts", "tumor biology and readouts"),
    ("nanocloak.workflows.study_biology", "body_weight_percent", "tumor biology and readouts"),
    ("nanocloak.workflows.study_imaging", "imaging_rows", "tumor biology and readouts"),
    ("nanocloak.workflows.study_biology", "lung_nodules", "tumor biology and readouts"),
    ("nanocloak.workflows.study_course", "pk_rows", "tumor biology and readouts"),
    ("nanocloak.workflows.run_study", "study_report_html", "report (HTML + figures)"),
    ("nanocloak.workflows.run_study", "save_study", "store (DuckDB + Parquet)"),
    ("nanocloak.workflows.run_study", "save_checkpoint", "checkpoints"),
    ("nanocloak.workflows.run_study", "load_checkpoint", "checkpoints"),
    ("nanocloak.workflows.run_study", "clear_checkpoints", "checkpoints"),
)


class PhaseTimer:
    """Exclusive wall time per phase of wrapped functions (nested phases are subtracted)."""

    def __init__(self) -> None:
        self.exclusive: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._children: list[float] = []

    def wrap(self, phase: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._children.append(0.0)
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                inclusive = time.perf_counter() - start
                nested = self._children.pop()
                self.exclusive[phase] = self.exclusive.get(phase, 0.0) + inclusive - nested
                self.calls[phase] = self.calls.get(phase, 0) + 1
                if self._children:
                    self._children[-1] += inclusive

        return timed

    def install(self) -> tuple[list[str], Callable[[], None]]:
        """Wrap every hook; return the hooks not found and a function that unwraps them."""
        missing, undo = [], []
        for module_name, attribute, phase in HOOKS:
            module = importlib.import_module(module_name)
            original = getattr(module, attribute, None)
            if original is None:
                missing.append(f"{module_name}.{attribute}")
                continue
            setattr(module, attribute, self.wrap(phase, original))
            undo.append((module, attribute, original))

        def restore() -> None:
            for module, attribute, original in undo:
                setattr(module, attribute, original)

        return missing, restore


def cli_wall_time(study: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds of the CLI main job in a fresh interpreter, and of importing the CLI."""
    script = Path(sys.executable).with_name("nanocloak")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "nanocloak.cli.app"]
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        done = subprocess.run(
            [*command, "study", "run", str(study), "--out", out, "--quiet", "--fresh"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **(env or {})},
        )
        wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"the CLI run failed:\n{done.stdout}\n{done.stderr}")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import nanocloak.cli.app"], check=True)
    return wall, time.perf_counter() - start


def run_job(study: Path, profile: cProfile.Profile | None) -> tuple[dict[str, float], float]:
    """The CLI's steps in this process; the wall time of each step and of the whole job."""
    from nanocloak.io.study_specs import load_study_spec
    from nanocloak.workflows.run_study import run_study, write_study

    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as out:
        if profile is not None:
            profile.enable()
        start = time.perf_counter()
        spec = load_study_spec(study)
        steps["load spec"] = time.perf_counter() - start
        mark = time.perf_counter()
        result = run_study(spec, checkpoints=out, fresh=True)
        steps["run_study"] = time.perf_counter() - mark
        mark = time.perf_counter()
        write_study(result, spec, out)
        steps["write_study"] = time.perf_counter() - mark
        total = time.perf_counter() - start
        if profile is not None:
            profile.disable()
    return steps, total


def main() -> None:
    """Time the main job and print where the time goes."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--study", type=Path, default=MAIN_JOB, help="study TOML (main job)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile top list")
    parser.add_argument("--skip-cli", action="store_true", help="skip the fresh-process CLI runs")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="OpenBLAS threads for the in-process run (set before numpy loads; default: as set)",
    )
    args = parser.parse_args()
    if args.blas_threads is not None:
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)

    print(f"nanocloak study benchmark: {args.study.resolve().relative_to(ROOT)}")
    print(
        f"CPU cores: {os.cpu_count()}; load average at start: {os.getloadavg()[0]:.2f}; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}"
    )
    if not args.skip_cli:
        print()
        for label, env in (
            ("as set", None),
            ("OPENBLAS_NUM_THREADS=1", {"OPENBLAS_NUM_THREADS": "1"}),
        ):
            wall, imports = cli_wall_time(args.study, env)
            verdict = "yes" if wall < 60.0 else "NO"
            print(
                f"CLI 'nanocloak study run ... --fresh', fresh interpreter, BLAS threads {label}: "
                f"{wall:.1f} s wall (under a minute: {verdict}); importing the CLI ~{imports:.1f} s"
            )

    timer = PhaseTimer()
    missing, restore = timer.install()
    try:
        steps, total = run_job(args.study, None)
    finally:
        restore()
    print(
        f"\nin-process run (first in this process, as a CLI run): {total:.2f} s = "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
    )
    rest = total - steps["load spec"] - sum(timer.exclusive.values())
    rows = sorted(timer.exclusive.items(), key=lambda kv: -kv[1])
    rows.append(("load spec (TOML, designs)", steps["load spec"]))
    rows.append(("runner bookkeeping (tables, pandas, rest)", rest))
    print(f"\n{'phase (exclusive wall time)':52s} {'s':>7s} {'share':>6s} {'calls':>6s}")
    for phase, seconds in rows:
        calls = timer.calls.get(phase, 1)
        print(f"{phase:52s} {seconds:7.2f} {100 * seconds / total:5.1f}% {calls:6d}")
    if missing:
        print(f"hooks not found (skipped): {', '.join(missing)}")

    if args.profile:
        profile = cProfile.Profile()
        _, profiled = run_job(args.study, profile)
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text).sort_stats("tottime")
        stats.print_stats(20)
        print(f"\ncProfile of a second run ({profiled:.2f} s under the profiler), by own time:")
        print("\n".join(line for line in text.getvalue().splitlines() if line.strip())[:6000])
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
