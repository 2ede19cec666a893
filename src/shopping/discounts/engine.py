"""The discount engine: cart + rules + usage in, discount per line out. Pure, no I/O.

How rules combine:

1. A rule is *admitted* when the purchase meets its purchase-level requirement (window,
   `discount_hours`, currency, store, discount code, customer attributes) and the customer
   has used it in fewer purchases than `discount_repeat_usage` allows.
2. Admitted rules apply one after another, oldest first (`purchase_from`, then `created_at`,
   then id). Each sees what the rules before it left: the items still eligible
   (`discount_eligible`, `blacklist`), the running net amount (for `net` minimums and
   `base: net` rewards), and how much is left of every line, which caps what it may give.
3. Rules with `limitation.discount_combination: 0` are exclusive: they never stack with any
   other rule of the engine. The engine prices every exclusive rule alone and all the others
   stacked together, and gives the customer whichever takes off the most (ties: the stacked
   rules, then the earlier exclusive rule).

How an amount is split over lines: by largest remainder (`kit/allocation.py`), in proportion
to the lines' values, so the parts always sum exactly to the reward (`rewards.py`).

Lines the engine does not own (manual, external …) are never changed; their amounts are part
of each item's `prior_discount`. The result does not depend on the order of the items: every
choice between lines is made by line id. No line is discounted below zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shopping.discounts.cart import Cart
from shopping.discounts.requirements import (
    admits,
    eligible_items,
    may_match,
    requirement_met,
    reward_items,
)
from shopping.discounts.rewards import percentage_of, reward_parts
from shopping.discounts.rules import Rule


@dataclass(frozen=True, slots=True)
class Applied:
    """One rule's reward: its discount per line (line id, amount), in line-id order."""

    rule: Rule
    parts: tuple[tuple[int, int], ...]
    percentage: Decimal | None

    @property
    def amount(self) -> int:
        return sum(amount for _, amount in self.parts)


@dataclass(frozen=True, slots=True)
class Evaluation:
    applied: tuple[Applied, ...]

    @property
    def total(self) -> int:
        return sum(applied.amount for applied in self.applied)

    def per_line(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for applied in self.applied:
            for line_id, amount in applied.parts:
                out[line_id] = out.get(line_id, 0) + amount
        return out


def evaluate(
    cart: Cart, rules: Iterable[Rule], used: Mapping[str, int] | None = None
) -> Evaluation:
    """The discounts `rules` give on `cart`; `used`: purchases the customer already used each
    rule in (by rule id)."""
    usage = used or {}
    item_ids = frozenset(item.item_id for item in cart.items)
    groups = frozenset(group for item in cart.items for group in item.groups)
    admitted = sorted(
        (
            rule
            for rule in rules
            if may_match(rule, item_ids, groups) and admits(rule, cart, usage.get(rule.id, 0))
        ),
        key=Rule.order_key,
    )
    best = apply_in_order(cart, [rule for rule in admitted if not rule.exclusive])
    for rule in admitted:
        if rule.exclusive:
            alone = apply_in_order(cart, [rule])
            if alone.total > best.total:
                best = alone
    return best


def apply_in_order(cart: Cart, rules: list[Rule]) -> Evaluation:
    """`rules` stacked in the given order, each on what the ones before left."""
    discounted: dict[int, int] = {}
    applied = []
    for rule in rules:
        candidates = eligible_items(rule, cart, discounted)
        if candidates is None or not requirement_met(rule, cart, candidates, discounted):
            continue
        room = {
            item.line_id: max(0, item.net_amount - discounted.get(item.line_id, 0))
            for item in cart.items
        }
        parts = reward_parts(rule, reward_items(rule, candidates), candidates, room)
        if not parts:
            continue
        for line_id, amount in parts.items():
            discounted[line_id] = discounted.get(line_id, 0) + amount
        applied.append(Applied(rule, tuple(sorted(parts.items())), percentage_of(rule)))
    return Evaluation(tuple(applied))
