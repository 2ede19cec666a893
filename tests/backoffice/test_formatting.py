"""Amounts in major units and times with a relative hint, as the pages show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopping.backoffice.money import format_money, major_units, minor_units
from shopping.backoffice.rendering import relative, utc_text


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (12345, "NOK", "123.45 NOK"),
        (-5, "NOK", "-0.05 NOK"),
        (123456789, "EUR", "1\u2009234\u2009567.89 EUR"),
        (1500, "JPY", "1\u2009500 JPY"),
        (1234, "KWD", "1.234 KWD"),
        (None, "NOK", "—"),
    ],
)
def test_money_in_major_units(amount: int | None, currency: str, shown: str) -> None:
    assert format_money(amount, currency) == shown


@pytest.mark.parametrize(
    ("text", "currency", "amount"),
    [
        ("125.50", "NOK", 12550),
        ("125,5", "NOK", 12550),
        ("125", "NOK", 12500),
        ("1 250.00", "NOK", 125000),
        ("-3.10", "NOK", -310),
        ("1500", "JPY", 1500),
        ("1.5", "JPY", None),
        ("1.005", "NOK", None),
        ("ten", "NOK", None),
        ("", "NOK", None),
    ],
)
def test_amounts_typed_by_people(text: str, currency: str, amount: int | None) -> None:
    assert minor_units(text, currency) == amount


def test_major_and_minor_units_round_trip() -> None:
    for amount in (0, 1, 99, 100, 123456, -42):
        assert minor_units(major_units(amount, "NOK"), "NOK") == amount


def test_times_in_utc_with_a_relative_hint() -> None:
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    assert utc_text("2026-12-04T13:00:00+01:00") == "2026-12-04 12:00:00 UTC"
    assert utc_text("not a time") == "not a time"
    assert relative(now - timedelta(seconds=30), now) == "just now"
    assert relative(now - timedelta(minutes=1), now) == "1 minute ago"
    assert relative(now - timedelta(hours=5), now) == "5 hours ago"
    assert relative(now - timedelta(days=400), now) == "1 year ago"
    assert relative(now + timedelta(minutes=10), now) == "in 10 minutes"
