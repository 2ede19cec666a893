from __future__ import annotations

from shopping.errors import Conflict, NotFound


class PayoutNotSplittable(Conflict):
    code = "PAYOUT_SPLIT_FAILED"

    def __init__(self, line_id: int, rule_id: object, reason: str) -> None:
        super().__init__(
            f"Line {line_id}: payout rule {rule_id} cannot split this amount: {reason}",
            extra={"line_id": line_id},
        )


class PayoutRuleNotFound(NotFound):
    code = "PAYOUT_RULE_NOT_FOUND"

    def __init__(self, rule_uuid: str) -> None:
        super().__init__(f"Payout rule {rule_uuid} not found")


class PayoutRuleExists(Conflict):
    code = "PAYOUT_RULE_EXISTS"

    def __init__(self, rule_type: str, rule_id: str) -> None:
        super().__init__(
            f"A payout rule with rule_type {rule_type!r} and rule_id {rule_id!r} exists; "
            "update it to add a version"
        )


class PayoutRuleDeleted(Conflict):
    code = "PAYOUT_RULE_DELETED"

    def __init__(self, rule_uuid: str) -> None:
        super().__init__(f"Payout rule {rule_uuid} is deleted")


class PayoutRuleKeyChanged(Conflict):
    code = "PAYOUT_RULE_KEY_CHANGED"

    def __init__(self) -> None:
        super().__init__("rule_type and rule_id of a stored rule cannot change")
