"""The ``simulate_pk`` workflow, the ``PkResult`` and the ``pk`` CLI command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from nanocloak.cli.pk_cmd import pk
from nanocloak.errors import SpecificationError
from nanocloak.knowledge import pbpk
from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_pk import DoseSchedule, simulate_pk


@pytest.fixture(scope="module")
def mouse() -> PkResult:
    return simulate_pk("mouse", 5.0, None, 168.0)


def test_default_mouse_run_conserves_mass_and_reports_everything(mouse: PkResult) -> None:
    assert mouse.mass_balance_error()[0] < 1e-6
    pct = mouse.percent_id()[0]
    body = [mouse.outputs.index(o) for o in mouse.outputs if o not in ("blood", "central_blood")]
    central = mouse.outputs.index("central_blood")
    assert np.allclose(pct[1:, body].sum(axis=1) + pct[1:, central], 100.0, atol=1e-6)
    metrics = mouse.metrics()
    for key in ("DE24_percent", "DE168_percent", "DEmax_percent", "DEtlast_percent"):
        assert np.isfinite(metrics[key])
    assert metrics["DEmax_percent"] >= max(metrics["DE24_percent"], metrics["DE168_percent"])
    # liver + spleen dominate at 168 h (pbpk.md §6.3: RES organs hold most of the dose)
    at_end = {o: mouse.series(o)[-1] for o in mouse.outputs}
    assert at_end["liver"] + at_end["spleen"] > 40.0
    assert metrics["t_half_elimination_h"] > metrics["t_half_distribution_h"] > 0.0


def test_units_of_outputs_are_consistent(mouse: PkResult) -> None:
    liver = mouse.outputs.index("liver")
    mass_g = mouse.mass_g[0, liver]
    assert mass_g == pytest.approx(0.055 * 25.0)
    amount = mouse.series("liver", "mg")
    assert mouse.series("liver", "ug/g") == pytest.approx(amount * 1000.0 / mass_g)
    assert mouse.series("liver", "%ID/g") == pytest.approx(mouse.series("liver") / mass_g)
    with pytest.raises(KeyError, match="no output"):
        mouse.series("heart")


def test_reference_mode_reproduces_the_published_code_rerun() -> None:
    """pbpk.md §2.7 (computed by re-running the Cheng-2020 code, UFPBPK/Nano-AI-PBPK-G1;
    the reference mode runs the published parameter set, not the calibrated default):
    20 g mouse, 5 mg/kg, tumor at the G1 medians; liver outflow Q_L only: liver 24.5 %ID at
    0.5 h and 32.4 at 168 h, blood (central A_A + A_V) 22.3 %ID at 24 h; corrected outflow
    (Q_L + Q_S): liver 17.3 and 24.5, blood 23.9. The note gives 3 digits; mrgsolve ran at
    rtol 1e-3 with the Hill clock frozen between 0.1-h records, so allow 1 %."""
    ref = simulate_pk("mouse", 5.0, None, 168.0, {"body_weight": 0.02}, mode="reference")

    def at(result: PkResult, output: str, t: float) -> float:
        return float(np.interp(t, result.t_h, result.series(output)))

    assert at(ref, "liver", 0.5) == pytest.approx(24.5, rel=0.01)
    assert at(ref, "liver", 168.0) == pytest.approx(32.4, rel=0.01)
    assert at(ref, "central_blood", 24.0) == pytest.approx(22.3, rel=0.01)
    assert "gi" not in ref.outputs
    # the same published values with the physiological structure (the re-run's correction):
    # physiological liver outflow lowers early liver uptake as the corrected re-run did
    published = {
        key: value.to(pbpk.FIELD_UNITS[key.rsplit(".", 1)[-1]])
        for key, value in pbpk.published_overrides().items()
    }
    phys = simulate_pk("mouse", 5.0, None, 168.0, {"body_weight": 0.02, **published})
    assert at(phys, "liver", 0.5) == pytest.approx(17.3, rel=0.03)
    assert at(phys, "liver", 168.0) < at(ref, "liver", 168.0)


def test_batch_of_subjects_matches_single_runs() -> None:
    sets = [{"liver.k_max": 0.3}, {"liver.k_max": 3.0, "body_weight": "30 g"}]
    batch = simulate_pk("mouse", 5.0, "bolus", 48.0, sets, step_h=0.5)
    assert batch.n_subjects == 2
    for i, overrides in enumerate(sets):
        one = simulate_pk("mouse", 5.0, "bolus", 48.0, overrides, step_h=0.5)
        assert np.allclose(batch.amount_mg[i], one.amount_mg[0], rtol=1e-4, atol=1e-9)
    assert batch.body_weight_kg[1] == pytest.approx(0.03)
    assert batch.series("liver", subject=1)[-1] > batch.series("liver", subject=0)[-1]


def test_repeated_schedule_doses_add_up() -> None:
    result = simulate_pk("rat", 1.0, "every 24 h x 3", 96.0, step_h=0.5)
    assert result.dosed_mg[0, -1] == pytest.approx(3 * 0.273)
    assert result.mass_balance_error()[0] < 1e-6
    assert result.dose_times_h == (0.0, 24.0, 48.0)


@pytest.mark.parametrize(
    ("text", "times", "infusion"),
    [
        ("bolus", (0.0,), 0.0),
        ("infusion 2 h", (0.0,), 2.0),
        ("every 12 h x 3", (0.0, 12.0, 24.0), 0.0),
        ("at 0, 24, 72 h", (0.0, 24.0, 72.0), 0.0),
        ("every 24 h x 2 infusion 0.5 h", (0.0, 24.0), 0.5),
    ],
)
def test_schedule_parsing(text: str, times: tuple[float, ...], infusion: float) -> None:
    schedule = DoseSchedule.parse(text)
    assert schedule.times_h == times
    assert schedule.infusion_h == infusion


def test_invalid_inputs_raise_specification_errors() -> None:
    with pytest.raises(SpecificationError, match="schedule"):
        DoseSchedule.parse("twice daily")
    with pytest.raises(SpecificationError, match="species"):
        simulate_pk("dog", 5.0, None, 24.0)
    with pytest.raises(SpecificationError, match="dose"):
        simulate_pk("mouse", -1.0, None, 24.0)
    with pytest.raises(SpecificationError, match="model parameter"):
        simulate_pk("mouse", 5.0, None, 24.0, {"liver.speed": 1.0})
    with pytest.raises(SpecificationError, match="rest of body"):
        simulate_pk("mouse", 5.0, None, 24.0, {"muscle.volume_fraction": 0.99})
    with pytest.raises(SpecificationError, match="dose times before"):
        simulate_pk("mouse", 5.0, "at 30 h", 24.0)
    with pytest.raises(SpecificationError, match="one of"):
        simulate_pk("mouse", 5.0, None, 24.0, uptake_laws={"liver": "fast"})


def test_result_serializes_and_reports(mouse: PkResult, tmp_path: Path) -> None:
    payload = json.loads(json.dumps(mouse.to_dict(), allow_nan=False))
    assert payload["kind"] == "pk_simulation"
    assert payload["species"] == "mouse"
    assert "DE24_percent" in payload["subjects"][0]["metrics"]
    text = mouse.report()
    assert "| liver |" in text
    assert "Conventions" in text
    rows = mouse.summary()
    assert {"output", "time_h", "percent_id", "ug_per_g"} <= set(rows[0])
    mouse.save_plot(str(tmp_path / "pk.png"))
    assert (tmp_path / "pk.png").stat().st_size > 1000


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("pk")(pk)
    app.command("noop")(lambda: None)  # keeps typer in multi-command mode
    return app


def test_cli_json_plot_and_report(tmp_path: Path) -> None:
    runner = CliRunner()
    plot, report = tmp_path / "pk.png", tmp_path / "pk.md"
    out = runner.invoke(
        _app(),
        [
            "pk",
            "--dose",
            "5 mg/kg",
            "--species",
            "mouse",
            "--until",
            "48 h",
            "--json",
            "--plot",
            str(plot),
            "--report",
            str(report),
        ],
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["dose_mg_per_kg"] == 5.0
    assert plot.exists()
    assert report.read_text().startswith("# Nanoparticle PBPK")
    table = runner.invoke(_app(), ["pk", "--until", "24 h", "--schedule", "infusion 1 h"])
    assert table.exit_code == 0
    assert "liver" in table.output


def test_cli_rejects_a_dose_without_unit() -> None:
    out = CliRunner().invoke(_app(), ["pk", "--dose", "5"])
    assert out.exit_code != 0
    assert isinstance(out.exception, SpecificationError)
