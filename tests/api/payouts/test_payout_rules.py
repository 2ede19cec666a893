"""Stored payout rules: `/v1/accounts/{aid}/billing/payout-rules` (reference A8, §7.3,
decisions 22 and 24).

A rule is keyed by (rule_type, rule_id); an update stores the next `rule_version` under the same
id; delete is soft. Completion uses the newest live version of the rule an item resolves to.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import bearer
from tests.support.payments import error, order_with_lines

Json = dict[str, Any]

STORE_RULE_TYPE = "order.items.store.id"
RULES = "/payout-rules"


def rule_body(
    rule_id: str = "SL02",
    percent: Any = 10,
    rule_type: str = STORE_RULE_TYPE,
    **fields: Any,
) -> Json:
    return {
        "rule_type": rule_type,
        "rule_id": rule_id,
        "destinations": [
            {"type": "percentage", "value": percent, "destination": "platform"},
            {
                "type": "remaining_amount",
                "destinations": [{"type": "percentage", "value": "100", "destination": "seller"}],
            },
        ],
        **fields,
    }


def rules_client(
    http: httpx.AsyncClient, app: FastAPI, account: str, *scopes: str
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=f"http://testserver/v1/accounts/{account}/billing",
        headers=bearer(app, account, *scopes),
    )


@pytest.fixture
async def billing(
    http: httpx.AsyncClient, app: FastAPI, account: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with rules_client(http, app, account, "admin:billing") as client:
        yield client


async def create_rule(billing: httpx.AsyncClient, body: Json | None = None) -> Json:
    response = await billing.post(RULES, json=body if body is not None else rule_body())
    assert response.status_code == 200, response.text
    rule: Json = response.json()
    return rule


async def list_rules(billing: httpx.AsyncClient, **params: Any) -> list[Json]:
    response = await billing.get(RULES, params=params)
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["payout_rules"]
    rules: list[Json] = response.json()["payout_rules"]
    return rules


async def item_payout_after_completion(api: httpx.AsyncClient) -> Json | None:
    """A new order of one 10000 line of store SL02 with `options.payout: true`: its payout."""
    order = await order_with_lines(api, (10000,), payout=True)
    payout: Json | None = order["items"][0].get("payout")
    return payout


# ---- create, get, list ------------------------------------------------------------------------


async def test_create_a_rule(billing: httpx.AsyncClient, account: str) -> None:
    body = rule_body(metadata={"seller": "Store 2"})

    rule = await create_rule(billing, body)

    assert rule["rule_version"] == 1
    assert rule["account_id"] == account
    assert isinstance(rule["id"], str)
    assert rule["id"]
    assert rule["created_at"].endswith("Z")
    assert rule["created_by"]
    for field, value in body.items():
        assert rule[field] == value, field
    assert "deleted_at" not in rule
    got = await billing.get(f"{RULES}/{rule['id']}")
    assert got.status_code == 200, got.text
    assert got.json() == rule


async def test_the_same_key_twice_is_409(billing: httpx.AsyncClient) -> None:
    first = await create_rule(billing)

    response = await billing.post(RULES, json=rule_body(percent=20))

    assert response.status_code == 409, response.text
    assert error(response)["code"] == "PAYOUT_RULE_EXISTS"
    assert await list_rules(billing) == [first]
    await create_rule(billing, rule_body(rule_type="sku"))  # another type: another key
    await create_rule(billing, rule_body(rule_id="SL03"))  # another id: another key


async def test_list_filters(billing: httpx.AsyncClient) -> None:
    a = await create_rule(billing, rule_body("A"))
    b = await create_rule(billing, rule_body("B"))
    sku = await create_rule(billing, rule_body("A", rule_type="sku"))

    listed = await list_rules(billing)
    assert sorted(r["id"] for r in listed) == sorted(r["id"] for r in (a, b, sku))
    assert await list_rules(billing, rule_type=STORE_RULE_TYPE) == [
        r for r in listed if r["id"] in (a["id"], b["id"])
    ]
    assert await list_rules(billing, rule_id="A") == [
        r for r in listed if r["id"] in (a["id"], sku["id"])
    ]
    assert await list_rules(billing, rule_type="sku", rule_id="A") == [sku]
    assert await list_rules(billing, rule_type="sku", rule_id="B") == []


async def test_lists_are_per_account(
    billing: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI
) -> None:
    mine = await create_rule(billing)
    async with rules_client(http, app, "T99999999", "admin:billing") as other:
        assert mine["id"] not in [r["id"] for r in await list_rules(other)]
        assert (await other.get(f"{RULES}/{mine['id']}")).status_code == 404


async def test_unknown_rule_is_404(billing: httpx.AsyncClient) -> None:
    for response in (
        await billing.get(f"{RULES}/no-such-rule"),
        await billing.put(f"{RULES}/no-such-rule", json=rule_body()),
        await billing.delete(f"{RULES}/no-such-rule"),
    ):
        assert response.status_code == 404, response.text
        assert error(response)["code"] == "PAYOUT_RULE_NOT_FOUND"


# ---- update -----------------------------------------------------------------------------------


async def test_update_stores_the_next_version(
    billing: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    v1 = await create_rule(billing)
    assert (await item_payout_after_completion(api) or {}).get("rule_version") == 1

    response = await billing.put(
        f"{RULES}/{v1['id']}", json=rule_body(percent="25.5", metadata={"v": 2})
    )

    assert response.status_code == 200, response.text
    v2 = response.json()
    assert (v2["id"], v2["rule_version"]) == (v1["id"], 2)
    assert v2["destinations"][0]["value"] == "25.5"
    assert v2["metadata"] == {"v": 2}
    assert (await billing.get(f"{RULES}/{v1['id']}")).json() == v2
    assert await list_rules(billing) == [v2]
    v3 = (await billing.put(f"{RULES}/{v1['id']}", json=rule_body(percent=30))).json()
    assert v3["rule_version"] == 3

    payout = await item_payout_after_completion(api)
    assert payout is not None
    assert (payout["rule_id"], payout["rule_version"]) == ("SL02", 3)
    assert [d["amount"] for d in payout["destinations"]] == [3000, 7000]


async def test_update_cannot_change_the_key(billing: httpx.AsyncClient) -> None:
    rule = await create_rule(billing)
    for changed in (rule_body(rule_id="other"), rule_body(rule_type="other")):
        response = await billing.put(f"{RULES}/{rule['id']}", json=changed)
        assert response.status_code == 409, response.text
        assert error(response)["code"] == "PAYOUT_RULE_KEY_CHANGED"
    assert (await billing.get(f"{RULES}/{rule['id']}")).json() == rule


# ---- delete -----------------------------------------------------------------------------------


async def test_delete_is_soft(billing: httpx.AsyncClient, api: httpx.AsyncClient) -> None:
    rule = await create_rule(billing)
    assert await item_payout_after_completion(api) is not None

    response = await billing.delete(f"{RULES}/{rule['id']}")

    assert response.status_code == 200, response.text
    deleted = response.json()
    assert deleted["deleted_at"]
    assert {k: v for k, v in deleted.items() if k != "deleted_at"} == rule
    got = await billing.get(f"{RULES}/{rule['id']}")
    assert got.status_code == 200, got.text
    assert got.json()["deleted_at"] == deleted["deleted_at"]
    assert await list_rules(billing) == []
    assert await list_rules(billing, include_deleted="true") == [got.json()]
    assert await list_rules(billing, include_deleted="true", rule_id="SL02") == [got.json()]
    assert await item_payout_after_completion(api) is None


async def test_a_deleted_rule_cannot_be_changed_but_its_key_can_be_reused(
    billing: httpx.AsyncClient, api: httpx.AsyncClient
) -> None:
    old = await create_rule(billing)
    assert (await billing.delete(f"{RULES}/{old['id']}")).status_code == 200

    for response in (
        await billing.put(f"{RULES}/{old['id']}", json=rule_body()),
        await billing.delete(f"{RULES}/{old['id']}"),
    ):
        assert response.status_code == 409, response.text
        assert error(response)["code"] == "PAYOUT_RULE_DELETED"
    new = await create_rule(billing, rule_body(percent=50))
    # a new rule, its versions counting on from the deleted one's: what an item's payout
    # records (rule_type, rule_id, rule_version) names one rule text
    assert new["id"] != old["id"]
    assert new["rule_version"] == 2
    assert [r["id"] for r in await list_rules(billing)] == [new["id"]]
    everything = await list_rules(billing, include_deleted="true")
    assert [(r["id"], "deleted_at" in r) for r in everything] == [
        (new["id"], False),
        (old["id"], True),
    ]
    payout = await item_payout_after_completion(api)
    assert payout is not None
    assert payout["rule_version"] == 2
    assert [d["amount"] for d in payout["destinations"]] == [5000, 5000]


# ---- scopes -----------------------------------------------------------------------------------


async def test_read_billing_can_read_but_not_write(
    billing: httpx.AsyncClient, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    rule = await create_rule(billing)
    async with rules_client(http, app, account, "read:billing") as reader:
        assert (await reader.get(RULES)).status_code == 200
        assert (await reader.get(f"{RULES}/{rule['id']}")).json() == rule
        for response in (
            await reader.post(RULES, json=rule_body("X")),
            await reader.put(f"{RULES}/{rule['id']}", json=rule_body()),
            await reader.delete(f"{RULES}/{rule['id']}"),
        ):
            assert response.status_code == 403, response.text
            assert error(response)["code"] == "FORBIDDEN"
    assert await list_rules(billing) == [rule]


async def test_write_billing_can_write(http: httpx.AsyncClient, app: FastAPI, account: str) -> None:
    async with rules_client(http, app, account, "write:billing") as writer:
        response = await writer.post(RULES, json=rule_body())
        assert response.status_code == 200, response.text


@pytest.mark.parametrize("scopes", [("admin:shopping",), ("read:shopping", "write:shopping"), ()])
async def test_shopping_scopes_cannot_touch_billing(
    billing: httpx.AsyncClient,
    http: httpx.AsyncClient,
    app: FastAPI,
    account: str,
    scopes: tuple[str, ...],
) -> None:
    rule = await create_rule(billing)
    async with rules_client(http, app, account, *scopes) as outsider:
        for response in (
            await outsider.get(RULES),
            await outsider.get(f"{RULES}/{rule['id']}"),
            await outsider.post(RULES, json=rule_body("X")),
            await outsider.put(f"{RULES}/{rule['id']}", json=rule_body()),
            await outsider.delete(f"{RULES}/{rule['id']}"),
        ):
            assert response.status_code == 403, response.text


async def test_another_accounts_token_is_403(
    http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    response = await http.get(
        f"/v1/accounts/{account}/billing/payout-rules",
        headers=bearer(app, "T00000001", "admin:billing"),
    )
    assert response.status_code == 403, response.text


async def test_no_token_is_401(http: httpx.AsyncClient, account: str) -> None:
    response = await http.get(f"/v1/accounts/{account}/billing/payout-rules")
    assert response.status_code == 401, response.text


# ---- validation -------------------------------------------------------------------------------


def deep(levels: int) -> list[Json]:
    node: Json = {"type": "percentage", "value": 100, "destination": "leaf"}
    for _ in range(levels - 1):
        node = {"type": "percentage", "value": 100, "destinations": [node]}
    return [node]


BAD_RULES: list[tuple[str, Json]] = [
    ("no destinations", {"rule_type": "t", "rule_id": "r"}),
    ("empty destinations", {"rule_type": "t", "rule_id": "r", "destinations": []}),
    ("percentage over 100", rule_body(percent=100.5)),
    ("negative percentage", rule_body(percent=-1)),
    ("percentage not a number", rule_body(percent="ten")),
    ("percentage missing value", rule_body(percent=None)),
    (
        "unknown type",
        {**rule_body(), "destinations": [{"type": "bonus", "value": 1, "destination": "x"}]},
    ),
    (
        "leaf without destination",
        {**rule_body(), "destinations": [{"type": "flat_amount", "value": 1}]},
    ),
    ("destinations not a list", {**rule_body(), "destinations": {"type": "flat_amount"}}),
    ("nested too deep", {**rule_body(), "destinations": deep(9)}),
    ("no rule_type", {k: v for k, v in rule_body().items() if k != "rule_type"}),
    ("no rule_id", {k: v for k, v in rule_body().items() if k != "rule_id"}),
    ("empty rule_id", rule_body(rule_id="")),
    ("rule_id not a string", {**rule_body(), "rule_id": 7}),
    ("metadata not an object", rule_body(metadata="x")),
]


@pytest.mark.parametrize(("name", "body"), BAD_RULES, ids=[b[0] for b in BAD_RULES])
async def test_invalid_rule_is_400(billing: httpx.AsyncClient, name: str, body: Json) -> None:
    response = await billing.post(RULES, json=body)
    assert response.status_code == 400, (name, response.text)
    assert error(response)["code"] == "VALIDATION_ERROR"
    assert await list_rules(billing) == []


async def test_invalid_update_is_400(billing: httpx.AsyncClient) -> None:
    rule = await create_rule(billing)
    response = await billing.put(f"{RULES}/{rule['id']}", json=rule_body(percent=101))
    assert response.status_code == 400, response.text
    assert (await billing.get(f"{RULES}/{rule['id']}")).json() == rule


async def test_the_deepest_allowed_tree_is_accepted(billing: httpx.AsyncClient) -> None:
    rule = await create_rule(billing, {**rule_body(), "destinations": deep(8)})
    assert rule["rule_version"] == 1


# ---- concurrency ------------------------------------------------------------------------------


async def test_concurrent_updates_each_get_their_own_version(billing: httpx.AsyncClient) -> None:
    rule = await create_rule(billing)

    responses = await asyncio.gather(
        *(billing.put(f"{RULES}/{rule['id']}", json=rule_body(percent=n)) for n in range(10))
    )

    assert [r.status_code for r in responses] == [200] * 10, [r.text for r in responses]
    assert sorted(r.json()["rule_version"] for r in responses) == list(range(2, 12))
    latest = (await billing.get(f"{RULES}/{rule['id']}")).json()
    assert latest["rule_version"] == 11


async def test_concurrent_creates_of_one_key_store_one_rule(billing: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(*(billing.post(RULES, json=rule_body()) for _ in range(10)))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 9, [r.text for r in responses]
    assert {error(r)["code"] for r in responses if r.status_code == 409} == {"PAYOUT_RULE_EXISTS"}
    assert len(await list_rules(billing)) == 1


async def test_nul_characters_in_a_rule_are_400(billing: httpx.AsyncClient) -> None:
    response = await billing.post(RULES, json=rule_body(rule_id="a\x00b"))
    assert response.status_code == 400, response.text
