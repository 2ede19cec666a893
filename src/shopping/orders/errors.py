"""Order errors, named as facts."""

from __future__ import annotations

from shopping.documents import DISCOUNTS_EXCEED_GROSS
from shopping.errors import BadRequest, Conflict, NotFound


class OrderNotFound(NotFound):
    code = "ORDER_NOT_FOUND"

    def __init__(self, reference: str) -> None:
        super().__init__(f"Order {reference} not found")


class OrderLineNotFound(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, line_id: int, position: int) -> None:
        super().__init__(
            f"The order has no item with line_id {line_id}",
            errors=[{"path": f"items[{position}].line_id", "message": "no such line"}],
        )


class FieldNotUpdatable(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path} cannot be changed on an order; complete a draft with options.order_id",
            errors=[{"path": path, "message": "not updatable"}],
        )


class DiscountsExceedGross(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, path: str) -> None:
        super().__init__(DISCOUNTS_EXCEED_GROSS, errors=[{"path": path, "message": "exceed gross"}])


class TaxRateOutOfRange(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, percentage: object) -> None:
        super().__init__(
            f"A tax line's percentage {percentage} is outside 0 to 100; replace the item",
            errors=[{"path": "tax_lines.percentage", "message": "outside 0 to 100"}],
        )


class TransitionNotAllowed(Conflict):
    code = "STATUS_TRANSITION_NOT_ALLOWED"

    def __init__(self, action: str, status: str, reason: str = "") -> None:
        detail = f": {reason}" if reason else ""
        super().__init__(
            f"Cannot {action} an order that is {status}{detail}", extra={"status": status}
        )


class OrderCancelled(Conflict):
    code = "ORDER_CANCELLED"

    def __init__(self, reference: str, action: str) -> None:
        super().__init__(f"Order {reference} is cancelled: {action} is not allowed")


class InvalidCursor(BadRequest):
    code = "INVALID_CURSOR"

    def __init__(self, cursor: str) -> None:
        super().__init__(
            f"starting_after {cursor} is not an order of this account",
            errors=[{"path": "starting_after", "message": "unknown cursor"}],
        )


class OrderDeleted(Conflict):
    code = "ORDER_DELETED"

    def __init__(self, reference: str) -> None:
        super().__init__(f"Order {reference} was deleted when its time to live expired")
