"""POST /orders/{order_id}/cancel | close | open (reference §5.4, §10.14).

open → closed (close), closed → open (open), open|closed → cancelled (cancel); every other pair
is a 409 STATUS_TRANSITION_NOT_ALLOWED. Each transition bumps the version and appends an
api-event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING
from tests.support.orders import (
    api_events,
    client,
    completed_order,
    error_code,
    get_order,
)

Json = dict[str, Any]

#: how to bring a fresh (open) order into each status
PATHS_TO = {"open": [], "closed": ["close"], "cancelled": ["cancel"]}
RESULT = {"close": "closed", "open": "open", "cancel": "cancelled"}
ALLOWED = {("open", "close"), ("closed", "open"), ("open", "cancel"), ("closed", "cancel")}
PAIRS = [(status, action) for status in PATHS_TO for action in RESULT]


def assert_between(earliest: str, moment: str, latest: str) -> None:
    parse = datetime.fromisoformat
    assert parse(earliest) <= parse(moment) <= parse(latest), (earliest, moment, latest)


async def order_in(api: httpx.AsyncClient, status: str) -> Json:
    order = await completed_order(api)
    for action in PATHS_TO[status]:
        response = await api.post(f"/orders/{order['id']}/{action}")
        assert response.status_code == 200, response.text
        order = response.json()
    assert order["status"] == status
    return order


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
async def test_transition(api: httpx.AsyncClient, status: str, action: str) -> None:
    before = await order_in(api, status)

    response = await api.post(f"/orders/{before['id']}/{action}")

    after = await get_order(api, before["id"])
    events = await api_events(api, before["id"])
    if (status, action) in ALLOWED:
        assert response.status_code == 200, response.text
        assert response.json() == after
        assert after["status"] == RESULT[action]
        assert after["version"] == before["version"] + 1
        assert len(events) == after["version"]
        assert events[-1]["version"] == after["version"]
        assert events[-1]["request"]["method"] == "POST"
        assert events[-1]["request"]["path"].endswith(f"/orders/{before['id']}/{action}")
    else:
        assert response.status_code == 409, response.text
        assert error_code(response) == "STATUS_TRANSITION_NOT_ALLOWED"
        assert response.json()["error"]["status"] == status
        assert after == before
        assert len(events) == before["version"]


async def test_close_and_reopen_record_who_and_when(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, ADMIN_SHOPPING, client_id="clerk-1") as clerk:
        closed = (await clerk.post(f"/orders/{order['id']}/close")).json()
        reopened = await clerk.post(f"/orders/{order['id']}/open")

    assert closed["status"] == "closed"
    assert closed["closed_by"] == "clerk-1"
    assert_between(order["updated_at"], closed["closed_at"], closed["updated_at"])
    assert closed["updated_by"] == "clerk-1"
    assert "cancelled_at" not in closed
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "open"
    assert reopened.json()["version"] == 3


@pytest.mark.parametrize(
    "reason", ["customer", {"code": 17, "text": "fraud"}, ["a", "b"], 42, False]
)
async def test_cancel_records_reason_who_and_when(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient, reason: Any
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, ADMIN_SHOPPING, client_id="clerk-2") as clerk:
        response = await clerk.post(
            f"/orders/{order['id']}/cancel", json={"cancelled_reason": reason}
        )

    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelled_reason"] == reason
    assert cancelled["cancelled_by"] == "clerk-2"
    assert_between(order["updated_at"], cancelled["cancelled_at"], cancelled["updated_at"])
    assert cancelled["version"] == 2
    assert await get_order(api, order["id"]) == cancelled
    event = (await api_events(api, order["id"]))[-1]
    assert event["request"]["body"] is not None
    assert "cancelled_reason" in event["request"]["body"]


@pytest.mark.parametrize("body", [None, {}, {"cancelled_reason": None}])
async def test_cancel_without_a_reason(api: httpx.AsyncClient, body: Json | None) -> None:
    order = await completed_order(api)

    response = await api.post(f"/orders/{order['id']}/cancel", json=body)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert "cancelled_reason" not in response.json()


@pytest.mark.parametrize(
    "raw", [b'{"reason": "typo"}', b"[1]", b"{broken", b'{"cancelled_reason": {"a": "\\u0000"}}']
)
async def test_cancel_with_an_invalid_body_is_400(api: httpx.AsyncClient, raw: bytes) -> None:
    order = await completed_order(api)

    response = await api.post(
        f"/orders/{order['id']}/cancel", content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert (await get_order(api, order["id"]))["status"] == "open"


async def test_closed_then_cancelled_keeps_the_close_record(api: httpx.AsyncClient) -> None:
    closed = await order_in(api, "closed")

    cancelled = (await api.post(f"/orders/{closed['id']}/cancel")).json()

    assert cancelled["status"] == "cancelled"
    assert cancelled["closed_at"] == closed["closed_at"]
    assert cancelled["version"] == 3


async def test_transitions_by_business_order_id(api: httpx.AsyncClient) -> None:
    order = await completed_order(api, options={"generate_order_id": "ALPHANUMERIC_9"})

    for action, status in (("close", "closed"), ("open", "open"), ("cancel", "cancelled")):
        response = await api.post(f"/orders/{order['order_id']}/{action}")
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status


@pytest.mark.parametrize("action", ["cancel", "close"])
async def test_stale_if_match_is_409(api: httpx.AsyncClient, action: str) -> None:
    order = await completed_order(api)
    await api.put(f"/orders/{order['id']}", json={"comment": "v2"})

    stale = await api.post(f"/orders/{order['id']}/{action}", headers={"If-Match": '"1"'})
    current = await api.post(f"/orders/{order['id']}/{action}", headers={"If-Match": '"2"'})

    assert stale.status_code == 409, stale.text
    assert error_code(stale) == "VERSION_CONFLICT"
    assert current.status_code == 200, current.text
    assert current.json()["version"] == 3


@pytest.mark.parametrize("action", ["cancel", "close", "open"])
async def test_unknown_order_is_404(api: httpx.AsyncClient, action: str) -> None:
    response = await api.post(f"/orders/NOSUCHORD/{action}")

    assert response.status_code == 404, response.text
    assert error_code(response) == "ORDER_NOT_FOUND"


@pytest.mark.parametrize("action", ["cancel", "close"])
async def test_read_scope_cannot_change_status(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient, action: str
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, READ_SHOPPING) as reader:
        response = await reader.post(f"/orders/{order['id']}/{action}")

    assert response.status_code == 403, response.text
    assert (await get_order(api, order["id"]))["status"] == "open"


async def test_include_events_on_the_transition_response(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)

    response = await api.post(
        f"/orders/{order['id']}/close", params={"include_events": "api-event"}
    )

    assert response.status_code == 200, response.text
    assert [e["version"] for e in response.json()["events"]] == [1, 2]
    bad = await api.post(f"/orders/{order['id']}/open", params={"include_events": "nope"})
    assert bad.status_code == 400, bad.text
    assert (await get_order(api, order["id"]))["status"] == "closed"
