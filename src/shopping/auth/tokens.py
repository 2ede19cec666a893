"""JWT bearer tokens (HS256) carrying the account, the client id and the scopes."""

from __future__ import annotations

from datetime import timedelta

import jwt

from shopping.auth.principal import Principal
from shopping.errors import Unauthorized
from shopping.kit.clock import Clock, utc_now

ISSUER = "shopping-api"
_CACHE_SIZE = 10_000
_ALGORITHM = "HS256"


class TokenIssuer:
    def __init__(self, secret: str, ttl_seconds: int, clock: Clock = utc_now) -> None:
        self._secret = secret
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._verified: dict[str, tuple[Principal, float]] = {}

    def issue(self, principal: Principal) -> str:
        now = self._clock()
        claims = {
            "iss": ISSUER,
            "sub": principal.client_id,
            "aud": audience(principal.account_id),
            "account_id": principal.account_id,
            "scope": " ".join(sorted(principal.scopes)),
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self.ttl_seconds)).timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def verify(self, token: str) -> Principal:
        """The token's principal. A token seen before is not decoded again: its signature
        was checked then, so only its expiry is (a cache hit costs a dict lookup, not an
        HMAC and JSON parsing on every request)."""
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires_at = cached
            if self._clock().timestamp() < expires_at:
                return principal
            del self._verified[token]
        principal, expires_at = self._decode(token)
        if len(self._verified) >= _CACHE_SIZE:
            self._verified.pop(next(iter(self._verified)))  # oldest first
        self._verified[token] = (principal, expires_at)
        return principal

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                issuer=ISSUER,
                # expiry is checked below against our clock, the one tokens are issued with
                options={
                    "require": ["exp", "iat", "sub", "aud"],
                    "verify_aud": False,
                    "verify_exp": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized("The access token is invalid") from exc
        expires = claims["exp"]
        if not isinstance(expires, int | float) or isinstance(expires, bool):
            raise Unauthorized("The access token is invalid")
        if expires <= self._clock().timestamp():
            raise Unauthorized("The access token has expired")
        account_id, scope = claims.get("account_id"), claims.get("scope", "")
        if not isinstance(account_id, str) or not isinstance(scope, str):
            raise Unauthorized("The access token is invalid")
        principal = Principal(account_id, str(claims["sub"]), frozenset(scope.split()))
        return principal, float(claims["exp"])


def audience(account_id: str) -> str:
    return f"https://api.dintero.com/v1/accounts/{account_id}"
