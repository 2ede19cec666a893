"""Payouts through the API: `item.payout` at completion (rule choice per decisions 13 and 22)
and the flattened `payout` of every operation line (decision 21, §3.11)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import bearer
from tests.support.payments import created, error, fetch, line_item, order_with_lines, record

Json = dict[str, Any]

STORE = "order.items.store.id"


def destinations(platform_percent: Any, seller: str = "seller") -> list[Json]:
    return [
        {"type": "percentage", "value": platform_percent, "destination": "platform"},
        {
            "type": "remaining_amount",
            "destinations": [{"type": "percentage", "value": 100, "destination": seller}],
        },
    ]


def rule(rule_id: str = "SL02", percent: Any = 10, rule_type: str = STORE, **fields: Any) -> Json:
    return {
        "rule_type": rule_type,
        "rule_id": rule_id,
        "destinations": destinations(percent),
        **fields,
    }


@pytest.fixture
async def billing(
    http: httpx.AsyncClient, app: FastAPI, account: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=f"http://testserver/v1/accounts/{account}/billing",
        headers=bearer(app, account, "admin:billing"),
    ) as client:
        yield client


async def store_rule(billing: httpx.AsyncClient, body: Json) -> Json:
    response = await billing.post("/payout-rules", json=body)
    assert response.status_code == 200, response.text
    stored: Json = response.json()
    return stored


def leaf_amounts(payout: Json) -> list[int]:
    out: list[int] = []
    for node in payout["destinations"]:
        out += leaf_amounts(node) if node.get("destinations") else [node["amount"]]
    return out


# ---- item payouts at completion ----------------------------------------------------------------


async def test_stored_rule_splits_the_item_net(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule(percent="12.5"))

    order = await order_with_lines(api, (10001, 999), payout=True)

    first, second = (item["payout"] for item in order["items"])
    assert (first["rule_type"], first["rule_id"], first["rule_version"]) == (STORE, "SL02", 1)
    # 12.5 % of 10001 = 1250.125 → 1250; the rest (8751) to the seller
    assert first["destinations"][0]["amount"] == 1250
    assert first["destinations"][1]["amount"] == 8751
    assert first["destinations"][1]["destinations"][0]["amount"] == 8751
    assert leaf_amounts(second) == [124, 875]


async def test_items_without_a_matching_rule_get_no_payout(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule("A"))

    order = await order_with_lines(
        api,
        (),
        items=[
            line_item(1, 1000, store="A"),
            line_item(2, 1000, store="B"),
            line_item(3, 1000, store=None),
        ],
        payout=True,
    )

    assert [("payout" in item) for item in order["items"]] == [True, False, False]


async def test_without_payout_options_no_item_has_a_payout(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule())
    order = await order_with_lines(api, (1000,))
    assert "payout" not in order["items"][0]


async def test_an_inline_rule_comes_before_a_stored_one(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule(percent=10))
    options = {"resolve_rule_id": STORE, "rules": [rule(percent=20, rule_version=7)]}

    order = await order_with_lines(api, (1000,), payout=options)

    payout = order["items"][0]["payout"]
    assert payout["rule_version"] == 7
    assert leaf_amounts(payout) == [200, 800]


async def test_the_newest_inline_rule_version_is_used(api: httpx.AsyncClient) -> None:
    options = {
        "resolve_rule_id": STORE,
        "rules": [
            rule(percent=30, rule_version=2),
            rule(percent=50, rule_version=3),
            rule(percent=40, rule_version=1),
        ],
    }

    order = await order_with_lines(api, (1000,), payout=options)

    assert order["items"][0]["payout"]["rule_version"] == 3
    assert leaf_amounts(order["items"][0]["payout"]) == [500, 500]


async def test_dynamic_payout_names_the_rule(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule(percent=10))
    await store_rule(billing, rule("vip", percent=1, rule_type="deal"))
    special = line_item(1, 1000, dynamic_payout={"rule_type": "deal", "rule_id": "vip"})

    order = await order_with_lines(api, (1000,), items=[special], payout=True)

    dynamic, by_store = (item["payout"] for item in order["items"])
    assert (dynamic["rule_type"], dynamic["rule_id"]) == ("deal", "vip")
    assert leaf_amounts(dynamic) == [10, 990]
    assert (by_store["rule_type"], by_store["rule_id"]) == (STORE, "SL02")


async def test_resolve_rule_id_and_type_pick_a_rule_by_any_item_path(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule("sku-1", percent=5, rule_type="sku"))
    items = [line_item(1, 1000, id="sku-1"), line_item(2, 1000, id="sku-2"), line_item(3, 1000)]

    order = await order_with_lines(
        api, (), items=items, payout={"resolve_rule_id": "id", "resolve_rule_type": "sku"}
    )

    payouts = [item.get("payout") for item in order["items"]]
    assert payouts[0] is not None
    assert leaf_amounts(payouts[0]) == [50, 950]
    assert payouts[1:] == [None, None]


async def test_a_rule_that_cannot_split_an_item_refuses_completion(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(
        billing,
        {
            "rule_type": STORE,
            "rule_id": "SL02",
            "destinations": [
                {"type": "flat_amount", "value": 1500, "destination": "fee"},
                {"type": "remaining_amount", "destination": "seller"},
            ],
        },
    )
    draft = await api.post(
        "/draft_orders",
        json={
            "order": {"currency": "NOK", "items": [line_item(1, 1000)]},
            "options": {"payout": True},
        },
    )
    assert draft.status_code == 200, draft.text

    response = await api.put(f"/draft_orders/{draft.json()['id']}/complete", json={})

    assert response.status_code == 409, response.text
    assert error(response)["code"] == "PAYOUT_SPLIT_FAILED"
    assert error(response)["line_id"] == 1


# ---- operation payouts --------------------------------------------------------------------------


async def test_every_operation_line_carries_its_payout(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule(percent=10))
    order = await order_with_lines(
        api, (), items=[line_item(1, 10001), line_item(2, 500, store="other")], payout=True
    )
    oid = order["id"]

    auth = await created(api, oid, "authorizations", {1: 10001, 2: 500})
    capture = await created(api, oid, "captures", {1: 3333, 2: 500})
    refund = await created(api, oid, "refunds", {1: 3333})
    cancellation = await created(api, oid, "cancellations", {1: 6668})

    expected_capture = {
        "rule_id": "SL02",
        "rule_type": STORE,
        "destinations": [
            {"destination": "platform", "amount": 333},
            {"destination": "seller", "amount": 3000},
        ],
    }
    assert capture["items"][0]["payout"] == expected_capture
    assert "payout" not in capture["items"][1]  # store "other" has no rule
    # amounts keep the line's sign whatever the kind: a full refund pays back what was paid out
    assert refund["items"][0]["payout"] == expected_capture
    assert [d["amount"] for d in auth["items"][0]["payout"]["destinations"]] == [1000, 9001]
    assert [d["amount"] for d in cancellation["items"][0]["payout"]["destinations"]] == [666, 6002]
    stored = await fetch(api, oid)
    assert stored["captures"][0]["items"][0]["payout"] == expected_capture


async def test_a_reversal_line_payout_is_negative(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(billing, rule(percent=10))
    order = await order_with_lines(api, (10000, -2001), payout=True)
    assert leaf_amounts(order["items"][1]["payout"]) == [-200, -1801]

    await created(api, order["id"], "authorizations", {1: 10000, 2: -2001})
    capture = await created(api, order["id"], "captures", {2: -2001})
    refund = await created(api, order["id"], "refunds", {2: -2001})

    assert capture["items"][0]["payout"]["destinations"] == [
        {"destination": "platform", "amount": -200},
        {"destination": "seller", "amount": -1801},
    ]
    assert refund["items"][0]["payout"] == capture["items"][0]["payout"]


async def test_the_item_payout_is_fixed_at_completion(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    """Operations split by the rule the item was completed with, not a newer version."""
    stored = await store_rule(billing, rule(percent=10))
    order = await order_with_lines(api, (1000,), payout=True)
    updated = await billing.put(f"/payout-rules/{stored['id']}", json=rule(percent=50))
    assert updated.status_code == 200, updated.text

    await created(api, order["id"], "authorizations", {1: 1000})
    capture = await created(api, order["id"], "captures", {1: 1000})

    assert [d["amount"] for d in capture["items"][0]["payout"]["destinations"]] == [100, 900]


async def test_an_operation_the_rule_cannot_split_is_refused(
    api: httpx.AsyncClient, billing: httpx.AsyncClient
) -> None:
    await store_rule(
        billing,
        {
            "rule_type": STORE,
            "rule_id": "SL02",
            "destinations": [
                {"type": "flat_amount", "value": 300, "destination": "fee"},
                {"type": "remaining_amount", "destination": "seller"},
            ],
        },
    )
    order = await order_with_lines(api, (1000,), payout=True)
    await created(api, order["id"], "authorizations", {1: 1000})
    before = await fetch(api, order["id"])

    response = await record(api, order["id"], "captures", {1: 299})

    assert response.status_code == 409, response.text
    assert error(response)["code"] == "PAYOUT_SPLIT_FAILED"
    assert error(response)["line_id"] == 1
    assert await fetch(api, order["id"]) == before
    capture = await created(api, order["id"], "captures", {1: 300})
    assert capture["items"][0]["payout"]["destinations"] == [
        {"destination": "fee", "amount": 300},
        {"destination": "seller", "amount": 0},
    ]
