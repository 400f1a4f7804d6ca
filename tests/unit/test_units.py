"""The unit boundary: accepted forms, rejected bare numbers, dimension checks."""

from __future__ import annotations

import pickle

import pytest

from nanocloak.errors import SpecificationError, UnitError
from nanocloak.units import Quantity, format_quantity, parse_quantity


@pytest.mark.parametrize(
    "given", ["120 nm", "0.12 um", "0.12 µm", {"value": 120, "unit": "nm"}, Quantity(120, "nm")]
)
def test_accepted_forms_parse_to_the_same_length(given: object) -> None:
    assert parse_quantity(given, "nm", "core.diameter").to("nm").magnitude == pytest.approx(120)


def test_bare_number_is_rejected_with_the_accepted_forms() -> None:
    with pytest.raises(UnitError, match=r"core.diameter: got 120.*'120 nm'.*value = 120"):
        parse_quantity(120, "nm", "core.diameter")


def test_wrong_dimension_names_the_expected_dimension() -> None:
    with pytest.raises(UnitError, match=r"got '3 s'; expected a quantity of length"):
        parse_quantity("3 s", "nm", "core.diameter")


def test_unparseable_text_is_a_unit_error() -> None:
    with pytest.raises(UnitError, match=r"core\.diameter: got 'abc'"):
        parse_quantity("abc", "nm", "core.diameter")


def test_offset_temperature_and_percent_parse() -> None:
    assert parse_quantity("37 degC", "degC", "t").to("degC").magnitude == pytest.approx(37)
    assert parse_quantity("80 %", "dimensionless", "f").to("").magnitude == pytest.approx(0.8)


def test_relative_centrifugal_force_is_not_grams() -> None:
    rcf = parse_quantity("3200 xg", "xg", "rcf")
    assert rcf.to("m/s^2").magnitude == pytest.approx(3200 * 9.80665)
    with pytest.raises(UnitError):
        parse_quantity("3200 g", "xg", "rcf")


def test_format_round_trips() -> None:
    for text in ("120 nm", "1 mg / ml", "25 degC", "0.5 mg / mg"):
        quantity = parse_quantity(text, text.split(" ", 1)[1].replace(" ", ""), "x")
        again = parse_quantity(format_quantity(quantity), str(quantity.units), "x")
        assert again == quantity


def test_specification_errors_pickle_with_their_fields() -> None:
    error = SpecificationError("core.diameter", "-3 nm", "a positive length", "Fix it.")
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.field, clone.value, clone.expected, clone.hint) == (
        "core.diameter",
        "-3 nm",
        "a positive length",
        "Fix it.",
    )
    assert isinstance(clone, ValueError)
