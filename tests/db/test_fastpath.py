"""Deferred writes: sent together before commit, dropped on rollback, never leaked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from shopping.db import fastpath
from shopping.db.statements import insert_into
from shopping.models import OrderIdReservation

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _row(account: str, order_id: str) -> dict[str, object]:
    return {"account_id": account, "order_id": order_id, "draft_id": None, "created_at": NOW}


async def _count(app: FastAPI, account: str) -> int:
    async with app.state.shopping.db.read() as conn:
        stmt = (
            select(func.count())
            .select_from(OrderIdReservation)
            .where(OrderIdReservation.account_id == account)
        )
        return int((await conn.execute(stmt)).scalar_one())


async def test_deferred_writes_commit_with_the_transaction(app: FastAPI, account: str) -> None:
    async with app.state.shopping.db.write() as conn:
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "B"))
    assert await _count(app, account) == 2


async def test_deferred_writes_roll_back_with_the_transaction(app: FastAPI, account: str) -> None:
    async def fail_after_a_deferred_write() -> None:
        async with app.state.shopping.db.write() as conn:
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        await fail_after_a_deferred_write()
    assert await _count(app, account) == 0
    async with app.state.shopping.db.write() as conn:  # nothing left queued on the connection
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "B"))
    assert await _count(app, account) == 1


async def test_a_statement_returning_rows_sees_queued_writes(app: FastAPI, account: str) -> None:
    stmt = (
        select(func.count())
        .select_from(OrderIdReservation)
        .where(OrderIdReservation.account_id == account)
    )
    async with app.state.shopping.db.write() as conn:
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
        rows = await fastpath.run(conn, stmt, {})
    assert rows.first()[0] == 1
