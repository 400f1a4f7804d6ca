"""simulate_pdt / simulate_design_pdt / simulate_nanoreactor: wiring, physics trends, errors."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from nanocloak.errors import SpecificationError
from nanocloak.io.specs import design_from_dict
from nanocloak.workflows.simulate_pdt import (
    simulate_design_nanoreactor,
    simulate_design_pdt,
    simulate_nanoreactor,
    simulate_pdt,
    tumor_cargo,
)
from tests.conftest import example_dict

FAST = dict(n_depths=11, n_times=11)


def ce6_design(extra: list[dict[str, Any]] | None = None) -> Any:
    data = example_dict("4t1_aunanocage_dox.toml")
    data["cargos"] = [
        {
            "name": "Ce6",
            "location": "cavity",
            "loading": {"basis": "mass", "per_core_mass": "0.2 mg/mg"},
        },
        *(extra or []),
    ]
    return design_from_dict(data)


def test_dose_falls_with_depth_when_light_limits() -> None:
    # Photofrin-like low xi is light-limited: the dose follows the fluence rate with depth
    r = simulate_pdt(
        2.0, "znpc", wavelength_nm=660.0, irradiance_w_per_cm2=0.02, duration_s=300.0, **FAST
    )
    final = r.reacted_mm[-1]
    assert np.all(np.diff(final[2:]) < 0.0)  # beyond the sub-surface build-up
    assert r.fluence_rate_mw_per_cm2[0] > 20.0  # build-up above the incident 20 mW/cm2
    assert r.metrics()["dose_at_1mm_mm"] > 0.0
    json.dumps(r.to_dict(), allow_nan=False)
    assert "| depth (mm)" in r.report()


def test_oxygen_supply_caps_the_dose_rate() -> None:
    # with oxygen exhausted the dose grows at the supply g: at most g t
    r = simulate_pdt(10.0, irradiance_w_per_cm2=0.2, duration_s=600.0, **FAST)
    g = r.constants["supply_um_per_s"]
    initial = r.constants["oxygen_initial_um"]
    assert np.all(r.reacted_um[-1] <= initial + g * 600.0 + 1e-6)
    assert r.metrics()["min_oxygen_um"] < 1.0


def test_spot_beam_on_axis_is_below_the_broad_beam() -> None:
    broad = simulate_pdt(1.0, irradiance_w_per_cm2=0.05, duration_s=60.0, **FAST)
    spot = simulate_pdt(1.0, irradiance_w_per_cm2=0.05, duration_s=60.0, spot_radius_mm=2.0, **FAST)
    assert np.all(spot.fluence_rate_mw_per_cm2[1:] < broad.fluence_rate_mw_per_cm2[1:])


def test_design_concentration_is_pbpk_tumor_level_times_loading() -> None:
    design = ce6_design()
    cargo = tumor_cargo(design, 5.0, 24.0)["chlorin_e6"]
    assert cargo["ug_per_g"] == pytest.approx(cargo["tumor_core_ug_per_g"] * 0.2)
    assert cargo["um"] == pytest.approx(cargo["ug_per_g"] / 596.68 * 1000.0)
    r = simulate_design_pdt(design, 5.0, 24.0, duration_s=60.0, **FAST)
    assert r.concentration_um == pytest.approx(cargo["um"])
    assert r.concentration_source["mode"] == "design"


def test_design_nanoreactor_uses_the_cargos() -> None:
    design = ce6_design(
        [
            {
                "name": "GOx",
                "location": "cavity",
                "loading": {"basis": "mass", "per_core_mass": "0.1 mg/mg"},
            },
            {
                "name": "CPPO",
                "location": "cavity",
                "loading": {"basis": "mass", "per_core_mass": "0.3 mg/mg"},
            },
            {
                "name": "PFH",
                "location": "cavity",
                "loading": {"basis": "mass", "per_core_mass": "0.2 mg/mg"},
            },
        ]
    )
    r = simulate_design_nanoreactor(design, 5.0, 24.0, duration_s=600.0)
    m = r.metrics()
    assert m["glucose_consumed_mm"] > 0.0
    assert m["reacted_singlet_oxygen_mm"] > 0.0
    assert m["final_ph"] < 7.0
    json.dumps(r.to_dict(), allow_nan=False)
    assert "Starvation" in r.report()


def test_perfluorocarbon_relieves_gox_hypoxia() -> None:
    bare = simulate_nanoreactor(0.05, duration_s=1800.0)
    carried = simulate_nanoreactor(0.05, pfc_volume_fraction=5e-3, duration_s=1800.0)
    assert carried.metrics()["min_oxygen_um"] > bare.metrics()["min_oxygen_um"]
    assert carried.metrics()["glucose_consumed_mm"] > bare.metrics()["glucose_consumed_mm"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(concentration_um=-1.0), "concentration"),
        (dict(concentration_um=1.0, wavelength_nm=808.0), "activation peak"),
        (
            dict(concentration_um=1.0, photosensitizer_name="photofrin", wavelength_nm=630.0),
            "tissue optics",
        ),
        (dict(concentration_um=1.0, photosensitizer_name="hypericin"), "one of"),
        (dict(concentration_um=1.0, irradiance_w_per_cm2=0.0), "irradiance"),
    ],
)
def test_bad_inputs_raise_specification_errors(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(SpecificationError, match=match):
        simulate_pdt(**kwargs)  # type: ignore[arg-type]


def test_design_without_photosensitizer_is_rejected() -> None:
    design = design_from_dict(example_dict("4t1_aunanocage_dox.toml"))
    with pytest.raises(SpecificationError, match="photosensitizer cargo"):
        simulate_design_pdt(design, 5.0)
