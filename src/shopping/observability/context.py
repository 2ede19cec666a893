"""Per-request facts shared by the middlewares and the logs: request id, caller, route.

Everything here runs on every request, so it is plain dict and bytes work: regular
expressions are compiled once, the bearer token is verified through the issuer's cache.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from typing import Final

from starlette.types import Scope

from shopping.auth.principal import Principal
from shopping.auth.tokens import TokenIssuer
from shopping.errors import ShoppingError

REQUEST_ID_HEADER: Final = b"x-request-id"
MAX_REQUEST_ID_LENGTH: Final = 128
_SANE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,%d}" % MAX_REQUEST_ID_LENGTH)

#: where the middlewares keep what they found out about a request
PRINCIPAL_KEY: Final = "shopping.principal"
ROUTE_KEY: Final = "shopping.route"
#: the route label of requests that matched no route (never the raw path: unbounded labels)
UNMATCHED: Final = "<unmatched>"

_UNSET: Final = object()

request_id_var: ContextVar[str | None] = ContextVar("shopping_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled (for logs written while handling it)."""
    return request_id_var.get()


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's `X-Request-Id` when it is a sane token, else a new one."""
    for name, value in headers:
        if name == REQUEST_ID_HEADER:
            if _SANE_REQUEST_ID.fullmatch(value):
                return value.decode("ascii")
            break
    return os.urandom(16).hex()  # 128 random bits, as a UUID4 has (122), at less cost


def header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def principal_of(scope: Scope, tokens: TokenIssuer) -> Principal | None:
    """The caller named by a valid bearer token, else None; remembered on the scope.

    `TokenIssuer.verify` caches verified tokens, so the `Authorize` dependency checking the
    same token again later costs a dict lookup.
    """
    found = scope.get(PRINCIPAL_KEY, _UNSET)
    if found is not _UNSET:
        assert found is None or isinstance(found, Principal)
        return found
    principal = None
    value = header(scope, b"authorization")
    if value is not None:
        scheme, _, token = value.partition(b" ")
        token = token.strip()
        if scheme.lower() == b"bearer" and token:
            try:
                principal = tokens.verify(token.decode("latin-1"))
            except ShoppingError:  # invalid or expired: the route answers 401
                principal = None
    scope[PRINCIPAL_KEY] = principal
    return principal


def route_of(scope: Scope) -> str:
    """The route template (`/v1/accounts/{aid}/shopping/orders/{order_id}`) of a request."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    found = scope.get(ROUTE_KEY)
    return found if isinstance(found, str) else UNMATCHED
