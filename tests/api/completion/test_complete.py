"""`PUT /draft_orders/{id}/complete`: the draft becomes an order (reference §2 row 5, §5.2).

The response is the draft (now `completed`, one version on, with the completion's api-event)
plus `orders[]`; the order starts `open`, `pending`, at version 1, with nothing paid.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING, WRITE_SHOPPING
from shopping.kit.clock import isoformat
from tests.conftest import bearer
from tests.support.completion import (
    another_account,
    complete,
    completed,
    error_code,
    get_order,
    ids,
    list_orders,
    new_order,
    order_events,
)
from tests.support.drafts import (
    create_draft,
    customer,
    discount,
    draft_body,
    echo,
    get_draft,
    item,
    mark_draft,
)

ALPHANUMERIC_9 = re.compile(r"[A-Z0-9]{9}")
OPERATIONS = ("authorizations", "captures", "refunds", "cancellations", "sessions", "comments")


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_completion_returns_the_completed_draft_and_its_order(
    api: httpx.AsyncClient,
) -> None:
    body = draft_body(
        item(line_id=1, gross=12000, discounts=[discount(2000)], description="shoes"),
        item(line_id=2, gross=3000, discounts=[discount(500, "customer")]),
        order_number="N-1",
        metadata={"channel": "pos"},
        options={"order_time_to_live": 86400},
    )
    draft = await create_draft(api, body)

    response = await complete(api, draft["id"])

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    done = response.json()
    assert (done["id"], done["status"], done["version"]) == (draft["id"], "completed", 2)
    assert done["order"] == draft["order"]
    assert [e["version"] for e in done["events"]] == [1, 2]
    event = done["events"][-1]
    assert event["event_type"] == "api-event"
    assert event["request"]["method"] == "PUT"
    assert event["request"]["path"].endswith(f"/draft_orders/{draft['id']}/complete")

    [order] = done["orders"]
    assert uuid.UUID(order["id"]).version == 4
    assert order["order_id"] == order["id"]
    assert (order["status"], order["payment_status"], order["version"]) == ("open", "pending", 1)
    assert order["items"] == draft["order"]["items"]
    assert (order["currency"], order["order_number"]) == ("NOK", "N-1")
    assert order["customer"] == customer()
    assert order["metadata"] == {"channel": "pos"}
    assert {k: order[k] for k in ("gross_amount", "net_amount", "total_discount")} == {
        "gross_amount": 15000,
        "net_amount": 12500,
        "total_discount": 2500,
    }
    assert order["total_manual_discount_amount"] == 2000
    assert order["payment_details"] == {
        "remaining_authorization_amount": 12500,
        "amount_due": 12500,
        "remaining_capture_amount": 0,
        "remaining_cancellation_amount": 0,
        "remaining_refund_amount": 0,
    }
    for kind in OPERATIONS:
        assert order[kind] == [], kind
    assert order["time_to_live"] == 86400
    assert moment(order["time_to_live_expires_at"]) == moment(order["updated_at"]) + timedelta(
        seconds=86400
    )
    assert order["_links"][0]["href"].endswith(f"/orders/{order['id']}")


async def test_the_order_is_stored_as_returned(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, draft_body(item(line_id=1), item(line_id=2, gross=250)))
    [order] = (await completed(api, draft["id"]))["orders"]

    assert await get_order(api, order["id"]) == order
    assert ids(await list_orders(api)) == [order["id"]]
    stored = await get_draft(api, draft["id"])
    assert (stored["status"], stored["version"]) == ("completed", 2)
    assert "orders" not in stored
    [event] = await order_events(api, order["id"])
    assert (event["event_type"], event["draft_id"], event["version"]) == (
        "api-event",
        draft["id"],
        1,
    )


async def test_an_order_without_time_to_live_never_expires(api: httpx.AsyncClient) -> None:
    order = await new_order(api)

    assert "time_to_live" not in order
    assert "time_to_live_expires_at" not in order


async def test_a_time_to_live_on_the_draft_order_itself_is_kept(api: httpx.AsyncClient) -> None:
    order = await new_order(api, draft_body(item(), time_to_live=172800))

    assert order["time_to_live"] == 172800
    expected = moment(order["updated_at"]) + timedelta(seconds=172800)
    assert order["time_to_live_expires_at"] == isoformat(expected)


async def test_generated_order_id_alphanumeric_9(api: httpx.AsyncClient) -> None:
    options = {"generate_order_id": "ALPHANUMERIC_9"}
    first = await new_order(api, draft_body(item(), options=options))
    second = await new_order(api, draft_body(item(), options=options))

    for order in (first, second):
        assert ALPHANUMERIC_9.fullmatch(order["order_id"]), order["order_id"]
        assert uuid.UUID(order["id"])
    assert first["order_id"] != second["order_id"]
    assert (await get_order(api, first["order_id"]))["id"] == first["id"]


async def test_reserved_order_id_becomes_the_orders_order_id(api: httpx.AsyncClient) -> None:
    draft = await create_draft(
        api, draft_body(item(), options={"generate_order_id": "ALPHANUMERIC_9_RESERVE"})
    )
    reserved = draft["order"]["order_id"]
    assert ALPHANUMERIC_9.fullmatch(reserved), reserved

    [order] = (await completed(api, draft["id"]))["orders"]

    assert order["order_id"] == reserved
    assert (await get_order(api, reserved))["id"] == order["id"]


async def test_custom_order_id_is_kept(api: httpx.AsyncClient) -> None:
    order = await new_order(api, draft_body(item(), order_id="shop-1001"))

    assert order["order_id"] == "shop-1001"
    assert order["id"] != "shop-1001"
    assert (await get_order(api, "shop-1001"))["id"] == order["id"]


async def test_a_custom_order_id_already_used_is_409_and_creates_nothing(
    api: httpx.AsyncClient,
) -> None:
    first = await new_order(api, draft_body(item(), order_id="shop-1002"))
    second = await create_draft(
        api, draft_body(item(line_id=1), item(line_id=2), order_id="shop-1002")
    )

    response = await complete(api, second["id"])

    assert response.status_code == 409, response.text
    assert error_code(response) == "ORDER_ID_TAKEN"
    assert ids(await list_orders(api)) == [first["id"]]
    still = await get_draft(api, second["id"])
    assert (still["status"], still["version"]) == ("open", 1)
    # nothing was left half-done: with another id the same draft completes
    fixed = await api.put(
        f"/draft_orders/{second['id']}",
        json=draft_body(item(line_id=1), item(line_id=2), order_id="shop-1003"),
    )
    assert fixed.status_code == 200, fixed.text
    [order] = (await completed(api, second["id"]))["orders"]
    assert order["order_id"] == "shop-1003"


async def test_a_custom_order_id_equal_to_another_orders_generated_id_is_409(
    api: httpx.AsyncClient,
) -> None:
    first = await new_order(api)
    second = await create_draft(api, draft_body(item(), order_id=first["order_id"]))

    response = await complete(api, second["id"])

    assert response.status_code == 409, response.text
    assert error_code(response) == "ORDER_ID_TAKEN"
    assert ids(await list_orders(api)) == [first["id"]]


async def test_empty_draft_is_409(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, draft_body())

    response = await complete(api, draft["id"])

    assert response.status_code == 409, response.text
    assert error_code(response) == "DRAFT_HAS_NO_ITEMS"
    assert (await get_draft(api, draft["id"]))["status"] == "open"
    assert await list_orders(api) == []


async def test_completing_twice_is_409_and_creates_nothing_more(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    [order] = (await completed(api, draft["id"]))["orders"]

    again = await complete(api, draft["id"])

    assert again.status_code == 409, again.text
    assert error_code(again) == "DRAFT_ALREADY_COMPLETED"
    assert ids(await list_orders(api)) == [order["id"]]
    assert (await get_draft(api, draft["id"]))["version"] == 2


async def test_a_deleted_draft_cannot_be_completed(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    draft = await create_draft(api)
    await mark_draft(app, account, draft["id"], "deleted")

    response = await complete(api, draft["id"])

    assert response.status_code == 409, response.text
    assert error_code(response) == "DRAFT_NOT_EDITABLE"
    assert await list_orders(api) == []


async def test_unknown_draft_is_404(api: httpx.AsyncClient) -> None:
    response = await complete(api, str(uuid.uuid4()))

    assert response.status_code == 404, response.text
    assert error_code(response) == "DRAFT_NOT_FOUND"


async def test_a_draft_of_another_account_is_404(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    draft = await create_draft(api)
    other = another_account()

    response = await http.put(
        f"/v1/accounts/{other}/shopping/draft_orders/{draft['id']}/complete",
        json={},
        headers=bearer(app, other, ADMIN_SHOPPING),
    )

    assert response.status_code == 404, response.text
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_invalid_draft_id_is_400(api: httpx.AsyncClient) -> None:
    response = await api.put("/draft_orders/not-a-uuid/complete", json={})

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"


@pytest.mark.parametrize("scopes", [(READ_SHOPPING,), ("admin:checkout",)])
async def test_completion_needs_a_write_scope(
    api: httpx.AsyncClient, app: FastAPI, account: str, scopes: tuple[str, ...]
) -> None:
    draft = await create_draft(api)

    response = await api.put(
        f"/draft_orders/{draft['id']}/complete", json={}, headers=bearer(app, account, *scopes)
    )

    assert response.status_code == 403, response.text
    assert (await get_draft(api, draft["id"]))["status"] == "open"
    assert await list_orders(api) == []


async def test_write_shopping_may_complete(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    draft = await create_draft(api)

    response = await api.put(
        f"/draft_orders/{draft['id']}/complete",
        json={},
        headers=bearer(app, account, WRITE_SHOPPING),
    )

    assert response.status_code == 200, response.text


async def test_completion_without_a_token_is_401(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)

    response = await api.put(
        f"/draft_orders/{draft['id']}/complete", json={}, headers={"Authorization": ""}
    )

    assert response.status_code == 401, response.text


async def test_a_completed_draft_refuses_item_edits(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, draft_body(item(line_id=1)))
    await completed(api, draft["id"])
    url = f"/draft_orders/{draft['id']}"

    edits = [
        await api.post(f"{url}/items", json=item(line_id=2)),
        await api.put(f"{url}/items/1", json=item(gross=1)),
        await api.delete(f"{url}/items/1"),
        await api.put(url, json=draft_body(item(line_id=1, gross=1))),
    ]

    for response in edits:
        assert response.status_code == 409, response.text
        assert error_code(response) == "DRAFT_NOT_EDITABLE"
    stored = await get_draft(api, draft["id"])
    assert (stored["version"], stored["order"]) == (2, draft["order"])


async def test_a_completed_draft_still_takes_notes(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, draft_body(item(line_id=1)))
    await completed(api, draft["id"])
    body = echo(await get_draft(api, draft["id"]))
    body["order"]["metadata"] = {"note": "after"}

    response = await api.put(f"/draft_orders/{draft['id']}", json=body)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "completed"
    assert response.json()["order"]["metadata"] == {"note": "after"}


async def test_a_custom_order_id_equal_to_another_orders_uuid_is_taken(
    api: httpx.AsyncClient,
) -> None:
    first = await api.post(
        "/draft_orders",
        json={
            "order": {
                "currency": "NOK",
                "items": [{"gross_amount": 100, "tax_lines": [{"percentage": 25}]}],
            }
        },
    )
    order = (await api.put(f"/draft_orders/{first.json()['id']}/complete")).json()["orders"][0]
    assert order["order_id"] == order["id"]
    second = await api.post(
        "/draft_orders",
        json={
            "order": {
                "currency": "NOK",
                "order_id": order["id"][:40],
                "items": [{"gross_amount": 100, "tax_lines": [{"percentage": 25}]}],
            }
        },
    )
    assert second.status_code == 200, second.text
    taken = await api.put(f"/draft_orders/{second.json()['id']}/complete")
    assert taken.status_code == 409, taken.text
    assert taken.json()["error"]["code"] == "ORDER_ID_TAKEN"
    assert (await api.get(f"/draft_orders/{second.json()['id']}")).json()["status"] == "open"
