"""The periodic sweeps and the loop that runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from shopping.db import Database
from shopping.idempotency.repository import purge_expired
from shopping.kit.clock import Clock
from shopping.orders.expiry import expire_due_orders
from shopping.webhooks.relay import Relay
from shopping.webhooks.retention import purge_history

log = logging.getLogger("shopping.worker")


@dataclass
class Worker:
    """Runs the relay often and the sweeps now and then, until told to stop."""

    relay: Relay
    sweeper: Sweeper
    relay_interval_seconds: float = 0.5

    async def run_once(self) -> dict[str, int]:
        return {**await self.relay.run_once(), **await self.sweeper.sweep_once()}

    async def run_forever(self, stop: asyncio.Event) -> None:
        sweeps = asyncio.create_task(self.sweeper.run_forever(stop))
        try:
            while not stop.is_set():
                try:
                    busy = any((await self.relay.run_once()).values())
                except Exception:  # a failed pass must not end the worker
                    log.exception("relay pass failed")
                    busy = False
                if not busy:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=self.relay_interval_seconds)
        finally:
            await sweeps


@dataclass
class Sweeper:
    db: Database
    clock: Clock
    interval_seconds: float = 5.0
    webhook_retention: timedelta = timedelta(days=30)

    async def sweep_once(self) -> dict[str, int]:
        """One pass of every sweep; each drains its backlog in batches."""
        expired = 0
        while (done := await expire_due_orders(self.db, self.clock)) > 0:
            expired += done
        async with self.db.write() as uow:
            purged = await purge_expired(uow, self.clock())
        async with self.db.write() as uow:
            history = await purge_history(uow, self.clock() - self.webhook_retention)
        return {
            "orders_expired": expired,
            "idempotency_keys_purged": purged,
            "webhook_history_purged": history,
        }

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
