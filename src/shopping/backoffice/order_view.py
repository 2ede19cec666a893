"""What the order page shows, derived from the order as the API returns it: each line with its
ledger (from the same `line_sums` the ledger rules check), the operations in time order, and
which actions the order's state allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shopping.orders.amounts import discount_sum
from shopping.payment_operations.rules import (
    AUTHORIZATION,
    CANCELLATION,
    CAPTURE,
    COLLECTIONS,
    REFUND,
    authorization_ids,
    line_sums,
)
from shopping.payouts.evaluator import leaf_totals

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Line:
    item: Json
    line_id: int
    tax: int
    discount: int
    authorized: int
    captured: int
    refunded: int
    cancelled: int

    @property
    def capturable(self) -> int:
        """Authorized and not yet captured or cancelled (what a capture may take)."""
        return max(0, self.authorized - self.captured - self.cancelled)

    @property
    def refundable(self) -> int:
        return max(0, self.captured - self.refunded)

    @property
    def payouts(self) -> list[Json]:
        """`[{destination, amount}]` of the line's payout rule, when it has one."""
        payout = self.item.get("payout")
        if not isinstance(payout, dict) or not isinstance(payout.get("destinations"), list):
            return []
        return leaf_totals(payout["destinations"])

    @property
    def negative(self) -> bool:
        return int(self.item.get("net_amount", 0)) < 0

    def signed(self, amount: int) -> int:
        """Ledger sums are magnitudes; a reversal line's operations are negative."""
        return -amount if self.negative else amount


@dataclass(frozen=True, slots=True)
class Operation:
    kind: str
    data: Json

    @property
    def succeeded(self) -> bool:
        return self.data.get("success", True) is not False


def ledger_lines(order: Json) -> list[Line]:
    sums = {kind: line_sums(order, kind) for kind in COLLECTIONS}
    lines = []
    for item in order.get("items") or ():
        line_id = int(item["line_id"])
        lines.append(
            Line(
                item=item,
                line_id=line_id,
                tax=sum(int(t.get("amount") or 0) for t in item.get("tax_lines") or ()),
                discount=discount_sum(item),
                authorized=sums[AUTHORIZATION].get(line_id, 0),
                captured=sums[CAPTURE].get(line_id, 0),
                refunded=sums[REFUND].get(line_id, 0),
                cancelled=sums[CANCELLATION].get(line_id, 0),
            )
        )
    return lines


def operations(order: Json) -> list[Operation]:
    """Every recorded operation, oldest first (failed ones too: they are part of the record)."""
    out = [Operation(kind, op) for kind, key in COLLECTIONS.items() for op in order.get(key) or ()]
    return sorted(out, key=lambda op: str(op.data.get("created_at", "")))


def authorizations(order: Json) -> list[str]:
    """The authorizations a capture or refund must name (orders with several of them)."""
    return sorted(authorization_ids(order)) if order.get("multiple_authorizations") else []


def customer_name(order: Json) -> str:
    customer = order.get("customer")
    if not isinstance(customer, dict):
        return ""
    parts = [customer.get("first_name"), customer.get("last_name")]
    name = " ".join(str(p) for p in parts if isinstance(p, str) and p)
    return name or str(customer.get("email") or "")


@dataclass(frozen=True, slots=True)
class Allowed:
    cancel: bool
    close: bool
    reopen: bool
    capture: bool
    refund: bool


def allowed_actions(order: Json, lines: list[Line]) -> Allowed:
    """Which buttons to offer. The service decides for real: a button shown in a race (or on
    a cancel the order's captures forbid) gets the API's 409 reason back."""
    status = order.get("status")
    return Allowed(
        cancel=status != "cancelled",
        close=status == "open",
        reopen=status == "closed",
        capture=status != "cancelled" and any(line.capturable for line in lines),
        refund=any(line.refundable for line in lines),
    )
