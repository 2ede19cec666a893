"""Checkout errors, named as facts."""

from __future__ import annotations

from shopping.errors import BadRequest, Conflict, NotFound


class CheckoutSessionNotFound(NotFound):
    code = "SESSION_NOT_FOUND"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"No checkout session {session_id}")


class TransactionNotFound(NotFound):
    code = "TRANSACTION_NOT_FOUND"

    def __init__(self, transaction_id: str) -> None:
        super().__init__(f"No transaction {transaction_id}")


class SignatureSecretNotFound(NotFound):
    code = "SIGNATURE_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("The account has no callback signature secret yet")


class SessionNotPayable(Conflict):
    """The session already has its transaction, was cancelled or has expired."""

    code = "SESSION_NOT_PAYABLE"

    def __init__(self, session_id: str, reason: str) -> None:
        super().__init__(f"Session {session_id} {reason}", extra={"reason": reason})
        self.reason = reason


class SessionNotCancellable(Conflict):
    code = "SESSION_NOT_CANCELLABLE"

    def __init__(self, session_id: str, reason: str) -> None:
        super().__init__(f"Session {session_id} cannot be cancelled: {reason}")


class TransactionStateConflict(Conflict):
    code = "TRANSACTION_STATE_CONFLICT"

    def __init__(self, operation: str, status: str) -> None:
        super().__init__(
            f"A {operation} is not allowed on a transaction with status {status}",
            extra={"status": status},
        )


class UnknownTransactionLine(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, line_id: str, position: int) -> None:
        super().__init__(
            f"The transaction has no item with line_id {line_id}",
            errors=[{"path": f"items[{position}].line_id", "message": "no such line"}],
        )


class AmountNotItemsSum(BadRequest):
    code = "VALIDATION_ERROR"

    def __init__(self, path: str, amount: int, total: int) -> None:
        super().__init__(
            f"{path} {amount} must equal the sum of the items ({total})",
            errors=[{"path": path, "message": f"must be {total}"}],
        )
