"""`POST /discounts/available_for_receipt`: a receipt priced by the engine, nothing stored.

Receipt items carry `amount` (Dintero's receipts) or `gross_amount`; either is the amount
before discounts. The answer echoes the receipt with each item's `gross_amount`, its net
`amount`, its `discount_lines` (the engine's added to those sent) and `is_changed`, plus the
receipt's `discounts[]` and `is_changed`. Without `customer_id` only rules given to `/`
apply (a `customer.token` is not resolved by this server).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.discounts.cache import RuleCache
from shopping.discounts.engine import evaluate
from shopping.discounts.pricing import (
    cart_of,
    discounted_items,
    discounts_of,
    engine_rule_ids,
    offer_for,
)
from shopping.discounts.schemas import Receipt

Json = dict[str, Any]


async def price_receipt(
    uow: UnitOfWork, account_id: str, receipt: Receipt, now: datetime, cache: RuleCache
) -> Json:
    body = receipt.model_dump(mode="json", exclude_none=True)
    at = receipt.purchase_at or now
    items = [
        {**item, "gross_amount": item.get("gross_amount", item.get("amount")), "line_id": n}
        for n, item in enumerate(body["items"], start=1)
    ]
    order = {**body, "items": items}
    engine_ids = await engine_rule_ids(uow, account_id, items)
    cart = cart_of(order, engine_ids, at)
    offer = await offer_for(uow, account_id, cart, at, cache)
    evaluation = evaluate(cart, offer.rules, offer.used)
    priced = discounted_items(items, evaluation, engine_ids)
    changed_lines = evaluation.per_line()
    out_items = []
    for original, item in zip(body["items"], priced, strict=True):
        discount = sum(int(line.get("amount") or 0) for line in item.get("discount_lines") or ())
        out_items.append(
            {
                **original,
                "gross_amount": item["gross_amount"],
                "amount": item["gross_amount"] - discount,
                "discount_lines": item.get("discount_lines") or [],
                "is_changed": item["line_id"] in changed_lines,
            }
        )
    return {
        **body,
        "items": out_items,
        "discounts": discounts_of(evaluation, offer),
        "is_changed": bool(evaluation.applied),
    }
