"""API clients: created, listed and revoked from the CLI, authenticated at the token endpoint.

Revoking a client stops it from getting new tokens at once. Tokens it already holds keep
working until they expire (at most `SHOPPING_TOKEN_TTL_SECONDS` after they were issued): a
bearer token is checked by its signature alone, so no request pays a database read for it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy import bindparam, insert, select, update

from shopping.auth.client_secrets import dummy_hash, hash_secret, new_secret, verify_secret
from shopping.auth.principal import Principal
from shopping.db.unit_of_work import UnitOfWork
from shopping.errors import InvalidClient
from shopping.kit.clock import utc_now
from shopping.kit.ids import new_uuid
from shopping.models import ApiClient


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str
    account_id: str
    scopes: list[str]
    name: str


@dataclass(frozen=True)
class ClientInfo:
    """What is known about a client, without its secret."""

    client_id: str
    account_id: str
    name: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None


class Revocation(Enum):
    REVOKED = "revoked"
    ALREADY_REVOKED = "already revoked"
    UNKNOWN = "unknown"


_INSERT = insert(ApiClient).values(
    account_id=bindparam("account_id"),
    client_id=bindparam("client_id"),
    name=bindparam("name"),
    secret_hash=bindparam("secret_hash"),
    scopes=bindparam("scopes", type_=ApiClient.__table__.c.scopes.type),
    created_at=bindparam("created_at", type_=ApiClient.__table__.c.created_at.type),
)
_ACTIVE_SECRET = select(ApiClient.secret_hash, ApiClient.scopes).where(
    ApiClient.account_id == bindparam("account_id"),
    ApiClient.client_id == bindparam("client_id"),
    ApiClient.revoked_at.is_(None),
)
_OF_ACCOUNT = (
    select(
        ApiClient.client_id,
        ApiClient.account_id,
        ApiClient.name,
        ApiClient.scopes,
        ApiClient.created_at,
        ApiClient.revoked_at,
    )
    .where(ApiClient.account_id == bindparam("account_id"))
    .order_by(ApiClient.created_at, ApiClient.client_id)
)
# an UPDATE's own columns name their SET parameters: the WHERE ones take other names
_REVOKE = (
    update(ApiClient)
    .where(
        ApiClient.account_id == bindparam("of_account"),
        ApiClient.client_id == bindparam("of_client"),
        ApiClient.revoked_at.is_(None),
    )
    .values(revoked_at=bindparam("revoked_at", type_=ApiClient.__table__.c.revoked_at.type))
)
_EXISTS = select(ApiClient.client_id).where(
    ApiClient.account_id == bindparam("account_id"),
    ApiClient.client_id == bindparam("client_id"),
)


async def create_client(
    uow: UnitOfWork, account_id: str, scopes: list[str], name: str
) -> NewClient:
    """Store a client; the secret is returned once and kept only as a hash."""
    client_id, secret = new_uuid(), new_secret()
    unique_scopes = sorted(set(scopes))
    await uow.execute(
        _INSERT,
        {
            "account_id": account_id,
            "client_id": client_id,
            "name": name,
            "secret_hash": hash_secret(secret),
            "scopes": unique_scopes,
            "created_at": utc_now(),
        },
    )
    return NewClient(client_id, secret, account_id, unique_scopes, name)


async def authenticate(uow: UnitOfWork, account_id: str, client_id: str, secret: str) -> Principal:
    """The client's principal if the credentials are valid for this account, else 401.
    A revoked client is refused like an unknown one."""
    row = await uow.one(_ACTIVE_SECRET, {"account_id": account_id, "client_id": client_id})
    # scrypt is deliberately slow: keep it off the event loop; unknown clients pay it too
    stored = row.secret_hash if row is not None else dummy_hash()
    if not await asyncio.to_thread(verify_secret, secret, stored) or row is None:
        raise InvalidClient()
    return Principal(account_id, client_id, frozenset(row.scopes))


async def list_clients(uow: UnitOfWork, account_id: str) -> list[ClientInfo]:
    """The account's clients, revoked ones included, oldest first."""
    rows = await uow.all(_OF_ACCOUNT, {"account_id": account_id})
    return [
        ClientInfo(
            client_id=row.client_id,
            account_id=row.account_id,
            name=row.name,
            scopes=list(row.scopes),
            created_at=row.created_at,
            revoked_at=row.revoked_at,
        )
        for row in rows
    ]


async def revoke_client(
    uow: UnitOfWork, account_id: str, client_id: str, now: datetime
) -> Revocation:
    """Refuse the client new tokens from now on; revoking twice keeps the first time."""
    revoked = {"of_account": account_id, "of_client": client_id, "revoked_at": now}
    if await uow.execute(_REVOKE, revoked):
        return Revocation.REVOKED
    if await uow.scalar(_EXISTS, {"account_id": account_id, "client_id": client_id}) is not None:
        return Revocation.ALREADY_REVOKED
    return Revocation.UNKNOWN
