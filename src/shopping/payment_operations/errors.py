"""Payment-operation errors, named as facts."""

from __future__ import annotations

from shopping.errors import BadRequest, Conflict, NotFound


class OperationNotFound(NotFound):
    code = "PAYMENT_OPERATION_NOT_FOUND"

    def __init__(self, kind: str, operation_id: str) -> None:
        super().__init__(f"No {kind} {operation_id} on this order")


class UnknownOrderLine(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, line_id: int, position: int) -> None:
        super().__init__(
            f"The order has no item with line_id {line_id}",
            errors=[{"path": f"items[{position}].line_id", "message": "no such line"}],
        )


class AmountSignMismatch(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, line_id: int, position: int) -> None:
        super().__init__(
            f"Line {line_id}: the amount must have the sign of the line's net amount",
            errors=[{"path": f"items[{position}].amount", "message": "wrong sign"}],
        )


class LedgerLimitExceeded(Conflict):
    """An operation would take a line past what the ledger allows (reference §10.18)."""

    code = "AMOUNT_EXCEEDS_LIMIT"

    def __init__(self, kind: str, line_id: int, requested: int, remaining: int, limit: str) -> None:
        super().__init__(
            f"Line {line_id}: {kind} of {requested} exceeds the {remaining} that remains {limit}",
            extra={"line_id": line_id, "remaining": remaining},
        )


class UnknownAuthorization(Conflict):
    code = "UNKNOWN_AUTHORIZATION"

    def __init__(self, authorization_id: str | None) -> None:
        message = (
            "authorization_id is required: the order has multiple_authorizations"
            if authorization_id is None
            else f"The order has no successful authorization {authorization_id}"
        )
        super().__init__(message)


class DuplicateAuthorization(Conflict):
    code = "DUPLICATE_AUTHORIZATION"

    def __init__(self, authorization_id: str) -> None:
        super().__init__(f"The order already has an authorization {authorization_id}")


class OrderNotPayable(Conflict):
    code = "ORDER_CANCELLED"

    def __init__(self, kind: str) -> None:
        super().__init__(f"The order is cancelled: a new {kind} is not allowed (only refunds)")


class NetBelowAuthorized(Conflict):
    code = "NET_BELOW_AUTHORIZED"

    def __init__(self, line_id: int, net_amount: int, authorized: int) -> None:
        super().__init__(
            f"Line {line_id}: the net amount {net_amount} would be less than the {authorized} "
            "already authorized",
            extra={"line_id": line_id, "remaining": 0},
        )
