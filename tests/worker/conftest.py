"""A pinned-clock app per test, so expiry can be driven by moving time, not by waiting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from shopping.worker.sweeps import Sweeper
from tests.support.completion import PINNED_ERA_END, PinnedClock, account_client, extra_app


@dataclass
class Pinned:
    clock: PinnedClock
    account: str
    app: FastAPI
    api: httpx.AsyncClient
    sweeper: Sweeper

    async def sweep(self) -> dict[str, int]:
        return await self.sweeper.sweep_once()


@pytest.fixture
async def pinned(database_url: str, account: str) -> AsyncIterator[Pinned]:
    clock = PinnedClock()
    async with (
        extra_app(database_url, clock=clock) as app,
        account_client(app, account, raise_app_exceptions=False) as api,
    ):
        db = app.state.db
        # drain what earlier pinned-clock tests left due, so this test's counts are its own
        await Sweeper(db, lambda: PINNED_ERA_END).sweep_once()
        yield Pinned(clock, account, app, api, Sweeper(db, clock))
