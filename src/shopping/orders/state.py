"""Order status transitions (reference §10.14), as pure rules."""

from __future__ import annotations

from typing import Any

from shopping.orders.errors import TransitionNotAllowed

OPEN, CLOSED, CANCELLED = "open", "closed", "cancelled"
STATUSES = frozenset({OPEN, CLOSED, CANCELLED})
PAYMENT_STATUSES = frozenset(
    {"pending", "partially_paid", "paid", "partially_refunded", "refunded"}
)


def assert_can_close(status: str) -> None:
    if status != OPEN:
        raise TransitionNotAllowed("close", status)


def assert_can_open(status: str) -> None:
    if status != CLOSED:
        raise TransitionNotAllowed("open", status)


def assert_can_cancel(status: str, payment_details: dict[str, Any]) -> None:
    """open|closed → cancelled, only while nothing captured remains unrefunded."""
    if status == CANCELLED:
        raise TransitionNotAllowed("cancel", status)
    if payment_details.get("remaining_refund_amount", 0):
        raise TransitionNotAllowed(
            "cancel", status, "it has captured amounts that are not refunded"
        )
