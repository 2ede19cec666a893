"""Request-scoped dependencies shared by every router: path types, auth, the app's core services.

Every service is built once by `create_app` and kept on `app.state` under its own name; a
handler asks for the ones it uses through small typed dependencies (`Annotated[X, Depends(...)]`),
so a test can replace any of them with `app.dependency_overrides`. The getters are `async`:
FastAPI runs a plain `def` dependency in a worker thread.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from shopping.auth.principal import Principal
from shopping.auth.tokens import TokenIssuer
from shopping.config import Settings
from shopping.db import Database
from shopping.errors import Forbidden, Unauthorized
from shopping.idempotency.runner import WriteRunner
from shopping.kit.clock import Clock
from shopping.kit.requests import ApiCall, build_call

ACCOUNT_ID_PATTERN = r"^[PT]\d{8}$"

AccountId = Annotated[
    str, Path(pattern=ACCOUNT_ID_PATTERN, description="Account id: T (test) or P and 8 digits")
]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_writes(request: Request) -> WriteRunner:
    writes: WriteRunner = request.app.state.writes
    return writes


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_tokens(request: Request) -> TokenIssuer:
    tokens: TokenIssuer = request.app.state.tokens
    return tokens


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
#: Runs a write once per Idempotency-Key, in one transaction (`idempotency/runner.py`)
WritesDep = Annotated[WriteRunner, Depends(get_writes)]
TokensDep = Annotated[TokenIssuer, Depends(get_tokens)]
ClockDep = Annotated[Clock, Depends(get_clock)]


class Authorize:
    """Verifies the bearer token, that it belongs to the path's account, and its scopes.

    `any_of`: the caller needs at least one of these scopes.
    """

    def __init__(self, any_of: frozenset[str]) -> None:
        self.any_of = any_of

    async def __call__(self, request: Request, aid: AccountId) -> Principal:
        principal = authenticate_bearer(request)
        if principal.account_id != aid:
            raise Forbidden(f"The access token is not valid for account {aid}")
        if not principal.has_any(self.any_of):
            raise Forbidden(
                "The access token lacks the required scope: one of "
                + ", ".join(sorted(self.any_of))
            )
        return principal


class AuthorizedCall:
    """A dependency: the call of a caller authorized for one of `any_of` (`Authorize`), as the
    `ApiCall` services take. One dependency for both, as every API route needs both."""

    def __init__(self, any_of: frozenset[str]) -> None:
        self.authorize = Authorize(any_of)

    async def __call__(self, request: Request, aid: AccountId) -> ApiCall:
        return await call_of(request, await self.authorize(request, aid))


async def call_of(request: Request, principal: Principal) -> ApiCall:
    """The `ApiCall` of an authorized request."""
    settings: Settings = request.app.state.settings
    return await build_call(request, principal, settings.public_url)


def authenticate_bearer(request: Request) -> Principal:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("An access token is required (Authorization: Bearer ...)")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The Authorization header must be 'Bearer <token>'")
    tokens: TokenIssuer = request.app.state.tokens
    return tokens.verify(token.strip())


def require_scope(principal: Principal, any_of: frozenset[str], reason: str) -> None:
    """An extra, request-dependent scope check (e.g. `apply_discounts=true`)."""
    if not principal.has_any(any_of):
        raise Forbidden(f"{reason} needs one of the scopes: " + ", ".join(sorted(any_of)))
