"""Queries on `idempotency_keys`. Every statement is scoped by account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from shopping.db.dialect import insert_if_absent
from shopping.models import IdempotencyKeyRow

IN_PROGRESS = "in_progress"
COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class StoredKey:
    request_hash: str
    state: str
    locked_until: datetime
    status_code: int | None
    response: Any
    expires_at: datetime


def _where(account_id: str, key: str) -> tuple[Any, ...]:
    return (IdempotencyKeyRow.account_id == account_id, IdempotencyKeyRow.key == key)


async def insert_claim(
    conn: AsyncConnection,
    account_id: str,
    key: str,
    request_hash: str,
    *,
    now: datetime,
    locked_until: datetime,
    expires_at: datetime,
) -> bool:
    return await insert_if_absent(
        conn,
        IdempotencyKeyRow,
        {
            "account_id": account_id,
            "key": key,
            "request_hash": request_hash,
            "state": IN_PROGRESS,
            "locked_until": locked_until,
            "created_at": now,
            "expires_at": expires_at,
        },
    )


async def get(
    conn: AsyncConnection, account_id: str, key: str, *, lock: bool = False
) -> StoredKey | None:
    stmt = select(
        IdempotencyKeyRow.request_hash,
        IdempotencyKeyRow.state,
        IdempotencyKeyRow.locked_until,
        IdempotencyKeyRow.status_code,
        IdempotencyKeyRow.response,
        IdempotencyKeyRow.expires_at,
    ).where(*_where(account_id, key))
    if lock:
        stmt = stmt.with_for_update()
    row = (await conn.execute(stmt)).first()
    return StoredKey(*row) if row is not None else None


async def reclaim(
    conn: AsyncConnection,
    account_id: str,
    key: str,
    request_hash: str,
    *,
    now: datetime,
    locked_until: datetime,
    expires_at: datetime,
) -> None:
    """Take over an abandoned or expired key (the caller holds its row lock)."""
    await conn.execute(
        update(IdempotencyKeyRow)
        .where(*_where(account_id, key))
        .values(
            request_hash=request_hash,
            state=IN_PROGRESS,
            locked_until=locked_until,
            status_code=None,
            response=None,
            created_at=now,
            expires_at=expires_at,
        )
    )


async def complete(
    conn: AsyncConnection, account_id: str, key: str, status_code: int, response: Any
) -> None:
    await conn.execute(
        update(IdempotencyKeyRow)
        .where(*_where(account_id, key))
        .values(state=COMPLETED, status_code=status_code, response=response)
    )


async def release(conn: AsyncConnection, account_id: str, key: str) -> None:
    """Forget an in-progress claim whose request failed without an outcome worth keeping."""
    await conn.execute(
        delete(IdempotencyKeyRow).where(
            *_where(account_id, key), IdempotencyKeyRow.state == IN_PROGRESS
        )
    )


async def purge_expired(conn: AsyncConnection, now: datetime, limit: int = 1000) -> int:
    """Delete up to `limit` expired keys of any account; the worker calls this periodically."""
    expired = (
        select(IdempotencyKeyRow.account_id, IdempotencyKeyRow.key)
        .where(IdempotencyKeyRow.expires_at < now)
        .limit(limit)
    )
    result = await conn.execute(
        delete(IdempotencyKeyRow)
        .where(tuple_(IdempotencyKeyRow.account_id, IdempotencyKeyRow.key).in_(expired))
        .returning(IdempotencyKeyRow.key)
    )
    return len(result.all())
