"""Webhook test fixtures: an app that may target loopback, a receiver, and a worker.

`hooks` (real clock, the session's webhook app) and `pinned_hooks(...)` (an extra app on a
pinned clock, with optional settings) give a `Hooks`: the account's Shopping and Hooks clients,
a receiver, and `worker()` building the worker exactly as `shopping-api worker` does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.app import create_app
from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.config import Settings
from shopping.db import Database
from shopping.kit.clock import Clock, utc_now
from shopping.webhooks.relay import Relay
from shopping.webhooks.relay_config import RelayConfig
from shopping.webhooks.targets import TargetPolicy
from shopping.worker.build import worker_for
from shopping.worker.sweeps import Worker
from tests.conftest import TEST_SECRET
from tests.support.completion import PinnedClock, auth_headers, extra_app
from tests.support.contract import ContractTransport
from tests.support.webhooks import (
    SECRET,
    SHOPPING_EVENTS,
    Receiver,
    receiving,
    retire_subscriptions,
)

Json = dict[str, Any]
LOOPBACK = "127.0.0.1"


@dataclass
class Hooks:
    app: FastAPI
    account: str
    #: `/v1/accounts/{aid}/shopping`, admin:shopping
    shop: httpx.AsyncClient
    #: `/v1/accounts/{aid}/hooks`, admin:hooks
    hooks: httpx.AsyncClient
    receiver: Receiver
    clock: Clock

    @property
    def db(self) -> Database:
        db: Database = self.app.state.db
        return db

    @property
    def settings(self) -> Settings:
        settings: Settings = self.app.state.settings
        return settings

    @property
    def time(self) -> PinnedClock:
        """The pinned clock (for `pinned_hooks` apps): `h.time.advance(...)`."""
        assert isinstance(self.clock, PinnedClock)
        return self.clock

    async def subscribe(
        self,
        events: tuple[str, ...] | list[str] = SHOPPING_EVENTS,
        *,
        url: str | None = None,
        secret: str | None = SECRET,
        **fields: Any,
    ) -> Json:
        config: Json = {"url": url or self.receiver.url}
        if secret is not None:
            config["secret"] = secret
        response = await self.hooks.post(
            "/subscriptions", json={"config": config, "events": list(events), **fields}
        )
        assert response.status_code == 200, response.text
        created: Json = response.json()
        return created

    def worker(self) -> AbstractAsyncContextManager[Worker]:
        return worker_for(self.settings, self.db, self.clock)


@asynccontextmanager
async def hooks_for(app: FastAPI, account: str, clock: Clock) -> AsyncIterator[Hooks]:
    # the shop client sees the 500s of injected failures; the Hooks API is checked against
    # the OpenAPI document
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        receiving() as receiver,
        httpx.AsyncClient(
            transport=transport,
            base_url=f"http://testserver/v1/accounts/{account}/shopping",
            headers=auth_headers(account, ADMIN_SHOPPING),
            timeout=60,
        ) as shop,
        httpx.AsyncClient(
            transport=ContractTransport(app),
            base_url=f"http://testserver/v1/accounts/{account}/hooks",
            headers=auth_headers(account, "admin:hooks"),
            timeout=60,
        ) as hooks,
    ):
        try:
            yield Hooks(app, account, shop, hooks, receiver, clock)
        finally:
            await retire_subscriptions(app.state.db, account)


async def drain_fan_out(app: FastAPI) -> None:
    """Fan out everything earlier tests of the session wrote to the outbox in one go, so
    these tests' waits do not depend on how much the rest of the suite left behind (a pass
    fans out at most `RelayConfig.batch` messages)."""
    state = app.state
    targets = TargetPolicy.from_settings(state.settings)
    async with httpx.AsyncClient() as http:
        await Relay(state.db, utc_now, http, targets, RelayConfig(batch=10**6)).fan_out()


@pytest.fixture(scope="session")
async def hook_app(database_url: str) -> AsyncIterator[FastAPI]:
    """The session's app whose webhooks may target loopback."""
    app = create_app(
        Settings(database_url=database_url, jwt_secret=TEST_SECRET, webhook_allowed_hosts=LOOPBACK)
    )
    await drain_fan_out(app)
    yield app
    await app.state.db.dispose()


@pytest.fixture
async def hooks(hook_app: FastAPI, account: str) -> AsyncIterator[Hooks]:
    async with hooks_for(hook_app, account, utc_now) as env:
        yield env


PinnedFactory = Callable[..., AbstractAsyncContextManager[Hooks]]


@pytest.fixture
def pinned_hooks(database_url: str, account: str) -> PinnedFactory:
    """`async with pinned_hooks(**settings) as h:` an app on a pinned clock (`h.clock`)."""

    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[Hooks]:
        clock = PinnedClock()
        settings.setdefault("webhook_allowed_hosts", LOOPBACK)
        async with (
            extra_app(database_url, clock=clock, **settings) as app,
            hooks_for(app, account, clock) as env,
        ):
            yield env

    return make
