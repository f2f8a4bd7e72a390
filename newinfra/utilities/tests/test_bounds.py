"""The bounds every number, id and date meets, from one table of hostile and ordinary values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from newinfra.utilities import bounds

HOSTILE = ["1e309", "NaN", "nan", "Infinity", "-Infinity", "99999999999999999999", str(2**70), "1e20"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_number_is_refused_for_a_decimal_column_with_the_field_named(value):
    with pytest.raises(bounds.OutOfBounds) as info:
        bounds.decimal(value, 24, 4, "数值")
    assert "“数值”" in str(info.value)


@pytest.mark.parametrize(
    "value, max_digits, places, expected",
    [
        ("12,345.5", 24, 4, D("12345.5")),
        ("999999999999999", 24, 4, D("999999999999999")),  # 15 digits: kept exactly on SQLite
        ("-3.25", 14, 2, D("-3.25")),
        (7, 5, 1, D(7)),
        ("", 14, 2, None),
    ],
)
def test_ordinary_decimals_pass(value, max_digits, places, expected):
    assert bounds.decimal(value, max_digits, places) == expected


@pytest.mark.parametrize(
    "value, max_digits, places, message",
    [
        ("1000000000000000", 24, 4, "整数部分最多15位"),
        ("1000", 5, 2, "整数部分最多3位"),
        ("1.234", 14, 2, "最多保留2位小数"),
        ("abc", 14, 2, "应为数字"),
        (True, 14, 2, "应为数字"),
    ],
)
def test_decimals_beyond_the_column_are_refused(value, max_digits, places, message):
    with pytest.raises(bounds.OutOfBounds, match=message):
        bounds.decimal(value, max_digits, places)


@pytest.mark.parametrize("value", [*HOSTILE, "-1", "0", "1.5", "abc", "1e3", str(2**63)])
def test_an_id_is_a_whole_number_from_1_within_64_bits(value):
    with pytest.raises(bounds.OutOfBounds):
        bounds.identifier(value, "规划")


@pytest.mark.parametrize("value, expected", [("7", 7), (str(2**63 - 1), 2**63 - 1), (12, 12), ("", None)])
def test_valid_ids_pass(value, expected):
    assert bounds.identifier(value) == expected


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01", "2021-02-30", "x"])
def test_dates_outside_1990_to_2100_or_not_dates_are_refused(value):
    with pytest.raises(bounds.OutOfBounds, match="“月份”"):
        bounds.date(value, "月份")


def test_dates_inside_the_window_pass():
    assert bounds.date("2021-06-30") == dt.date(2021, 6, 30)
    assert bounds.date(dt.datetime(1990, 1, 1, 8)) == dt.date(1990, 1, 1)


@pytest.mark.parametrize("value", ["1e309", "NaN", "Infinity", "1e16"])
def test_floats_are_finite_and_bounded(value):
    with pytest.raises(bounds.OutOfBounds):
        bounds.number(value, "半径")


def test_form_fields_carry_the_bounds():
    from django import forms

    class F(bounds.BoundedFormMixin, forms.Form):
        amount = forms.DecimalField(max_digits=24, decimal_places=4, label="金额")
        year = forms.IntegerField(label="年度")
        day = forms.DateField(label="日期")

    f = F({"amount": "99999999999999999999", "year": str(2**70), "day": "0001-01-01"})
    assert not f.is_valid()
    assert set(f.errors) == {"amount", "year", "day"}
    assert "金额" in f.errors["amount"][0] and "日期" in f.errors["day"][0]
    assert F({"amount": "12.50", "year": "2021", "day": "2021-03-31"}).is_valid()
