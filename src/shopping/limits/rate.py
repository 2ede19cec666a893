"""Per-client rate limiting: a token bucket per API client, in each server process.

A client may make `burst` requests at once and `per_second` on average; with N server
processes a client can reach N times that. Buckets of clients that have been idle long
enough to be full again are forgotten when the table grows large.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from shopping.errors import ShoppingError

MAX_CLIENTS = 10_000


class RateLimited(ShoppingError):
    status_code = 429
    code = "TOO_MANY_REQUESTS"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many requests from this client; retry after {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


class RateLimiter:
    def __init__(
        self,
        per_second: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        if per_second <= 0 or burst < 1:
            raise ValueError("a rate limiter needs per_second > 0 and burst >= 1")
        self.per_second = per_second
        self.burst = float(burst)
        self._clock = clock
        self._max_clients = max_clients
        #: client id → [tokens left, when last updated]
        self._buckets: dict[str, list[float]] = {}

    def acquire(self, client_id: str) -> int:
        """Take one token: 0 when the request may go ahead, else the seconds to wait (≥ 1)."""
        now = self._clock()
        bucket = self._buckets.get(client_id)
        if bucket is None:
            if len(self._buckets) >= self._max_clients:
                self._forget_idle(now)
            self._buckets[client_id] = [self.burst - 1.0, now]
            return 0
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.per_second)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0
        bucket[0] = tokens
        return max(1, math.ceil((1.0 - tokens) / self.per_second))

    def _forget_idle(self, now: float) -> None:
        refill = self.burst / self.per_second
        self._buckets = {
            client: bucket for client, bucket in self._buckets.items() if now - bucket[1] < refill
        }
        # still full of busy clients: forget the longest-known ones
        excess = len(self._buckets) - self._max_clients * 9 // 10
        for client in list(self._buckets)[: max(0, excess)]:
            del self._buckets[client]

    def __len__(self) -> int:
        return len(self._buckets)
