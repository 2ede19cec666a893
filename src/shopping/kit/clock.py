"""The one source of "now", so tests can pin time without monkeypatching datetime."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def isoformat(moment: datetime) -> str:
    """RFC 3339 with a `Z`, microseconds kept, as Dintero's examples print timestamps."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
