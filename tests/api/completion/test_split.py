"""`options.split_draft`: one order per item store (reference §5.2, decisions 9–10).

Groups follow the first appearance of each store; items without a store go with the
order-level store; each order carries only its own items and their totals, and the orders'
totals add up to the draft's exactly.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.support.completion import (
    complete,
    completed,
    error_code,
    get_order,
    ids,
    line_ids,
    list_orders,
    order_events,
    split_draft_body,
)
from tests.support.drafts import create_draft, discount, draft_body, get_draft, item

TOTALS = ("gross_amount", "net_amount", "total_discount", "total_manual_discount_amount")


def totals(order: dict[str, Any]) -> dict[str, Any]:
    return {key: order[key] for key in TOTALS}


async def test_split_makes_one_order_per_store_in_order_of_appearance(
    api: httpx.AsyncClient,
) -> None:
    draft = await create_draft(api, split_draft_body())

    done = await completed(api, draft["id"])

    orders = done["orders"]
    assert [o["store"]["id"] for o in orders] == ["A", "MAIN", "B"]
    assert [line_ids(o) for o in orders] == [[1, 4], [2], [3]]
    assert [o["store"] for o in orders] == [
        {"id": "A", "name": "Store A"},
        {"id": "MAIN", "name": "Main store"},
        {"id": "B", "name": "Store B"},
    ]
    assert [o["stores"] for o in orders] == [
        [{"id": "A", "name": "Store A"}],
        [],
        [{"id": "B", "name": "Store B"}],
    ]
    by_line = {line["line_id"]: line for line in draft["order"]["items"]}
    for order in orders:
        assert order["items"] == [by_line[n] for n in line_ids(order)]
    assert [totals(o) for o in orders] == [
        {
            "gross_amount": 10500,
            "net_amount": 10400,
            "total_discount": 100,
            "total_manual_discount_amount": 100,
        },
        {
            "gross_amount": 2500,
            "net_amount": 2500,
            "total_discount": 0,
            "total_manual_discount_amount": 0,
        },
        {
            "gross_amount": 7000,
            "net_amount": 7000,
            "total_discount": 0,
            "total_manual_discount_amount": 0,
        },
    ]
    assert [o["payment_details"]["amount_due"] for o in orders] == [10400, 2500, 7000]
    for key in TOTALS:
        assert sum(o[key] for o in orders) == draft["order"][key], key
    assert len(set(ids(orders))) == 3
    assert {o["order_id"] for o in orders} == set(ids(orders))
    assert [o["order_number"] for o in orders] == ["ON-7"] * 3
    assert sorted(ids(await list_orders(api))) == sorted(ids(orders))
    for order in orders:
        assert await get_order(api, order["id"]) == order
        [event] = await order_events(api, order["id"])
        assert event["draft_id"] == draft["id"]


async def test_split_totals_add_up_with_odd_amounts_and_discounts(api: httpx.AsyncClient) -> None:
    stores = ["S1", "S2", "S3", None, "S2", "S1", "S4", None]
    lines = [
        item(
            line_id=n,
            gross=1000 * n + 7 * n,
            store=store,
            discounts=[discount(13 * n), discount(3, "customer")] if n % 2 else [],
        )
        for n, store in enumerate(stores, start=1)
    ]
    lines.append(item(line_id=9, gross=-999, store="S3"))  # a reversal line
    draft = await create_draft(
        api, draft_body(*lines, options={"split_draft": True}, store={"id": "HQ"})
    )

    orders = (await completed(api, draft["id"]))["orders"]

    assert [o["store"]["id"] for o in orders] == ["S1", "S2", "S3", "HQ", "S4"]
    assert [line_ids(o) for o in orders] == [[1, 6], [2, 5], [3, 9], [4, 8], [7]]
    for key in TOTALS:
        assert sum(o[key] for o in orders) == draft["order"][key], key
    for order in orders:
        assert order["net_amount"] == sum(line["net_amount"] for line in order["items"])


async def test_serial_order_number_suffix_numbers_the_split_orders(
    api: httpx.AsyncClient,
) -> None:
    draft = await create_draft(api, split_draft_body(serial_order_number_suffix=True))

    orders = (await completed(api, draft["id"]))["orders"]

    assert [o["order_number"] for o in orders] == ["ON-7-1", "ON-7-2", "ON-7-3"]
    assert [o["store"]["id"] for o in orders] == ["A", "MAIN", "B"]


async def test_serial_suffix_without_split_leaves_the_number_alone(
    api: httpx.AsyncClient,
) -> None:
    body = draft_body(
        item(store="A"),
        item(store="B"),
        order_number="ON-8",
        options={"serial_order_number_suffix": True},
    )
    draft = await create_draft(api, body)

    [order] = (await completed(api, draft["id"]))["orders"]

    assert order["order_number"] == "ON-8"
    assert len(order["items"]) == 2


async def test_without_split_one_order_carries_every_store(api: httpx.AsyncClient) -> None:
    body = split_draft_body()
    body["options"]["split_draft"] = False
    draft = await create_draft(api, body)

    [order] = (await completed(api, draft["id"]))["orders"]

    assert line_ids(order) == [1, 2, 3, 4]
    assert order["store"] == {"id": "MAIN", "name": "Main store"}
    assert [s["id"] for s in order["stores"]] == ["A", "B"]
    assert totals(order) == {key: draft["order"][key] for key in TOTALS}


async def test_split_with_a_single_store_is_one_order(api: httpx.AsyncClient) -> None:
    body = draft_body(item(store="A"), item(store="A"), options={"split_draft": True})
    draft = await create_draft(api, body)

    [order] = (await completed(api, draft["id"]))["orders"]

    assert line_ids(order) == [1, 2]
    assert order["store"] == {"id": "A", "name": "Store A"}


async def test_items_of_the_order_level_store_share_its_order(api: httpx.AsyncClient) -> None:
    """An item whose store is the order-level store and an item without a store are at the
    same sales location: one order, not two."""
    body = draft_body(
        item(line_id=1, store="A"),
        item(line_id=2, store="B"),
        item(line_id=3, store=None),
        store={"id": "A", "name": "Store A"},
        options={"split_draft": True},
    )
    draft = await create_draft(api, body)

    orders = (await completed(api, draft["id"]))["orders"]

    assert [o["store"]["id"] for o in orders] == ["A", "B"]
    assert [line_ids(o) for o in orders] == [[1, 3], [2]]


async def test_an_item_store_comment_becomes_the_order_store_comments(
    api: httpx.AsyncClient,
) -> None:
    body = draft_body(
        item(line_id=1, store=None),
        item(line_id=2, store=None) | {"store": {"id": "K", "comment": "ring the bell"}},
        options={"split_draft": True},
    )
    draft = await create_draft(api, body)

    orders = (await completed(api, draft["id"]))["orders"]

    assert [o.get("store") for o in orders] == [None, {"id": "K", "comments": ["ring the bell"]}]
    assert orders[1]["items"][0]["store"] == {"id": "K", "comment": "ring the bell"}


async def test_split_orders_each_get_a_generated_short_id(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, split_draft_body(generate_order_id="ALPHANUMERIC_9"))

    orders = (await completed(api, draft["id"]))["orders"]

    order_ids = [o["order_id"] for o in orders]
    assert all(re.fullmatch(r"[A-Z0-9]{9}", oid) for oid in order_ids), order_ids
    assert len(set(order_ids)) == 3


async def test_split_with_a_reserved_id_gives_it_to_the_first_order(
    api: httpx.AsyncClient,
) -> None:
    draft = await create_draft(api, split_draft_body(generate_order_id="ALPHANUMERIC_9_RESERVE"))
    reserved = draft["order"]["order_id"]

    orders = (await completed(api, draft["id"]))["orders"]

    assert orders[0]["order_id"] == reserved
    assert len({o["order_id"] for o in orders}) == 3


@pytest.mark.parametrize("method", ["post", "put"])
async def test_split_with_a_custom_order_id_is_400(api: httpx.AsyncClient, method: str) -> None:
    body = split_draft_body()
    body["order"]["order_id"] = "shop-77"
    if method == "post":
        response = await api.post("/draft_orders", json=body)
    else:
        draft = await create_draft(api, split_draft_body())
        response = await api.put(f"/draft_orders/{draft['id']}", json=body)

    assert response.status_code == 400, response.text
    assert [e["path"] for e in response.json()["error"]["errors"]] == ["order.order_id"]


async def test_split_together_with_options_order_id_is_400(api: httpx.AsyncClient) -> None:
    target = await create_draft(api)
    [order] = (await completed(api, target["id"]))["orders"]
    draft = await create_draft(api, split_draft_body(order_id=order["id"]))

    response = await complete(api, draft["id"])

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert (await get_draft(api, draft["id"]))["status"] == "open"
    assert (await get_order(api, order["id"]))["version"] == 1
    assert ids(await list_orders(api)) == [order["id"]]
