"""`POST /orders`: importing an order without a draft — validated like a draft, totals like a
completed draft, `order_id` used once per account, Idempotency-Key, an optional historical
`created_at`, and a `shopping_order_update` event."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import READ_SHOPPING, WRITE_SHOPPING
from tests.conftest import bearer
from tests.support.completion import account_client, extra_app
from tests.support.drafts import customer, item
from tests.support.orders import client, completed_order, error_code
from tests.support.webhooks import feed

Json = dict[str, Any]
COMPUTED = ("gross_amount", "net_amount", "total_discount", "stores", "currency", "items")


def another_account() -> str:
    return f"T{random.randrange(10**8):08d}"


def body(*items: Json, **fields: Any) -> Json:
    return {"currency": "NOK", "items": list(items or (item(),)), **fields}


async def test_an_imported_order_has_the_totals_of_a_completed_draft(
    api: httpx.AsyncClient,
) -> None:
    lines = (item(gross=12345), item(gross=500, discounts=[{"amount": 100}], store="X"))
    response = await api.post("/orders", json=body(*lines, customer=customer(id="imp")))
    assert response.status_code == 200, response.text
    imported = response.json()
    completed = await completed_order(api, *lines, customer=customer(id="imp"))
    for field in COMPUTED:
        assert imported[field] == completed[field], field
    assert imported["status"] == "open"
    assert imported["payment_status"] == completed["payment_status"]
    assert imported["version"] == 1
    assert imported["order_id"] == imported["id"]  # none given: its own id

    got = await api.get(f"/orders/{imported['order_id']}")
    assert got.status_code == 200
    assert got.json()["gross_amount"] == 12845
    listed = await api.get("/customers/imp/orders")
    assert imported["id"] in [o["id"] for o in listed.json()["orders"]]
    # the event and its webhook body: a shopping_order_update of the new order
    [event] = [e for e in await feed(api) if e.get("order", {}).get("id") == imported["id"]]
    assert event["event"] == "shopping_order_update"
    assert event["sequence"] == 1


async def test_a_historical_created_at_is_kept(api: httpx.AsyncClient) -> None:
    when = "2021-03-04T05:06:07+00:00"
    response = await api.post("/orders", json=body(order_id="legacy-1", created_at=when))
    assert response.status_code == 200, response.text
    order = response.json()
    assert datetime.fromisoformat(order["created_at"]) == datetime.fromisoformat(when)
    assert datetime.fromisoformat(order["updated_at"]) > datetime(2026, 1, 1, tzinfo=UTC)
    listed = await api.get("/orders", params={"created_at.lte": "2021-03-04"})
    assert [o["id"] for o in listed.json()["orders"]] == [order["id"]]


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"items": [item()]}, "currency"),
        ({"currency": "NOK"}, "items"),
        ({"currency": "NOK", "items": []}, "items"),
        ({"currency": "NOK", "items": None}, "items"),
        ({"currency": "NOK", "items": [{"gross_amount": "abc"}]}, "items[0].gross_amount"),
        (body(created_at="yesterday"), "created_at"),
        (body(created_at="2021-03-04T05:06:07"), "created_at"),  # no time zone
        (body(order_id="x" * 41), "order_id"),
    ],
)
async def test_invalid_imports_are_400_and_create_nothing(
    api: httpx.AsyncClient, payload: Json, path: str
) -> None:
    response = await api.post("/orders", json=payload)
    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert path in [e["path"] for e in response.json()["error"].get("errors", [])], response.text
    assert (await api.get("/orders")).json()["orders"] == []


async def test_a_created_at_in_the_future_is_400(api: httpx.AsyncClient) -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    response = await api.post("/orders", json=body(created_at=later))
    assert response.status_code == 400, response.text
    assert (await api.get("/orders")).json()["orders"] == []


async def test_an_order_id_is_used_once_per_account(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    first = await api.post("/orders", json=body(order_id="ext-42"))
    assert first.status_code == 200, first.text
    again = await api.post("/orders", json=body(order_id="ext-42"))
    assert again.status_code == 409, again.text
    assert error_code(again) == "ORDER_ID_TAKEN"
    # nor by a draft's completion, nor the other way round
    drafted = await completed_order(api, order_id="ext-43")
    taken = await api.post("/orders", json=body(order_id=drafted["order_id"]))
    assert taken.status_code == 409, taken.text
    own = await api.post("/orders", json=body(order_id=first.json()["id"]))
    assert own.status_code == 409, own.text
    assert len((await api.get("/orders")).json()["orders"]) == 2
    # another account may use the same id
    other = client(http, app, another_account(), WRITE_SHOPPING)
    async with other:
        elsewhere = await other.post("/orders", json=body(order_id="ext-42"))
    assert elsewhere.status_code == 200, elsewhere.text


async def test_an_idempotency_key_replays_the_import(api: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "import-1"}
    first = await api.post("/orders", json=body(order_id="idem-1"), headers=headers)
    assert first.status_code == 200, first.text
    again = await api.post("/orders", json=body(order_id="idem-1"), headers=headers)
    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len((await api.get("/orders")).json()["orders"]) == 1
    reused = await api.post("/orders", json=body(order_id="idem-2"), headers=headers)
    assert reused.status_code in (409, 422), reused.text  # the key with another body


async def test_importing_needs_a_write_scope_of_the_account(
    http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    path = f"/v1/accounts/{account}/shopping/orders"
    assert (await http.post(path, json=body())).status_code == 401
    reader = client(http, app, account, READ_SHOPPING)
    async with reader:
        denied = await reader.post("/orders", json=body())
    assert denied.status_code == 403, denied.text
    stranger = bearer(app, another_account(), WRITE_SHOPPING)
    elsewhere = await http.post(path, json=body(), headers=stranger)
    assert elsewhere.status_code == 403, elsewhere.text
    assert (await http.get(path, headers=bearer(app, account, READ_SHOPPING))).json() == {
        "orders": []
    }


@pytest.mark.postgres_only
async def test_racing_imports_of_one_order_id_create_one_order(
    database_url: str, backend: str, account: str
) -> None:
    if backend != "postgres":
        pytest.skip("separate connection pools racing on one unique key: Postgres")
    async with AsyncExitStack() as stack:
        apps = [await stack.enter_async_context(extra_app(database_url)) for _ in range(3)]
        clients = [await stack.enter_async_context(account_client(a, account)) for a in apps]
        responses = await asyncio.gather(
            *(
                clients[n % len(clients)].post("/orders", json=body(order_id="race-1"))
                for n in range(6)
            )
        )
        assert Counter(r.status_code for r in responses) == {200: 1, 409: 5}
        assert len((await clients[0].get("/orders")).json()["orders"]) == 1
