"""The rules of the Discounts API: create, read, list, update, delete, scopes."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import bearer
from tests.support.discounts import OPEN_WINDOW, create_rule, give, rule_body


async def test_a_created_rule_is_returned_and_read_back(discounts: httpx.AsyncClient) -> None:
    rule = await create_rule(
        discounts,
        rule_body(
            requirement={"item": {"items": [{"group_id": "shoes"}], "quantity": 2}},
            limitation={"discount_repeat_usage": 1},
            metadata={"campaign": "spring"},
        ),
    )
    assert rule["type"] == "item"
    assert rule["active"] is True
    assert rule["private"] is False
    assert rule["reward"] == {"type": "discount_percent", "value": 10}
    assert rule["limitation"] == {"discount_repeat_usage": 1}
    assert rule["requirement"]["item"]["items"] == [{"group_id": "shoes"}]
    assert rule["created_at"] == rule["updated_at"]
    fetched = await discounts.get(f"/rules/{rule['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == rule


async def test_a_rule_without_item_requirement_is_a_receipt_rule(
    discounts: httpx.AsyncClient,
) -> None:
    rule = await create_rule(discounts, rule_body({"type": "discount_amount", "value": 5000}))
    assert rule["type"] == "receipt"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"reward": {"type": "discount_percent", "value": 101}}, "reward"),
        ({"reward": {"type": "discount_amount", "value": 10.5}}, "reward"),
        ({"reward": {"type": "discount_debit", "value": 10}}, "reward.type"),
        ({"reward": {"type": "discount_percent", "value": 10, "base": "list"}}, "reward.base"),
        (
            {"requirement": {**OPEN_WINDOW, "purchase_to": "2025-01-01T00:00:00Z"}},
            "requirement",
        ),
        ({"requirement": {**OPEN_WINDOW, "stamp": 5}}, "requirement.stamp"),
        ({"requirement": {**OPEN_WINDOW, "currencies": ["nok"]}}, "requirement.currencies"),
        ({"limitation": {"discount_combination": 2}}, "limitation.discount_combination"),
        ({"limitation": {"discount_hours": {"timezone": "Mars/Base", "hours": []}}}, "limitation"),
        (
            {
                "limitation": {
                    "discount_hours": {"hours": [{"day": "fri", "start": "9", "end": "10"}]}
                }
            },
            "limitation",
        ),
        ({"reward": {"type": "discount_item_quantity", "value": 1}}, "body"),
        ({"reward": {"type": "discount_mix_new_price", "value": 100}}, "body"),
        ({"unknown": True}, "unknown"),
    ],
)
async def test_invalid_rules_are_400_and_store_nothing(
    discounts: httpx.AsyncClient, change: dict[str, object], path: str
) -> None:
    response = await discounts.post("/rules", json={**rule_body(), **change})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert any(e["path"].startswith(path) for e in error["errors"]), error
    assert (await discounts.get("/rules")).json() == []


async def test_the_rule_list_pages_newest_first_with_a_cursor(
    discounts: httpx.AsyncClient,
) -> None:
    ids = [(await create_rule(discounts))["id"] for _ in range(5)]
    first = (await discounts.get("/rules", params={"limit": 2})).json()
    assert [r["id"] for r in first] == ids[::-1][:2]
    second = (
        await discounts.get("/rules", params={"limit": 2, "starting_after": first[-1]["id"]})
    ).json()
    assert [r["id"] for r in second] == ids[::-1][2:4]
    last = (
        await discounts.get("/rules", params={"limit": 2, "starting_after": second[-1]["id"]})
    ).json()
    assert [r["id"] for r in last] == ids[:1]


async def test_list_cursor_and_filter_errors_are_400(discounts: httpx.AsyncClient) -> None:
    unknown = await discounts.get("/rules", params={"starting_after": "nope"})
    assert unknown.status_code == 400
    both = await discounts.get(
        "/rules",
        params={"starting_after": "x", "since_datetime": "2026-01-01T00:00:00Z"},
    )
    assert both.status_code == 400
    assert (await discounts.get("/rules", params={"state": "sleeping"})).status_code == 400
    assert (await discounts.get("/rules", params={"limit": 101})).status_code == 400
    assert (await discounts.get("/rules", params={"includes": "nothing"})).status_code == 400


async def test_the_list_filters_by_state_and_window(discounts: httpx.AsyncClient) -> None:
    now_rule = await create_rule(discounts)
    later = await create_rule(
        discounts,
        rule_body(
            requirement={
                "purchase_from": "2035-01-01T00:00:00Z",
                "purchase_to": "2036-01-01T00:00:00Z",
            }
        ),
    )
    over = await create_rule(
        discounts,
        rule_body(
            requirement={
                "purchase_from": "2020-01-01T00:00:00Z",
                "purchase_to": "2021-01-01T00:00:00Z",
            }
        ),
    )
    off = await create_rule(discounts, rule_body(active=False))
    deleted = await create_rule(discounts)
    await discounts.delete(f"/rules/{deleted['id']}")

    async def ids(**params: str) -> set[str]:
        response = await discounts.get("/rules", params={"limit": 100, **params})
        assert response.status_code == 200, response.text
        return {rule["id"] for rule in response.json()}

    assert await ids(state="active") == {now_rule["id"]}
    assert await ids(state="scheduled") == {later["id"]}
    assert await ids(state="completed") == {over["id"]}
    assert await ids(state="inactive") == {off["id"]}
    assert await ids(state="deleted") == {deleted["id"]}
    assert await ids() == {now_rule["id"], later["id"], over["id"], off["id"]}
    await give(discounts, now_rule["id"], "/")
    assert await ids(state="available") == {now_rule["id"]}
    assert await ids(purchase_from="2034-06-01T00:00:00Z") == {
        now_rule["id"],
        later["id"],
        off["id"],
    }
    assert await ids(purchase_to="2022-01-01T00:00:00Z") == {over["id"]}
    assert await ids(since_datetime="2000-01-01T00:00:00Z") >= {now_rule["id"]}


async def test_statistics_are_included_on_request(discounts: httpx.AsyncClient) -> None:
    await create_rule(discounts)
    (plain,) = (await discounts.get("/rules")).json()
    assert "statistics" not in plain
    (withstats,) = (await discounts.get("/rules", params={"includes": "statistics"})).json()
    assert withstats["statistics"] == {"usage": 0, "amount": 0, "customers": 0}


async def test_an_unused_rule_can_change_anything(discounts: httpx.AsyncClient) -> None:
    rule = await create_rule(discounts)
    changed = rule_body({"type": "discount_amount", "value": 500}, name="Five off")
    response = await discounts.put(f"/rules/{rule['id']}", json={**rule, **changed})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["reward"] == {"type": "discount_amount", "value": 500}
    assert updated["created_at"] == rule["created_at"]
    assert (await discounts.get(f"/rules/{rule['id']}")).json() == updated


async def test_a_deleted_rule_is_kept_marked_and_cannot_change(
    discounts: httpx.AsyncClient,
) -> None:
    rule = await create_rule(discounts)
    deleted = await discounts.delete(f"/rules/{rule['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["deleted_at"]
    assert (await discounts.get(f"/rules/{rule['id']}")).json()["deleted_at"]
    again = await discounts.delete(f"/rules/{rule['id']}")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "DISCOUNT_DELETED"
    put = await discounts.put(f"/rules/{rule['id']}", json=rule_body())
    assert put.status_code == 409
    gift = await discounts.post(f"/rules/{rule['id']}/customers", json={"customers": ["c1"]})
    assert gift.status_code == 409


async def test_unknown_rules_are_404(discounts: httpx.AsyncClient) -> None:
    for response in (
        await discounts.get("/rules/nope"),
        await discounts.put("/rules/nope", json=rule_body()),
        await discounts.delete("/rules/nope"),
        await discounts.get("/rules/nope/customers"),
        await discounts.get("/rules/nope/usages"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "DISCOUNT_NOT_FOUND"


async def test_scopes(http: httpx.AsyncClient, app: FastAPI, account: str) -> None:
    url = f"/v1/accounts/{account}/discounts/rules"
    assert (await http.get(url)).status_code == 401
    shopping_only = bearer(app, account, "admin:shopping")
    assert (await http.get(url, headers=shopping_only)).status_code == 403
    reader = bearer(app, account, "read:discounts")
    assert (await http.get(url, headers=reader)).status_code == 200
    assert (await http.post(url, json=rule_body(), headers=reader)).status_code == 403
    writer = bearer(app, account, "write:discounts")
    created = await http.post(url, json=rule_body(), headers=writer)
    assert created.status_code == 200
    assert (await http.get(url, headers=writer)).status_code == 403
    other_account = bearer(app, "T99999999", "admin:discounts")
    assert (await http.get(url, headers=other_account)).status_code == 403
    public = bearer(app, account, "public:discounts")
    assert (await http.get(url, headers=public)).status_code == 403
    public_url = f"/v1/accounts/{account}/discounts/public/rules"
    assert (await http.get(public_url, headers=public)).status_code == 200


async def test_rules_are_kept_per_account(
    discounts: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    rule = await create_rule(discounts)
    other = "T00000001"
    response = await http.get(
        f"/v1/accounts/{other}/discounts/rules/{rule['id']}",
        headers=bearer(app, other, "admin:discounts"),
    )
    assert response.status_code == 404
