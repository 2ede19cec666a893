"""Carts and rule documents for engine tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from shopping.discounts.cart import Cart, CartItem
from shopping.discounts.rules import Rule, read_rule

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # a Friday


def item(
    line_id: int,
    gross: int,
    *,
    id: str | None = None,
    groups: tuple[str, ...] = (),
    quantity: int | str = 1,
    prior: int = 0,
    eligible: bool = True,
) -> CartItem:
    return CartItem(
        line_id=line_id,
        item_id=id if id is not None else f"item-{line_id}",
        groups=frozenset(groups),
        quantity=Decimal(str(quantity)),
        gross_amount=gross,
        prior_discount=prior,
        eligible_for_discount=eligible,
    )


def cart(*items: CartItem, **fields: Any) -> Cart:
    return Cart(items=tuple(items), currency=fields.pop("currency", "NOK"), at=NOW, **fields)


def rule(
    reward: dict[str, Any],
    *,
    id: str = "r1",
    requirement: dict[str, Any] | None = None,
    limitation: dict[str, Any] | None = None,
    created_at: str = "2026-11-01T00:00:00Z",
) -> Rule:
    return read_rule(
        {
            "id": id,
            "name": f"rule {id}",
            "receipt_text": f"text {id}",
            "created_at": created_at,
            "requirement": {
                "purchase_from": "2026-11-01T00:00:00Z",
                "purchase_to": "2027-01-01T00:00:00Z",
                **(requirement or {}),
            },
            "reward": reward,
            "limitation": limitation or {},
        }
    )
