"""Operation bodies the API refuses with 400 (reference §3.11, decision 17), leaving the order
as it was.

Every bad body is sent to an order where the same request with a valid body succeeds (lines
10000, 5000 and a reversal line of -2000, each 80 % authorized and half captured), so each 400 is
the body's fault and not the ledger's.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.payments import KINDS, created, error, fetch, order_with_lines

Json = dict[str, Any]


async def busy_order(api: httpx.AsyncClient) -> Json:
    order = await order_with_lines(api, (10000, 5000, -2000))
    await created(api, order["id"], "authorizations", {1: 8000, 2: 4000, 3: -1600})
    await created(api, order["id"], "captures", {1: 5000, 2: 2500, 3: -1000})
    return await fetch(api, order["id"])


def lines(*pairs: tuple[Any, Any]) -> list[Json]:
    return [{"line_id": line_id, "amount": amount} for line_id, amount in pairs]


#: (name, body, the error path the envelope names)
BAD_BODIES: list[tuple[str, Json, str | None]] = [
    ("no items", {"metadata": {"a": 1}}, "items"),
    ("empty items", {"items": []}, "items"),
    ("items not a list", {"items": {"line_id": 1, "amount": 100}}, "items"),
    ("zero amount", {"items": lines((1, 0))}, "items[0].amount"),
    ("zero amount on a later line", {"items": lines((1, 100), (2, 0))}, "items[1].amount"),
    ("line twice", {"items": lines((1, 100), (1, 100))}, "items[1].line_id"),
    ("amount is not the sum", {"items": lines((1, 100), (2, 50)), "amount": 151}, "amount"),
    (
        "amount is the sum of absolutes",
        {"items": lines((1, 100), (3, -50)), "amount": 150},
        "amount",
    ),
    ("string amount", {"items": lines((1, "100"))}, "items[0].amount"),
    ("float amount", {"items": lines((1, 100.0))}, "items[0].amount"),
    ("fractional amount", {"items": lines((1, 100.5))}, "items[0].amount"),
    ("string operation amount", {"items": lines((1, 100)), "amount": "100"}, "amount"),
    ("missing amount", {"items": [{"line_id": 1}]}, "items[0].amount"),
    ("missing line_id", {"items": [{"amount": 100}]}, "items[0].line_id"),
    ("string line_id", {"items": lines(("1", 100))}, "items[0].line_id"),
    ("unknown line", {"items": lines((1, 100), (9, 100))}, "items[1].line_id"),
    ("negative amount on a positive line", {"items": lines((1, -100))}, "items[0].amount"),
    ("positive amount on a reversal line", {"items": lines((3, 100))}, "items[0].amount"),
    ("success not a boolean", {"items": lines((1, 100)), "success": "true"}, "success"),
    ("empty authorization_id", {"items": lines((1, 100)), "authorization_id": ""}, None),
    ("long authorization_id", {"items": lines((1, 100)), "authorization_id": "a" * 41}, None),
    ("processed_at not a date", {"items": lines((1, 100)), "processed_at": "yesterday"}, None),
    ("metadata not an object", {"items": lines((1, 100)), "metadata": [1]}, "metadata"),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("name", "body", "path"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
async def test_bad_body_is_400_and_changes_nothing(
    api: httpx.AsyncClient, kind: str, name: str, body: Json, path: str | None
) -> None:
    order = await busy_order(api)

    response = await api.post(f"/orders/{order['id']}/{kind}", json=body)

    assert response.status_code == 400, (name, response.text)
    problem = error(response)
    assert problem["code"] == "VALIDATION_ERROR"
    if path is not None:
        assert path in [e["path"] for e in problem["errors"]], problem
    assert await fetch(api, order["id"]) == order


@pytest.mark.parametrize("kind", KINDS)
async def test_the_valid_body_succeeds_on_the_same_order(api: httpx.AsyncClient, kind: str) -> None:
    """The control for the table above: the order accepts a good body of every kind."""
    order = await busy_order(api)
    body = {"items": lines((1, 100), (3, -50)), "amount": 50, "authorization_id": "a" * 40}
    if kind != "authorizations":
        body.pop("authorization_id")

    response = await api.post(f"/orders/{order['id']}/{kind}", json=body)

    assert response.status_code == 200, response.text
    assert response.json()["amount"] == 50


async def test_unknown_line_names_the_line(api: httpx.AsyncClient) -> None:
    order = await busy_order(api)
    response = await api.post(f"/orders/{order['id']}/captures", json={"items": lines((7, 1))})
    assert response.status_code == 400, response.text
    assert "7" in error(response)["message"]


async def test_a_sent_amount_equal_to_the_sum_is_accepted(api: httpx.AsyncClient) -> None:
    order = await busy_order(api)
    response = await api.post(
        f"/orders/{order['id']}/captures",
        json={"items": lines((1, 300), (2, 200)), "amount": 500},
    )
    assert response.status_code == 200, response.text
    assert response.json()["amount"] == 500


async def test_invalid_json_is_400(api: httpx.AsyncClient) -> None:
    order = await busy_order(api)
    response = await api.post(
        f"/orders/{order['id']}/captures",
        content=b'{"items": [',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert error(response)["code"] == "VALIDATION_ERROR"
    assert await fetch(api, order["id"]) == order


@pytest.mark.parametrize(
    "extra",
    [{"metadata": {"k": "a\x00b"}}, {"processed_by": "gw\x00"}, {"gateway\x00": 1}],
)
async def test_nul_characters_in_an_operation_are_400(api: httpx.AsyncClient, extra: Json) -> None:
    order = await busy_order(api)

    response = await api.post(
        f"/orders/{order['id']}/captures", json={"items": lines((1, 100)), **extra}
    )

    assert response.status_code == 400, response.text
    assert error(response)["code"] == "VALIDATION_ERROR"
    assert await fetch(api, order["id"]) == order
