"""The hosted page has no login: its form carries a token bound to the session (an HMAC of
the session id under a key derived from the server's signing secret), so another site cannot
make a customer's browser pay, decline or cancel a session it has not opened."""

from __future__ import annotations

import hashlib
import hmac


class PageSecurity:
    def __init__(self, server_secret: str) -> None:
        self._key = hashlib.sha256(b"checkout-page-csrf\0" + server_secret.encode()).digest()

    def token(self, session_id: str) -> str:
        return hmac.new(self._key, session_id.encode(), hashlib.sha256).hexdigest()

    def valid(self, session_id: str, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(self.token(session_id), token)
