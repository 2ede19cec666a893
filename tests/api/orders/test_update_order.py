"""PUT /orders/{order_id} (reference §3.9): updatable fields, item status and discount lines,
draft-only fields, optimistic concurrency, validation, scopes, cancelled orders."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import READ_SHOPPING, WRITE_ORDER_EVENTS, WRITE_SHOPPING
from tests.support.drafts import customer, discount, error_paths, item
from tests.support.orders import (
    api_events,
    client,
    completed_order,
    error_code,
    get_order,
    totals,
)

Json = dict[str, Any]
#: What every successful write changes on the order besides the fields it was asked to change.
WRITE_BOOKKEEPING = {"version", "updated_at", "updated_by"}


@pytest.fixture
async def order(api: httpx.AsyncClient) -> Json:
    """Two lines: 10000 (SL02) and 5000 with a 1000 manual discount (SL02)."""
    return await completed_order(
        api,
        item(line_id=1, gross=10000, status="new"),
        item(line_id=2, gross=5000, discounts=[discount(1000)]),
        customer=customer(),
        order_number="ON-1",
        type="delivery",
        store={"id": "SL02", "name": "Store SL02"},
    )


async def put(api: httpx.AsyncClient, order: Json, body: Any, **kwargs: Any) -> httpx.Response:
    return await api.put(f"/orders/{order['id']}", json=body, **kwargs)


def without(order: Json, *fields: str) -> Json:
    return {k: v for k, v in order.items() if k not in {*fields, *WRITE_BOOKKEEPING}}


async def assert_unchanged(api: httpx.AsyncClient, before: Json) -> None:
    after = await get_order(api, before["id"])
    assert after == before
    assert len(await api_events(api, before["id"])) == before["version"]


# ---- order-level fields --------------------------------------------------------------------

UPDATES: list[tuple[str, Any]] = [
    ("customer", customer(id="cust-2", email="ola@example.com", first_name="Ola")),
    ("shipping_address", {"address_line": "Gate 1", "postal_code": "0150", "country": "NO"}),
    ("billing_address", {"first_name": "Kari", "postal_place": "Oslo", "comment": "5th floor"}),
    ("metadata", {"pos": "till-4", "nested": {"a": [1, 2]}}),
    ("comment", "ring the bell"),
    ("salesperson_id", "sp-7"),
    ("salesperson_name", "Per"),
    ("delivery_at", "2030-05-10T12:00:00Z"),
    ("pickup_at", "2030-05-10T10:30:00+02:00"),
    ("courier_id", "courier-9"),
    ("pre_order", True),
    (
        "itinerary",
        [{"travel_mode": "BUS", "arrival_address": {"name": "Central", "postal_place": "Oslo"}}],
    ),
    ("external_ids", [{"id": "EXT-1", "source": "erp"}]),
    ("external_links", [{"text": "Receipt", "href": "https://r.example/1", "public": True}]),
    ("delivery_id", "dlv-42"),
    ("x_unknown_but_valid", {"kept": True}),
]


@pytest.mark.parametrize(("field", "value"), UPDATES, ids=[f for f, _ in UPDATES])
async def test_each_updatable_field(
    api: httpx.AsyncClient, order: Json, field: str, value: Any
) -> None:
    response = await put(api, order, {field: value})

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated[field] == value
    assert updated["version"] == 2
    assert without(updated, field) == without(order, field)
    assert await get_order(api, order["id"]) == updated
    events = await api_events(api, order["id"])
    assert [e["version"] for e in events] == [1, 2]
    assert events[-1]["request"]["method"] == "PUT"


async def test_update_by_business_order_id(api: httpx.AsyncClient) -> None:
    order = await completed_order(api, options={"generate_order_id": "ALPHANUMERIC_9"})

    response = await api.put(f"/orders/{order['order_id']}", json={"comment": "via order_id"})

    assert response.status_code == 200, response.text
    assert response.json()["id"] == order["id"]
    assert response.json()["comment"] == "via order_id"


async def test_time_to_live_moves_the_expiry(api: httpx.AsyncClient, order: Json) -> None:
    assert "time_to_live_expires_at" not in order

    response = await put(api, order, {"time_to_live": 86400})

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["time_to_live"] == 86400
    expires = datetime.fromisoformat(updated["time_to_live_expires_at"])
    assert expires - datetime.fromisoformat(updated["updated_at"]) == timedelta(days=1)


async def test_updated_by_is_the_callers_client_id(
    http: httpx.AsyncClient, app: FastAPI, account: str, order: Json
) -> None:
    async with client(http, app, account, WRITE_SHOPPING, client_id="pos-till-4") as writer:
        response = await writer.put(f"/orders/{order['id']}", json={"comment": "x"})

    assert response.status_code == 200, response.text
    assert response.json()["updated_by"] == "pos-till-4"
    assert response.json()["created_by"] == order["created_by"]


async def test_include_events_on_the_response(api: httpx.AsyncClient, order: Json) -> None:
    response = await put(api, order, {"comment": "x"}, params={"include_events": "true"})

    assert response.status_code == 200, response.text
    events = response.json()["events"]
    assert [(e["event_type"], e["version"]) for e in events] == [
        ("api-event", 1),
        ("api-event", 2),
    ]
    assert events[-1]["request"]["body"] == '{"comment":"x"}'
    assert response.json()["state"] == "pending"


# ---- items ---------------------------------------------------------------------------------


async def test_item_status(api: httpx.AsyncClient, order: Json) -> None:
    response = await put(api, order, {"items": [{"line_id": 2, "status": "picked"}]})

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i.get("status") for i in items] == ["new", "picked"]
    assert items[0] == order["items"][0]
    assert {k: v for k, v in items[1].items() if k != "status"} == order["items"][1]
    assert totals(response.json()) == totals(order)


async def test_item_discount_lines_recompute_net_and_totals(
    api: httpx.AsyncClient, order: Json
) -> None:
    assert totals(order) == {
        "gross_amount": 15000,
        "net_amount": 14000,
        "total_discount": 1000,
        "total_manual_discount_amount": 1000,
    }
    body = {
        "items": [
            {"line_id": 1, "discount_lines": [discount(2500, "loyalty"), discount(500)]},
            {"line_id": 2, "discount_lines": []},
        ]
    }

    response = await put(api, order, body)

    assert response.status_code == 200, response.text
    updated = response.json()
    assert [i["net_amount"] for i in updated["items"]] == [7000, 5000]
    assert [i["gross_amount"] for i in updated["items"]] == [10000, 5000]
    assert updated["items"][0]["discount_lines"] == body["items"][0]["discount_lines"]
    assert updated["items"][1]["discount_lines"] == []
    assert totals(updated) == {
        "gross_amount": 15000,
        "net_amount": 12000,
        "total_discount": 3000,
        "total_manual_discount_amount": 500,
    }
    assert updated["payment_details"]["amount_due"] == 12000
    assert updated["payment_details"]["remaining_authorization_amount"] == 12000
    assert await get_order(api, order["id"]) == updated


async def test_discount_line_with_only_a_percentage(api: httpx.AsyncClient, order: Json) -> None:
    """A discount line may carry a percentage and a null amount; it then discounts nothing."""
    lines = [{"percentage": 10, "amount": None, "discount_type": "customer"}]

    response = await put(api, order, {"items": [{"line_id": 1, "discount_lines": lines}]})

    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["net_amount"] == 10000
    assert response.json()["net_amount"] == 14000


async def test_item_exchange_rate_fields_and_metadata(api: httpx.AsyncClient, order: Json) -> None:
    change = {
        "line_id": 1,
        "original_currency": "SEK",
        "original_gross_amount": 10990,
        "conversion_rate_ppm": 1099000,
        "conversion_rate_timestamp": "2025-11-30T08:00:00Z",
        "conversion_rate_source": "ecb",
        "metadata": {"sku": "A-1"},
    }

    response = await put(api, order, {"items": [change]})

    assert response.status_code == 200, response.text
    line = response.json()["items"][0]
    assert {k: line[k] for k in change} == change
    assert line["net_amount"] == 10000


async def test_unknown_line_id_is_400_and_changes_nothing(
    api: httpx.AsyncClient, order: Json
) -> None:
    body = {"comment": "lost", "items": [{"line_id": 1, "status": "x"}, {"line_id": 9}]}

    response = await put(api, order, body)

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert error_paths(response) == ["items[1].line_id"]
    await assert_unchanged(api, order)


async def test_items_without_line_id_is_400(api: httpx.AsyncClient, order: Json) -> None:
    response = await put(api, order, {"items": [{"status": "x"}]})

    assert response.status_code == 400, response.text
    assert error_paths(response) == ["items[0].line_id"]
    await assert_unchanged(api, order)


async def test_items_null_changes_no_line(api: httpx.AsyncClient, order: Json) -> None:
    """`items: null` (the model allows it) names no line to change."""
    response = await put(api, order, {"items": None, "comment": "x"})

    assert response.status_code == 200, response.text
    assert response.json()["items"] == order["items"]
    assert response.json()["comment"] == "x"


# ---- echo and draft-only fields ------------------------------------------------------------


async def test_echoing_the_order_back_as_read_is_accepted(api: httpx.AsyncClient) -> None:
    rich = await completed_order(
        api,
        item(line_id=1, gross=10000, description="Chair", groups=[{"id": "B1", "name": "Møbel"}]),
        item(line_id=2, gross=-2000, discounts=[discount(-200)], reversed_reason="broken"),
        customer=customer(addresses=[{"address_line": "Gate 1", "country": "NO"}]),
        store={"id": "SL02", "name": "Main", "comments": ["open late"]},
        order_number="ON-7",
        type="delivery",
        delivery_at="2030-01-01T10:00:00Z",
        itinerary=[{"travel_mode": "TRAIN", "arrival_address": {"name": "Oslo S"}}],
        external_ids=[{"id": "E-1"}],
        metadata={"k": "v"},
        options={"order_time_to_live": 86400 * 30, "generate_order_id": "ALPHANUMERIC_9"},
    )
    await api.post(f"/orders/{rich['id']}/comments", json={"body": "kept"})
    read = await get_order(api, rich["id"], include_events="true")

    response = await put(api, rich, copy.deepcopy(read))

    assert response.status_code == 200, response.text
    # sent back as it was read, it changes nothing: no new version, event or webhook
    updated = response.json()
    assert updated == {k: v for k, v in read.items() if k not in {"events", "state"}}
    await assert_unchanged(api, updated)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"currency": "SEK"}, "currency"),
        ({"order_number": "ON-2"}, "order_number"),
        ({"store": {"id": "OTHER"}}, "store"),
        ({"type": "pickup"}, "type"),
        ({"items": [{"line_id": 1, "gross_amount": 9000}]}, "items[0].gross_amount"),
        ({"items": [{"line_id": 2, "tax_lines": [{"percentage": 15}]}]}, "items[0].tax_lines"),
        ({"items": [{"line_id": 1, "store": {"id": "OTHER"}}]}, "items[0].store"),
    ],
    ids=["currency", "order_number", "store", "type", "gross_amount", "tax_lines", "item_store"],
)
async def test_changing_a_draft_only_field_is_400(
    api: httpx.AsyncClient, order: Json, change: Json, path: str
) -> None:
    response = await put(api, order, {"comment": "lost", **change})

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert error_paths(response) == [path]
    await assert_unchanged(api, order)


async def test_draft_only_fields_sent_unchanged_are_accepted(
    api: httpx.AsyncClient, order: Json
) -> None:
    body = {
        "currency": "NOK",
        "order_number": "ON-1",
        "store": order["store"],
        "items": [{"line_id": 1, "gross_amount": 10000, "store": order["items"][0]["store"]}],
        "comment": "ok",
    }

    response = await put(api, order, body)

    assert response.status_code == 200, response.text
    assert response.json()["comment"] == "ok"
    assert response.json()["items"] == order["items"]


async def test_server_fields_in_the_body_are_ignored(api: httpx.AsyncClient, order: Json) -> None:
    body = {
        "id": "00000000-0000-4000-8000-000000000000",
        "order_id": "HIJACKED",
        "status": "closed",
        "payment_status": "paid",
        "created_at": "2000-01-01T00:00:00Z",
        "net_amount": 1,
        "comments": [{"id": "c", "body": "forged"}],
        "cancelled_reason": "forged",
        "comment": "real",
    }

    response = await put(api, order, body)

    assert response.status_code == 200, response.text
    assert without(response.json(), "comment") == without(order, "comment")
    assert response.json()["comment"] == "real"


# ---- optimistic concurrency ----------------------------------------------------------------


async def test_stale_version_in_the_body_is_409(api: httpx.AsyncClient, order: Json) -> None:
    await put(api, order, {"comment": "first"})

    response = await put(api, order, {"comment": "second", "version": 1})

    assert response.status_code == 409, response.text
    assert error_code(response) == "VERSION_CONFLICT"
    assert response.json()["error"]["current_version"] == 2
    assert (await get_order(api, order["id"]))["comment"] == "first"


async def test_stale_if_match_is_409(api: httpx.AsyncClient, order: Json) -> None:
    await put(api, order, {"comment": "first"})

    response = await put(api, order, {"comment": "second"}, headers={"If-Match": '"1"'})

    assert response.status_code == 409, response.text
    assert error_code(response) == "VERSION_CONFLICT"
    assert response.json()["error"]["current_version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert (await get_order(api, order["id"]))["comment"] == "first"


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"comment": "new", "version": 1}, {}),
        ({"comment": "new"}, {"If-Match": '"1"'}),
        ({"comment": "new"}, {"If-Match": "1"}),
        ({"comment": "new", "version": 1}, {"If-Match": 'W/"1"'}),
    ],
)
async def test_current_version_is_accepted_and_bumped(
    api: httpx.AsyncClient, order: Json, body: Json, headers: dict[str, str]
) -> None:
    response = await put(api, order, body, headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert response.json()["comment"] == "new"
    again = await put(api, order, {"comment": "newer", "version": 2})
    assert again.status_code == 200, again.text
    assert again.json()["version"] == 3


async def test_if_match_and_body_version_must_both_be_current(
    api: httpx.AsyncClient, order: Json
) -> None:
    response = await put(api, order, {"comment": "x", "version": 1}, headers={"If-Match": '"7"'})

    assert response.status_code == 409, response.text
    assert response.json()["error"]["current_version"] == 1


@pytest.mark.parametrize("version", ["1", 1.5, True, [1]])
async def test_version_must_be_an_integer(
    api: httpx.AsyncClient, order: Json, version: Any
) -> None:
    response = await put(api, order, {"comment": "x", "version": version})

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    await assert_unchanged(api, order)


async def test_malformed_if_match_is_400(api: httpx.AsyncClient, order: Json) -> None:
    response = await put(api, order, {"comment": "x"}, headers={"If-Match": "banana"})

    assert response.status_code == 400, response.text
    await assert_unchanged(api, order)


# ---- validation, scopes, missing and cancelled orders --------------------------------------


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"comment": "x" * 256}, "comment"),
        ({"comment": 5}, "comment"),
        ({"customer": {"email": "not-an-email"}}, "customer.email"),
        ({"customer": {"phone_number": "12345"}}, "customer.phone_number"),
        ({"customer": "kari"}, "customer"),
        ({"time_to_live": 100}, "time_to_live"),
        ({"time_to_live": "86400"}, "time_to_live"),
        ({"pre_order": "yes"}, "pre_order"),
        ({"delivery_at": "tomorrow"}, "delivery_at"),
        ({"delivery_at": "2030-05-10T12:00:00"}, "delivery_at"),
        ({"metadata": ["a"]}, "metadata"),
        ({"itinerary": [{"travel_mode": "ROCKET"}]}, "itinerary[0].travel_mode"),
        ({"external_links": [{"public": "yes"}]}, "external_links[0].public"),
        ({"items": [{"line_id": 1, "status": 3}]}, "items[0].status"),
        ({"items": [{"line_id": -1}]}, "items[0].line_id"),
        ({"items": {"line_id": 1}}, "items"),
        (
            {"items": [{"line_id": 1, "discount_lines": [{"discount_type": "bogus"}]}]},
            "items[0].discount_lines[0].discount_type",
        ),
        (
            {"items": [{"line_id": 1, "discount_lines": [{"amount": "100"}]}]},
            "items[0].discount_lines[0].amount",
        ),
        (
            {"items": [{"line_id": 1, "conversion_rate_ppm": 0}]},
            "items[0].conversion_rate_ppm",
        ),
    ],
)
async def test_invalid_body_is_400_and_changes_nothing(
    api: httpx.AsyncClient, order: Json, body: Json, path: str
) -> None:
    response = await put(api, order, body)

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert path in error_paths(response)
    await assert_unchanged(api, order)


@pytest.mark.parametrize("raw", [b"[]", b'"comment"', b"{not json", b""])
async def test_body_that_is_not_an_object_is_400(
    api: httpx.AsyncClient, order: Json, raw: bytes
) -> None:
    response = await api.put(
        f"/orders/{order['id']}", content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    await assert_unchanged(api, order)


@pytest.mark.parametrize("scope", [READ_SHOPPING, WRITE_ORDER_EVENTS])
async def test_token_without_write_scope_is_403(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient, scope: str
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, scope) as reader:
        response = await reader.put(f"/orders/{order['id']}", json={"comment": "x"})

    assert response.status_code == 403, response.text
    assert error_code(response) == "FORBIDDEN"
    await assert_unchanged(api, order)


async def test_unknown_order_is_404(api: httpx.AsyncClient) -> None:
    response = await api.put("/orders/NOSUCHORD", json={"comment": "x"})

    assert response.status_code == 404, response.text
    assert error_code(response) == "ORDER_NOT_FOUND"


async def test_cancelled_order_cannot_be_updated(api: httpx.AsyncClient, order: Json) -> None:
    cancelled = (await api.post(f"/orders/{order['id']}/cancel")).json()

    response = await put(api, order, {"comment": "too late"})

    assert response.status_code == 409, response.text
    assert error_code(response) == "ORDER_CANCELLED"
    await assert_unchanged(api, cancelled)


async def test_closed_order_can_still_be_updated(api: httpx.AsyncClient, order: Json) -> None:
    """Only a cancelled order refuses changes (§10.14); a closed one is still maintained."""
    await api.post(f"/orders/{order['id']}/close")

    response = await put(api, order, {"courier_id": "late-courier"})

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "closed"
    assert response.json()["courier_id"] == "late-courier"


@pytest.mark.parametrize(
    "body",
    [
        {"comment": "a\x00b"},
        {"metadata": {"k\x00": "v"}},
        {"customer": {"first_name": "A\x00"}},
    ],
)
async def test_nul_characters_in_the_body_are_400(
    api: httpx.AsyncClient, order: Json, body: Json
) -> None:
    response = await put(api, order, body)

    assert response.status_code == 400, response.text
    await assert_unchanged(api, order)
