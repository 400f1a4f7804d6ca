"""``simulate_pk``'s two solvers (compiled Rodas4 and scipy BDF) and its public model builder."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.kernels.pk.fast import numba_available
from nanocloak.results.pk import PkResult
from nanocloak.workflows import simulate_pk as workflow
from nanocloak.workflows.export_pk_sbml import pk_model
from nanocloak.workflows.simulate_pk import build_model, model_defaults, simulate_pk

needs_numba = pytest.mark.skipif(not numba_available(), reason="numba is not installed")
SRC = Path(__file__).resolve().parents[3] / "src" / "nanocloak"


def max_rel_diff(a: PkResult, b: PkResult) -> float:
    """Largest |a - b| / max(|b|, 1e-6 × dose) over every subject, output and time.

    The floor only skips amounts below 1 ppm of the dose (what reaches a compartment first,
    where the solvers' absolute tolerance of 1e-10 × dose dominates the relative error)."""
    floor = 1e-6 * b.dosed_mg.max(axis=1)[:, None, None]
    return float(np.max(np.abs(a.amount_mg - b.amount_mg) / np.maximum(np.abs(b.amount_mg), floor)))


@needs_numba
@pytest.mark.parametrize(
    ("schedule", "mode", "laws"),
    [
        ("every 24 h x 3 infusion 0.5 h", "physiological", None),
        (None, "reference", None),
        ("at 0, 12 h", "physiological", {"liver": "capacity", "spleen": "constant"}),
    ],
)
def test_rodas_and_scipy_give_the_same_outputs(
    schedule: str | None, mode: workflow.Mode, laws: dict[str, str] | None
) -> None:
    """Same problem (two subjects, repeat dosing or the reference mode's infusion and absolute
    clock, every uptake law) through both solvers at the default rtol 1e-7: outputs agree
    within 1e-4 relative, the tolerance the solver option promises. Each solver's own error at
    rtol 1e-7 is ~1e-6 or less, so 1e-4 leaves margin yet fails on any difference of model or
    events (a wrong clock or dose shows up at the percent level)."""
    params = [{"liver.k_max": 0.5}, {"body_weight": "30 g", "tumor.permeability": 0.002}]
    kwargs = {"mode": mode, "uptake_laws": laws, "step_h": 0.5}
    rodas = simulate_pk("mouse", 5.0, schedule, 72.0, params, solver="rodas", **kwargs)
    scipy = simulate_pk("mouse", 5.0, schedule, 72.0, params, solver="scipy", **kwargs)
    assert rodas.solver["method"] == "Rodas4"
    assert rodas.solver["solver"] == "rodas"
    assert scipy.solver["method"] == "BDF"
    assert scipy.solver["solver"] == "scipy"
    assert max_rel_diff(rodas, scipy) < 1e-4
    np.testing.assert_array_equal(rodas.dosed_mg, scipy.dosed_mg)
    for result in (rodas, scipy):
        assert result.mass_balance_error().max() < 1e-6
    for key in ("DE24_percent", "DEmax_percent", "AUC_blood_mg_h_per_l", "AUC_liver_ug_h_per_g"):
        assert rodas.metrics()[key] == pytest.approx(scipy.metrics()[key], rel=1e-4)


def test_auto_takes_rodas_with_numba_and_scipy_without(monkeypatch: pytest.MonkeyPatch) -> None:
    if numba_available():
        assert simulate_pk("mouse", 5.0, None, 6.0).solver["solver"] == "rodas"
    monkeypatch.setattr(workflow, "numba_available", lambda: False)
    result = simulate_pk("mouse", 5.0, None, 6.0)
    assert result.solver["solver"] == "scipy"
    assert result.solver["method"] == "BDF"
    with pytest.raises(SpecificationError, match="numba"):
        simulate_pk("mouse", 5.0, None, 6.0, solver="rodas")


def test_unknown_solver_is_a_specification_error() -> None:
    with pytest.raises(SpecificationError, match="solver"):
        simulate_pk("mouse", 5.0, None, 6.0, solver="lsoda")  # type: ignore[arg-type]


def test_build_model_is_what_simulate_pk_and_the_sbml_export_use() -> None:
    over = {"liver.k_max": 0.5, "body_weight": "22 g"}
    model = build_model("mouse", [over, {}], scales=[{}, {"tumor.permeability": 2.0}])
    assert model.parameters.n_subjects == 2
    assert model.topology.organs[-1] == "tumor"
    assert model.values[0]["body_weight"] == pytest.approx(0.022)
    assert model.values[1]["tumor.permeability"] == pytest.approx(
        2.0 * model.values[0]["tumor.permeability"]
    )
    np.testing.assert_allclose(model.derived["body_weight_kg"], [0.022, 0.025])
    assert set(model.sources) == set(model.values[0])
    topology, kernel, values = pk_model("mouse", over)
    assert topology == model.topology
    np.testing.assert_array_equal(kernel.q_l_per_h[0], model.parameters.q_l_per_h[0])
    assert values == model.values[0]
    result = simulate_pk("mouse", 5.0, None, 6.0, over)
    assert result.parameters[0] == model.values[0]
    with pytest.raises(SpecificationError, match="mode"):
        build_model("mouse", mode="fast")  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="species"):
        build_model("dog")


def test_model_defaults_carry_units_ranges_and_sources() -> None:
    defaults = model_defaults("mouse")
    assert "liver.k_max" in defaults
    assert "gi.flow_fraction" in defaults
    assert all(value.source for value in defaults.values())
    assert any(value.is_range for value in defaults.values())
    assert "gi.flow_fraction" not in model_defaults("mouse", "reference")  # lumped into rest


def test_no_module_reaches_into_simulate_pk_privately() -> None:
    """Other modules use the public builder, never ``simulate_pk``'s private helpers."""
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "nanocloak.workflows":
                aliases |= {a.asname or a.name for a in node.names if a.name == "simulate_pk"}
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "nanocloak.workflows.simulate_pk"
            ):
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name[0] == "_"]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
            ):
                offenders.append(f"{path.name}: {node.attr}")
    assert offenders == []
