"""The four payment-operation kinds: create, list, get one (reference §2 rows 19–30, §3.11,
decisions 17–20).

Each kind is checked on an order where the operation is allowed: authorizations on a fresh
order, captures and cancellations after a full authorization, refunds after a full capture.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.support.orders import api_events, client
from tests.support.payments import (
    KINDS,
    REL,
    authorized_order,
    created,
    details,
    error,
    fetch,
    listed,
    order_with_lines,
    recomputed_details,
    record,
)

Json = dict[str, Any]

PAYMENT_DETAILS = {
    "psp": "bambora",
    "payment_id": "pay-123",
    "payment_product": "bambora",
    "payment_product_type": "bambora.creditcard",
    "card": {"masked_pan": "411111******1111", "type": "credit", "brand": "Visa"},
}


async def ready_order(api: httpx.AsyncClient, kind: str) -> Json:
    """An order with lines 10000 and 5000 on which `kind` of {1: 1000, 2: 500} is allowed."""
    if kind == "authorizations":
        return await order_with_lines(api, (10000, 5000))
    order = await authorized_order(api, (10000, 5000))
    if kind == "refunds":
        await created(api, order["id"], "captures", {1: 10000, 2: 5000})
    return await fetch(api, order["id"])


def expected_details_after(kind: str) -> Json:
    """payment_details after `kind` of 1500 on `ready_order(kind)` (net 15000)."""
    return {
        "authorizations": details(15000, authorized=1500),
        "captures": details(15000, authorized=15000, captured=1500),
        "cancellations": details(15000, authorized=15000, cancelled=1500),
        "refunds": details(15000, authorized=15000, captured=15000, refunded=1500),
    }[kind]


EXPECTED_STATUS_AFTER = {
    "authorizations": "pending",
    "captures": "partially_paid",
    "cancellations": "pending",
    "refunds": "partially_refunded",
}


@pytest.mark.parametrize("kind", KINDS)
async def test_create_records_the_operation_as_sent_with_server_fields(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str, kind: str
) -> None:
    order = await ready_order(api, kind)
    body = {
        "items": [{"line_id": 1, "amount": 1000}, {"line_id": 2, "amount": 500}],
        "processed_at": "2024-05-01T12:30:00Z",
        "processed_by": "dintero-checkout",
        "payment_details": PAYMENT_DETAILS,
        "metadata": {"gateway": {"reference": "g-1"}},
        "success": True,
        "gateway_trace": ["a", 1],
    }
    async with client(http, app, account, "write:shopping", client_id="cashier-7") as writer:
        response = await writer.post(f"/orders/{order['id']}/{kind}", json=body)

    assert response.status_code == 200, response.text
    operation = response.json()
    assert operation["amount"] == 1500
    assert operation["created_by"] == "cashier-7"
    assert operation["success"] is True
    assert operation["items"] == body["items"]
    for field in ("processed_at", "processed_by", "payment_details", "metadata", "gateway_trace"):
        assert operation[field] == body[field], field
    assert isinstance(operation["id"], str)
    assert operation["id"]
    assert operation["created_at"].endswith("Z")
    assert operation["_links"] == [
        {
            "href": f"http://testserver/v1/accounts/{account}/shopping/orders/{order['id']}"
            f"/{kind}/{operation['id']}",
            "rel": REL[kind],
        }
    ]


@pytest.mark.parametrize("kind", KINDS)
async def test_create_changes_the_order(api: httpx.AsyncClient, kind: str) -> None:
    order = await ready_order(api, kind)
    before_events = await api_events(api, order["id"])

    operation = await created(api, order["id"], kind, {1: 1000, 2: 500})

    after = await fetch(api, order["id"])
    assert after["version"] == order["version"] + 1
    stored = [op for op in after[kind] if op["id"] == operation["id"]]
    assert stored == [{k: v for k, v in operation.items() if k != "_links"}]
    assert after["payment_details"] == expected_details_after(kind)
    assert after["payment_details"] == recomputed_details(after)
    assert after["payment_status"] == EXPECTED_STATUS_AFTER[kind]
    events = await api_events(api, order["id"])
    assert len(events) == len(before_events) + 1
    event = events[-1]
    assert event["version"] == after["version"]
    assert event["request"]["method"] == "POST"
    assert event["request"]["path"].endswith(f"/orders/{order['id']}/{kind}")
    assert '"amount":1000' in event["request"]["body"].replace(" ", "")


@pytest.mark.parametrize("kind", KINDS)
async def test_list_and_get_one(api: httpx.AsyncClient, kind: str) -> None:
    order = await ready_order(api, kind)
    first = await created(api, order["id"], kind, {1: 1000})
    second = await created(api, order["id"], kind, {2: 500}, metadata={"n": 2})

    assert await listed(api, order["id"], kind) == [first, second]
    for operation in (first, second):
        got = await api.get(f"/orders/{order['id']}/{kind}/{operation['id']}")
        assert got.status_code == 200, got.text
        assert got.json() == operation
    by_order_id = await api.get(f"/orders/{order['order_id']}/{kind}/{first['id']}")
    assert by_order_id.json() == first


@pytest.mark.parametrize("kind", KINDS)
async def test_unknown_operation_is_404(api: httpx.AsyncClient, kind: str) -> None:
    order = await ready_order(api, kind)
    other = await ready_order(api, kind)
    elsewhere = await created(api, other["id"], kind, {1: 1000})

    for operation_id in ("no-such-operation", elsewhere["id"]):
        response = await api.get(f"/orders/{order['id']}/{kind}/{operation_id}")
        assert response.status_code == 404, response.text
        assert error(response)["code"] == "PAYMENT_OPERATION_NOT_FOUND"


@pytest.mark.parametrize("kind", KINDS)
async def test_unknown_order_is_404(api: httpx.AsyncClient, kind: str) -> None:
    create = await record(api, "no-such-order", kind, {1: 100})
    assert create.status_code == 404, create.text
    assert error(create)["code"] == "ORDER_NOT_FOUND"
    assert (await api.get(f"/orders/no-such-order/{kind}")).status_code == 404
    assert (await api.get(f"/orders/no-such-order/{kind}/x")).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
async def test_read_only_token_can_read_but_not_record(
    api: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str, kind: str
) -> None:
    order = await ready_order(api, kind)
    existing = await created(api, order["id"], kind, {1: 1000})
    async with client(http, app, account, "read:shopping") as reader:
        denied = await reader.post(
            f"/orders/{order['id']}/{kind}", json={"items": [{"line_id": 1, "amount": 100}]}
        )
        assert denied.status_code == 403, denied.text
        assert error(denied)["code"] == "FORBIDDEN"
        listing = await reader.get(f"/orders/{order['id']}/{kind}")
        assert listing.status_code == 200, listing.text
        assert listing.json()[kind] == (await listed(api, order["id"], kind))
        one = await reader.get(f"/orders/{order['id']}/{kind}/{existing['id']}")
        assert one.json() == existing
    assert (await fetch(api, order["id"]))["version"] == order["version"] + 1


async def test_authorization_is_found_by_its_authorization_id(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))
    named = await created(api, order["id"], "authorizations", {1: 1000}, authorization_id="gw-A1")
    plain = await created(api, order["id"], "authorizations", {2: 500})

    assert named["authorization_id"] == "gw-A1"
    assert named["id"] != "gw-A1"
    assert plain["authorization_id"] == plain["id"]  # defaults to the operation id
    for reference, expected in (("gw-A1", named), (named["id"], named), (plain["id"], plain)):
        response = await api.get(f"/orders/{order['id']}/authorizations/{reference}")
        assert response.status_code == 200, response.text
        assert response.json() == expected
    capture = await api.get(f"/orders/{order['id']}/captures/gw-A1")
    assert capture.status_code == 404, capture.text


async def test_capture_keeps_the_authorization_it_names(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000,))
    auth = await created(api, order["id"], "authorizations", {1: 10000}, authorization_id="A")
    capture = await created(api, order["id"], "captures", {1: 4000}, authorization_id="A")
    bare = await created(api, order["id"], "captures", {1: 1000})

    assert auth["authorization_id"] == "A"
    assert capture["authorization_id"] == "A"
    assert "authorization_id" not in bare


async def test_operations_are_listed_in_the_order_they_were_recorded(
    api: httpx.AsyncClient,
) -> None:
    order = await authorized_order(api, (10000,))
    captures = [await created(api, order["id"], "captures", {1: n * 100}) for n in (1, 2, 3)]

    assert await listed(api, order["id"], "captures") == captures
    assert [op["id"] for op in (await fetch(api, order["id"]))["captures"]] == [
        op["id"] for op in captures
    ]


async def test_an_authorization_id_names_the_attempt_that_succeeded(
    api: httpx.AsyncClient,
) -> None:
    """A declined attempt and its successful retry may share the gateway's reference."""
    order = await order_with_lines(api, (10000,))
    declined = await created(
        api, order["id"], "authorizations", {1: 10000}, authorization_id="P1", success=False
    )
    accepted = await created(api, order["id"], "authorizations", {1: 10000}, authorization_id="P1")

    by_reference = await api.get(f"/orders/{order['id']}/authorizations/P1")
    assert by_reference.json() == accepted
    by_id = await api.get(f"/orders/{order['id']}/authorizations/{declined['id']}")
    assert by_id.json() == declined


async def test_a_retried_capture_with_the_same_idempotency_key_is_recorded_once(
    api: httpx.AsyncClient,
) -> None:
    order = await authorized_order(api, (10000,))
    body = {"items": [{"line_id": 1, "amount": 4000}]}
    path = f"/orders/{order['id']}/captures"

    first = await api.post(path, json=body, headers={"Idempotency-Key": "cap-1"})
    again = await api.post(path, json=body, headers={"Idempotency-Key": "cap-1"})
    other = await api.post(
        path, json={"items": [{"line_id": 1, "amount": 1}]}, headers={"Idempotency-Key": "cap-1"}
    )

    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert other.status_code == 422, other.text
    assert await listed(api, order["id"], "captures") == [first.json()]
    assert (await fetch(api, order["id"]))["payment_details"] == details(10000, 10000, 4000)


async def test_if_match_must_name_the_current_order_version(api: httpx.AsyncClient) -> None:
    order = await authorized_order(api, (10000,))
    body = {"items": [{"line_id": 1, "amount": 100}]}
    path = f"/orders/{order['id']}/captures"

    stale = await api.post(path, json=body, headers={"If-Match": f'"{order["version"] - 1}"'})
    assert stale.status_code == 409, stale.text
    assert error(stale)["code"] == "VERSION_CONFLICT"
    assert await fetch(api, order["id"]) == order

    current = await api.post(path, json=body, headers={"If-Match": f'"{order["version"]}"'})
    assert current.status_code == 200, current.text
