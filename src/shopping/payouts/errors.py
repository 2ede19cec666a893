from __future__ import annotations

from shopping.errors import Conflict


class PayoutNotSplittable(Conflict):
    code = "PAYOUT_SPLIT_FAILED"

    def __init__(self, line_id: int, rule_id: object, reason: str) -> None:
        super().__init__(
            f"Line {line_id}: payout rule {rule_id} cannot split this amount: {reason}",
            extra={"line_id": line_id},
        )
