"""Factories for order tests: orders are made the only way the API makes them, by creating a
draft and completing it (`PUT /draft_orders/{id}/complete`).

`completed_order(api, item(...), customer=..., options=...)` takes the same arguments as
`tests.support.drafts.draft_body` and returns the one order the completion created;
`completed_orders` returns all of them (a split draft gives one per store).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI

from tests.conftest import token_for
from tests.support.drafts import create_draft, draft_body, item

Json = dict[str, Any]

ORDER_TOTAL_FIELDS = (
    "gross_amount",
    "net_amount",
    "total_discount",
    "total_manual_discount_amount",
)


async def completed_orders(
    api: httpx.AsyncClient, *items: Json, options: Json | None = None, **order_fields: Any
) -> list[Json]:
    """Create a draft (default: one 10000 item of store SL02) and complete it; its orders."""
    body = draft_body(*(items or (item(),)), options=options, **order_fields)
    draft = await create_draft(api, body)
    response = await api.put(f"/draft_orders/{draft['id']}/complete", json={})
    assert response.status_code == 200, response.text
    orders: list[Json] = response.json()["orders"]
    assert orders, response.text
    return orders


async def completed_order(
    api: httpx.AsyncClient, *items: Json, options: Json | None = None, **order_fields: Any
) -> Json:
    """One completed order (the draft must not split into several)."""
    orders = await completed_orders(api, *items, options=options, **order_fields)
    assert len(orders) == 1, f"expected one order, got {len(orders)}"
    return orders[0]


async def orders_per_store(api: httpx.AsyncClient, *stores: str, **order_fields: Any) -> list[Json]:
    """One split draft with one item per store: one order per store, in the given order.

    Every order of one completion shares its `created_at`; lists order them by `id`.
    """
    items = [item(line_id=n, gross=1000 * n, store=s) for n, s in enumerate(stores, start=1)]
    orders = await completed_orders(api, *items, options={"split_draft": True}, **order_fields)
    assert [o["store"]["id"] for o in orders] == list(stores)
    return orders


async def get_order(api: httpx.AsyncClient, reference: str, **params: Any) -> Json:
    response = await api.get(f"/orders/{reference}", params=params)
    assert response.status_code == 200, response.text
    order: Json = response.json()
    return order


async def list_orders(
    api: httpx.AsyncClient, path: str = "/orders", /, **params: Any
) -> list[Json]:
    response = await api.get(path, params=params)
    assert response.status_code == 200, response.text
    orders: list[Json] = response.json()["orders"]
    return orders


async def list_ids(api: httpx.AsyncClient, path: str = "/orders", /, **params: Any) -> list[str]:
    return [order["id"] for order in await list_orders(api, path, **params)]


def newest_first(*orders: Json) -> list[str]:
    """The ids of `orders` in list order: created_at descending, then id descending."""

    def key(order: Json) -> tuple[datetime, str]:
        return datetime.fromisoformat(order["created_at"]), order["id"]

    ranked = sorted(orders, key=key, reverse=True)
    return [order["id"] for order in ranked]


async def api_events(api: httpx.AsyncClient, reference: str) -> list[Json]:
    response = await api.get(f"/orders/{reference}/events")
    assert response.status_code == 200, response.text
    return [e for e in response.json()["events"] if e["event_type"] == "api-event"]


async def service_event(
    api: httpx.AsyncClient, reference: str, service: str, state: str | None = None, **fields: Any
) -> Json:
    body: Json = {"service": service, "service_status": fields.pop("service_status", "ready")}
    if state is not None:
        body["state"] = state
    body.update(fields)
    response = await api.post(f"/orders/{reference}/events", json=body)
    assert response.status_code == 200, response.text
    event: Json = response.json()
    return event


def client(
    http: httpx.AsyncClient,
    app: FastAPI,
    account: str,
    *scopes: str,
    client_id: str | None = None,
) -> httpx.AsyncClient:
    """Another client on the same app for `account`, holding a token with `scopes` (and
    `client_id`, the `created_by`/`updated_by` its writes leave, when given)."""
    token = token_for(app, account, *scopes, client_id=client_id)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=f"http://testserver/v1/accounts/{account}/shopping",
        headers={"Authorization": f"Bearer {token}"},
    )


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def totals(order: Json) -> Json:
    return {key: order[key] for key in ORDER_TOTAL_FIELDS}
