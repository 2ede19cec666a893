"""A statement that runs too long is stopped by the database, and one whose caller
goes away is cancelled in the database: either way the unit of work fails, nothing is left
running or open, and the connection serves the next unit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import psycopg
import pytest
from sqlalchemy import Float, bindparam, func, select, text

from shopping.db import Database, create_database
from tests.support.completion import settings_for

TIMEOUT_MS = 200
SLEEP = select(func.pg_sleep(bindparam("seconds", type_=Float())).label("slept"))
UNITS = ("read", "write")
LEFT_BEHIND = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND pid <> pg_backend_pid()"
    " AND (state LIKE 'idle in transaction%' OR (state = 'active' AND query LIKE '%pg_sleep%'))"
)

DatabaseFor = Callable[[int], Database]


@pytest.fixture
async def database_for(database_url: str) -> AsyncIterator[DatabaseFor]:
    """A database with one connection and the given statement timeout."""
    if not database_url.startswith("postgresql"):
        pytest.skip("server-side statement timeouts: Postgres")
    made: list[Database] = []

    def make(timeout_ms: int) -> Database:
        settings = settings_for(
            database_url, db_pool_size=1, db_max_overflow=0, db_statement_timeout_ms=timeout_ms
        )
        made.append(create_database(settings))
        return made[-1]

    yield make
    for database in made:
        await database.dispose()


async def _assert_usable(db: Database) -> None:
    async with db.write() as conn:
        await conn.one(SLEEP, {"seconds": 0.0})
    async with db.read() as conn:
        assert await conn.one(SLEEP, {"seconds": 0.0}) is not None
        assert await conn.scalar(LEFT_BEHIND) == 0


@pytest.mark.parametrize("unit", UNITS)
async def test_a_statement_past_the_timeout_is_stopped(
    database_for: DatabaseFor, unit: str
) -> None:
    db = database_for(TIMEOUT_MS)
    with pytest.raises(psycopg.errors.QueryCanceled):
        async with getattr(db, unit)() as conn:
            await conn.one(SLEEP, {"seconds": 30.0})
    await _assert_usable(db)


@pytest.mark.parametrize("unit", UNITS)
async def test_a_statement_whose_caller_goes_away_is_cancelled(
    database_for: DatabaseFor, unit: str
) -> None:
    db = database_for(60_000)

    async def sleep_long() -> None:
        async with getattr(db, unit)() as conn:
            await conn.one(SLEEP, {"seconds": 30.0})

    loop = asyncio.get_running_loop()
    started = loop.time()
    task = asyncio.create_task(sleep_long())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await _assert_usable(db)
    assert loop.time() - started < 10  # stopped in the database, not waited out
