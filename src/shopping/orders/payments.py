"""`payment_status` and `payment_details` derived from an order's operations (§10.19–20).

Only successful operations count (`success: false` ones are kept for the record). Amounts
are integers in minor units; every balance is a sum over the same operation lists, so the
figures always reconcile.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def successful_total(order: Json, kind: str) -> int:
    return sum(
        int(operation.get("amount", 0))
        for operation in order.get(kind) or ()
        if operation.get("success", True) is not False
    )


def payment_view(order: Json) -> tuple[str, Json]:
    net = int(order.get("net_amount", 0))
    authorized = successful_total(order, "authorizations")
    captured = successful_total(order, "captures")
    refunded = successful_total(order, "refunds")
    cancelled = successful_total(order, "cancellations")
    uncaptured = authorized - captured - cancelled
    details = {
        "remaining_authorization_amount": net - authorized,
        "remaining_capture_amount": uncaptured,
        "remaining_cancellation_amount": uncaptured,
        "remaining_refund_amount": captured - refunded,
        "amount_due": max(0, net - captured + refunded),
    }
    return payment_status(net, captured, refunded), details


def payment_status(net: int, captured: int, refunded: int) -> str:
    if net < 0:
        # an order of reversal lines: every amount is negative, so compare magnitudes
        net, captured, refunded = -net, -captured, -refunded
    if refunded and refunded >= captured:
        return "refunded"
    if refunded:
        return "partially_refunded"
    if captured == 0:
        return "pending"
    if captured < net:
        return "partially_paid"
    return "paid"
