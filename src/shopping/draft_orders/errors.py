"""Draft-order errors, named as facts."""

from __future__ import annotations

from shopping.errors import BadRequest, Conflict, NotFound


class DraftNotFound(NotFound):
    code = "DRAFT_NOT_FOUND"

    def __init__(self, draft_id: str) -> None:
        super().__init__(f"Draft order {draft_id} not found")


class LineNotFound(NotFound):
    code = "LINE_NOT_FOUND"

    def __init__(self, draft_id: str, line_id: int) -> None:
        super().__init__(f"Draft order {draft_id} has no item with line_id {line_id}")


class DraftNotEditable(Conflict):
    code = "DRAFT_NOT_EDITABLE"

    def __init__(self, draft_id: str, status: str) -> None:
        super().__init__(
            f"Draft order {draft_id} is {status}: only order.metadata and order.comment "
            "may still be changed",
            extra={"status": status},
        )


class LineIdTaken(Conflict):
    code = "DUPLICATE_LINE_ID"

    def __init__(self, line_id: int) -> None:
        super().__init__(f"line_id {line_id} is used by more than one item")


class CustomOrderIdWithSplit(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self) -> None:
        super().__init__(
            "A custom order.order_id cannot be combined with options.split_draft=true",
            errors=[{"path": "order.order_id", "message": "not allowed with split_draft"}],
        )


class InvalidCursor(BadRequest):
    code = "INVALID_CURSOR"

    def __init__(self, cursor: str) -> None:
        super().__init__(
            f"starting_after {cursor} is not a draft order of this account",
            errors=[{"path": "starting_after", "message": "unknown cursor"}],
        )


class DraftAlreadyCompleted(Conflict):
    code = "DRAFT_ALREADY_COMPLETED"

    def __init__(self, draft_id: str) -> None:
        super().__init__(f"Draft order {draft_id} is already completed")


class DraftHasNoItems(Conflict):
    code = "DRAFT_HAS_NO_ITEMS"

    def __init__(self, draft_id: str) -> None:
        super().__init__(f"Draft order {draft_id} has no items to order")


class OrderIdTaken(Conflict):
    code = "ORDER_ID_TAKEN"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order_id {order_id} is already used by another order of this account")


class ReplaceNotAllowed(Conflict):
    code = "ORDER_HAS_PAYMENT_OPERATIONS"

    def __init__(self, reference: str) -> None:
        super().__init__(
            f"Order {reference} has payment operations: options.replace=order is not allowed"
        )


class CurrencyMismatch(Conflict):
    code = "CURRENCY_MISMATCH"

    def __init__(self, draft_currency: str, order_currency: str) -> None:
        super().__init__(
            f"The draft's currency {draft_currency} differs from the order's {order_currency}"
        )


class SplitWithExistingOrder(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self) -> None:
        super().__init__(
            "options.split_draft=true cannot be combined with options.order_id",
            errors=[{"path": "options.split_draft", "message": "not allowed with order_id"}],
        )
