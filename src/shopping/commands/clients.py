"""`shopping-api clients create | list | revoke`: API clients of one account."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from shopping.auth.clients import (
    ClientInfo,
    NewClient,
    Revocation,
    create_client,
    list_clients,
    revoke_client,
)
from shopping.config import Settings
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import utc_now

T = TypeVar("T")


async def _in_transaction(settings: Settings, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    from shopping.db import create_database

    db = create_database(settings)
    try:
        async with db.write() as uow:
            return await work(uow)
    finally:
        await db.dispose()


async def store_client(
    settings: Settings, account_id: str, scopes: list[str], name: str
) -> NewClient:
    return await _in_transaction(settings, lambda uow: create_client(uow, account_id, scopes, name))


async def clients_of(settings: Settings, account_id: str) -> list[ClientInfo]:
    return await _in_transaction(settings, lambda uow: list_clients(uow, account_id))


async def revoke(settings: Settings, account_id: str, client_id: str) -> Revocation:
    now = utc_now()
    return await _in_transaction(
        settings, lambda uow: revoke_client(uow, account_id, client_id, now)
    )


def client_json(client: ClientInfo) -> dict[str, object]:
    return {
        "client_id": client.client_id,
        "account_id": client.account_id,
        "name": client.name,
        "scopes": client.scopes,
        "created_at": client.created_at.isoformat(),
        "revoked_at": None if client.revoked_at is None else client.revoked_at.isoformat(),
    }


def client_line(client: ClientInfo) -> str:
    state = "active" if client.revoked_at is None else f"revoked {client.revoked_at:%Y-%m-%d}"
    created = f"{client.created_at:%Y-%m-%d}"
    return f"{client.client_id}  {created}  {state:<18}  {client.name}  {' '.join(client.scopes)}"
