"""Whether a rule's requirement and limitation admit a cart (pure).

Two kinds of checks: those that depend only on the purchase (time, hours, currency, store,
code, customer, how often the customer used the rule) are made once per rule by `admits`;
those that depend on the discounts given so far (eligible items, quantities, mixes, minimum
amounts) are made against the running net amounts by `reward_lines`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shopping.discounts.cart import Cart, CartItem
from shopping.discounts.rules import (
    ANY_ITEM,
    NO_DISCOUNT_ON_ITEM,
    NO_DISCOUNT_ON_RECEIPT,
    UNLIMITED,
    Hours,
    ItemRef,
    Rule,
)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def admits(rule: Rule, cart: Cart, used: int) -> bool:
    """The purchase-level requirement: window, hours, currency, store, code, customer, and
    `discount_repeat_usage` (`used` = purchases this customer already used the rule in)."""
    return (
        rule.purchase_from <= cart.at < rule.purchase_to
        and (rule.hours is None or within_hours(rule.hours, cart.at))
        and (rule.currencies is None or cart.currency in rule.currencies)
        and cart.currency not in rule.currencies_excluded
        and (rule.store_ids is None or cart.store_id in rule.store_ids)
        and (rule.discount_code is None or rule.discount_code in cart.discount_codes)
        and (rule.customer is None or matches(rule.customer, cart.customer or {}))
        and (rule.repeat_usage == UNLIMITED or used < rule.repeat_usage)
    )


def may_match(rule: Rule, item_ids: frozenset[str | None], groups: frozenset[str]) -> bool:
    """Whether the cart has items the rule's item references and every mix could match at
    all: a cheap set test that spares pricing the many rules about other items."""

    def possible(ref: ItemRef) -> bool:
        return ref.id == ANY_ITEM or (
            (ref.id is None or ref.id in item_ids)
            and (ref.group_id is None or ref.group_id in groups)
            and (ref.id is not None or ref.group_id is not None)
        )

    if rule.items and not any(possible(ref) for ref in rule.items):
        return False
    return all(any(possible(ref) for ref in mix.refs) for mix in rule.mixes)


def within_hours(hours: Hours, at: datetime) -> bool:
    local = at.astimezone(ZoneInfo(hours.timezone))
    day, clock = DAYS[local.weekday()], local.strftime("%H:%M")
    return any(d == day and start <= clock < end for d, start, end in hours.windows)


def matches(wanted: Any, actual: Any) -> bool:
    """A customer filter: a list accepts any of its values, an object matches field by field,
    and a list on the customer's side (addresses …) matches when any of its entries does."""
    if isinstance(wanted, dict):
        if isinstance(actual, list):
            return any(matches(wanted, entry) for entry in actual)
        return isinstance(actual, dict) and all(
            matches(value, actual.get(key)) for key, value in wanted.items()
        )
    if isinstance(wanted, list):
        if not wanted:
            return True
        if all(isinstance(option, dict) for option in wanted):
            return any(matches(option, actual) for option in wanted)
        if isinstance(actual, list):
            return any(value in wanted for value in actual)
        return actual in wanted
    return bool(wanted == actual)


def eligible_items(rule: Rule, cart: Cart, discounted: Mapping[int, int]) -> list[CartItem] | None:
    """The items the rule may discount given what is taken off so far (`discounted`: engine
    discount per line); None when `receipt_no_discount` finds a discount on the receipt."""
    if rule.eligible == NO_DISCOUNT_ON_RECEIPT and any(
        item.prior_discount or discounted.get(item.line_id) for item in cart.items
    ):
        return None
    out = []
    for item in cart.items:
        if not item.eligible_for_discount or item.gross_amount <= 0:
            continue
        if any(ref.matches(item) for ref in rule.blacklist):
            continue
        if rule.eligible == NO_DISCOUNT_ON_ITEM and (
            item.prior_discount or discounted.get(item.line_id)
        ):
            continue
        out.append(item)
    return out


def quantity_of(items: list[CartItem]) -> Decimal:
    return sum((item.quantity for item in items), Decimal(0))


def requirement_met(
    rule: Rule, cart: Cart, candidates: list[CartItem], discounted: Mapping[int, int]
) -> bool:
    """Minimum amounts (gross as sent; net after every discount so far), items and their
    minimum quantity, and every mix."""
    if rule.gross_amount is not None and cart.gross_amount < rule.gross_amount:
        return False
    if rule.net_amount is not None:
        net = sum(item.net_amount - discounted.get(item.line_id, 0) for item in cart.items)
        if net < rule.net_amount:
            return False
    if rule.items:
        matching = [i for i in candidates if any(ref.matches(i) for ref in rule.items)]
        if not matching or quantity_of(matching) < rule.quantity:
            return False
    elif not rule.mixes and not candidates:
        return False
    return all(
        quantity_of([i for i in candidates if mix.matches(i)]) >= mix.quantity for mix in rule.mixes
    )


def reward_items(rule: Rule, candidates: list[CartItem]) -> list[CartItem]:
    """The items a reward is given on: those matching `item.items`, else those of the
    reward-eligible mixes (every mix when none is marked), else every eligible item."""
    if rule.items:
        return [i for i in candidates if any(ref.matches(i) for ref in rule.items)]
    if rule.mixes:
        mixes = [m for m in rule.mixes if m.reward_eligible] or list(rule.mixes)
        return [i for i in candidates if any(m.matches(i) for m in mixes)]
    return candidates
