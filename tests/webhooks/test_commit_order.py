"""On Postgres, readers take outbox messages in commit order (`tx_id`, then `position`). A
transaction that waited for a draft's lock may hold an older transaction id than the one it
waited for; its message must still come after that one's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from shopping.db import Database
from shopping.db.unit_of_work import UnitOfWork
from shopping.draft_orders import repository as drafts
from shopping.models import OutboxMessageRow
from shopping.webhooks.outbox import emit
from tests.support.drafts import create_draft

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def _emit(conn: UnitOfWork, account: str, draft_id: str, sequence: int) -> None:
    await emit(
        conn,
        account_id=account,
        event="shopping_draft_update",
        aggregate_id=draft_id,
        resource={},
        now=NOW,
        sequence=sequence,
    )


async def test_a_lock_waiter_with_an_older_transaction_id_comes_after(
    app: FastAPI, api: httpx.AsyncClient, account: str, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("transaction ids order the outbox: Postgres")
    db: Database = app.state.db
    draft_id = (await create_draft(api))["id"]  # its message 1
    waiter_began, holder_locked = asyncio.Event(), asyncio.Event()
    xids: dict[str, int] = {}

    async def waiter() -> None:
        async with db.write() as conn:
            xids["waiter"] = await _xid(conn)  # taken before the holder's
            waiter_began.set()
            await holder_locked.wait()
            await drafts.get_draft(conn, account, draft_id, lock=True)  # waits for the holder
            await _emit(conn, account, draft_id, 3)

    async def holder() -> None:
        await waiter_began.wait()
        async with db.write() as conn:
            await drafts.get_draft(conn, account, draft_id, lock=True)
            xids["holder"] = await _xid(conn)
            holder_locked.set()
            await asyncio.sleep(0.2)  # the waiter queues on the lock meanwhile
            await _emit(conn, account, draft_id, 2)

    await asyncio.wait_for(asyncio.gather(waiter(), holder()), timeout=30)

    assert xids["waiter"] < xids["holder"]
    async with db.read() as conn:
        in_commit_order = await conn.all(
            select(OutboxMessageRow.sequence)
            .where(
                OutboxMessageRow.account_id == account,
                OutboxMessageRow.aggregate_id == draft_id,
            )
            .order_by(OutboxMessageRow.tx_id, OutboxMessageRow.position)
        )
        assert [row.sequence for row in in_commit_order] == [1, 2, 3]


async def _xid(conn: UnitOfWork) -> int:
    return int(await conn.scalar(text("SELECT pg_current_xact_id()::text::bigint")))
