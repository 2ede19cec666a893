"""Amounts for people: integers in minor units shown in major units, and read back.

ISO 4217 minor units: most currencies have two decimals; the exceptions are listed.
"""

from __future__ import annotations

import re

_ZERO_DECIMALS = frozenset(
    {
        *("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"),
        *("RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"),
    }
)
_THREE_DECIMALS = frozenset(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])
_AMOUNT = re.compile(r"^(-?)(\d{1,15})(?:[.,](\d{1,3}))?$")


def decimals(currency: str | None) -> int:
    code = (currency or "").upper()
    if code in _ZERO_DECIMALS:
        return 0
    return 3 if code in _THREE_DECIMALS else 2


def major_units(amount: int | None, currency: str | None) -> str:
    """`12345, "NOK"` → `123.45`; thousands grouped with a thin space."""
    if amount is None:
        return "—"
    places = decimals(currency)
    sign = "-" if amount < 0 else ""
    whole, fraction = divmod(abs(int(amount)), 10**places)
    grouped = f"{whole:,}".replace(",", "\u2009")
    return f"{sign}{grouped}.{fraction:0{places}d}" if places else f"{sign}{grouped}"


def format_money(amount: int | None, currency: str | None) -> str:
    text = major_units(amount, currency)
    return f"{text} {currency}" if currency and amount is not None else text


def minor_units(text: str, currency: str | None) -> int | None:
    """`"123.45"` → `12345`; None when the text is not an amount with at most the currency's
    decimals."""
    match = _AMOUNT.match(text.strip().replace("\u2009", "").replace(" ", ""))
    if match is None:
        return None
    sign, whole, fraction = match.groups()
    places = decimals(currency)
    fraction = fraction or ""
    if len(fraction) > places:
        return None
    value = int(whole) * 10**places + int(fraction.ljust(places, "0") or "0")
    result: int = -value if sign else value
    return result
