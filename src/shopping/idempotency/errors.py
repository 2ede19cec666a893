from __future__ import annotations

from shopping.errors import Conflict, UnprocessableRequest


class IdempotencyKeyReused(UnprocessableRequest):
    code = "IDEMPOTENCY_KEY_REUSED"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used for a different request",
        )


class IdempotentRequestInProgress(Conflict):
    code = "IDEMPOTENT_REQUEST_IN_PROGRESS"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"A request with Idempotency-Key {key!r} is still being processed; retry later",
            headers={"Retry-After": "1"},
        )
