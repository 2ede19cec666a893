"""Postgres connections kept between units of work (`db/leases.py`): reused when they come back
ready, handed back to the pool otherwise, never held from a checkout that waits for one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from shopping.db import Database, create_database
from shopping.db.fastpath import _driver
from tests.support.completion import settings_for


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    if not database_url.startswith("postgresql"):
        pytest.skip("connections kept between units of work: Postgres")
    database = create_database(settings_for(database_url, db_pool_size=2, db_max_overflow=0))
    yield database
    await database.dispose()


async def _session(db: Database, unit: str = "read") -> tuple[Any, int]:
    """The psycopg connection a unit of work gets, and its server process id."""
    async with getattr(db, unit)() as conn:
        driver = await _driver(conn)
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        return driver, int(pid)


async def test_consecutive_units_reuse_one_connection(db: Database) -> None:
    first = await _session(db, "read")
    second = await _session(db, "write")
    third = await _session(db, "read")

    assert first == second == third


async def test_a_unit_that_failed_with_the_session_idle_keeps_its_connection(
    db: Database,
) -> None:
    before = await _session(db)
    with pytest.raises(LookupError):
        async with db.read():
            raise LookupError("not found")  # e.g. a 404 raised inside the unit

    assert await _session(db) == before


async def test_a_connection_left_in_a_transaction_is_not_lent_again(db: Database) -> None:
    async with db.read() as conn:
        left = await _driver(conn)
        await left.execute("BEGIN")
        await left.execute("CREATE TEMPORARY TABLE leaked (x int)")

    async with db.read() as conn:
        driver = await _driver(conn)
        assert driver.info.transaction_status == TransactionStatus.IDLE
        # the pool rolled the transaction back before anyone got the connection again
        exists = await conn.execute(text("SELECT to_regclass('pg_temp.leaked') IS NOT NULL"))
        assert exists.scalar_one() is False


async def test_a_broken_connection_is_replaced(db: Database, database_url: str) -> None:
    _, pid = await _session(db)
    with psycopg.connect(_libpq(database_url), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    with pytest.raises(DBAPIError):
        await _session(db)  # the unit that finds out
    _, replaced = await _session(db)

    assert replaced != pid


async def test_units_waiting_for_a_full_pool_get_the_connections_as_they_come_back(
    db: Database,
) -> None:
    # two connections at most (pool 2, no overflow) for twenty units at once: each unit that
    # ends must hand its connection to a waiting checkout, not keep it idle
    async def unit() -> int:
        async with db.write() as conn:
            await conn.execute(text("SELECT pg_sleep(0.01)"))
            return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())

    pids = await asyncio.wait_for(asyncio.gather(*(unit() for _ in range(20))), timeout=20)

    assert len(set(pids)) <= 2


async def test_connections_go_back_to_the_pool_when_too_old_or_disposed(
    db: Database,
) -> None:
    checkins: list[object] = []
    event.listen(db.engine.sync_engine, "checkin", lambda *_: checkins.append(1))
    leases = db._leases
    assert leases is not None

    await _session(db)
    await _session(db)
    assert (len(checkins), leases.idle) == (0, 1)  # kept, never checked in

    leases._max_age = 0.0
    await _session(db)
    assert (len(checkins), leases.idle) == (1, 1)  # the old one went back; a fresh one kept

    await db.dispose()
    assert (len(checkins), leases.idle) == (2, 0)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")
