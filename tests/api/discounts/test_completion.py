"""Completing a draft records the usage of each rule it was priced with, in the completing
transaction, or refuses with 409 naming a rule that can no longer be given."""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from tests.support.completion import account_client, complete, error_code, extra_app
from tests.support.discounts import create_rule, rule_body, rule_for_everyone
from tests.support.drafts import customer, draft_body, item

Json = dict[str, Any]


def priced_body(customer_id: str | None = "c1", gross: int = 10000) -> Json:
    who = customer(id=customer_id) if customer_id is not None else None
    return draft_body(item(gross=gross, eligible_for_discount=True), customer=who)


async def priced_draft(shop: httpx.AsyncClient, customer_id: str | None = "c1") -> Json:
    response = await shop.post("/draft_orders", json=priced_body(customer_id))
    assert response.status_code == 200, response.text
    draft: Json = response.json()
    return draft


async def test_completion_records_usage_and_statistics(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    rule = await rule_for_everyone(discounts, rule_body({"type": "discount_amount", "value": 700}))
    for customer_id in ("c1", "c1", None):
        draft = await priced_draft(shop, customer_id)
        assert draft["order"]["total_discount"] == 700
        response = await complete(shop, draft["id"])
        assert response.status_code == 200, response.text
        (order,) = response.json()["orders"]
        assert order["total_discount"] == 700
    usages = (await discounts.get(f"/rules/{rule['id']}/usages")).json()
    (mine,) = usages
    assert mine["customer_id"] == "c1"
    assert mine["statistics"]["usage"] == 2
    assert mine["statistics"]["amount"] == 1400
    assert [ref["amount"] for ref in mine["usage_refs"]] == [700, 700]
    (listed,) = (await discounts.get("/rules", params={"includes": "statistics"})).json()
    assert listed["statistics"] == {"usage": 3, "amount": 2100, "customers": 2}


async def test_a_used_rule_keeps_its_terms(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    rule = await rule_for_everyone(discounts)
    assert (await complete(shop, (await priced_draft(shop))["id"])).status_code == 200
    url = f"/rules/{rule['id']}"
    reward = await discounts.put(
        url, json={**rule, "reward": {"type": "discount_amount", "value": 1}}
    )
    assert reward.status_code == 409
    assert reward.json()["error"]["code"] == "DISCOUNT_IN_USE"
    limits = await discounts.put(url, json={**rule, "limitation": {"discount_repeat_usage": 1}})
    assert limits.status_code == 409
    earlier = {**rule["requirement"], "purchase_to": "2030-01-01T00:00:00Z"}
    assert (await discounts.put(url, json={**rule, "requirement": earlier})).status_code == 409
    later = {**rule["requirement"], "purchase_to": "2040-01-01T00:00:00Z"}
    moved = await discounts.put(url, json={**rule, "requirement": later, "name": "Renamed"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["name"] == "Renamed"


async def test_a_draft_whose_rule_was_deleted_is_refused_until_priced_again(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    rule = await rule_for_everyone(discounts)
    draft = await priced_draft(shop)
    await discounts.delete(f"/rules/{rule['id']}")
    refused = await complete(shop, draft["id"])
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "DISCOUNT_NO_LONGER_VALID"
    assert error["discount_id"] == rule["id"]
    assert rule["id"] in error["message"]
    assert (await shop.get(f"/draft_orders/{draft['id']}")).json()["status"] == "open"
    repriced = await shop.put(f"/draft_orders/{draft['id']}", json=priced_body())
    assert repriced.json()["order"]["total_discount"] == 0
    assert (await complete(shop, draft["id"])).status_code == 200


async def test_a_changed_reward_or_a_withdrawn_gift_refuses_the_completion(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    rule = await rule_for_everyone(discounts)
    draft = await priced_draft(shop)
    changed = await discounts.put(
        f"/rules/{rule['id']}", json={**rule, "reward": {"type": "discount_percent", "value": 20}}
    )
    assert changed.status_code == 200  # not used yet
    assert error_code(await complete(shop, draft["id"])) == "DISCOUNT_NO_LONGER_VALID"
    mine = await create_rule(discounts)
    off = await discounts.put(f"/rules/{mine['id']}", json={**mine, "active": False})
    assert off.status_code == 200


async def test_repeat_usage_is_counted_per_customer(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    await rule_for_everyone(discounts, rule_body(limitation={"discount_repeat_usage": 1}))
    first, second = await priced_draft(shop), await priced_draft(shop)
    other = await priced_draft(shop, "c2")
    assert second["order"]["total_discount"] == 1000  # priced before the first was completed
    assert (await complete(shop, first["id"])).status_code == 200
    assert error_code(await complete(shop, second["id"])) == "DISCOUNT_NO_LONGER_VALID"
    assert (await complete(shop, other["id"])).status_code == 200
    again = await priced_draft(shop)
    assert again["order"]["total_discount"] == 0  # spent: not offered any more


@pytest.mark.postgres_only
async def test_twenty_concurrent_completions_give_a_once_only_discount_once(
    database_url: str, backend: str, account: str, discounts: httpx.AsyncClient
) -> None:
    if backend != "postgres":
        pytest.skip("separate connection pools racing on row locks: Postgres")
    rule = await rule_for_everyone(discounts, rule_body(limitation={"discount_repeat_usage": 1}))
    scopes = ("admin:shopping", "write:discounts")
    async with AsyncExitStack() as stack:
        apps = [await stack.enter_async_context(extra_app(database_url)) for _ in range(4)]
        clients = [
            await stack.enter_async_context(account_client(a, account, *scopes)) for a in apps
        ]
        drafts = []
        for _ in range(20):
            response = await clients[0].post(
                "/draft_orders", json=priced_body(), params={"apply_discounts": "true"}
            )
            assert response.json()["order"]["total_discount"] == 1000
            drafts.append(response.json())

        responses = await asyncio.gather(
            *(complete(clients[n % 4], draft["id"]) for n, draft in enumerate(drafts))
        )

    assert Counter(r.status_code for r in responses) == {200: 1, 409: 19}, [
        r.text for r in responses if r.status_code not in (200, 409)
    ]
    assert {error_code(r) for r in responses if r.status_code == 409} == {
        "DISCOUNT_NO_LONGER_VALID"
    }
    (usage,) = (await discounts.get(f"/rules/{rule['id']}/usages")).json()
    assert usage["statistics"]["usage"] == 1
    assert len(usage["usage_refs"]) == 1
