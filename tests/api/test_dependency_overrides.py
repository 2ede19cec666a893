"""Every route takes its services through dependencies, so `app.dependency_overrides` replaces
them: a test (or an embedding application) can swap a service without touching the app."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from shopping.draft_orders.examples import DRAFT
from shopping.draft_orders.router import get_drafts
from shopping.kit.requests import ApiCall
from shopping.orders.examples import ORDER_RESPONSE
from shopping.orders.http import get_orders


class FakeDrafts:
    """Answers with a well-formed draft that only it knows, marked as its own."""

    async def get(self, conn: Any, call: ApiCall, draft_id: str) -> dict[str, Any]:
        return {**fake_draft(draft_id), "account": call.account_id}


class FakeOrders:
    """Answers with a well-formed order that only it knows, marked as its own."""

    async def get_text(self, conn: Any, call: ApiCall, order_id: str) -> tuple[int, str]:
        return 3, json.dumps(fake_order(order_id))


def fake_draft(draft_id: str) -> dict[str, Any]:
    return {**DRAFT, "id": draft_id, "version": 7, "served_by": "fake"}


def fake_order(order_id: str) -> dict[str, Any]:
    return {**ORDER_RESPONSE, "order_id": order_id, "version": 3, "served_by": "fake"}


async def test_an_overridden_service_answers_the_route(
    app: FastAPI, api: httpx.AsyncClient, account: str
) -> None:
    draft_id = str(uuid.uuid4())  # no such draft: only the fake knows it
    app.dependency_overrides[get_drafts] = FakeDrafts
    try:
        response = await api.get(f"/draft_orders/{draft_id}")
    finally:
        del app.dependency_overrides[get_drafts]
    assert response.status_code == 200, response.text
    assert response.json() == {**fake_draft(draft_id), "account": account}
    assert response.headers["etag"] == '"7"'

    assert (await api.get(f"/draft_orders/{draft_id}")).status_code == 404  # the real one again


async def test_a_hot_read_route_honours_overrides_too(app: FastAPI, api: httpx.AsyncClient) -> None:
    app.dependency_overrides[get_orders] = FakeOrders
    try:
        response = await api.get("/orders/order-1")
    finally:
        del app.dependency_overrides[get_orders]
    assert response.status_code == 200, response.text
    assert response.json() == fake_order("order-1")
    assert response.headers["etag"] == '"3"'
