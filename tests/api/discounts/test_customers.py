"""Giving rules to customers, the public rules, the rules of one customer, and pricing a
receipt (`available_for_receipt`)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.conftest import bearer
from tests.support.discounts import create_rule, give, rule_body, rule_for_everyone


async def test_customer_refs_are_listed_in_pages(discounts: httpx.AsyncClient) -> None:
    rule = await create_rule(discounts)
    response = await discounts.post(
        f"/rules/{rule['id']}/customers", json={"customers": ["c1", "c2", "c1", "/"]}
    )
    assert response.status_code == 200
    assert response.json()["id"] == rule["id"]
    await give(discounts, rule["id"], "c2", "c3")  # giving twice keeps one ref
    refs = (await discounts.get(f"/rules/{rule['id']}/customers", params={"limit": 2})).json()
    assert len(refs) == 2
    rest = (
        await discounts.get(
            f"/rules/{rule['id']}/customers", params={"starting_after": refs[-1]["id"]}
        )
    ).json()
    assert sorted(r["customer_id"] for r in refs + rest) == ["/", "c1", "c2", "c3"]
    assert (
        await discounts.get(f"/rules/{rule['id']}/customers", params={"state": "inactive"})
    ).json() == []
    bad = await discounts.get(f"/rules/{rule['id']}/customers", params={"starting_after": "x"})
    assert bad.status_code == 400


async def test_giving_needs_customers(discounts: httpx.AsyncClient) -> None:
    rule = await create_rule(discounts)
    bodies: tuple[dict[str, list[str]], ...] = ({"customers": []}, {}, {"customers": [""]})
    for body in bodies:
        response = await discounts.post(f"/rules/{rule['id']}/customers", json=body)
        assert response.status_code == 400


async def test_rules_of_a_customer_include_those_given_to_everyone(
    discounts: httpx.AsyncClient,
) -> None:
    mine = await create_rule(discounts, rule_body(name="mine"))
    everyone = await rule_for_everyone(discounts, rule_body(name="everyone"))
    await create_rule(discounts, rule_body(name="nobody's"))
    await give(discounts, mine["id"], "c1")
    found = (await discounts.get("/customers/c1/rules")).json()
    assert {r["id"] for r in found} == {mine["id"], everyone["id"]}
    assert {r["id"] for r in (await discounts.get("/customers/c2/rules")).json()} == {
        everyone["id"]
    }


async def test_public_rules_are_given_to_everyone_not_private_and_hide_marked_metadata(
    discounts: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    public = await rule_for_everyone(
        discounts,
        rule_body(metadata={"dintero:exclude:public:cost": 5, "shown": 1}),
    )
    await rule_for_everyone(discounts, rule_body(private=True))
    await rule_for_everyone(discounts, rule_body(active=False))
    mine = await create_rule(discounts)
    await give(discounts, mine["id"], "c1")
    response = await http.get(
        f"/v1/accounts/{account}/discounts/public/rules",
        headers=bearer(app, account, "public:discounts"),
    )
    assert response.status_code == 200
    (rule,) = response.json()
    assert rule["id"] == public["id"]
    assert rule["metadata"] == {"shown": 1}


async def test_available_for_receipt_prices_the_documented_example(
    discounts: httpx.AsyncClient,
) -> None:
    rule = await rule_for_everyone(
        discounts,
        rule_body(
            {"type": "discount_percent", "value": 44},
            requirement={"item": {"items": [{"id": "6"}]}},
        ),
    )
    receipt = {
        "currency": "NOK",
        "items": [
            {
                "line_id": "2",
                "id": "6",
                "quantity": 2,
                "amount": 10000,
                "eligible_for_discount": True,
            },
            {"line_id": "3", "id": "7", "amount": 500, "eligible_for_discount": True},
        ],
    }
    response = await discounts.post("/available_for_receipt", json=receipt)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["is_changed"] is True
    first, second = body["items"]
    assert first["gross_amount"] == 10000
    assert first["amount"] == 5600
    assert first["is_changed"] is True
    assert first["discount_lines"] == [
        {
            "amount": 4400,
            "percentage": 44,
            "discount_type": "customer",
            "discount_id": rule["id"],
            "description": "Ten percent",
            "line_id": 1,
        }
    ]
    assert second["amount"] == 500
    assert second["is_changed"] is False
    (discount,) = body["discounts"]
    assert discount["id"] == rule["id"]
    assert discount["refs"][0]["amount"] == 4400
    assert discount["refs"][0]["customer_id"] == "/"


async def test_available_for_receipt_uses_the_customers_own_rules(
    discounts: httpx.AsyncClient,
) -> None:
    rule = await create_rule(discounts, rule_body({"type": "discount_amount", "value": 300}))
    await give(discounts, rule["id"], "c1")
    receipt = {
        "currency": "NOK",
        "items": [{"id": "a", "gross_amount": 1000, "eligible_for_discount": True}],
    }
    anonymous = (await discounts.post("/available_for_receipt", json=receipt)).json()
    assert anonymous["is_changed"] is False
    known = (
        await discounts.post("/available_for_receipt", json={**receipt, "customer_id": "c1"})
    ).json()
    assert known["items"][0]["amount"] == 700


async def test_available_for_receipt_validation_and_scopes(
    discounts: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    bad = await discounts.post("/available_for_receipt", json={"currency": "NOK", "items": [{}]})
    assert bad.status_code == 400
    url = f"/v1/accounts/{account}/discounts/available_for_receipt"
    body = {"currency": "NOK", "items": []}
    reader = bearer(app, account, "read:discounts")
    assert (await http.post(url, json=body, headers=reader)).status_code == 403
    narrow = bearer(app, account, "write:discounts:/available_for_receipt")
    assert (await http.post(url, json=body, headers=narrow)).status_code == 200
