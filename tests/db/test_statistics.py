"""`db/statistics.py`: with autovacuum off (as on the test server), tables that changed a lot
are analyzed, so a plan made while a table was empty does not outlive its emptiness."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from shopping.db import Database, create_database
from shopping.db.statistics import (
    ADVISORY_LOCK,
    STATISTICS_TARGET,
    keep_statistics,
    refresh_statistics,
)
from tests.conftest import ensure_postgres
from tests.support.completion import settings_for
from tests.support.databases import temporary_postgres

LOOKUP = (
    "SELECT id FROM draft_orders WHERE account_id = $1 AND id = $2 FOR UPDATE"  # as repositories
)
DRAFT = (
    "INSERT INTO draft_orders (account_id, id, status, version, currency, net_amount,"
    " created_at, created_by, updated_at, document)"
    " SELECT 'T00000001', 'd' || n, 'open', 1, 'NOK', 0, now(), 'c', now(), '{}'"
    " FROM generate_series(%s::int, %s::int) n"
)


@pytest.fixture
def fresh_url() -> Iterator[str]:
    ensure_postgres()
    with temporary_postgres() as url:
        yield url


@pytest.fixture
async def db(fresh_url: str) -> AsyncIterator[Database]:
    database = create_database(settings_for(fresh_url, db_pool_size=2))
    yield database
    await database.dispose()


def _session(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)


def _add_drafts(conn: psycopg.Connection, first: int, last: int) -> None:
    conn.execute(DRAFT, (first, last))
    conn.execute("SELECT pg_stat_force_next_flush()")  # counters reach the server at once
    conn.execute("SELECT 1")


def _plan(conn: psycopg.Connection) -> str:
    rows = conn.execute("EXPLAIN EXECUTE lookup('T00000001', 'd1')").fetchall()
    return "\n".join(row[0] for row in rows)


async def test_tables_that_changed_are_analyzed_once(fresh_url: str, db: Database) -> None:
    with _session(fresh_url) as conn:
        _add_drafts(conn, 1, 200)

    assert "draft_orders" in await refresh_statistics(db)
    assert await refresh_statistics(db) == []  # nothing changed since
    with _session(fresh_url) as conn:
        stats = conn.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'draft_orders'"
        ).fetchone()
        assert stats is not None
        assert stats[0] == 200


async def test_a_plan_made_while_the_table_was_empty_is_replaced(
    fresh_url: str, db: Database
) -> None:
    with _session(fresh_url) as conn:
        conn.execute(f"PREPARE lookup(varchar, varchar) AS {LOOKUP}")
        for _ in range(6):  # past the five custom plans: the generic plan is made now
            conn.execute("EXECUTE lookup('T00000001', 'd1')")
        empty_plan = _plan(conn)
        _add_drafts(conn, 1, 5000)

        assert "pk_draft_orders" not in empty_plan  # what would stay without ANALYZE
        assert "draft_orders" in await refresh_statistics(db)
        assert "Index Scan using pk_draft_orders" in _plan(conn)


async def test_the_sample_is_small_and_the_setting_does_not_outlive_the_pass(
    fresh_url: str,
) -> None:
    database = create_database(settings_for(fresh_url, db_pool_size=1))
    try:
        with _session(fresh_url) as conn:
            _add_drafts(conn, 1, 5000)
        assert "draft_orders" in await refresh_statistics(database)
        async with database.read() as pooled:  # the one connection that analyzed
            target = (await pooled.execute(text("SHOW default_statistics_target"))).scalar_one()
        assert target == "100"  # the server's default, as before the pass
    finally:
        await database.dispose()
    with _session(fresh_url) as conn:
        bounds = conn.execute(
            "SELECT cardinality(histogram_bounds::text::text[]) FROM pg_stats"
            " WHERE tablename = 'draft_orders' AND attname = 'id'"
        ).fetchone()
    assert bounds is not None
    assert bounds[0] == STATISTICS_TARGET + 1 < 101  # the default target makes 101


async def test_one_process_at_a_time(fresh_url: str, db: Database) -> None:
    with _session(fresh_url) as holder:
        _add_drafts(holder, 1, 200)
        holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK,))
        assert await refresh_statistics(db) == []  # another process is at it
        holder.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK,))
    assert "draft_orders" in await refresh_statistics(db)


async def test_the_loop_runs_until_stopped(fresh_url: str, db: Database) -> None:
    with _session(fresh_url) as conn:
        _add_drafts(conn, 1, 200)
    stop = asyncio.Event()
    loop = asyncio.create_task(keep_statistics(db, stop, interval_seconds=0.05))
    count = text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'draft_orders'")
    analyzed = 0
    async with db.read() as conn:
        for _ in range(200):  # up to ~10 s
            if analyzed := (await conn.execute(count)).scalar_one():
                break
            await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(loop, timeout=5)  # it ends when told to
    assert analyzed == 1


async def test_nothing_to_do_on_sqlite(tmp_path: Path) -> None:
    sqlite = create_database(settings_for(f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}"))
    try:
        assert await refresh_statistics(sqlite) == []
    finally:
        await sqlite.dispose()
