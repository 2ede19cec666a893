"""Dintero's documented test cards and what each does on the hosted page.

Success cards (with or without 3-D Secure) authorize; the 3-D Secure failure cards fail
the customer's authentication; the decline card is declined by the issuer. A number that is
not a test card is declined too: nothing here ever takes a real card.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    DECLINED = "DECLINED"
    AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"


_SUCCESS = {
    "4000000000000002",
    "5200000000000007",
    "4000100000000000",
    "5200000000000015",
    "4000200000000008",
    "5200000000000023",
}
_AUTHENTICATION_FAILS = {"4000300000000006", "5200000000000031"}
_DECLINED = {"4100000000000076"}

#: shown on the page, in this order
TEST_CARDS = (
    ("4000 0000 0000 0002", "Visa: authorized"),
    ("5200 0000 0000 0007", "Mastercard: authorized"),
    ("4000 1000 0000 0000", "Visa with 3-D Secure challenge: authorized"),
    ("4000 3000 0000 0006", "Visa: 3-D Secure verification fails"),
    ("4100 0000 0000 0076", "Visa: declined by the issuer"),
)


@dataclass(frozen=True, slots=True)
class Card:
    number: str

    @property
    def brand(self) -> str:
        if self.number.startswith("4"):
            return "Visa"
        if self.number[:2] in {"51", "52", "53", "54", "55"} or self.number[:2] == "22":
            return "MasterCard"
        return "Unknown"

    @property
    def masked_pan(self) -> str:
        """As Dintero prints it: the first six and last four digits."""
        return self.number[:6] + "*" * (len(self.number) - 10) + self.number[-4:]

    @property
    def last_four(self) -> str:
        return self.number[-4:]

    @property
    def outcome(self) -> Outcome:
        if self.number in _SUCCESS:
            return Outcome.AUTHORIZED
        if self.number in _AUTHENTICATION_FAILS:
            return Outcome.AUTHENTICATION_FAILED
        return Outcome.DECLINED


def card_number(raw: str) -> str | None:
    """The digits of a typed card number, or None when it cannot be one (Luhn)."""
    digits = "".join(ch for ch in raw if not ch.isspace() and ch != "-")
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not luhn_valid(digits):
        return None
    return digits


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0
