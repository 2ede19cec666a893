"""How much each reward kind takes off which line (pure).

Every reward works on integer minor units. A line of `quantity` n (a whole number) is n units
whose values split the line's amount by largest remainder; per-unit rewards pick units:
free items (`discount_item_quantity`) take the cheapest, the others the dearest first (the
choice that favours the customer when `discount_reward_usage` caps them). Amounts that are
spread over several lines (`discount_amount`, `discount_percent`, `discount_mix_new_price`)
are split in proportion to the lines' values by largest remainder, so the parts sum exactly
to the reward. No line is ever given more than what is left of it (`room`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from shopping.discounts.cart import CartItem
from shopping.discounts.rules import UNLIMITED, Rule
from shopping.kit.allocation import allocate

AMOUNT = "discount_amount"
PERCENT = "discount_percent"
ITEM_NEW_PRICE = "discount_item_new_price"
ITEM_QUANTITY = "discount_item_quantity"
MIX_NEW_PRICE = "discount_mix_new_price"
REWARD_TYPES = (AMOUNT, PERCENT, ITEM_NEW_PRICE, ITEM_QUANTITY, MIX_NEW_PRICE)


@dataclass(frozen=True, slots=True, order=True)
class Unit:
    value: int
    line_id: int
    index: int


def reward_parts(
    rule: Rule, items: list[CartItem], candidates: list[CartItem], room: Mapping[int, int]
) -> dict[int, int]:
    """Discount per line id (positive parts only). `items`: the lines the reward is given
    on; `candidates`: every line the rule may discount (mixes count them); `room`: what is
    left of each line after the discounts so far."""
    items = sorted(items, key=lambda item: item.line_id)
    if not items:
        return {}
    if rule.reward_type == AMOUNT:
        caps = [room[item.line_id] for item in items]
        total = min(int(rule.value), sum(caps))
        return _positive(items, allocate(total, caps), room)
    if rule.reward_type == PERCENT:
        return _percent(rule, items, room)
    if rule.reward_type == ITEM_NEW_PRICE:
        chosen = _dearest(units_of(items, room), rule.reward_usage)
        return _per_line(
            [Unit(max(0, u.value - int(rule.value)), u.line_id, u.index) for u in chosen], room
        )
    if rule.reward_type == ITEM_QUANTITY:
        return _free_items(rule, items, room)
    if rule.reward_type == MIX_NEW_PRICE:
        return _mix_price(rule, candidates, room)
    return {}


def units_of(items: list[CartItem], values: Mapping[int, int]) -> list[Unit]:
    out = []
    for item in items:
        parts = allocate(values[item.line_id], [1] * item.units)
        out += [Unit(value, item.line_id, index) for index, value in enumerate(parts)]
    return out


def _base(rule: Rule, items: list[CartItem], room: Mapping[int, int]) -> dict[int, int]:
    """`base: gross` prices on the amount before any discount, `net` on what is left."""
    if rule.base == "net":
        return {item.line_id: room[item.line_id] for item in items}
    return {item.line_id: item.gross_amount for item in items}


def _percent(rule: Rule, items: list[CartItem], room: Mapping[int, int]) -> dict[int, int]:
    base = _base(rule, items, room)
    if rule.reward_usage != UNLIMITED:
        chosen = _dearest(units_of(items, base), rule.reward_usage)
        base = _sums(chosen, items)
    weights = [base.get(item.line_id, 0) for item in items]
    exact = rule.value * sum(weights) / 100
    total = int(exact.to_integral_value(rounding=ROUND_HALF_EVEN))
    return _positive(items, allocate(total, weights), room)


def _free_items(rule: Rule, items: list[CartItem], room: Mapping[int, int]) -> dict[int, int]:
    """`quantity` bought, `value` of them free (3-for-2: quantity 3, value 1), cheapest
    first; `discount_reward_usage` caps the number of free units."""
    units = sorted(units_of(items, _base(rule, items, room)))
    per_set, free_per_set = int(rule.quantity), int(rule.value)
    if per_set < 1:
        return {}
    free = (len(units) // per_set) * free_per_set
    if rule.reward_usage != UNLIMITED:
        free = min(free, rule.reward_usage)
    return _per_line(units[:free], room)


def _mix_price(rule: Rule, candidates: list[CartItem], room: Mapping[int, int]) -> dict[int, int]:
    """Each complete set of the mixes costs `value`: a set holds each reward-eligible mix's
    `quantity` of its dearest units; the discount is their value less `value` per set."""
    if not rule.mixes:
        return {}
    units = _dearest(units_of(sorted(candidates, key=lambda i: i.line_id), room), UNLIMITED)
    by_line = {item.line_id: item for item in candidates}
    sets = min(
        sum(1 for u in units if mix.matches(by_line[u.line_id])) // max(mix.quantity, 1)
        for mix in rule.mixes
    )
    if rule.reward_usage != UNLIMITED:
        sets = min(sets, rule.reward_usage)
    rewarded = [m for m in rule.mixes if m.reward_eligible] or list(rule.mixes)
    chosen: list[Unit] = []
    for mix in rewarded:
        fitting = [u for u in units if u not in chosen and mix.matches(by_line[u.line_id])]
        chosen += fitting[: sets * mix.quantity]
    lines = sorted({u.line_id for u in chosen})
    weights = [sum(u.value for u in chosen if u.line_id == line) for line in lines]
    total = max(0, min(sum(weights) - int(rule.value) * sets, sum(weights)))
    parts = allocate(total, weights) if lines else []
    return {line: part for line, part in zip(lines, parts, strict=True) if part > 0}


def _dearest(units: list[Unit], limit: int) -> list[Unit]:
    ordered = sorted(units, key=lambda u: (-u.value, u.line_id, u.index))
    return ordered if limit == UNLIMITED else ordered[:limit]


def _sums(units: list[Unit], items: list[CartItem]) -> dict[int, int]:
    out = {item.line_id: 0 for item in items}
    for unit in units:
        out[unit.line_id] += unit.value
    return out


def _per_line(units: list[Unit], room: Mapping[int, int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for unit in units:
        out[unit.line_id] = out.get(unit.line_id, 0) + unit.value
    return {line: min(amount, room[line]) for line, amount in out.items() if amount > 0}


def _positive(items: list[CartItem], parts: list[int], room: Mapping[int, int]) -> dict[int, int]:
    out = {}
    for item, part in zip(items, parts, strict=True):
        part = min(part, room[item.line_id])
        if part > 0:
            out[item.line_id] = part
    return out


def percentage_of(rule: Rule) -> Decimal | None:
    """The `percentage` a discount line shows: only for percent rewards."""
    return rule.value if rule.reward_type == PERCENT else None
