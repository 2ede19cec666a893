"""`payment_status` and `payment_details` over an order's life (decision 20), and the order
changes the ledger refuses: cancelling with unrefunded captures (decision 14), lowering a line's
net below what is authorized, and `replace: "order"` once payments exist (decision 3)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.drafts import create_draft, draft_body, get_draft, item
from tests.support.orders import list_ids
from tests.support.payments import (
    authorized_order,
    created,
    details,
    error,
    fetch,
    line_item,
    order_with_lines,
    recomputed_details,
)

Json = dict[str, Any]


async def test_a_full_order_life_walks_every_payment_status(api: httpx.AsyncClient) -> None:
    order = await order_with_lines(api, (10000, 5000))
    oid = order["id"]
    steps: list[tuple[str, dict[int, int], str, Json]] = [
        ("authorizations", {1: 6000}, "pending", details(15000, 6000)),
        ("authorizations", {1: 4000, 2: 5000}, "pending", details(15000, 15000)),
        ("captures", {1: 4000}, "partially_paid", details(15000, 15000, 4000)),
        ("captures", {2: 2000}, "partially_paid", details(15000, 15000, 6000)),
        ("captures", {1: 6000, 2: 3000}, "paid", details(15000, 15000, 15000)),
        ("refunds", {2: 1000}, "partially_refunded", details(15000, 15000, 15000, 1000)),
        ("refunds", {1: 10000}, "partially_refunded", details(15000, 15000, 15000, 11000)),
        ("refunds", {2: 4000}, "refunded", details(15000, 15000, 15000, 15000)),
    ]
    assert (order["payment_status"], order["payment_details"]) == ("pending", details(15000))
    seen = []
    for kind, amounts, status, expected in steps:
        await created(api, oid, kind, amounts)
        now = await fetch(api, oid)
        assert (now["payment_status"], now["payment_details"]) == (status, expected), kind
        assert now["payment_details"] == recomputed_details(now)
        seen.append(status)
        assert oid in await list_ids(api, payment_status=status)
    assert seen[-1] == "refunded"
    assert "paid" in seen
    assert oid not in await list_ids(api, payment_status="pending")


async def test_amount_due_falls_with_captures_and_rises_with_refunds(
    api: httpx.AsyncClient,
) -> None:
    order = await authorized_order(api, (10000,))
    await created(api, order["id"], "captures", {1: 7000})
    assert (await fetch(api, order["id"]))["payment_details"]["amount_due"] == 3000
    await created(api, order["id"], "refunds", {1: 2000})
    after = await fetch(api, order["id"])
    assert after["payment_details"]["amount_due"] == 5000
    assert after["payment_status"] == "partially_refunded"


async def test_cancellations_release_the_authorization(api: httpx.AsyncClient) -> None:
    order = await authorized_order(api, (10000, 5000))
    await created(api, order["id"], "captures", {1: 2000})
    await created(api, order["id"], "cancellations", {1: 8000, 2: 5000})

    after = await fetch(api, order["id"])
    assert after["payment_status"] == "partially_paid"
    assert after["payment_details"] == details(15000, 15000, captured=2000, cancelled=13000)
    assert after["payment_details"]["remaining_capture_amount"] == 0
    assert after["payment_details"]["remaining_cancellation_amount"] == 0
    assert after["payment_details"]["amount_due"] == 13000


async def test_cancel_needs_every_capture_refunded(api: httpx.AsyncClient) -> None:
    order = await authorized_order(api, (10000, 5000))
    oid = order["id"]
    await created(api, oid, "captures", {1: 4000})

    for _ in range(2):
        response = await api.post(f"/orders/{oid}/cancel", json={})
        assert response.status_code == 409, response.text
        assert error(response)["code"] == "STATUS_TRANSITION_NOT_ALLOWED"
        assert (await fetch(api, oid))["status"] == "open"
        await created(api, oid, "refunds", {1: 2000})

    cancelled = await api.post(f"/orders/{oid}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["payment_status"] == "refunded"


async def test_an_authorized_but_uncaptured_order_can_be_cancelled(api: httpx.AsyncClient) -> None:
    order = await authorized_order(api, (10000,))
    response = await api.post(f"/orders/{order['id']}/cancel", json={})
    assert response.status_code == 200, response.text
    assert response.json()["payment_details"] == details(10000, 10000)


# ---- a line's net below what is authorized -----------------------------------------------


def discounted(line_id: int, amount: int) -> Json:
    return {
        "items": [
            {"line_id": line_id, "discount_lines": [{"amount": amount, "discount_type": "manual"}]}
        ]
    }


async def test_order_update_cannot_lower_a_net_below_the_authorized_amount(
    api: httpx.AsyncClient,
) -> None:
    order = await order_with_lines(api, (10000, 5000))
    await created(api, order["id"], "authorizations", {1: 7000})
    before = await fetch(api, order["id"])

    response = await api.put(f"/orders/{order['id']}", json=discounted(1, 3001))

    assert response.status_code == 409, response.text
    problem = error(response)
    assert problem["code"] == "NET_BELOW_AUTHORIZED"
    assert problem["line_id"] == 1
    assert "7000" in problem["message"]
    assert await fetch(api, order["id"]) == before

    fits = await api.put(f"/orders/{order['id']}", json=discounted(1, 3000))
    assert fits.status_code == 200, fits.text
    updated = fits.json()
    assert updated["items"][0]["net_amount"] == 7000
    assert updated["payment_details"] == details(12000, 7000)
    other = await api.put(f"/orders/{order['id']}", json=discounted(2, 5000))
    assert other.status_code == 200, other.text  # line 2 has nothing authorized


async def test_a_merged_draft_cannot_lower_a_net_below_the_authorized_amount(
    api: httpx.AsyncClient,
) -> None:
    order = await authorized_order(api, (10000, 5000))
    draft = await create_draft(
        api, draft_body(line_item(1, 9999), options={"order_id": order["id"]})
    )

    response = await api.put(f"/draft_orders/{draft['id']}/complete", json={})

    assert response.status_code == 409, response.text
    assert error(response)["code"] == "NET_BELOW_AUTHORIZED"
    assert error(response)["line_id"] == 1
    assert await fetch(api, order["id"]) == order
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_a_merged_draft_may_raise_a_net(api: httpx.AsyncClient) -> None:
    order = await authorized_order(api, (10000, 5000))
    draft = await create_draft(
        api, draft_body(line_item(1, 12000), options={"order_id": order["id"]})
    )

    response = await api.put(f"/draft_orders/{draft['id']}/complete", json={})

    assert response.status_code == 200, response.text
    merged = await fetch(api, order["id"])
    assert merged["payment_details"] == details(17000, 15000)
    await created(api, order["id"], "authorizations", {1: 2000})


async def test_replace_order_is_refused_once_payments_exist(api: httpx.AsyncClient) -> None:
    paid = await authorized_order(api, (10000,))
    fresh = await order_with_lines(api, (10000,))

    for order, status in ((paid, 409), (fresh, 200)):
        options = {"order_id": order["id"], "replace": "order"}
        draft = await create_draft(api, draft_body(item(line_id=1, gross=20000), options=options))
        response = await api.put(f"/draft_orders/{draft['id']}/complete", json={})
        assert response.status_code == status, response.text
        if status == 409:
            assert error(response)["code"] == "ORDER_HAS_PAYMENT_OPERATIONS"
            assert (await get_draft(api, draft["id"]))["status"] == "open"
    assert await fetch(api, paid["id"]) == paid
    assert (await fetch(api, fresh["id"]))["net_amount"] == 20000


async def test_an_order_of_reversal_lines_walks_the_statuses_by_magnitude(
    api: httpx.AsyncClient,
) -> None:
    order = await order_with_lines(api, (-2000,))
    oid = order["id"]
    assert order["net_amount"] == -2000
    steps: list[tuple[str, dict[int, int], str, Json]] = [
        ("authorizations", {1: -2000}, "pending", details(-2000, -2000)),
        ("captures", {1: -1000}, "partially_paid", details(-2000, -2000, -1000)),
        ("captures", {1: -1000}, "paid", details(-2000, -2000, -2000)),
        ("refunds", {1: -500}, "partially_refunded", details(-2000, -2000, -2000, -500)),
        ("refunds", {1: -1500}, "refunded", details(-2000, -2000, -2000, -2000)),
    ]
    for kind, amounts, status, expected in steps:
        await created(api, oid, kind, amounts)
        now = await fetch(api, oid)
        assert (now["payment_status"], now["payment_details"]) == (status, expected), kind


async def test_a_merged_draft_cannot_flip_the_sign_of_an_authorized_line(
    api: httpx.AsyncClient,
) -> None:
    order = await authorized_order(api, (10000, 5000))
    draft = await create_draft(
        api, draft_body(line_item(1, -10000), options={"order_id": order["id"]})
    )

    response = await api.put(f"/draft_orders/{draft['id']}/complete", json={})

    assert response.status_code == 409, response.text
    assert (error(response)["code"], error(response)["line_id"]) == ("NET_BELOW_AUTHORIZED", 1)
    assert await fetch(api, order["id"]) == order


async def test_with_multiple_authorizations_every_authorization_must_still_fit(
    api: httpx.AsyncClient,
) -> None:
    order = await order_with_lines(api, (10000, 5000), multiple_authorizations=True)
    await created(api, order["id"], "authorizations", {1: 7000}, authorization_id="A")
    await created(api, order["id"], "authorizations", {1: 6000}, authorization_id="B")
    before = await fetch(api, order["id"])

    too_low = await api.put(f"/orders/{order['id']}", json=discounted(1, 3001))

    assert too_low.status_code == 409, too_low.text
    assert (error(too_low)["code"], error(too_low)["line_id"]) == ("NET_BELOW_AUTHORIZED", 1)
    assert await fetch(api, order["id"]) == before
    fits = await api.put(f"/orders/{order['id']}", json=discounted(1, 3000))
    assert fits.status_code == 200, fits.text
    assert fits.json()["items"][0]["net_amount"] == 7000
