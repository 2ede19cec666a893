"""Factories for Discounts API tests: rule bodies and rules stored through the API."""

from __future__ import annotations

from typing import Any

import httpx

Json = dict[str, Any]
OPEN_WINDOW = {"purchase_from": "2026-01-01T00:00:00Z", "purchase_to": "2036-01-01T00:00:00Z"}


def rule_body(
    reward: Json | None = None,
    *,
    requirement: Json | None = None,
    limitation: Json | None = None,
    **fields: Any,
) -> Json:
    """A rule open for ten years: 10 % off any eligible item unless told otherwise."""
    body: Json = {
        "name": "Ten off",
        "receipt_text": "Ten percent",
        "requirement": {**OPEN_WINDOW, **(requirement or {})},
        "reward": reward or {"type": "discount_percent", "value": 10},
        **fields,
    }
    if limitation is not None:
        body["limitation"] = limitation
    return body


async def create_rule(discounts: httpx.AsyncClient, body: Json | None = None) -> Json:
    response = await discounts.post("/rules", json=body or rule_body())
    assert response.status_code == 200, response.text
    created: Json = response.json()
    return created


async def give(discounts: httpx.AsyncClient, rule_id: str, *customers: str) -> None:
    response = await discounts.post(f"/rules/{rule_id}/customers", json={"customers": customers})
    assert response.status_code == 200, response.text


async def rule_for_everyone(discounts: httpx.AsyncClient, body: Json | None = None) -> Json:
    rule = await create_rule(discounts, body)
    await give(discounts, rule["id"], "/")
    return rule
