"""How long idempotency keys live and how duplicates are treated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shopping.config import Settings


@dataclass(frozen=True, slots=True)
class IdempotencyPolicy:
    ttl: timedelta = timedelta(days=7)
    #: how long an in-progress claim is honoured before it counts as abandoned
    lease: timedelta = timedelta(seconds=60)
    #: how long a concurrent duplicate waits for the original before it gets 409
    wait: timedelta = timedelta(seconds=5)

    @classmethod
    def from_settings(cls, settings: Settings) -> IdempotencyPolicy:
        return cls(
            ttl=timedelta(seconds=settings.idempotency_ttl_seconds),
            lease=timedelta(seconds=settings.idempotency_lease_seconds),
            wait=timedelta(seconds=settings.idempotency_wait_seconds),
        )
