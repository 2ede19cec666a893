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
