"""Run a virtual in vivo study: every animal of every group, from dose to tumor response.

For each group (its own random stream, see :mod:`~nanocloak.workflows.study_animals`):

1. **Exposure** — the agent's particles through the membrane-aware PBPK model, one subject per
   animal (:mod:`~nanocloak.workflows.study_exposure`); free drug through its own PK.
2. **Tumor course** — growth law of the tumor model with each animal's factors; continuous
   kill by intratumoral free drug (Emax); instantaneous kill by each treatment (laser or
   field) at its time, computed from the animal's tumor size and particle content at that
   moment (:mod:`~nanocloak.workflows.study_segments`).
3. **Readouts** — caliper volume, body weight, survival to the volume endpoint, lung nodules,
   tumor temperature during irradiation, blood and biodistribution, imaging.

Synergy is not a term: a particle that reaches the tumor better both heats it more and
releases more drug there, and the kills compound through the same tumor volume.

Finished groups are checkpointed (atomically) under the output directory, so an interrupted
run resumes; the same spec and seed give identical results.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from nanocloak import __version__
from nanocloak.domain.study import Group, StudySpec, spec_summary
from nanocloak.io.files import write_text_atomic
from nanocloak.io.study_store import (
    checkpoint_path,
    clear_checkpoints,
    load_checkpoint,
    save_checkpoint,
    save_study,
    spec_json,
)
from nanocloak.knowledge import loader
from nanocloak.results.study import (
    ANIMAL_COLUMNS,
    ENDPOINT_COLUMNS,
    GROUP_COLUMNS,
    StudyResult,
    series_frame,
)
from nanocloak.results.study_report import study_report_html
from nanocloak.workflows.design import design as run_design
from nanocloak.workflows.study_animals import draw_factors, group_generator
from nanocloak.workflows.study_course import particle_design, simulate_group
from nanocloak.workflows.study_settings import StudySettings

Progress = Callable[[str], None]


def spec_hash(spec: StudySpec) -> str:
    """SHA-256 of the canonical JSON of the spec (designs inlined)."""
    return hashlib.sha256(spec_json(spec).encode("utf-8")).hexdigest()


def checkpoint_key(spec: StudySpec, settings: StudySettings) -> str:
    """Key of a run's checkpoints: the spec, the numerical settings and the package version
    (a resume with other settings or after an upgrade starts afresh)."""
    text = f"{spec_json(spec)}|{json.dumps(settings.describe(), sort_keys=True)}|{__version__}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clear_run_checkpoints(
    directory: str | Path, spec: StudySpec, settings: StudySettings | None = None
) -> None:
    """Remove the checkpoints of a run once its results are stored."""
    clear_checkpoints(directory, checkpoint_key(spec, settings or StudySettings()))


def total_work(spec: StudySpec) -> int:
    """Units of progress a run reports: one per group plus one per animal."""
    return sum(1 + g.animals for g in spec.groups)


def run_study(
    spec: StudySpec,
    *,
    checkpoints: str | Path | None = None,
    fresh: bool = False,
    settings: StudySettings | None = None,
    progress: Progress | None = None,
    clear: bool = True,
) -> StudyResult:
    """Simulate the study.

    Parameters
    ----------
    spec
        The study (design paths resolved, see :func:`nanocloak.io.study_specs.load_study_spec`).
    checkpoints
        Directory for per-group checkpoints (resume after an interruption); None = none.
    fresh
        Ignore existing checkpoints of this spec.
    settings
        Numerical settings (time step, grids); defaults suit a first look.
    progress
        Called with a short description after each unit of work (see :func:`total_work`).
    clear
        Remove this run's checkpoints at the end (pass False to keep them until the results are
        safely stored, then call :func:`clear_run_checkpoints`).
    """
    settings = settings or StudySettings()
    digest = spec_hash(spec)
    run_key = checkpoint_key(spec, settings)
    tick = progress or (lambda _what: None)
    parts: list[dict[str, pd.DataFrame]] = []
    for index, group in enumerate(spec.groups):
        path = None if checkpoints is None else checkpoint_path(checkpoints, run_key, index)
        cached = None if path is None or fresh else load_checkpoint(path)
        if cached is not None:
            for _ in range(1 + group.animals):
                tick(f"{group.name} (checkpoint)")
            parts.append(cached)
            continue
        tables = _group_tables(spec, index, group, settings, tick)
        if path is not None:
            save_checkpoint(path, tables)
        parts.append(tables)
    notes = _concat(parts, "notes")
    sources = {
        str(r.key): _citation(str(r.value)) for r in notes[notes["kind"] == "source"].itertuples()
    }
    assumptions = list(dict.fromkeys(str(v) for v in notes[notes["kind"] == "assumption"]["value"]))
    provenance = {
        "name": spec.name,
        "sources": dict(sorted(sources.items())),
        "assumptions": assumptions,
        "version": __version__,
        "spec_hash": digest,
        "seed": spec.seed,
        "settings": settings.describe(),
        "study": spec_summary(spec),
        "spec": spec.model_dump(mode="json"),
    }
    result = StudyResult(
        name=spec.name,
        groups=_concat(parts, "groups"),
        animals=_concat(parts, "animals"),
        series=_concat(parts, "series"),
        endpoints=_concat(parts, "endpoints"),
        provenance=provenance,
    )
    if checkpoints is not None and clear:
        clear_checkpoints(checkpoints, run_key)
    return result


def _citation(key: str) -> str:
    """A source key with its citation (the key itself when the bibliography lacks it)."""
    source = loader.sources().get(key)
    return key if source is None else f"{key}: {source.citation}"


def _concat(parts: list[dict[str, pd.DataFrame]], name: str) -> pd.DataFrame:
    frames = [p[name] for p in parts if not p[name].empty]
    if not frames:
        return parts[0][name]
    return pd.concat(frames, ignore_index=True)


def _group_tables(
    spec: StudySpec, index: int, group: Group, settings: StudySettings, tick: Progress
) -> dict[str, pd.DataFrame]:
    rng = group_generator(spec, index)
    factors = draw_factors(spec, group.animals)
    reference = next((d for g in spec.groups if (d := particle_design(g)) is not None), None)
    outcome = simulate_group(spec, group, factors, rng, settings, tick, reference)
    animals = pd.DataFrame(
        [
            {"group": group.name, "animal": i, "parameter": name, "factor": float(values[i])}
            for name, values in factors.items()
            for i in range(group.animals)
        ],
        columns=list(ANIMAL_COLUMNS),
    )
    groups = pd.DataFrame(
        [
            {
                "group": group.name,
                "agent": group.agent.kind,
                "description": outcome.description,
                "treatments": "; ".join(outcome.treatments),
                "animals": group.animals,
            }
        ],
        columns=list(GROUP_COLUMNS),
    )
    endpoints = pd.DataFrame(outcome.endpoints, columns=list(ENDPOINT_COLUMNS))
    notes = pd.DataFrame(
        [
            *(
                {"group": group.name, "kind": "source", "key": k, "value": v}
                for k, v in sorted(outcome.sources.items())
            ),
            *(
                {"group": group.name, "kind": "assumption", "key": "", "value": a}
                for a in dict.fromkeys(outcome.assumptions)
            ),
        ],
        columns=["group", "kind", "key", "value"],
    )
    return {
        "groups": groups,
        "animals": animals,
        "series": series_frame(outcome.series),
        "endpoints": endpoints,
        "notes": notes,
    }


def write_study(
    result: StudyResult,
    spec: StudySpec,
    directory: str | Path,
    comparisons: pd.DataFrame | None = None,
) -> list[Path]:
    """Store the study (DuckDB + Parquet) and its self-contained HTML report.

    ``comparisons`` is the statistics table shown in the report (the CLI computes it with the
    lab-data analyses, see :mod:`nanocloak.analysis.study_compare`).
    """
    folder = Path(directory)
    store = save_study(result.tables(), folder)
    report = write_text_atomic(
        folder / "report.html",
        study_report_html(
            result,
            comparisons=comparisons,
            design_summaries=_design_summaries(spec),
            sources=result.provenance.get("sources"),
            notes=_notes(result),
        ),
    )
    return [store, folder / "parquet", report]


def _design_summaries(spec: StudySpec) -> dict[str, str]:
    """Per particle group: the design and the manufacture model's predicted characterization."""
    out: dict[str, str] = {}
    for group in spec.groups:
        design = particle_design(group)
        if design is None:
            continue
        made = run_design(design, n_particles=2000, n_samples=0, seed=spec.seed)
        lines = [f"{design.name}: {design.description}", f"reference: {design.reference}"]
        coating = getattr(group.agent, "coating", "membrane")
        if coating != "membrane":
            lines.append(
                f"simulated with its core {coating} (the lines below describe the design as made)"
            )
        lines += [
            f"  {row['label']}: {row['value']:.4g} {row['unit']}"
            for row in made.summary()
            if isinstance(row.get("value"), int | float)
        ]
        out[group.name] = "\n".join(lines)
    return out


def _notes(result: StudyResult) -> list[str]:
    notes = list(result.provenance.get("assumptions", []))
    burns = result.endpoints[
        (result.endpoints["name"] == "skin_burn") & (result.endpoints["value"] > 0.5)
    ]
    for group in sorted(set(burns["group"])):
        notes.append(f"{group}: the skin check flags a burn risk at the laser setting used")
    return notes
