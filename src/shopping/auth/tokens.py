"""JWT bearer tokens (HS256) carrying the account, the client id and the scopes."""

from __future__ import annotations

from datetime import timedelta

import jwt

from shopping.auth.principal import Principal
from shopping.errors import Unauthorized
from shopping.kit.clock import Clock, utc_now

ISSUER = "shopping-api"
_ALGORITHM = "HS256"


class TokenIssuer:
    def __init__(self, secret: str, ttl_seconds: int, clock: Clock = utc_now) -> None:
        self._secret = secret
        self.ttl_seconds = ttl_seconds
        self._clock = clock

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
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "aud"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The access token has expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("The access token is invalid") from exc
        account_id, scope = claims.get("account_id"), claims.get("scope", "")
        if not isinstance(account_id, str) or not isinstance(scope, str):
            raise Unauthorized("The access token is invalid")
        return Principal(account_id, str(claims["sub"]), frozenset(scope.split()))


def audience(account_id: str) -> str:
    return f"https://api.dintero.com/v1/accounts/{account_id}"
