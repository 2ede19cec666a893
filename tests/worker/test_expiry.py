"""Time to live (reference §5.10, decision 12), driven by a pinned clock and `sweep_once()`.

`time_to_live_expires_at = updated_at + time_to_live`. Once it has passed, the sweep empties
the order down to its id, order_id, status, timestamps and `deleted_at`, removes its events,
comments and facets, and marks every draft that built it (merged ones included) `deleted`.
Orders not yet due are left exactly as they were.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from shopping.models import OrderCommentRow, OrderEventRow, OrderFacetRow
from shopping.orders.expiry import expire_due_orders
from tests.support.completion import (
    DAY,
    complete,
    completed,
    count_rows,
    error_code,
    get_order,
    ids,
    list_orders,
    new_order,
    split_draft_body,
)
from tests.support.drafts import create_draft, draft_body, get_draft, item
from tests.worker.conftest import Pinned

Json = dict[str, Any]
REMAINDER = {
    "id",
    "order_id",
    "status",
    "created_at",
    "created_by",
    "updated_at",
    "deleted_at",
    "version",
    "_links",
}


def ttl_body(seconds: int = 86400, *lines: Json, **fields: Any) -> Json:
    return draft_body(
        *(lines or (item(line_id=1), item(line_id=2, gross=500))),
        options={"order_time_to_live": seconds},
        **fields,
    )


async def test_expiry_is_counted_from_the_last_change(pinned: Pinned) -> None:
    api, clock = pinned.api, pinned.clock
    order = await new_order(api, ttl_body(86400))
    assert order["time_to_live"] == 86400
    assert order["updated_at"] == clock.iso()
    assert order["time_to_live_expires_at"] == clock.iso(DAY)

    clock.advance(timedelta(hours=12))
    updated = await api.put(f"/orders/{order['id']}", json={"comment": "still here"})
    assert updated.status_code == 200, updated.text
    assert updated.json()["time_to_live_expires_at"] == clock.iso(DAY)

    clock.advance(timedelta(hours=12))  # a day after completion, half a day after the update
    assert (await pinned.sweep())["orders_expired"] == 0
    assert (await get_order(api, order["id"]))["comment"] == "still here"

    clock.advance(timedelta(hours=12))
    assert (await pinned.sweep())["orders_expired"] == 1
    assert "deleted_at" in await get_order(api, order["id"])


async def test_an_expired_order_is_emptied_and_its_drafts_deleted(pinned: Pinned) -> None:
    api, clock = pinned.api, pinned.clock
    first = await create_draft(api, ttl_body(86400, metadata={"secret": "x"}))
    [order] = (await completed(api, first["id"]))["orders"]
    commented = await api.post(f"/orders/{order['id']}/comments", json={"body": "note"})
    assert commented.status_code == 200, commented.text
    serviced = await api.post(
        f"/orders/{order['id']}/events",
        json={"service": "kitchen", "service_status": "ready", "state": "success"},
    )
    assert serviced.status_code == 200, serviced.text
    clock.advance(timedelta(hours=1))
    merged_draft = await create_draft(
        api, draft_body(item(line_id=3), options={"order_id": order["id"]})
    )
    await completed(api, merged_draft["id"])  # moves the expiry to an hour later
    later = await new_order(api, ttl_body(3 * 86400))
    forever = await new_order(api, draft_body(item()))
    later = await get_order(api, later["id"])  # after the merge's update of `order`
    assert await count_rows(pinned.app, OrderCommentRow, pinned.account, order_id=order["id"])

    clock.advance(DAY - timedelta(seconds=1))
    assert (await pinned.sweep())["orders_expired"] == 0
    assert "items" in await get_order(api, order["id"])

    clock.advance(timedelta(seconds=1))
    counts = await pinned.sweep()

    assert counts["orders_expired"] == 1
    emptied = await get_order(api, order["id"])
    assert set(emptied) == REMAINDER
    assert (emptied["id"], emptied["order_id"]) == (order["id"], order["order_id"])
    assert (emptied["status"], emptied["created_at"]) == ("open", order["created_at"])
    assert emptied["deleted_at"] == emptied["updated_at"] == clock.iso()
    assert await get_order(api, order["order_id"]) == emptied
    assert set(ids(await list_orders(api))) == {later["id"], forever["id"]}
    assert set(ids(await list_orders(api, customer_id="cust-1"))) == {later["id"], forever["id"]}
    in_store = await api.get("/stores/SL02/orders")
    assert in_store.status_code == 200, in_store.text
    assert {o["id"] for o in in_store.json()["orders"]} == {later["id"], forever["id"]}
    events = await api.get(f"/orders/{order['id']}/events")
    assert events.status_code == 200, events.text
    assert events.json()["events"] == []
    for model in (OrderEventRow, OrderCommentRow, OrderFacetRow):
        assert await count_rows(pinned.app, model, pinned.account, order_id=order["id"]) == 0
    for draft_id in (first["id"], merged_draft["id"]):
        draft = await get_draft(api, draft_id)
        assert (draft["status"], draft["deleted_at"]) == ("deleted", clock.iso())
        assert "order" not in draft
        assert draft["events"] == []
    # the others are untouched
    assert await get_order(api, later["id"]) == later
    assert await get_order(api, forever["id"]) == forever
    assert (await pinned.sweep())["orders_expired"] == 0


async def test_split_orders_expire_together_and_delete_their_draft(pinned: Pinned) -> None:
    api, clock = pinned.api, pinned.clock
    draft = await create_draft(api, split_draft_body(order_time_to_live=86400))
    orders = (await completed(api, draft["id"]))["orders"]

    clock.advance(DAY)
    counts = await pinned.sweep()

    assert counts["orders_expired"] == 3
    for order in orders:
        assert "deleted_at" in await get_order(api, order["id"])
    assert await list_orders(api) == []
    assert (await get_draft(api, draft["id"]))["status"] == "deleted"


async def test_the_sweep_drains_more_than_one_batch(pinned: Pinned) -> None:
    api, clock = pinned.api, pinned.clock
    for _ in range(5):
        await new_order(api, ttl_body(86400))
    clock.advance(DAY)

    first_batch = await expire_due_orders(pinned.app.state.db, clock, batch=2)
    rest = await pinned.sweep()

    assert (first_batch, rest["orders_expired"]) == (2, 3)
    assert await list_orders(api) == []


async def test_concurrent_sweeps_expire_each_order_once(pinned: Pinned) -> None:
    api, clock = pinned.api, pinned.clock
    orders = [await new_order(api, ttl_body(86400)) for _ in range(6)]
    clock.advance(DAY)

    counts = await asyncio.gather(*(pinned.sweep() for _ in range(3)))

    assert sum(c["orders_expired"] for c in counts) == 6
    for order in orders:
        assert (await get_order(api, order["id"]))["version"] == 2


async def test_a_draft_cannot_be_merged_into_an_expired_order(pinned: Pinned) -> None:
    api, clock = pinned.api, pinned.clock
    order = await new_order(api, ttl_body(86400))
    clock.advance(DAY)
    await pinned.sweep()
    emptied = await get_order(api, order["id"])
    draft = await create_draft(api, draft_body(item(line_id=9), options={"order_id": order["id"]}))

    response = await complete(api, draft["id"])

    assert response.status_code in (404, 409), response.text
    assert error_code(response) != "INTERNAL_ERROR"
    assert await get_order(api, order["id"]) == emptied
    assert (await get_draft(api, draft["id"]))["status"] == "open"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "", {"comment": "x"}),
        ("POST", "/close", None),
        ("POST", "/cancel", None),
        ("POST", "/comments", {"body": "x"}),
        ("POST", "/events", {"service": "k", "service_status": "ready", "state": "pending"}),
    ],
)
async def test_writes_on_an_expired_order_are_refused(
    pinned: Pinned, method: str, path: str, body: Json | None
) -> None:
    api, clock = pinned.api, pinned.clock
    order = await new_order(api, ttl_body(86400))
    clock.advance(DAY)
    await pinned.sweep()
    emptied = await get_order(api, order["id"])

    response = await api.request(method, f"/orders/{order['id']}{path}", json=body)

    assert response.status_code in (404, 409), response.text
    assert await get_order(api, order["id"]) == emptied
