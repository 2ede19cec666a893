"""A transaction's ledger, checked by the same rules as an order's (payment_operations/rules).

The transaction is presented to those rules as an order whose lines are the transaction's
items (numbered 1, 2, … in item order; one line for the whole amount when it has no items)
and whose authorizations, captures, refunds and cancellations are its successful AUTHORIZE,
CAPTURE, REFUND and VOID events.
"""

from __future__ import annotations

from typing import Any

from shopping.checkout.errors import TransactionStateConflict, UnknownTransactionLine
from shopping.payment_operations.rules import (
    AUTHORIZATION,
    CANCELLATION,
    CAPTURE,
    REFUND,
    check_operation,
    line_sums,
)

Json = dict[str, Any]
#: transaction event → the order-ledger kind it counts as
KINDS = {"AUTHORIZE": AUTHORIZATION, "CAPTURE": CAPTURE, "REFUND": REFUND, "VOID": CANCELLATION}
_COLLECTION = {
    AUTHORIZATION: "authorizations",
    CAPTURE: "captures",
    REFUND: "refunds",
    CANCELLATION: "cancellations",
}
ALLOWED_FROM = {
    "CAPTURE": frozenset({"AUTHORIZED", "PARTIALLY_CAPTURED", "PARTIALLY_CAPTURED_REFUNDED"}),
    "REFUND": frozenset(
        {"CAPTURED", "PARTIALLY_CAPTURED", "PARTIALLY_REFUNDED", "PARTIALLY_CAPTURED_REFUNDED"}
    ),
    "VOID": frozenset({"AUTHORIZED", "PARTIALLY_CAPTURED", "PARTIALLY_CAPTURED_REFUNDED"}),
}


class Ledger:
    def __init__(self, transaction: Json) -> None:
        self.transaction = transaction
        items = transaction.get("items") or []
        #: line key (the item's `line_id`, "" without items) → (ledger line number, amount)
        self.lines: dict[str, tuple[int, int]] = (
            {str(item["line_id"]): (n, int(item["amount"])) for n, item in enumerate(items, 1)}
            if items
            else {"": (1, int(transaction["amount"]))}
        )

    def view(self) -> Json:
        """The transaction as an order, for `rules.check_operation`."""
        order: Json = {
            "status": "open",
            "items": [{"line_id": n, "net_amount": amount} for n, amount in self.lines.values()],
        }
        for event in self.transaction.get("events") or ():
            kind = KINDS.get(event.get("event", ""))
            if kind is None or not event.get("success"):
                continue
            lines = [{"line_id": n, "amount": a} for n, a in self._numbered(event).items()]
            order.setdefault(_COLLECTION[kind], []).append({"items": lines})
        return order

    def _numbered(self, event: Json) -> dict[int, int]:
        if "items" not in event:
            return {1: int(event["amount"])} if "" in self.lines else {}
        return {self.lines[str(line["line_id"])][0]: int(line["amount"]) for line in event["items"]}

    def remaining(self, kind: str) -> dict[int, int]:
        """Per ledger line: what a capture (or void) or a refund may still take."""
        view = self.view()
        if kind == REFUND:
            captured, refunded = line_sums(view, CAPTURE), line_sums(view, REFUND)
            return {n: captured.get(n, 0) - refunded.get(n, 0) for n, _ in self.lines.values()}
        authorized = line_sums(view, AUTHORIZATION)
        used = line_sums(view, CAPTURE)
        for line, amount in line_sums(view, CANCELLATION).items():
            used[line] = used.get(line, 0) + amount
        return {n: authorized.get(n, 0) - used.get(n, 0) for n, _ in self.lines.values()}

    def lines_for(self, kind: str, amount: int, items: list[Json] | None) -> list[Json]:
        """The operation's lines (`line_id` = the item's, "" without items), checked against
        the ledger: named items as given, otherwise `amount` spread over what remains."""
        if items is not None:
            numbered: dict[int, int] = {}
            for position, item in enumerate(items):
                found = self.lines.get(str(item["line_id"]))
                if found is None or "" in self.lines:
                    raise UnknownTransactionLine(str(item["line_id"]), position)
                numbered[found[0]] = int(item["amount"])
        else:
            numbered = {n: a for n, a in spread(amount, self.remaining(kind)).items() if a}
        check_operation(
            self.view(),
            kind,
            [{"line_id": n, "amount": a} for n, a in numbered.items()],
            authorization_id=None,
            success=True,
            new_id="operation",
        )
        by_number = {n: key for key, (n, _) in self.lines.items()}
        return [{"line_id": by_number[n], "amount": a} for n, a in numbered.items()]

    def totals(self) -> dict[str, int]:
        view = self.view()
        return {
            kind: sum(line_sums(view, kind).values())
            for kind in (AUTHORIZATION, CAPTURE, REFUND, CANCELLATION)
        }


def spread(amount: int, weights: dict[int, int]) -> dict[int, int]:
    """`amount` split over the lines in proportion to `weights` by largest remainder (the
    parts sum to `amount`); everything on the first line when nothing remains anywhere, so
    the ledger check reports the overdraw."""
    total = sum(max(w, 0) for w in weights.values())
    if total <= 0 or amount > total:
        first = next(iter(weights), 1)
        return {first: amount}
    shares = {line: amount * max(w, 0) // total for line, w in weights.items()}
    leftover = amount - sum(shares.values())
    by_remainder = sorted(
        weights, key=lambda line: (-(amount * max(weights[line], 0) % total), line)
    )
    for line in by_remainder[:leftover]:
        shares[line] += 1
    return shares


def assert_allowed(operation: str, status: str) -> None:
    if status not in ALLOWED_FROM[operation]:
        raise TransactionStateConflict(operation.lower(), status)


def status_after(operation: str, totals: dict[str, int]) -> str:
    """The status the ledger's totals describe once `operation` is recorded; a void
    releases what was not captured, so the captured part alone decides."""
    authorized, captured = totals[AUTHORIZATION], totals[CAPTURE]
    refunded, voided = totals[REFUND], totals[CANCELLATION]
    fully_captured = captured + voided >= authorized
    if operation == "VOID" and not captured:
        return "AUTHORIZATION_VOIDED"
    if not refunded:
        return "CAPTURED" if fully_captured else "PARTIALLY_CAPTURED"
    if not fully_captured:
        return "PARTIALLY_CAPTURED_REFUNDED"
    return "REFUNDED" if refunded >= captured else "PARTIALLY_REFUNDED"
