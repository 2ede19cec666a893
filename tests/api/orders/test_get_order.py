"""GET /orders/{order_id}: by `id` or business `order_id`, ETag, `_links`, include_events."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING, WRITE_SHOPPING
from tests.support.drafts import customer, item
from tests.support.orders import (
    client,
    completed_order,
    error_code,
    get_order,
    service_event,
)

Json = dict[str, Any]
ALPHANUMERIC_9 = re.compile(r"[A-Z0-9]{9}")


async def test_get_by_id_and_by_business_order_id(api: httpx.AsyncClient) -> None:
    order = await completed_order(
        api, item(gross=12000), options={"generate_order_id": "ALPHANUMERIC_9"}
    )
    assert ALPHANUMERIC_9.fullmatch(order["order_id"]), order["order_id"]
    assert order["order_id"] != order["id"]

    by_id = await api.get(f"/orders/{order['id']}")
    by_order_id = await api.get(f"/orders/{order['order_id']}")

    assert by_id.status_code == 200, by_id.text
    assert by_order_id.status_code == 200, by_order_id.text
    assert by_id.json() == by_order_id.json() == order
    got = by_id.json()
    assert got["status"] == "open"
    assert got["payment_status"] == "pending"
    assert got["version"] == 1
    assert got["net_amount"] == got["gross_amount"] == 12000
    assert got["comments"] == []
    assert "events" not in got
    assert "state" not in got


async def test_a_business_order_id_shaped_like_an_id_is_found(api: httpx.AsyncClient) -> None:
    # looked up by `id` first, where it is not, then by `order_id`
    custom = str(uuid.uuid4())
    order = await completed_order(api, order_id=custom)
    assert order["order_id"] == custom != order["id"]

    by_order_id = await api.get(f"/orders/{custom}")
    authorized = await api.post(
        f"/orders/{custom}/authorizations",
        json={"items": [{"line_id": 1, "amount": 10000}], "success": True},
    )

    assert by_order_id.status_code == 200, by_order_id.text
    assert by_order_id.json()["id"] == order["id"]
    assert authorized.status_code == 200, authorized.text
    recorded = (await get_order(api, order["id"]))["authorizations"]
    assert [a["id"] for a in recorded] == [authorized.json()["id"]]
    assert (await api.get(f"/orders/{uuid.uuid4()}")).status_code == 404


async def test_uuid_order_id_by_default(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)

    assert order["order_id"] == order["id"]
    assert (await get_order(api, order["id"]))["id"] == order["id"]


async def test_etag_is_the_quoted_version_and_links_name_the_order(
    api: httpx.AsyncClient, account: str
) -> None:
    order = await completed_order(api)
    await api.post(f"/orders/{order['id']}/comments", json={"body": "v2"})

    response = await api.get(f"/orders/{order['id']}")

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    body = response.json()
    assert body["version"] == 2
    assert body["_links"] == [
        {
            "href": f"http://testserver/v1/accounts/{account}/shopping/orders/{order['id']}",
            "rel": "order",
        }
    ]


async def test_unknown_order_is_404(api: httpx.AsyncClient) -> None:
    for reference in ("00000000-0000-4000-8000-000000000000", "NOSUCHID1"):
        response = await api.get(f"/orders/{reference}")
        assert response.status_code == 404, response.text
        assert error_code(response) == "ORDER_NOT_FOUND"


async def test_a_reference_with_a_nul_character_is_400(api: httpx.AsyncClient) -> None:
    response = await api.get("/orders/abc%00def")

    assert response.status_code == 400, response.text
    assert response.json()["error"]["errors"][0]["path"] == "order_id"


async def test_another_accounts_order_is_404(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    order = await completed_order(api, options={"generate_order_id": "ALPHANUMERIC_9"})
    other = "T99999999"
    async with client(http, app, other, ADMIN_SHOPPING) as stranger:
        for reference in (order["id"], order["order_id"]):
            response = await stranger.get(f"/orders/{reference}")
            assert response.status_code == 404, response.text


async def test_read_scope_may_get_and_write_scope_may_not(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, READ_SHOPPING) as reader:
        assert (await reader.get(f"/orders/{order['id']}")).status_code == 200
    async with client(http, app, account, WRITE_SHOPPING) as writer:
        response = await writer.get(f"/orders/{order['id']}")
        assert response.status_code == 403, response.text
        assert error_code(response) == "FORBIDDEN"
    anonymous = await http.get(f"/v1/accounts/{account}/shopping/orders/{order['id']}")
    assert anonymous.status_code == 401, anonymous.text


# ---- include_events ----------------------------------------------------------------------


@pytest.fixture
async def with_events(api: httpx.AsyncClient) -> Json:
    """An order with two api-events (create, comment) and two service events."""
    order = await completed_order(api, customer=customer())
    await api.post(f"/orders/{order['id']}/comments", json={"body": "hello"})
    await service_event(api, order["id"], "kitchen", "success")
    await service_event(api, order["id"], "delivery", "pending")
    return order


def kinds(order: Json) -> list[str]:
    return [event["event_type"] for event in order["events"]]


@pytest.mark.parametrize("params", [{}, {"include_events": "false"}])
async def test_without_include_events_there_are_no_events(
    api: httpx.AsyncClient, with_events: Json, params: Json
) -> None:
    got = await get_order(api, with_events["id"], **params)

    assert "events" not in got
    assert "state" not in got


async def test_include_events_true_shows_every_event_oldest_first(
    api: httpx.AsyncClient, with_events: Json
) -> None:
    got = await get_order(api, with_events["id"], include_events="true")

    assert kinds(got) == ["api-event", "api-event", "service-event", "service-event"]
    create, comment = got["events"][:2]
    assert create["version"] == 1
    assert create["request"]["method"] == "PUT"
    assert create["request"]["path"].endswith("/complete")
    assert "draft_id" in create
    assert comment["version"] == 2
    assert comment["request"]["method"] == "POST"
    assert comment["request"]["path"].endswith(f"/orders/{with_events['id']}/comments")
    assert "draft_id" not in comment
    assert [e.get("service") for e in got["events"][2:]] == ["kitchen", "delivery"]
    assert got["state"] == "pending"


async def test_include_events_api_event_only(api: httpx.AsyncClient, with_events: Json) -> None:
    got = await get_order(api, with_events["id"], include_events="api-event")

    assert kinds(got) == ["api-event", "api-event"]
    assert got["state"] == "pending"  # state follows the service events, shown or not


async def test_include_events_service_event_only(api: httpx.AsyncClient, with_events: Json) -> None:
    got = await get_order(api, with_events["id"], include_events="service-event")

    assert kinds(got) == ["service-event", "service-event"]
    assert got["state"] == "pending"


@pytest.mark.parametrize(
    "query",
    [
        "include_events=api-event&include_events=service-event",
        "include_events=api-event,service-event",
    ],
)
async def test_include_events_several_values(
    api: httpx.AsyncClient, with_events: Json, query: str
) -> None:
    response = await api.get(f"/orders/{with_events['id']}?{query}")

    assert response.status_code == 200, response.text
    assert len(response.json()["events"]) == 4


async def test_state_of_an_order_without_service_events_is_pending(
    api: httpx.AsyncClient,
) -> None:
    order = await completed_order(api)

    got = await get_order(api, order["id"], include_events="true")

    assert kinds(got) == ["api-event"]
    assert got["state"] == "pending"


@pytest.mark.parametrize("value", ["yes", "TRUE", "api", "comment-event", "true,nope"])
async def test_invalid_include_events_is_400(
    api: httpx.AsyncClient, with_events: Json, value: str
) -> None:
    response = await api.get(f"/orders/{with_events['id']}", params={"include_events": value})

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert response.json()["error"]["errors"][0]["path"] == "include_events"
