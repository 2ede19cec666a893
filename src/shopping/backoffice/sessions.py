"""Back-office sessions: a signed, expiring cookie that carries the signed-in client's principal.

The cookie is a JWT signed with a key derived from the app's signing secret and issued under
its own issuer, so a session cookie is never accepted as a bearer token nor the reverse. Each
session carries a random id; the CSRF token of its forms is an HMAC of that id, so a token
from another session (or none) is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

import jwt

from shopping.auth.principal import Principal
from shopping.kit.clock import Clock

COOKIE = "backoffice_session"
SIGN_IN_COOKIE = "backoffice_sign_in"
ISSUER = "shopping-api/backoffice"
DEFAULT_TTL_SECONDS = 8 * 3600
_ALGORITHM = "HS256"


class SessionInvalid(Exception):
    """No usable session: absent, tampered with, or expired (`expired` says which)."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True, slots=True)
class Session:
    principal: Principal
    session_id: str
    expires_at: int


class SessionCodec:
    def __init__(
        self, signing_secret: str, clock: Clock, ttl_seconds: int = DEFAULT_TTL_SECONDS
    ) -> None:
        # a key of its own: knowing a bearer token's signature tells nothing about sessions
        self._key = hmac.new(signing_secret.encode(), b"backoffice-session", "sha256").digest()
        self._clock = clock
        self.ttl_seconds = ttl_seconds

    def issue(self, principal: Principal) -> tuple[str, Session]:
        now = self._clock()
        expires = int((now + timedelta(seconds=self.ttl_seconds)).timestamp())
        session = Session(principal, secrets.token_urlsafe(18), expires)
        claims = {
            "iss": ISSUER,
            "sub": principal.client_id,
            "account_id": principal.account_id,
            "scope": " ".join(sorted(principal.scopes)),
            "sid": session.session_id,
            "iat": int(now.timestamp()),
            "exp": expires,
        }
        return jwt.encode(claims, self._key, algorithm=_ALGORITHM), session

    def read(self, cookie: str | None) -> Session:
        if not cookie:
            raise SessionInvalid()
        try:
            claims = jwt.decode(
                cookie,
                self._key,
                algorithms=[_ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "sub", "sid"], "verify_exp": False},
            )
        except jwt.PyJWTError as exc:
            raise SessionInvalid() from exc
        expires, account_id, scope = claims["exp"], claims.get("account_id"), claims.get("scope")
        if not isinstance(expires, int) or isinstance(expires, bool):
            raise SessionInvalid()
        if not isinstance(account_id, str) or not isinstance(scope, str):
            raise SessionInvalid()
        if expires <= self._clock().timestamp():  # the app's clock, the one it was issued with
            raise SessionInvalid(expired=True)
        principal = Principal(account_id, str(claims["sub"]), frozenset(scope.split()))
        return Session(principal, str(claims["sid"]), expires)

    # ---- CSRF ----------------------------------------------------------------------------
    def csrf_token(self, session_id: str) -> str:
        return hmac.new(self._key, b"csrf:" + session_id.encode(), hashlib.sha256).hexdigest()

    def csrf_matches(self, session_id: str, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(self.csrf_token(session_id), token)

    @staticmethod
    def new_sign_in_nonce() -> str:
        """The sign-in form has no session yet: its token is bound to a short-lived cookie."""
        return secrets.token_urlsafe(18)

    def sign_in_token(self, nonce: str) -> str:
        return hmac.new(self._key, b"sign-in:" + nonce.encode(), hashlib.sha256).hexdigest()

    def sign_in_matches(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or token is None:
            return False
        return hmac.compare_digest(self.sign_in_token(nonce), token)
