"""Identifier generation."""

from __future__ import annotations

import secrets
import uuid

_ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def new_uuid() -> str:
    return str(uuid.uuid4())


def alphanumeric_9() -> str:
    """A short order id: 9 characters of [A-Z0-9] (36**9 ≈ 1e14 values)."""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(9))
