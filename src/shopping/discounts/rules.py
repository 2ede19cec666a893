"""A stored rule document read once into the shape the engine evaluates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from shopping.discounts.cart import CartItem

Json = dict[str, Any]
ANY_ITEM = "ANY_ITEM"
UNLIMITED = -1
EXCLUSIVE = 0
NO_DISCOUNT_ON_ITEM = "item_eligible_for_discount_no_discount"
NO_DISCOUNT_ON_RECEIPT = "receipt_no_discount"


@dataclass(frozen=True, slots=True)
class ItemRef:
    """`{id?, group_id?}`: an item matches when it has every part the reference names."""

    id: str | None
    group_id: str | None

    def matches(self, item: CartItem) -> bool:
        if self.id == ANY_ITEM:
            return True
        if self.id is None and self.group_id is None:
            return False
        return (self.id is None or item.item_id == self.id) and (
            self.group_id is None or self.group_id in item.groups
        )


@dataclass(frozen=True, slots=True)
class Mix:
    refs: tuple[ItemRef, ...]
    quantity: int
    reward_eligible: bool

    def matches(self, item: CartItem) -> bool:
        return any(ref.matches(item) for ref in self.refs)


@dataclass(frozen=True, slots=True)
class Hours:
    timezone: str
    windows: tuple[tuple[str, str, str], ...]  # (day, "HH:MM" start, "HH:MM" end)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str | None
    receipt_text: str | None
    created_at: str
    purchase_from: datetime
    purchase_to: datetime
    items: tuple[ItemRef, ...]
    quantity: Decimal
    mixes: tuple[Mix, ...]
    gross_amount: int | None
    net_amount: int | None
    currencies: frozenset[str] | None
    currencies_excluded: frozenset[str]
    store_ids: frozenset[str] | None
    discount_code: str | None
    customer: Json | None
    reward_type: str
    value: Decimal
    base: str
    reward_usage: int
    repeat_usage: int
    exclusive: bool
    eligible: str | None
    blacklist: tuple[ItemRef, ...]
    hours: Hours | None

    @property
    def text(self) -> str | None:
        return self.receipt_text or self.name

    def order_key(self) -> tuple[datetime, str, str]:
        """Rules apply oldest campaign first: `purchase_from`, then creation, then id."""
        return (self.purchase_from, self.created_at, self.id)


EVERY_ITEM = "*"


def rule_targets(requirement: Json) -> set[str]:
    """What a rule is about: the items and groups its requirement names (any of them must be
    in a cart for the rule to apply), or `*` when it names none or `ANY_ITEM`."""
    item = requirement.get("item") or {}
    refs = list(item.get("items") or ())
    for mix in item.get("mixes") or ():
        refs += mix.get("items") or ()
    out: set[str] = set()
    for ref in refs:
        if ref.get("id") == ANY_ITEM:
            return {EVERY_ITEM}
        if ref.get("id") is not None:
            out.add(f"id:{ref['id']}")
        elif ref.get("group_id") is not None:
            out.add(f"group:{ref['group_id']}")
    return out or {EVERY_ITEM}


def parse_moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def read_rule(document: Json) -> Rule:
    """The engine's view of a rule document (already validated when it was stored)."""
    requirement = document.get("requirement") or {}
    reward = document.get("reward") or {}
    limitation = document.get("limitation") or {}
    item = requirement.get("item") or {}
    currencies = requirement.get("currencies")
    allowed: set[str] | None = None
    excluded: set[str] = set()
    for entry in currencies or ():
        if isinstance(entry, dict):
            excluded.update(entry.get("anything-but") or ())
        else:
            allowed = (allowed or set()) | {entry}
    store_ids = _store_ids(requirement)
    hours = limitation.get("discount_hours")
    return Rule(
        id=document["id"],
        name=document.get("name"),
        receipt_text=document.get("receipt_text"),
        created_at=document.get("created_at") or "",
        purchase_from=parse_moment(requirement["purchase_from"]),
        purchase_to=parse_moment(requirement["purchase_to"]),
        items=tuple(_refs(item.get("items"))),
        quantity=Decimal(str(item.get("quantity") or 1)),
        mixes=tuple(
            Mix(
                tuple(_refs(mix.get("items"))),
                int(mix.get("quantity") or 1),
                bool(mix.get("reward_eligible")),
            )
            for mix in item.get("mixes") or ()
        ),
        gross_amount=requirement.get("gross_amount"),
        net_amount=requirement.get("net_amount"),
        currencies=frozenset(allowed) if allowed is not None else None,
        currencies_excluded=frozenset(excluded),
        store_ids=store_ids,
        discount_code=requirement.get("discount_code"),
        customer=requirement.get("customer") or None,
        reward_type=reward["type"],
        value=Decimal(str(reward.get("value") or 0)),
        base=reward.get("base") or "gross",
        reward_usage=_limit(limitation.get("discount_reward_usage")),
        repeat_usage=_limit(limitation.get("discount_repeat_usage")),
        exclusive=limitation.get("discount_combination") == EXCLUSIVE,
        eligible=limitation.get("discount_eligible"),
        blacklist=tuple(_refs(limitation.get("blacklist"))),
        hours=(
            Hours(
                hours.get("timezone") or "UTC",
                tuple((h["day"], h["start"], h["end"]) for h in hours.get("hours") or ()),
            )
            if hours and hours.get("hours")
            else None
        ),
    )


def _refs(entries: Any) -> list[ItemRef]:
    return [ItemRef(entry.get("id"), entry.get("group_id")) for entry in entries or ()]


def _limit(value: Any) -> int:
    return UNLIMITED if value is None else int(value)


def _store_ids(requirement: Json) -> frozenset[str] | None:
    """Allowed stores from `store_ids` and `store.id`; None (any store) when neither names
    one, or either contains `*`."""
    ids = set(requirement.get("store_ids") or ()) | set(
        (requirement.get("store") or {}).get("id") or ()
    )
    return None if not ids or "*" in ids else frozenset(ids)
