"""Round trips to Postgres per use case, counted on the wire by a proxy (a round trip: the
client speaks again after the server answered). A write's BEGIN travels with its first
statement and its last writes with COMMIT, so creating a draft is one round trip and adding
an item (a locked read, then writes) two; reading an order is one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

import httpx
import pytest
from sqlalchemy import URL, make_url

from tests.conftest import bearer
from tests.support.completion import extra_app
from tests.support.drafts import create_draft, draft_body, item
from tests.support.tcp_proxy import TcpProxy


class _CountingProxy(TcpProxy):
    """A TCP proxy to Postgres that counts how often a client speaks after the server."""

    def __init__(self, target: URL) -> None:
        super().__init__(target)
        self.round_trips = 0
        self._last = "server"

    def pumps(
        self,
        client_in: asyncio.StreamReader,
        client_out: asyncio.StreamWriter,
        server_in: asyncio.StreamReader,
        server_out: asyncio.StreamWriter,
    ) -> list[Coroutine[Any, Any, None]]:
        return [
            self._pump(client_in, server_out, "client"),
            self._pump(server_in, client_out, "server"),
        ]

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, side: str
    ) -> None:
        while data := await source.read(65536):
            if side == "client" and self._last == "server":
                self.round_trips += 1
            self._last = side
            sink.write(data)
            await sink.drain()
        sink.close()


@pytest.fixture
async def counted(
    database_url: str, account: str
) -> AsyncIterator[tuple[_CountingProxy, httpx.AsyncClient]]:
    if not database_url.startswith("postgresql"):
        pytest.skip("round trips on the wire: Postgres")
    async with (
        _CountingProxy(make_url(database_url)) as proxy,
        extra_app(proxy.url, db_pool_size=1, db_max_overflow=0) as app,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=f"http://testserver/v1/accounts/{account}/shopping",
            headers=bearer(app, account, "admin:shopping"),
        ) as api,
    ):
        yield proxy, api


async def test_round_trips_of_the_core_use_cases(
    counted: tuple[_CountingProxy, httpx.AsyncClient],
) -> None:
    proxy, api = counted
    body = draft_body(item(line_id=1), item(line_id=2), item(line_id=3))
    drafts = [(await create_draft(api, body))["id"] for _ in range(3)]  # statements prepared
    await api.post(f"/draft_orders/{drafts[0]}/items", json=item())
    completed = await api.put(f"/draft_orders/{drafts[0]}/complete", json={})
    order_id = completed.json()["orders"][0]["id"]
    await api.get(f"/orders/{order_id}")

    counts: dict[str, int] = {}
    requests: dict[str, Callable[[], Awaitable[httpx.Response]]] = {
        "create": lambda: api.post("/draft_orders", json=body),
        "add_item": lambda: api.post(f"/draft_orders/{drafts[1]}/items", json=item()),
        "complete": lambda: api.put(f"/draft_orders/{drafts[2]}/complete", json={}),
        "get": lambda: api.get(f"/orders/{order_id}"),
    }
    for name, send in requests.items():
        before = proxy.round_trips
        response = await send()
        assert response.status_code == 200, response.text
        counts[name] = proxy.round_trips - before

    assert counts == {"create": 1, "add_item": 2, "complete": 2, "get": 1}
