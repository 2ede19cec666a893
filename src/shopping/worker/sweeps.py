"""The periodic sweeps and the loop that runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from shopping.db import Database
from shopping.idempotency.repository import purge_expired
from shopping.kit.clock import Clock
from shopping.orders.expiry import expire_due_orders

log = logging.getLogger("shopping.worker")


@dataclass
class Sweeper:
    db: Database
    clock: Clock
    interval_seconds: float = 5.0

    async def sweep_once(self) -> dict[str, int]:
        """One pass of every sweep; each drains its backlog in batches."""
        expired = 0
        while (done := await expire_due_orders(self.db, self.clock)) > 0:
            expired += done
        async with self.db.write() as conn:
            purged = await purge_expired(conn, self.clock())
        return {"orders_expired": expired, "idempotency_keys_purged": purged}

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                counts = await self.sweep_once()
                if any(counts.values()):
                    log.info("sweep", extra=counts)
            except Exception:  # a failed pass must not end the worker; the next one retries
                log.exception("sweep failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval_seconds)
