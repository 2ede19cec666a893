"""Pricing an order (a draft's cart or a receipt) with the stored rules: the rules a
customer may use are read by index, the engine prices the cart, and the result becomes
`discount_lines` on the items and `discounts[]` on the order.

The engine owns the discount lines whose `discount_id` names one of the account's rules;
every other line (manual, external, a client's own) is kept as sent and counts as a discount
the item already has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.discounts import repository as repo
from shopping.discounts.cache import RuleCache
from shopping.discounts.cart import Cart, CartItem
from shopping.discounts.engine import Evaluation, evaluate
from shopping.discounts.rules import Rule

Json = dict[str, Any]
ENGINE_DISCOUNT_TYPE = "customer"


@dataclass(frozen=True, slots=True)
class Offer:
    """The rules a customer may use now, the ref each is given under, and past usage."""

    rules: list[Rule]
    documents: dict[str, Json]
    refs: dict[str, tuple[str, str]]  # rule id -> (ref id, customer id of the ref)
    used: dict[str, int]


async def offer_for(
    uow: UnitOfWork, account_id: str, cart: Cart, now: datetime, cache: RuleCache
) -> Offer:
    """The rules the cart's customer (or everyone) may use now that are about its items."""
    rows = await repo.usable_rules(uow, account_id, cart.customer_id, now, cart.targets())
    found: dict[str, tuple[Rule, Json]] = {}
    missing = []
    for row in rows:
        cached = cache.get(account_id, row.id, row.updated_at)
        if cached is None:
            missing.append(row.id)
        else:
            found[row.id] = cached
    for fetched in await repo.documents(uow, account_id, missing):
        found[fetched.id] = cache.put(account_id, fetched.updated_at, fetched.document)
    live = [row for row in rows if row.id in found]  # a rule deleted meanwhile is left out
    return Offer(
        rules=[found[row.id][0] for row in live],
        documents={row.id: found[row.id][1] for row in live},
        refs={row.id: (row.ref_id, row.customer_id) for row in live},
        used={row.id: int(row.usage) for row in live if row.usage},
    )


async def engine_rule_ids(uow: UnitOfWork, account_id: str, items: list[Json]) -> set[str]:
    """The `discount_id`s on these items that name a rule of the account."""
    ids = {
        str(line["discount_id"])
        for item in items
        for line in item.get("discount_lines") or ()
        if isinstance(line, dict) and line.get("discount_id")
    }
    return await repo.rule_ids_among(uow, account_id, sorted(ids))


def kept_lines(item: Json, engine_ids: set[str]) -> list[Json]:
    return [
        line
        for line in item.get("discount_lines") or ()
        if not (isinstance(line, dict) and str(line.get("discount_id")) in engine_ids)
    ]


def cart_of(
    order: Json, engine_ids: set[str], at: datetime, *, gross_field: str = "gross_amount"
) -> Cart:
    customer = order.get("customer") or {}
    items = order.get("items") or []
    codes = {str(item["id"]) for item in items if item.get("id")}
    codes.update(str(code) for code in order.get("discount_codes") or () if code)
    if order.get("discount_code"):
        codes.add(str(order["discount_code"]))
    return Cart(
        items=tuple(_cart_item(item, engine_ids, gross_field) for item in items),
        currency=str(order.get("currency") or ""),
        at=at,
        store_id=(order.get("store") or {}).get("id"),
        customer_id=customer.get("id") or order.get("customer_id"),
        customer=customer,
        discount_codes=frozenset(codes),
    )


def _cart_item(item: Json, engine_ids: set[str], gross_field: str) -> CartItem:
    prior = sum(int(line.get("amount") or 0) for line in kept_lines(item, engine_ids))
    groups = frozenset(
        str(group["id"])
        for group in item.get("groups") or ()
        if isinstance(group, dict) and "id" in group
    )
    quantity = item.get("quantity")
    return CartItem(
        line_id=int(item["line_id"]),
        item_id=None if item.get("id") is None else str(item["id"]),
        groups=groups,
        quantity=Decimal(str(quantity)) if quantity is not None else Decimal(1),
        gross_amount=int(item[gross_field]),
        prior_discount=prior,
        eligible_for_discount=item.get("eligible_for_discount") is True,
    )


def price(order: Json, offer: Offer, engine_ids: set[str], at: datetime) -> Evaluation:
    return evaluate(cart_of(order, engine_ids, at), offer.rules, offer.used)


def discounted_items(items: list[Json], evaluation: Evaluation, engine_ids: set[str]) -> list[Json]:
    """The items with the engine's lines replaced by this evaluation's, numbered after the
    lines kept."""
    new_lines: dict[int, list[Json]] = {}
    for applied in evaluation.applied:
        for line_id, amount in applied.parts:
            line: Json = {
                "amount": amount,
                "discount_type": ENGINE_DISCOUNT_TYPE,
                "discount_id": applied.rule.id,
                "description": applied.rule.text,
            }
            if applied.percentage is not None:
                line["percentage"] = _number(applied.percentage)
            new_lines.setdefault(line_id, []).append(line)
    out = []
    for item in items:
        kept = kept_lines(item, engine_ids)
        added = new_lines.get(int(item["line_id"]), [])
        if not added and len(kept) == len(item.get("discount_lines") or ()):
            out.append(item)
            continue
        next_id = max((int(k.get("line_id") or 0) for k in kept), default=0) + 1
        numbered = [{**line, "line_id": next_id + n} for n, line in enumerate(added)]
        out.append({**item, "discount_lines": kept + numbered})
    return out


def discounts_of(evaluation: Evaluation, offer: Offer) -> list[Json]:
    """`order.discounts[]`: each applied rule with the ref it was given under."""
    out = []
    for applied in evaluation.applied:
        document = offer.documents[applied.rule.id]
        ref_id, customer_id = offer.refs[applied.rule.id]
        out.append(
            {
                "id": applied.rule.id,
                "name": document.get("name"),
                "receipt_text": document.get("receipt_text"),
                "type": document.get("type"),
                "reward": document.get("reward"),
                "refs": [
                    {
                        "id": ref_id,
                        "customer_id": customer_id,
                        "amount": applied.amount,
                        "usage": 1,
                        "items": [
                            {"line_id": line, "amount": amount} for line, amount in applied.parts
                        ],
                    }
                ],
            }
        )
    return out


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
