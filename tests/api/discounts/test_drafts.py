"""`apply_discounts=true` on drafts: the stored rules priced by the engine on every change."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.discounts import create_rule, give, rule_body, rule_for_everyone
from tests.support.drafts import customer, discount, draft_body, item

Json = dict[str, Any]


def eligible(gross: int = 10000, **fields: Any) -> Json:
    return item(gross=gross, eligible_for_discount=True, **fields)


async def create(shop: httpx.AsyncClient, body: Json, **params: str) -> Json:
    response = await shop.post("/draft_orders", json=body, params=params)
    assert response.status_code == 200, response.text
    draft: Json = response.json()
    return draft


async def test_a_draft_gets_the_engines_lines_net_taxes_totals_and_refs(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    rule = await rule_for_everyone(
        discounts,
        rule_body(
            {"type": "discount_percent", "value": 44},
            requirement={"item": {"items": [{"id": "6"}]}},
        ),
    )
    draft = await create(
        shop,
        draft_body(
            eligible(10000, id="6", quantity=2, discounts=[discount(1000)]),
            eligible(5000, id="7"),
        ),
    )
    order = draft["order"]
    first, second = order["items"]
    assert first["discount_lines"] == [
        {"amount": 1000, "discount_type": "manual"},
        {
            "amount": 4400,
            "discount_type": "customer",
            "discount_id": rule["id"],
            "description": "Ten percent",
            "percentage": 44,
            "line_id": 1,
        },
    ]
    assert first["net_amount"] == 4600
    assert first["tax_lines"][0]["amount"] == 920  # 25 % included in 4600
    assert "discount_lines" not in second
    assert order["total_discount"] == 5400
    assert order["total_manual_discount_amount"] == 1000
    assert order["net_amount"] == 9600
    (applied,) = order["discounts"]
    assert applied["id"] == rule["id"]
    assert applied["refs"][0]["customer_id"] == "/"
    assert applied["refs"][0]["amount"] == 4400
    assert applied["refs"][0]["items"] == [{"line_id": first["line_id"], "amount": 4400}]


async def test_without_the_flag_the_server_never_changes_discount_lines(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    await rule_for_everyone(discounts, rule_body({"type": "discount_amount", "value": 100}))
    plain = await create(shop, draft_body(eligible()), apply_discounts="false")
    assert "discount_lines" not in plain["order"]["items"][0]
    priced = await create(shop, draft_body(eligible()))
    lines = priced["order"]["items"][0]["discount_lines"]
    assert [line["amount"] for line in lines] == [100]
    update = await shop.put(
        f"/draft_orders/{priced['id']}",
        json={
            "order": {
                **priced["order"],
                "items": [eligible(20000, line_id=1, discount_lines=lines)],
            }
        },
        params={"apply_discounts": "false"},
    )
    assert update.status_code == 200, update.text
    kept = update.json()["order"]
    assert kept["items"][0]["discount_lines"] == lines
    assert kept["discounts"] == priced["order"]["discounts"]


async def test_item_changes_reprice_three_for_two(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    await rule_for_everyone(
        discounts,
        rule_body(
            {"type": "discount_item_quantity", "value": 1},
            requirement={"item": {"items": [{"group_id": "socks"}], "quantity": 3}},
        ),
    )
    socks = [{"id": "socks", "name": "Socks"}]
    draft = await create(shop, draft_body(eligible(300, groups=socks), eligible(200, groups=socks)))
    assert draft["order"]["total_discount"] == 0
    added = await shop.post(f"/draft_orders/{draft['id']}/items", json=eligible(100, groups=socks))
    assert added.status_code == 200, added.text
    order = added.json()["order"]
    assert order["total_discount"] == 100
    assert [i.get("discount_lines", []) != [] for i in order["items"]] == [False, False, True]
    replaced = await shop.put(
        f"/draft_orders/{draft['id']}/items/3", json=eligible(400, groups=socks)
    )
    assert replaced.json()["order"]["total_discount"] == 200  # now the 200 pair is cheapest
    removed = await shop.delete(f"/draft_orders/{draft['id']}/items/3")
    order = removed.json()["order"]
    assert order["total_discount"] == 0
    assert all("discount_lines" not in i or i["discount_lines"] == [] for i in order["items"])
    assert order["discounts"] == []


async def test_a_rule_given_to_one_customer_applies_to_that_customer_only(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    rule = await create_rule(discounts, rule_body({"type": "discount_amount", "value": 500}))
    await give(discounts, rule["id"], "vip-1")
    theirs = await create(shop, draft_body(eligible(), customer=customer(id="vip-1")))
    others = await create(shop, draft_body(eligible(), customer=customer(id="someone")))
    anonymous = await create(shop, draft_body(eligible(), customer=None))
    assert theirs["order"]["total_discount"] == 500
    assert theirs["order"]["discounts"][0]["refs"][0]["customer_id"] == "vip-1"
    assert others["order"]["total_discount"] == 0
    assert anonymous["order"]["total_discount"] == 0


async def test_a_deleted_rules_lines_go_on_the_next_priced_change(
    discounts: httpx.AsyncClient, shop: httpx.AsyncClient
) -> None:
    rule = await rule_for_everyone(discounts, rule_body({"type": "discount_amount", "value": 100}))
    draft = await create(shop, draft_body(eligible()))
    assert draft["order"]["total_discount"] == 100
    await discounts.delete(f"/rules/{rule['id']}")
    added = await shop.post(f"/draft_orders/{draft['id']}/items", json=item(gross=50))
    order = added.json()["order"]
    assert order["total_discount"] == 0
    assert order["items"][0].get("discount_lines", []) == []


async def test_apply_discounts_without_a_discounts_scope_is_403_and_stores_nothing(
    api: httpx.AsyncClient, discounts: httpx.AsyncClient
) -> None:
    await rule_for_everyone(discounts)
    response = await api.post(
        "/draft_orders", json=draft_body(eligible()), params={"apply_discounts": "true"}
    )
    assert response.status_code == 403
    assert (await api.get("/draft_orders")).json()["draft_orders"] == []
