"""Errors of the Discounts API and of discounts applied to drafts, named as facts."""

from __future__ import annotations

from shopping.errors import BadRequest, Conflict, NotFound


class DiscountRuleNotFound(NotFound):
    code = "DISCOUNT_NOT_FOUND"

    def __init__(self, rule_id: str) -> None:
        super().__init__(f"Discount {rule_id} not found")


class DiscountRuleDeleted(Conflict):
    code = "DISCOUNT_DELETED"

    def __init__(self, rule_id: str) -> None:
        super().__init__(f"Discount {rule_id} is deleted")


class DiscountRuleInUse(Conflict):
    code = "DISCOUNT_IN_USE"

    def __init__(self, rule_id: str, fields: list[str]) -> None:
        super().__init__(
            f"Discount {rule_id} has been used: its {', '.join(fields)} cannot change "
            "(requirement.purchase_to may only move later)",
            errors=[
                {"path": field, "message": "fixed once the discount is used"} for field in fields
            ],
        )


class DiscountNoLongerValid(Conflict):
    code = "DISCOUNT_NO_LONGER_VALID"

    def __init__(self, rule_id: str, reason: str) -> None:
        super().__init__(
            f"Discount {rule_id} on this draft can no longer be given ({reason}); "
            "update the draft with apply_discounts=true to price it again",
            extra={"discount_id": rule_id},
        )


class InvalidDiscountCursor(BadRequest):
    code = "INVALID_CURSOR"

    def __init__(self, cursor: str) -> None:
        super().__init__(f"starting_after {cursor!r} names nothing in this list")


class CursorWithSince(BadRequest):
    def __init__(self) -> None:
        super().__init__("since_datetime cannot be combined with starting_after")
