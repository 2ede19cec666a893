"""Factories for payment tests: orders with lines of chosen amounts, and payment operations
recorded through the API.

Orders are made the way the API makes them (a draft, completed). Line `n` (from 1) gets the
n-th amount as its gross (no discounts, so net = gross); a negative amount makes a reversal line
(negative gross and a negative tax amount).

`authorized_order(api, (10000, 5000))` is such an order with one authorization of every line in
full; `record(api, order_id, "captures", {1: 300})` posts an operation and returns the response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from tests.support.drafts import create_draft, draft_body, item

Json = dict[str, Any]

KINDS = ("authorizations", "captures", "refunds", "cancellations")
#: the `_links` rel of one operation, per collection
REL = {
    "authorizations": "authorization",
    "captures": "capture",
    "refunds": "refund",
    "cancellations": "cancellation",
}
DETAIL_KEYS = (
    "remaining_authorization_amount",
    "remaining_capture_amount",
    "remaining_cancellation_amount",
    "remaining_refund_amount",
    "amount_due",
)


def line_item(line_id: int, amount: int, **fields: Any) -> Json:
    """A draft line with `amount` as gross and net; negative amounts make a reversal line."""
    if amount < 0:
        return item(
            line_id=line_id,
            gross=amount,
            tax_lines=[{"percentage": 25, "amount": -(abs(amount) // 5)}],
            **fields,
        )
    return item(line_id=line_id, gross=amount, **fields)


async def order_with_lines(
    api: httpx.AsyncClient,
    amounts: Iterable[int] = (10000, 5000),
    *,
    items: Iterable[Json] | None = None,
    **options: Any,
) -> Json:
    """A completed order with one line per amount (line ids 1, 2, …); `options` are draft
    options (`multiple_authorizations=True`, `payout=...`)."""
    lines = list(items) if items is not None else []
    lines += [line_item(n, amount) for n, amount in enumerate(amounts, start=len(lines) + 1)]
    draft = await create_draft(api, draft_body(*lines, options=options or None))
    response = await api.put(f"/draft_orders/{draft['id']}/complete", json={})
    assert response.status_code == 200, response.text
    [order] = response.json()["orders"]
    return dict(order)


async def authorized_order(
    api: httpx.AsyncClient, amounts: Iterable[int] = (10000, 5000), **options: Any
) -> Json:
    """`order_with_lines`, then one authorization of every line in full. Returns the order
    after the authorization (with the authorization in `authorizations`)."""
    amounts = list(amounts)
    order = await order_with_lines(api, amounts, **options)
    await created(api, order["id"], "authorizations", dict(enumerate(amounts, start=1)))
    return await fetch(api, order["id"])


def op_lines(amounts: Mapping[int, int]) -> list[Json]:
    """`{line_id: amount}` → the `items` of an operation body."""
    return [{"line_id": line_id, "amount": amount} for line_id, amount in amounts.items()]


async def record(
    api: httpx.AsyncClient,
    order_id: str,
    kind: str,
    amounts: Mapping[int, int] | None = None,
    **fields: Any,
) -> httpx.Response:
    """POST an operation of `kind` (a collection name: "captures", …)."""
    body: Json = dict(fields)
    if amounts is not None:
        body["items"] = op_lines(amounts)
    return await api.post(f"/orders/{order_id}/{kind}", json=body)


async def created(
    api: httpx.AsyncClient,
    order_id: str,
    kind: str,
    amounts: Mapping[int, int],
    **fields: Any,
) -> Json:
    """`record`, failing loudly unless 200; the operation."""
    response = await record(api, order_id, kind, amounts, **fields)
    assert response.status_code == 200, response.text
    operation: Json = response.json()
    return operation


async def fetch(api: httpx.AsyncClient, order_id: str) -> Json:
    response = await api.get(f"/orders/{order_id}")
    assert response.status_code == 200, response.text
    order: Json = response.json()
    return order


async def listed(api: httpx.AsyncClient, order_id: str, kind: str) -> list[Json]:
    response = await api.get(f"/orders/{order_id}/{kind}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == [kind], body
    operations: list[Json] = body[kind]
    return operations


def error(response: httpx.Response) -> Json:
    body: Json = response.json()["error"]
    return body


def recomputed_details(order: Json) -> Json:
    """§10.20 payment_details from the order's own operation lists (successful ones only),
    summed from the lines rather than from the operations' `amount`."""
    sums = {kind: _total(order.get(kind) or ()) for kind in KINDS}
    authorized, captured = sums["authorizations"], sums["captures"]
    refunded, cancelled = sums["refunds"], sums["cancellations"]
    net = order["net_amount"]
    return {
        "remaining_authorization_amount": net - authorized,
        "remaining_capture_amount": authorized - captured - cancelled,
        "remaining_cancellation_amount": authorized - captured - cancelled,
        "remaining_refund_amount": captured - refunded,
        "amount_due": max(0, net - captured + refunded),
    }


def details(
    net: int, authorized: int = 0, captured: int = 0, refunded: int = 0, cancelled: int = 0
) -> Json:
    """Expected payment_details from the successful totals (§10.20), written out."""
    return {
        "remaining_authorization_amount": net - authorized,
        "remaining_capture_amount": authorized - captured - cancelled,
        "remaining_cancellation_amount": authorized - captured - cancelled,
        "remaining_refund_amount": captured - refunded,
        "amount_due": max(0, net - captured + refunded),
    }


def _total(operations: Iterable[Json]) -> int:
    return sum(
        line["amount"]
        for operation in operations
        if operation.get("success", True) is not False
        for line in operation["items"]
    )
