"""When a failed delivery is tried again: exponential-ish backoff over about three days."""

from __future__ import annotations

import random
from datetime import timedelta

#: Delay before attempt 2, 3, …; 14 attempts spread over ~2.9 days.
RETRY_DELAYS = tuple(
    timedelta(seconds=s)
    for s in (10, 30, 120, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 57600, 86400)
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def next_delay(
    attempts_made: int, jitter: float = 0.1, delays: tuple[timedelta, ...] = RETRY_DELAYS
) -> timedelta | None:
    """The wait after `attempts_made` failed attempts (±`jitter`), or None: give up."""
    if attempts_made > len(delays):
        return None
    base = delays[attempts_made - 1]
    factor = 1 + random.uniform(-jitter, jitter)  # noqa: S311 - spreading load, not security
    return base * factor
