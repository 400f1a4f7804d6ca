"""Loading definitions: DLC on carrier vs coated particle, EE."""

from __future__ import annotations

import pytest

from nanocloak.kernels.manufacture.loading import loading_content


def test_loading_definitions_differ_by_their_denominators() -> None:
    """0.25 mg DOX per mg core, 0.1 mg membrane protein per mg core, 0.5 mg fed per mg core."""
    c = loading_content(0.25, 0.1, 0.5)
    assert c.content_on_carrier == pytest.approx(0.25 / 1.25)
    assert c.content_on_coated_particle == pytest.approx(0.25 / 1.35)
    assert c.encapsulation_efficiency == pytest.approx(0.5)
    assert loading_content(0.25, 0.0).encapsulation_efficiency is None
