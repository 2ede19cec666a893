"""Completing one draft from many clients at once creates exactly one set of orders.

Requests are gathered on one event loop against the same ASGI app, so they overlap inside the
server (an in-flight probe on the write runner proves it). On Postgres a second variant sends
them from separate apps — separate engines and connection pools, as separate server
processes would — each with its own client.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.completion import (
    InFlight,
    account_client,
    complete,
    error_code,
    extra_app,
    get_order,
    ids,
    list_orders,
    split_draft_body,
)
from tests.support.drafts import create_draft, get_draft

N = 20
REPLAYED = "Idempotent-Replayed"


@pytest.fixture
def probe(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> InFlight:
    writes = app.state.writes
    in_flight = InFlight()
    monkeypatch.setattr(writes, "run", in_flight.wrap(writes.run))
    return in_flight


async def assert_one_set_of_orders(
    api: httpx.AsyncClient, draft_id: str, orders: list[dict[str, Any]]
) -> None:
    assert len(orders) == 3
    assert sorted(ids(await list_orders(api))) == sorted(ids(orders))
    for order in orders:
        assert (await get_order(api, str(order["id"])))["version"] == 1
    draft = await get_draft(api, draft_id)
    assert (draft["status"], draft["version"]) == ("completed", 2)
    assert [e["version"] for e in draft["events"]] == [1, 2]


async def test_concurrent_completions_without_a_key_complete_once(
    api: httpx.AsyncClient, probe: InFlight
) -> None:
    draft = await create_draft(api, split_draft_body())
    probe.reset()

    responses = await asyncio.gather(*(complete(api, draft["id"]) for _ in range(N)))

    assert probe.calls == N
    assert probe.most > 1, "the completions did not overlap"
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: N - 1}, [r.text for r in responses]
    assert {error_code(r) for r in responses if r.status_code == 409} == {"DRAFT_ALREADY_COMPLETED"}
    [winner] = [r for r in responses if r.status_code == 200]
    await assert_one_set_of_orders(api, draft["id"], winner.json()["orders"])


async def test_concurrent_completions_sharing_a_key_all_get_the_same_orders(
    api: httpx.AsyncClient, probe: InFlight
) -> None:
    draft = await create_draft(api, split_draft_body())
    probe.reset()

    responses = await asyncio.gather(
        *(complete(api, draft["id"], key="complete-once") for _ in range(N))
    )

    assert probe.calls == N
    assert probe.most > 1, "the completions did not overlap"
    assert [r.status_code for r in responses] == [200] * N, [r.text for r in responses]
    first = responses[0].json()
    assert all(r.json() == first for r in responses)
    assert Counter(r.headers.get(REPLAYED) for r in responses) == {None: 1, "true": N - 1}
    await assert_one_set_of_orders(api, draft["id"], first["orders"])


@pytest.mark.postgres_only
@pytest.mark.parametrize("key", [None, "complete-once"])
async def test_completions_from_separate_servers_complete_once(
    database_url: str, backend: str, account: str, key: str | None
) -> None:
    if backend != "postgres":
        pytest.skip("separate connection pools racing on row locks: Postgres")
    async with AsyncExitStack() as stack:
        apps = [await stack.enter_async_context(extra_app(database_url)) for _ in range(4)]
        clients = [await stack.enter_async_context(account_client(a, account)) for a in apps]
        draft = await create_draft(clients[0], split_draft_body())

        responses = await asyncio.gather(
            *(complete(clients[n % len(clients)], draft["id"], key=key) for n in range(N))
        )

        if key is None:
            assert Counter(r.status_code for r in responses) == {200: 1, 409: N - 1}
            [winner] = [r.json() for r in responses if r.status_code == 200]
        else:
            assert [r.status_code for r in responses] == [200] * N, [r.text for r in responses]
            winner = responses[0].json()
            assert all(r.json() == winner for r in responses)
            assert sum(r.headers.get(REPLAYED) == "true" for r in responses) == N - 1
        await assert_one_set_of_orders(clients[1], draft["id"], winner["orders"])
