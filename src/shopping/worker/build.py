"""Assemble the worker from settings (used by `shopping-api worker` and in-process `serve`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx

from shopping.config import Settings
from shopping.db import Database
from shopping.kit.clock import Clock
from shopping.webhooks.relay import Relay
from shopping.webhooks.relay_config import RelayConfig
from shopping.webhooks.targets import TargetPolicy
from shopping.worker.sweeps import Sweeper, Worker


@asynccontextmanager
async def worker_for(settings: Settings, db: Database, clock: Clock) -> AsyncIterator[Worker]:
    # follow_redirects=False: a 3xx is a failed delivery, never a hop to another target
    async with httpx.AsyncClient(follow_redirects=False) as http:
        relay = Relay(
            db,
            clock,
            http,
            TargetPolicy.from_settings(settings),
            RelayConfig.from_settings(settings),
        )
        sweeper = Sweeper(
            db,
            clock,
            settings.worker_interval_seconds,
            timedelta(days=settings.webhook_retention_days),
        )
        yield Worker(relay, sweeper, settings.relay_interval_seconds)
