"""``PkResult.to_dataset``: the time courses as a labelled xarray Dataset with units."""

from __future__ import annotations

import numpy as np
import pytest

from nanocloak.results.pk import PkResult
from nanocloak.workflows.simulate_pk import simulate_pk


@pytest.fixture(scope="module")
def result() -> PkResult:
    return simulate_pk("mouse", 5.0, "every 12 h x 2", 24.0, [{}, {"liver.k_max": 1.0}], step_h=1)


def test_pk_dataset_dims_units_and_values(result: PkResult) -> None:
    ds = result.to_dataset()
    assert dict(ds.sizes) == {"subject": 2, "time": result.t_h.size, "output": len(result.outputs)}
    assert list(ds["output"].values) == list(result.outputs)
    assert ds["time"].attrs["units"] == "h"
    units = {name: ds[name].attrs["units"] for name in ds.data_vars}
    assert units == {
        "amount": "mg",
        "percent_id": "%ID",
        "percent_id_per_g": "%ID/g",
        "concentration": "ug/g",
        "mass": "g",
        "body_weight": "kg",
        "dosed": "mg",
    }
    np.testing.assert_array_equal(ds["percent_id"].values, result.percent_id())
    liver = ds["percent_id"].sel(subject=1, output="liver").values
    np.testing.assert_array_equal(liver, result.series("liver", "%ID", subject=1))
    assert ds.attrs["species"] == "mouse"
    assert ds.attrs["dose_times_h"] == [0.0, 12.0]


def test_pk_dataset_conserves_mass_like_the_result(result: PkResult) -> None:
    ds = result.to_dataset()
    in_balance = [o for o in result.outputs if o != "blood"]  # blood overlaps organ capillaries
    total = ds["amount"].sel(output=in_balance).sum("output")
    dosed = ds["dosed"]
    after = ds["time"] > 0.0
    gap = np.abs(total - dosed).where(after).max().item() / float(dosed.max())
    assert gap < 1e-6


def test_pk_dataset_leaves_the_result_untouched(result: PkResult) -> None:
    before = result.percent_id().copy()
    ds = result.to_dataset()
    ds["percent_id"][:] = 0.0
    np.testing.assert_array_equal(result.percent_id(), before)
    assert result.summary()[0]["output"] == result.outputs[0]
