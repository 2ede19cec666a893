"""GET /orders/{order_id}/events and POST service events (reference §3.13, §5.8, §10.16,
§10.24): the combined `state`, the events-only scopes, cancelled orders."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import (
    ADMIN_SHOPPING,
    READ_ORDER_EVENTS,
    READ_SHOPPING,
    WRITE_ORDER_EVENTS,
    WRITE_SHOPPING,
)
from tests.support.orders import (
    client,
    completed_order,
    error_code,
    get_order,
    service_event,
)

Json = dict[str, Any]


async def events_of(api: httpx.AsyncClient, reference: str) -> Json:
    response = await api.get(f"/orders/{reference}/events")
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


async def test_a_new_order_has_its_creation_event_and_is_pending(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)

    body = await events_of(api, order["id"])

    assert set(body) == {"events", "state"}
    assert body["state"] == "pending"
    [created] = body["events"]
    assert created["event_type"] == "api-event"
    assert created["version"] == 1
    assert created["request"]["method"] == "PUT"
    assert created["draft_id"]


async def test_post_a_service_event(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    body = {
        "service": "kitchen",
        "service_status": "ready_for_pickup",
        "description": "food prepared",
        "metadata": {"shelf": 4},
    }
    async with client(http, app, account, ADMIN_SHOPPING, client_id="kitchen-app") as kitchen:
        response = await kitchen.post(f"/orders/{order['id']}/events", json=body)

    assert response.status_code == 200, response.text
    event = response.json()
    assert {k: event[k] for k in body} == body
    assert event["event_type"] == "service-event"
    assert event["state"] == "success"  # the default
    assert event["created_by"] == "kitchen-app"
    assert event["version"] == 1
    assert event["id"]
    assert event["_links"] == [
        {
            "href": f"http://testserver/v1/accounts/{account}/shopping/orders/{order['id']}/events",
            "rel": "events",
        }
    ]
    listed = await events_of(api, order["id"])
    assert listed["events"][-1] == {k: v for k, v in event.items() if k != "_links"}
    assert listed["state"] == "success"
    # a service event reports on the order; it does not change it
    assert await get_order(api, order["id"]) == order


@pytest.mark.parametrize("state", ["error", "failure", "pending", "success"])
async def test_each_state_is_accepted(api: httpx.AsyncClient, state: str) -> None:
    order = await completed_order(api)

    event = await service_event(api, order["id"], "svc", state)

    assert event["state"] == state


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"service_status": "ready"}, "service"),
        ({"service": "", "service_status": "ready"}, "service"),
        ({"service": 7, "service_status": "ready"}, "service"),
        ({"service": "kitchen"}, "service_status"),
        ({"service": "kitchen", "service_status": "ready", "state": "done"}, "state"),
        ({"service": "kitchen", "service_status": "ready", "state": None}, "state"),
        ({"service": "kitchen", "service_status": "ready", "metadata": "x"}, "metadata"),
        ({"service": "kitchen", "service_status": "ready", "event_type": "api-event"}, ""),
        ({"service": "kit\x00chen", "service_status": "ready"}, "service"),
        ({"service": "kitchen", "service_status": "\x00"}, "service_status"),
        ({"service": "k", "service_status": "r", "description": "a\x00"}, "description"),
        ({"service": "k", "service_status": "r", "metadata": {"a": ["\x00"]}}, "metadata"),
        ({"service": "k", "service_status": "r", "metadata": {"\x00": 1}}, "metadata"),
    ],
)
async def test_invalid_service_event_is_400(api: httpx.AsyncClient, body: Json, path: str) -> None:
    order = await completed_order(api)

    response = await api.post(f"/orders/{order['id']}/events", json=body)

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    paths = [e["path"] for e in response.json()["error"]["errors"]]
    assert any(p.startswith(path) for p in paths), paths
    assert len((await events_of(api, order["id"]))["events"]) == 1


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        ([], "pending"),
        ([("a", "success")], "success"),
        ([("a", "success"), ("b", "success")], "success"),
        ([("a", "success"), ("b", "pending")], "pending"),
        ([("a", "pending"), ("a", "success")], "success"),
        ([("a", "success"), ("a", "pending")], "pending"),
        ([("a", "error")], "failure"),
        ([("a", "failure"), ("b", "pending")], "failure"),
        ([("a", "pending"), ("b", "error")], "failure"),
        ([("a", "error"), ("a", "success")], "success"),  # only the latest per service counts
        ([("a", "failure"), ("a", "pending"), ("b", "success")], "pending"),
        ([("a", "success"), ("b", "failure"), ("b", "success")], "success"),
    ],
)
async def test_combined_state_uses_the_latest_event_of_each_service(
    api: httpx.AsyncClient, reports: list[tuple[str, str]], expected: str
) -> None:
    order = await completed_order(api)
    for service, state in reports:
        await service_event(api, order["id"], service, state)
    await api.post(f"/orders/{order['id']}/comments", json={"body": "api-events never count"})

    assert (await events_of(api, order["id"]))["state"] == expected
    assert (await get_order(api, order["id"], include_events="api-event"))["state"] == expected


async def test_events_are_oldest_first_and_carry_the_order_version(
    api: httpx.AsyncClient,
) -> None:
    order = await completed_order(api)
    await service_event(api, order["id"], "a")
    await api.post(f"/orders/{order['id']}/close")
    await service_event(api, order["id"], "b")

    events = (await events_of(api, order["id"]))["events"]

    assert [(e["event_type"], e["version"], e.get("service")) for e in events] == [
        ("api-event", 1, None),
        ("service-event", 1, "a"),
        ("api-event", 2, None),
        ("service-event", 2, "b"),
    ]


async def test_by_business_order_id(api: httpx.AsyncClient) -> None:
    order = await completed_order(api, options={"generate_order_id": "ALPHANUMERIC_9"})

    posted = await api.post(
        f"/orders/{order['order_id']}/events", json={"service": "s", "service_status": "x"}
    )
    listed = await events_of(api, order["order_id"])

    assert posted.status_code == 200, posted.text
    assert posted.json()["_links"][0]["href"].endswith(f"/orders/{order['id']}/events")
    assert [e["event_type"] for e in listed["events"]] == ["api-event", "service-event"]


async def test_unknown_order_is_404(api: httpx.AsyncClient) -> None:
    listed = await api.get("/orders/NOSUCHORD/events")
    posted = await api.post(
        "/orders/NOSUCHORD/events", json={"service": "s", "service_status": "x"}
    )

    assert listed.status_code == 404, listed.text
    assert posted.status_code == 404, posted.text
    assert error_code(posted) == "ORDER_NOT_FOUND"


async def test_a_cancelled_order_accepts_service_events(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)
    cancelled = (await api.post(f"/orders/{order['id']}/cancel")).json()

    event = await service_event(api, order["id"], "refunds", "success")

    assert event["version"] == cancelled["version"]
    assert (await events_of(api, order["id"]))["state"] == "success"


async def test_if_match_does_not_apply_to_service_events(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)

    response = await api.post(
        f"/orders/{order['id']}/events",
        json={"service": "s", "service_status": "x"},
        headers={"If-Match": '"9"'},
    )

    assert response.status_code == 200, response.text


# ---- scopes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "can_read", "can_write"),
    [
        (READ_ORDER_EVENTS, True, False),
        (WRITE_ORDER_EVENTS, False, True),
        (READ_SHOPPING, True, False),
        (WRITE_SHOPPING, False, True),
        ("read:shopping:/orders/ANY/sessions", False, False),
    ],
)
async def test_events_endpoint_scopes(
    http: httpx.AsyncClient,
    app: FastAPI,
    account: str,
    api: httpx.AsyncClient,
    scope: str,
    can_read: bool,
    can_write: bool,
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, scope) as service:
        listed = await service.get(f"/orders/{order['id']}/events")
        posted = await service.post(
            f"/orders/{order['id']}/events", json={"service": "s", "service_status": "x"}
        )

    assert listed.status_code == (200 if can_read else 403), listed.text
    assert posted.status_code == (200 if can_write else 403), posted.text
    expected = 2 if can_write else 1
    assert len((await events_of(api, order["id"]))["events"]) == expected


@pytest.mark.parametrize("scope", [READ_ORDER_EVENTS, WRITE_ORDER_EVENTS])
async def test_events_only_scopes_cannot_touch_the_order(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient, scope: str
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, scope) as service:
        responses = [
            await service.get(f"/orders/{order['id']}"),
            await service.get(f"/orders/{order['id']}", params={"include_events": "true"}),
            await service.get("/orders"),
            await service.put(f"/orders/{order['id']}", json={"comment": "x"}),
            await service.post(f"/orders/{order['id']}/close"),
            await service.post(f"/orders/{order['id']}/comments", json={"body": "x"}),
            await service.get(f"/stores/SL02/orders/{order['id']}"),
        ]

    assert [r.status_code for r in responses] == [403] * len(responses)
    assert await get_order(api, order["id"]) == order


async def test_another_accounts_order_is_404(
    http: httpx.AsyncClient, app: FastAPI, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    async with client(http, app, "T99999998", ADMIN_SHOPPING) as stranger:
        listed = await stranger.get(f"/orders/{order['id']}/events")
        posted = await stranger.post(
            f"/orders/{order['id']}/events", json={"service": "s", "service_status": "x"}
        )

    assert listed.status_code == 404, listed.text
    assert posted.status_code == 404, posted.text
    assert len((await events_of(api, order["id"]))["events"]) == 1
