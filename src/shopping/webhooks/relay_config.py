"""Tuning of webhook delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from shopping.config import Settings
from shopping.webhooks.schedule import RETRY_DELAYS


@dataclass(frozen=True)
class RelayConfig:
    timeout_seconds: float = 10.0
    #: how long a claimed delivery is left to its worker before another may send it
    lease_seconds: float = 60.0
    #: deliveries claimed and sent per pass
    batch: int = 50
    #: outbox messages fanned out per pass (cheap: reads and inserts, no HTTP)
    fanout_batch: int = 500
    #: a subscription whose deliveries have failed this long, with no success since, is disabled
    disable_after_failing: timedelta = timedelta(days=3)
    #: waits before attempt 2, 3, …; a delivery is given up after the last one
    retry_delays: tuple[timedelta, ...] = RETRY_DELAYS

    @classmethod
    def from_settings(cls, settings: Settings) -> RelayConfig:
        timeout = settings.webhook_timeout_seconds
        return cls(
            timeout_seconds=timeout,
            # a claim outlives the slowest attempt, so no two workers send the same one
            lease_seconds=settings.webhook_lease_seconds or timeout * 2 + 30,
            disable_after_failing=timedelta(hours=settings.webhook_disable_after_failing_hours),
        )
