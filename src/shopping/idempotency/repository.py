"""Queries on `idempotency_keys`. Every statement is scoped by account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, tuple_, update

from shopping.db.dialect import insert_if_absent
from shopping.db.unit_of_work import UnitOfWork
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


_KEY = (
    IdempotencyKeyRow.account_id == bindparam("owner"),
    IdempotencyKeyRow.key == bindparam("idempotency_key"),
)
_GET = select(
    IdempotencyKeyRow.request_hash,
    IdempotencyKeyRow.state,
    IdempotencyKeyRow.locked_until,
    IdempotencyKeyRow.status_code,
    IdempotencyKeyRow.response,
    IdempotencyKeyRow.expires_at,
).where(*_KEY)
_GET_FOR_UPDATE = _GET.with_for_update()
_RECLAIM = (
    update(IdempotencyKeyRow)
    .where(*_KEY)
    .values(
        request_hash=bindparam("new_hash"),
        state=IN_PROGRESS,
        locked_until=bindparam("lease_until"),
        status_code=None,
        response=None,
        created_at=bindparam("now"),
        expires_at=bindparam("expiry"),
    )
)
_COMPLETE = (
    update(IdempotencyKeyRow)
    .where(*_KEY)
    .values(state=COMPLETED, status_code=bindparam("outcome_status"), response=bindparam("outcome"))
)
_RELEASE = delete(IdempotencyKeyRow).where(*_KEY, IdempotencyKeyRow.state == IN_PROGRESS)
_PURGE = (
    delete(IdempotencyKeyRow)
    .where(
        tuple_(IdempotencyKeyRow.account_id, IdempotencyKeyRow.key).in_(
            select(IdempotencyKeyRow.account_id, IdempotencyKeyRow.key)
            .where(IdempotencyKeyRow.expires_at < bindparam("now"))
            .limit(bindparam("limit"))
        )
    )
    .returning(IdempotencyKeyRow.key)
)


async def insert_claim(
    uow: UnitOfWork,
    account_id: str,
    key: str,
    request_hash: str,
    *,
    now: datetime,
    locked_until: datetime,
    expires_at: datetime,
) -> bool:
    return await insert_if_absent(
        uow,
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
    uow: UnitOfWork, account_id: str, key: str, *, lock: bool = False
) -> StoredKey | None:
    row = await uow.one(
        _GET_FOR_UPDATE if lock else _GET, {"owner": account_id, "idempotency_key": key}
    )
    return StoredKey(*row) if row is not None else None


async def reclaim(
    uow: UnitOfWork,
    account_id: str,
    key: str,
    request_hash: str,
    *,
    now: datetime,
    locked_until: datetime,
    expires_at: datetime,
) -> None:
    """Take over an abandoned or expired key (the caller holds its row lock)."""
    await uow.queue(
        _RECLAIM,
        {
            "owner": account_id,
            "idempotency_key": key,
            "new_hash": request_hash,
            "lease_until": locked_until,
            "now": now,
            "expiry": expires_at,
        },
    )


async def complete(
    uow: UnitOfWork, account_id: str, key: str, status_code: int, response: Any
) -> None:
    params = {"owner": account_id, "idempotency_key": key, "outcome_status": status_code}
    await uow.queue(_COMPLETE, {**params, "outcome": response})


async def release(uow: UnitOfWork, account_id: str, key: str) -> None:
    """Forget an in-progress claim whose request failed without an outcome worth keeping."""
    await uow.queue(_RELEASE, {"owner": account_id, "idempotency_key": key})


async def purge_expired(uow: UnitOfWork, now: datetime, limit: int = 1000) -> int:
    """Delete up to `limit` expired keys of any account; the worker calls this periodically."""
    return len(await uow.all(_PURGE, {"now": now, "limit": limit}))
