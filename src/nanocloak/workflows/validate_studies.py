"""``validate_studies``: the review's in vivo comparisons against virtual studies, never tuned.

Reads a claims table (``examples/validation/study_claims.csv``; columns in :data:`COLUMNS`):
one row per comparison the review states, e.g. *the tumor temperature of RBC-MNs-E + laser
exceeded that of RBC-MNs-C + laser*. Each study file a claim names is simulated once
(:func:`~nanocloak.workflows.run_study.run_study`), and for each claim the model's two values
are put side by side with the review's statement.

The claims table is read by :mod:`~nanocloak.workflows.claims_table`, each side of a claim is
measured on its study's result by :mod:`~nanocloak.workflows.claim_measurement` (which
quantities, how), and the verdicts and the result table come from
:mod:`~nanocloak.workflows.claim_verdicts` (the rule); their names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nanocloak.errors import DataFormatError
from nanocloak.io.study_specs import load_study_spec
from nanocloak.results.analysis import AnalysisResult
from nanocloak.workflows.claim_measurement import Measurement, measure
from nanocloak.workflows.claim_verdicts import (
    FORMULAS,
    NOISE_SE,
    TWO_FOLD,
    VERDICTS,
    evaluate_claims,
    verdict,
)
from nanocloak.workflows.claims_table import (
    COLUMNS,
    ENDPOINTS,
    RELATIONS,
    ROLES,
    SERIES,
    SITE_REQUIRED,
    SURVIVAL,
    Claim,
    claim_studies,
    default_studies_dir,
    load_claims,
)
from nanocloak.workflows.run_study import run_study, total_work
from nanocloak.workflows.study_settings import StudySettings

__all__ = [
    "COLUMNS",
    "ENDPOINTS",
    "FORMULAS",
    "NOISE_SE",
    "RELATIONS",
    "ROLES",
    "SERIES",
    "SITE_REQUIRED",
    "SURVIVAL",
    "TWO_FOLD",
    "VERDICTS",
    "Claim",
    "Measurement",
    "Progress",
    "claim_studies",
    "default_studies_dir",
    "evaluate_claims",
    "load_claims",
    "measure",
    "validate_studies",
    "validation_work",
    "verdict",
]

Progress = Callable[[str], None]


def validation_work(claims_path: str | Path, studies_dir: str | Path | None = None) -> int:
    """Units of progress :func:`validate_studies` reports (for a progress bar's total)."""
    path = Path(claims_path)
    folder = Path(studies_dir) if studies_dir is not None else default_studies_dir(path)
    files = claim_studies(load_claims(path), folder)
    return sum(total_work(load_study_spec(f)) for f in files.values())


def validate_studies(
    claims_path: str | Path,
    *,
    studies_dir: str | Path | None = None,
    settings: StudySettings | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Run every study the claims name (once each) and evaluate the claims.

    Parameters
    ----------
    claims_path
        CSV claims table (columns in :data:`COLUMNS`).
    studies_dir
        Folder the ``study`` column is relative to; default ``examples/studies`` beside the
        table's folder.
    settings
        Numerical settings of the study runs (default: :class:`StudySettings` defaults).
    progress
        Called with a short description after each unit of work (see :func:`validation_work`).
    """
    path = Path(claims_path)
    folder = Path(studies_dir) if studies_dir is not None else default_studies_dir(path)
    claims = load_claims(path)
    files = claim_studies(claims, folder)
    specs = {name: load_study_spec(file) for name, file in files.items()}
    for claim in claims:
        for which in ("a", "b"):
            study, group, _ = claim.side(which)
            groups = [g.name for g in specs[study].groups]
            if group not in groups:
                raise DataFormatError(
                    f"claim {claim.id}: no group {group!r} in {study}; groups: {groups}"
                )
    settings = settings or StudySettings()
    results = {
        name: run_study(spec, settings=settings, progress=progress) for name, spec in specs.items()
    }
    return evaluate_claims(
        claims,
        results,
        title=f"Review comparisons ({path.name}) against {len(results)} virtual studies",
        provenance={
            "claims": str(path),
            "studies": {name: str(file) for name, file in files.items()},
            "spec_hashes": {n: r.provenance.get("spec_hash") for n, r in results.items()},
            "settings": settings.describe(),
            "tuning": "none: disagreements are reported, not tuned away",
        },
    )
