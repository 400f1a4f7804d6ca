"""Tumor knowledge base: loads, sources resolve, kernel defaults agree with the data files."""

from __future__ import annotations

import math

import pytest

from nanocloak.errors import KnowledgeBaseError
from nanocloak.kernels.release.triggers import MSN_MAX_LOADING_FRACTION
from nanocloak.kernels.tumor import kill, simulate
from nanocloak.knowledge import loader, tumor

REQUIRED_MODELS = {"4t1", "b16_f10", "um_scc_7", "cal27", "mcf_7", "sk_br_3", "hela"}


def test_tumor_every_value_has_a_known_source_and_reasoning() -> None:
    sources = loader.sources()
    values = tumor.iter_values()
    assert len(values) > 60
    for path, value in values:
        assert value.source in sources, path
        if value.status in ("assumed", "derived"):
            assert value.note.strip(), path


def test_tumor_models_cover_the_review_lines() -> None:
    assert set(tumor.tumor_models().models) >= REQUIRED_MODELS
    for key in REQUIRED_MODELS:
        g = tumor.growth_defaults(key)
        td = tumor.tumor_model(key).doubling_time.value
        v_ref = tumor.tumor_models().common["reference_volume"].value
        # the Gompertz rate reproduces the doubling time at the reference volume
        specific = float(g["rate_per_day"]) * math.log(float(g["capacity_mm3"]) / v_ref)
        assert specific == pytest.approx(math.log(2.0) / td)
    with pytest.raises(KnowledgeBaseError, match="unknown tumor model"):
        tumor.tumor_model("h22x")


def test_tumor_kernel_defaults_match_the_knowledge_base() -> None:
    r = tumor.tumor_response()
    assert r.dead_tissue["clearance_rate"].to("1/day") == simulate.DEAD_CLEARANCE_PER_DAY
    assert r.thermal["frequency_factor"].to("1/s") == kill.TUMOR_FREQUENCY_FACTOR_PER_S
    assert r.thermal["activation_energy"].to("J/mol") == kill.TUMOR_ACTIVATION_J_PER_MOL
    assert r.loading["msn_max_fraction"].value == MSN_MAX_LOADING_FRACTION
