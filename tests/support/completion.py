"""Factories for completion, idempotency and expiry tests.

Drafts are built with `tests.support.drafts`; this module adds what turns them into orders and
what those tests need around them: a pinned clock, extra apps on the test database (other
settings, other clocks, "other processes"), and direct looks at the idempotency table.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, insert, select, update

from shopping.app import create_app
from shopping.auth.principal import Principal
from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.auth.tokens import TokenIssuer
from shopping.config import Settings
from shopping.kit.clock import isoformat
from shopping.models import IdempotencyKeyRow
from tests.conftest import TEST_SECRET
from tests.support.drafts import create_draft, discount, draft_body, item

Json = dict[str, Any]

#: Pinned clocks start far in the past, so a sweep at a pinned "now" can only reach rows
#: written by pinned-clock apps, never another test's real-time orders or keys.
PINNED_START = datetime(2001, 3, 1, 12, 0, 0, tzinfo=UTC)
#: Sweeping at this moment drains whatever earlier pinned-clock tests left due.
PINNED_ERA_END = datetime(2003, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


# ---- request bodies ----------------------------------------------------------------------


def split_draft_body(**options: Any) -> Json:
    """Two stores, A and B, plus a line without a store (goes with the order-level store)."""
    return draft_body(
        item(line_id=1, gross=10000, store="A"),
        item(line_id=2, gross=2500, store=None),
        item(line_id=3, gross=7000, store="B"),
        item(line_id=4, gross=500, store="A", discounts=[discount(100)]),
        store={"id": "MAIN", "name": "Main store"},
        order_number="ON-7",
        options={"split_draft": True, **options},
    )


# ---- calls -------------------------------------------------------------------------------


def complete_url(draft_id: str) -> str:
    return f"/draft_orders/{draft_id}/complete"


async def complete(
    api: httpx.AsyncClient, draft_id: str, *, key: str | None = None, **headers: str
) -> httpx.Response:
    sent = dict(headers)
    if key is not None:
        sent["Idempotency-Key"] = key
    return await api.put(complete_url(draft_id), json={}, headers=sent)


async def completed(api: httpx.AsyncClient, draft_id: str, **kwargs: Any) -> Json:
    """Complete a draft; fails loudly unless 200. Returns the completed draft with `orders`."""
    response = await complete(api, draft_id, **kwargs)
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


async def new_order(api: httpx.AsyncClient, body: Json | None = None) -> Json:
    """A draft (default: one 10000 item) completed into one order; returns that order."""
    draft = await create_draft(api, body)
    [order] = (await completed(api, draft["id"]))["orders"]
    created: Json = order
    return created


async def get_order(api: httpx.AsyncClient, reference: str, **params: Any) -> Json:
    response = await api.get(f"/orders/{reference}", params=params)
    assert response.status_code == 200, response.text
    order: Json = response.json()
    return order


async def list_orders(api: httpx.AsyncClient, **params: Any) -> list[Json]:
    response = await api.get("/orders", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    orders: list[Json] = response.json()["orders"]
    return orders


async def order_events(api: httpx.AsyncClient, reference: str) -> list[Json]:
    order = await get_order(api, reference, include_events="true")
    events: list[Json] = order["events"]
    return events


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def ids(orders: list[Json]) -> list[str]:
    return [order["id"] for order in orders]


def line_ids(order: Json) -> list[int]:
    return [line["line_id"] for line in order["items"]]


# ---- clocks and extra apps ---------------------------------------------------------------


@dataclass
class PinnedClock:
    """A clock that only moves when told to."""

    now: datetime = field(default=PINNED_START)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now

    def iso(self, delta: timedelta = timedelta(0)) -> str:
        return isoformat(self.now + delta)


def another_account() -> str:
    """A fresh account besides the test's own `account`."""
    return f"T{secrets.randbelow(10**8):08d}"


def settings_for(database_url: str, **overrides: Any) -> Settings:
    return Settings(database_url=database_url, jwt_secret=TEST_SECRET, **overrides)


@asynccontextmanager
async def extra_app(database_url: str, **kwargs: Any) -> AsyncIterator[FastAPI]:
    """Another app on the test database (`settings` overrides and `clock` / `discounts` go to
    `create_app`); its engine is disposed afterwards."""
    create_kwargs = {k: kwargs.pop(k) for k in ("clock", "discounts") if k in kwargs}
    app = create_app(settings_for(database_url, **kwargs), **create_kwargs)
    try:
        yield app
    finally:
        await app.state.db.dispose()


@asynccontextmanager
async def account_client(
    app: FastAPI, account: str, *scopes: str, raise_app_exceptions: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """Like the `api` fixture, for any app and account. Tokens are issued with the real clock
    (pyjwt checks `exp` against real time, whatever clock the app runs on)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/shopping",
        headers=auth_headers(account, *(scopes or (ADMIN_SHOPPING,))),
        timeout=60,
    ) as client:
        yield client


def auth_headers(account: str, *scopes: str) -> dict[str, str]:
    """A bearer token valid for every app built with TEST_SECRET, issued on real time."""
    principal = Principal(account, secrets.token_hex(8), frozenset(scopes))
    return {"Authorization": f"Bearer {TokenIssuer(TEST_SECRET, 3600).issue(principal)}"}


# ---- the idempotency table ---------------------------------------------------------------


def fingerprint(method: str, path: str, body: bytes = b"{}", query: str = "") -> str:
    """The request hash `shopping.kit.requests.request_fingerprint` computes, for a request
    built here (so a claim row can be planted for exactly that request)."""
    from starlette.requests import Request

    from shopping.kit.requests import request_fingerprint

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "scheme": "http",
        "server": ("testserver", 80),
        "query_string": query.encode(),
        "headers": [],
    }
    return request_fingerprint(Request(scope), body)


async def plant_claim(
    app: FastAPI,
    account: str,
    key: str,
    request_hash: str,
    *,
    locked_until: datetime,
    now: datetime | None = None,
) -> None:
    """An `in_progress` claim as a request that is still running (or died) leaves it."""
    now = now or datetime.now(UTC)
    async with app.state.db.write() as conn:
        await conn.execute(
            insert(IdempotencyKeyRow).values(
                account_id=account,
                key=key,
                request_hash=request_hash,
                state="in_progress",
                locked_until=locked_until,
                created_at=now,
                expires_at=now + timedelta(days=7),
            )
        )


async def stored_key(app: FastAPI, account: str, key: str) -> Json | None:
    async with app.state.db.read() as conn:
        row = await conn.one(
            select(
                IdempotencyKeyRow.state,
                IdempotencyKeyRow.status_code,
                IdempotencyKeyRow.expires_at,
            ).where(IdempotencyKeyRow.account_id == account, IdempotencyKeyRow.key == key)
        )
    return dict(row._asdict()) if row is not None else None


async def count_rows(app: FastAPI, model: Any, account: str, **where: Any) -> int:
    """Rows of `model` in `account` (with `column=value` conditions)."""
    conditions = [model.account_id == account]
    conditions += [getattr(model, column) == value for column, value in where.items()]
    async with app.state.db.read() as conn:
        count: int = await conn.scalar(select(func.count()).select_from(model).where(*conditions))
    return count


def days(n: float) -> timedelta:
    return timedelta(days=n)


async def patch_order_document(app: FastAPI, account: str, order_uuid: str, **fields: Any) -> None:
    """Change stored order fields directly (e.g. plant a payment operation the API cannot
    record yet)."""
    from shopping.models import OrderRow

    async with app.state.db.write() as conn:
        where = (OrderRow.account_id == account, OrderRow.id == order_uuid)
        document = await conn.scalar(select(OrderRow.document).where(*where))
        await conn.execute(update(OrderRow).where(*where).values(document={**document, **fields}))


class InFlight:
    """Counts how many calls of a wrapped coroutine function run at once: proof that
    requests gathered in a test really overlapped inside the server."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.now = 0
        self.most = 0
        self.calls = 0

    def wrap(self, function: Any) -> Any:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.now += 1
            self.calls += 1
            self.most = max(self.most, self.now)
            try:
                return await function(*args, **kwargs)
            finally:
                self.now -= 1

        return wrapper
