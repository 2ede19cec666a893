"""API clients: created from the CLI, authenticated at the token endpoint."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select

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


_INSERT = insert(ApiClient)
_CREDENTIALS = select(ApiClient.secret_hash, ApiClient.scopes).where(
    ApiClient.account_id == bindparam("account_id"),
    ApiClient.client_id == bindparam("client_id"),
    ApiClient.revoked_at.is_(None),
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
    """The client's principal if the credentials are valid for this account, else 401."""
    row = await uow.one(_CREDENTIALS, {"account_id": account_id, "client_id": client_id})
    # scrypt is deliberately slow: keep it off the event loop; unknown clients pay it too
    stored = row.secret_hash if row is not None else dummy_hash()
    if not await asyncio.to_thread(verify_secret, secret, stored) or row is None:
        raise InvalidClient()
    return Principal(account_id, client_id, frozenset(row.scopes))
