"""Checkout ids look like Dintero's: the account id, a dot and a random part
(`T12345678.4d9k2Lq8vXb3Ue1HcN7sWa`), so a session id alone names its account."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
_RANDOM_LENGTH = 22  # ~131 bits


def new_checkout_id(account_id: str) -> str:
    return account_id + "." + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))


def account_of(checkout_id: str) -> str | None:
    """The account a session or transaction id belongs to, if it has the shape of one."""
    account, dot, rest = checkout_id.partition(".")
    if not dot or len(account) != 9 or account[0] not in "PT" or not account[1:].isdigit():
        return None
    return account if rest.isalnum() else None
