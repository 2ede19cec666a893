"""Discount rules in human terms: the reward as a sentence, amounts in major units of the
rule's currency (when the rule names exactly one)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.backoffice.money import format_money, major_units
from shopping.backoffice.rendering import parse_moment

Json = dict[str, Any]


def rule_currency(rule: Json) -> str | None:
    """The one currency a rule is limited to; None when it names none, several or excludes
    some (its amounts are then minor units of whatever currency the purchase is in)."""
    currencies = (rule.get("requirement") or {}).get("currencies") or []
    if len(currencies) == 1 and isinstance(currencies[0], str):
        return str(currencies[0])
    return None


def amount_text(amount: int | None, currency: str | None) -> str:
    if currency is not None:
        return format_money(amount, currency)
    return f"{major_units(amount, None)} (purchase currency)"


def reward_text(rule: Json) -> str:
    reward = rule.get("reward") or {}
    kind, value = reward.get("type"), reward.get("value", 0)
    currency = rule_currency(rule)
    base = f" of the {reward['base']} price" if reward.get("base") else ""
    if kind == "discount_percent":
        return f"{value:g} % off{base}"
    if kind == "discount_amount":
        return f"{amount_text(int(value), currency)} off{base}"
    if kind == "discount_item_new_price":
        return f"Items for {amount_text(int(value), currency)} each"
    if kind == "discount_item_quantity":
        count = int(value)
        return f"{count} item{'s' if count != 1 else ''} free"
    if kind == "discount_mix_new_price":
        return f"The mix for {amount_text(int(value), currency)}"
    return str(kind or "—")


def rule_state(rule: Json, now: datetime) -> str:
    """The rule's state, named as the list's `state` filter names it."""
    if rule.get("deleted_at"):
        return "deleted"
    if rule.get("active") is False:
        return "inactive"
    requirement = rule.get("requirement") or {}
    starts = parse_moment(requirement.get("purchase_from"))
    ends = parse_moment(requirement.get("purchase_to"))
    if starts is not None and starts > now:
        return "scheduled"
    if ends is not None and ends <= now:
        return "completed"
    return "active"
