"""CTC capture against the review's number and the separator criterion against its derivation.

Song W et al., J Nanobiotechnol 2022;20:289 (doi:10.1186/s12951-022-01475-w), quoting Xiong K
et al., Adv Mater 2016;28:7929: "about 90 % of the CTCs could be captured from the peripheral
blood ... with an undetectable leukocyte background".
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from nanocloak.workflows.ctc_capture import simulate_ctc_capture


def test_ctc_model_capture_is_compared_with_the_review() -> None:
    result = simulate_ctc_capture(
        blood_ml=1.0, ctcs=100, incubation_min=30.0, flow_ml_per_h=1.0, membrane="leukocyte"
    )
    model = result.efficiency
    review = 100 * result.reported_capture
    print(f"model capture efficiency {100 * model:.2f} % vs review ~{review:.0f} %")
    # Tolerance: the model leaves out every loss after capture (washes, release, counting,
    # antigen-negative cells), so it is an upper bound; below, the reported ~90 % of about 100
    # spiked cells carries a binomial SD of sqrt(0.9 x 0.1 / 100) = 3 points, and "about" rounds
    # by a few more: the model may not fall below 90 % - 3 SD = 81 %. Nothing is fitted to 90 %.
    assert result.reported_capture - 0.09 <= model <= 1.0
    # The leukocyte membrane, the named factor, must raise purity at equal efficiency.
    assert result.membranes["leukocyte"]["purity"] > result.membranes["none"]["purity"]
    assert result.membranes["leukocyte"]["capture_efficiency"] == pytest.approx(
        result.membranes["none"]["capture_efficiency"], abs=1e-6
    )


@pytest.mark.parametrize("reach", [0.05, 0.3, 0.8, 1.5])
def test_ctc_poiseuille_capture_fraction_equals_plug_flow_criterion(reach: float) -> None:
    """Integrate trajectories in u(y) = 6U s(1-s): captured flux share = min(1, v τ / h)."""
    # Cell entering at s = y0/h drifts to the wall after x(s) = (U h / v)(3 s² - 2 s³);
    # it is captured if x(s) ≤ L, i.e. 3 s² - 2 s³ ≤ v L / (U h) = reach.
    s_grid = np.linspace(0.0, 1.0, 200001)
    travelled = 3 * s_grid**2 - 2 * s_grid**3
    s_star = s_grid[travelled <= reach].max()
    captured, _ = quad(lambda s: 6 * s * (1 - s), 0.0, s_star)
    assert captured == pytest.approx(min(1.0, reach), abs=1e-5)
