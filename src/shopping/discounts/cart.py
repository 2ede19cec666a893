"""What the engine prices: a cart of items, who buys, where, in which currency and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CartItem:
    """One line. `prior_discount` is what discount lines the engine does not own (manual,
    external …) already take off `gross_amount`."""

    line_id: int
    item_id: str | None
    groups: frozenset[str]
    quantity: Decimal
    gross_amount: int
    prior_discount: int
    eligible_for_discount: bool

    @property
    def net_amount(self) -> int:
        return self.gross_amount - self.prior_discount

    @property
    def units(self) -> int:
        """Whole units for per-unit rewards; a fractional quantity (weighed goods) is one."""
        whole = int(self.quantity)
        return whole if whole >= 1 and whole == self.quantity else 1


@dataclass(frozen=True, slots=True)
class Cart:
    items: tuple[CartItem, ...]
    currency: str
    at: datetime
    store_id: str | None = None
    customer_id: str | None = None
    customer: Json | None = None
    discount_codes: frozenset[str] = frozenset()

    @property
    def gross_amount(self) -> int:
        return sum(item.gross_amount for item in self.items)

    def targets(self) -> list[str]:
        """The rule targets this cart can meet: `*` and its eligible items' ids and groups."""
        out = {"*"}
        for item in self.items:
            if item.eligible_for_discount and item.gross_amount > 0:
                if item.item_id is not None:
                    out.add(f"id:{item.item_id}")
                out.update(f"group:{group}" for group in item.groups)
        return sorted(out)
