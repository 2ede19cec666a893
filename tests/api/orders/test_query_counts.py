"""No N+1: listing orders with their events costs the same number of SQL statements whether
the page holds 2 orders or 20."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.drafts import customer
from tests.support.orders import orders_per_store, service_event
from tests.support.statements import sent_statements


async def statements_for(app: FastAPI, api: httpx.AsyncClient, path: str, **params: Any) -> int:
    with sent_statements(app) as statements:
        response = await api.get(path, params=params)
    assert response.status_code == 200, response.text
    return len(statements)


async def add_orders(api: httpx.AsyncClient, count: int, offset: int) -> list[str]:
    stores = [f"S{n:02d}" for n in range(offset, offset + count)]
    orders = await orders_per_store(api, *stores, customer=customer(id="kari"))
    for order in orders:
        await service_event(api, order["id"], "kitchen", "success")
        await api.post(f"/orders/{order['id']}/comments", json={"body": "x"})
    return [order["id"] for order in orders]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/orders", {"include_events": "true"}),
        ("/orders", {"include_events": "service-event", "search": "kari", "status": "open"}),
        ("/customers/kari/orders", {"include_events": "true"}),
    ],
)
async def test_list_with_events_does_not_grow_with_the_page(
    app: FastAPI, api: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    first = await add_orders(api, 2, 0)
    few = await statements_for(app, api, path, limit=100, **params)

    more = await add_orders(api, 18, 2)
    many = await statements_for(app, api, path, limit=100, **params)
    paged = await statements_for(app, api, path, limit=100, starting_after=more[0], **params)

    assert 0 < few <= 4, few
    assert many == few
    assert paged <= few + 1  # the cursor lookup
    listed = (await api.get(path, params={"limit": 100, **params})).json()["orders"]
    assert len(listed) == 20
    assert {o["id"] for o in listed} == {*first, *more}
    assert all(
        len([e for e in o["events"] if e["event_type"] == "service-event"]) == 1 for o in listed
    )


async def test_get_with_events_is_a_fixed_number_of_statements(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    [order_id] = await add_orders(api, 1, 0)
    before = await statements_for(app, api, f"/orders/{order_id}", include_events="true")
    for _ in range(5):
        await service_event(api, order_id, "kitchen", "pending")

    after = await statements_for(app, api, f"/orders/{order_id}", include_events="true")

    assert 0 < before <= 3, before
    assert after == before
