"""Query parameters shared by list endpoints."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Query

from shopping.errors import ValidationFailed

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1..100")]
DEFAULT_LIMIT = 10


def multi_value(
    values: list[str] | None,
    name: str,
    *,
    allowed: frozenset[str] | None = None,
    pattern: re.Pattern[str] | None = None,
) -> tuple[str, ...]:
    """Array query parameters: repeated (`?status=a&status=b`) or comma-separated (`a,b`),
    each value one of `allowed` or matching `pattern`."""
    out: list[str] = []
    for raw in values or ():
        out += [part.strip() for part in raw.split(",") if part.strip()]
    problems = []
    for value in dict.fromkeys(out):
        if allowed is not None and value not in allowed:
            problems.append(f"{value!r} is not one of {', '.join(sorted(allowed))}")
        elif pattern is not None and not pattern.fullmatch(value):
            problems.append(f"{value!r} does not match {pattern.pattern}")
    if problems:
        raise ValidationFailed(
            f"Invalid value for {name}",
            errors=[{"path": name, "message": problem} for problem in problems],
        )
    return tuple(dict.fromkeys(out))


def day_start(value: date | datetime | None, name: str = "created_at.gte") -> datetime | None:
    """`created_at.gte`: a date means from the start of that day (UTC)."""
    if value is None or isinstance(value, datetime):
        return _in_utc(value, name)
    return datetime.combine(value, time.min, tzinfo=UTC)


def day_end(value: date | datetime | None, name: str = "created_at.lte") -> datetime | None:
    """`created_at.lte`: a date is inclusive to the end of that day (UTC)."""
    if value is None or isinstance(value, datetime):
        return _in_utc(value, name)
    return datetime.combine(value, time.max, tzinfo=UTC)


def _in_utc(value: datetime | None, name: str) -> datetime | None:
    """The bound in UTC, as it is compared; a moment with no UTC year 1..9999 is a 400."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed(
            f"Invalid value for {name}",
            errors=[{"path": name, "message": "out of the representable date range"}],
        ) from None
