"""The stored rules as the drafts' discount provider (`apply_discounts=true`)."""

from __future__ import annotations

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
from shopping.discounts.usage import record_usage
from shopping.draft_orders.document import assign_line_ids
from shopping.kit.clock import Clock

Json = dict[str, Any]


class StoredRuleDiscounts:
    """Prices a draft's order with the rules given to its customer (`order.customer.id`) or
    to everyone: the engine's discount lines are replaced, every other line kept, and
    `order.discounts[]` lists the rules applied with the ref each was given under."""

    def __init__(self, clock: Clock, cache: RuleCache | None = None) -> None:
        self.clock = clock
        self.cache = cache or RuleCache()

    async def apply(self, uow: UnitOfWork, account_id: str, order: Json) -> Json:
        now = self.clock()
        # line ids first: the engine's results are keyed by them
        items = assign_line_ids(list(order.get("items") or ()))
        order = {**order, "items": items}
        engine_ids = await engine_rule_ids(uow, account_id, items)
        cart = cart_of(order, engine_ids, now)
        offer = await offer_for(uow, account_id, cart, now, self.cache)
        evaluation = evaluate(cart, offer.rules, offer.used)
        return {
            **order,
            "items": discounted_items(items, evaluation, engine_ids),
            "discounts": discounts_of(evaluation, offer),
        }

    async def record_usage(
        self,
        uow: UnitOfWork,
        account_id: str,
        draft_id: str,
        order: Json,
        *,
        by: str,
    ) -> None:
        await record_usage(uow, account_id, draft_id, order, by=by, now=self.clock())
