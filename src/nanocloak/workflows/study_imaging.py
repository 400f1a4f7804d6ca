"""Imaging readouts of a study group: MRI T2 darkening of iron-oxide cores and NIR fluorescence
of a dye or upconverting core, for every animal (its own PBPK subject)."""

from __future__ import annotations

from typing import Any

from nanocloak.domain.formulation import Design
from nanocloak.domain.study import StudySpec
from nanocloak.knowledge import imaging as imaging_kb
from nanocloak.knowledge import loader
from nanocloak.results.pk import PkResult
from nanocloak.results.study import series_row


def imaging_rows(group: str, spec: StudySpec, pk: PkResult, design: Design) -> list[dict[str, Any]]:
    """MRI tumor darkening and fluorescence (signal-to-background) at the imaging times, for
    each animal of the group (PBPK subject ``i`` is animal ``i``)."""
    from nanocloak.workflows.imaging import fluorescence_time_course, mri_darkening

    rows: list[dict[str, Any]] = []
    times = [float(t.to("h").magnitude) for t in spec.readouts.imaging]
    iron = loader.core_materials()[design.core.material].family == "iron_oxide"
    label, loading = _fluorescent_label(design)
    for animal in range(pk.n_subjects):
        if "mri" in spec.readouts.imaging_modalities and iron:
            result = mri_darkening(pk, design, times_h=times, subject=animal)
            for site, values in result.percent_drop.items():
                rows.extend(
                    series_row(group, animal, "mri_signal_drop", site, t, "h", v, "%")
                    for t, v in zip(result.t_h, values, strict=True)
                )
        if "fluorescence" in spec.readouts.imaging_modalities and label is not None:
            fluo = fluorescence_time_course(
                pk,
                label,
                times_h=times,
                loading_ug_per_mg=loading,
                formulation=design.name,
                subject=animal,
            )
            for site, values in fluo.sbr.items():
                rows.extend(
                    series_row(group, animal, "fluorescence", site, t, "h", v, "1")
                    for t, v in zip(fluo.t_h, values, strict=True)
                )
    return rows


def _fluorescent_label(design: Design) -> tuple[str | None, float]:
    """The fluorophore a design carries (a dye cargo or an upconverting core) and its loading
    (µg per mg core; unused for an upconverting core)."""
    known = set(imaging_kb.imaging_constants().fluorophores)
    for cargo in design.cargos:
        if cargo.name in known:
            return cargo.name, cargo.per_core_mass * 1000.0
    if loader.core_materials()[design.core.material].family == "upconversion":
        return "ucnp_er", 0.0
    return None, 0.0
