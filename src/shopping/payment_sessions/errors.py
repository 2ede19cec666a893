from __future__ import annotations

from shopping.errors import NotFound


class SessionNotFound(NotFound):
    code = "SESSION_NOT_FOUND"

    def __init__(self, session_id: str) -> None:
        super().__init__(f"No payment session {session_id} on this order")
