"""Postgres connections from the pool (`db/database.py`, `db/liveness.py`): reused while they
are healthy, rolled back when a unit left a transaction open, and never lent when the server
ended their session while they sat in the pool."""

from __future__ import annotations

import asyncio
import select
import time
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import URL, make_url, text

from shopping.db import Database, create_database
from shopping.db.postgres import PostgresUnitOfWork
from shopping.db.unit_of_work import UnitOfWork
from tests.support.completion import settings_for
from tests.support.tcp_proxy import TcpProxy


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    if not database_url.startswith("postgresql"):
        pytest.skip("pooled psycopg connections: Postgres")
    database = create_database(settings_for(database_url, db_pool_size=2, db_max_overflow=0))
    yield database
    await database.dispose()


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[Database]:
    if not database_url.startswith("postgresql"):
        pytest.skip("pooled psycopg connections: Postgres")
    database = create_database(settings_for(database_url, db_pool_size=1, db_max_overflow=0))
    yield database
    await database.dispose()


def _driver(uow: UnitOfWork) -> Any:
    assert isinstance(uow, PostgresUnitOfWork)
    return uow.connection


async def _session(db: Database, unit: str = "read") -> tuple[Any, int]:
    """The psycopg connection a unit of work gets, and its server process id."""
    async with getattr(db, unit)() as uow:
        pid = await uow.scalar(text("SELECT pg_backend_pid()"))
        return _driver(uow), int(pid)


async def test_consecutive_units_reuse_one_connection(one_connection: Database) -> None:
    db = one_connection
    first = await _session(db, "read")
    second = await _session(db, "write")
    third = await _session(db, "read")

    assert first == second == third


async def test_a_unit_that_failed_with_the_session_idle_keeps_its_connection(
    one_connection: Database,
) -> None:
    db = one_connection
    before = await _session(db)
    with pytest.raises(LookupError):
        async with db.read():
            raise LookupError("not found")  # e.g. a 404 raised inside the unit

    assert await _session(db) == before


async def test_a_connection_left_in_a_transaction_is_rolled_back_before_it_is_lent(
    db: Database,
) -> None:
    async with db.read() as uow:
        left = _driver(uow)
        await left.execute("BEGIN")
        await left.execute("CREATE TEMPORARY TABLE leaked (x int)")

    async with db.read() as uow:
        assert _driver(uow).info.transaction_status == TransactionStatus.IDLE
        # the pool rolled the transaction back before anyone got the connection again
        assert await uow.scalar(text("SELECT to_regclass('pg_temp.leaked') IS NOT NULL")) is False


async def test_a_pooled_connection_the_server_closed_is_replaced_before_a_unit_gets_it(
    one_connection: Database, database_url: str
) -> None:
    db = one_connection
    driver, pid = await _session(db)
    _terminate(database_url, pid, driver)  # a restart or failover ends sessions the same way

    _, replaced = await _session(db)  # no unit fails on the dead one

    assert replaced != pid


async def test_a_pooled_connection_whose_goodbye_came_before_its_end_of_stream_is_replaced(
    database_url: str,
) -> None:
    """The server sends its goodbye, then closes the socket as its process exits: a unit of
    work that checks out in between must not get the connection. A proxy holds the end of
    the stream back to make that moment last."""
    if not database_url.startswith("postgresql"):
        pytest.skip("pooled psycopg connections: Postgres")
    async with _EndOfStreamDelayed(make_url(database_url)) as proxy:
        db = create_database(settings_for(proxy.url, db_pool_size=1, db_max_overflow=0))
        try:
            driver, pid = await _session(db)
            _terminate(database_url, pid)
            for _ in range(500):  # the proxy runs on this loop: let it pass the goodbye on
                if select.select([driver.pgconn.socket], [], [], 0)[0]:
                    break
                await asyncio.sleep(0.01)
            assert not proxy.closed.is_set()  # the goodbye is there, the end of stream is not

            _, replaced = await _session(db)

            assert replaced != pid
        finally:
            await db.dispose()


class _EndOfStreamDelayed(TcpProxy):
    """A TCP proxy to Postgres that passes everything through at once, except the server's
    end of stream, which it passes on a few seconds late."""

    def __init__(self, target: URL, delay: float = 5.0) -> None:
        super().__init__(target)
        self._delay = delay
        self.closed = asyncio.Event()  # a client's stream ended

    def pumps(
        self,
        client_in: asyncio.StreamReader,
        client_out: asyncio.StreamWriter,
        server_in: asyncio.StreamReader,
        server_out: asyncio.StreamWriter,
    ) -> list[Coroutine[Any, Any, None]]:
        return [
            self._pump(client_in, server_out, delay_end=False),
            self._pump(server_in, client_out, delay_end=True),
        ]

    async def _pump(
        self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, delay_end: bool
    ) -> None:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
        if delay_end:
            await asyncio.sleep(self._delay)
            self.closed.set()
        sink.close()


async def test_a_pooled_connection_with_a_notification_to_read_stays_in_use(
    one_connection: Database, database_url: str
) -> None:
    db = one_connection
    async with db.read() as uow:
        await uow.execute(text("LISTEN shopping_pool_test"))
        driver = _driver(uow)
    with psycopg.connect(_libpq(database_url), autocommit=True) as admin:
        admin.execute("NOTIFY shopping_pool_test")
    readable, _, _ = select.select([driver.pgconn.socket], [], [], 5)
    assert readable  # something to read, as on a closed session: but this one is alive

    kept, _ = await _session(db)

    assert kept is driver


async def test_a_connection_that_fails_mid_unit_is_not_lent_again(
    db: Database, database_url: str
) -> None:
    async with db.read() as uow:
        pid = int(await uow.scalar(text("SELECT pg_backend_pid()")))
        _terminate(database_url, pid)  # the server goes away while the unit runs
        with pytest.raises(psycopg.OperationalError):
            await uow.execute(text("SELECT 1"))

    _, replaced = await _session(db)

    assert replaced != pid


def _terminate(database_url: str, pid: int, driver: Any = None) -> None:
    """End a session from another one, and wait until its server process is gone and, given
    the session's connection, until the connection has heard of it (a server process leaves
    `pg_stat_activity` a moment before it closes its socket)."""
    with psycopg.connect(_libpq(database_url), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for _ in range(100):
            gone = admin.execute("SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = %s", (pid,))
            if gone.fetchone() == (True,):
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"session {pid} did not end")
    if driver is not None:
        readable, _, _ = select.select([driver.pgconn.socket], [], [], 5)
        assert readable, f"the connection of session {pid} never heard that it ended"


async def test_units_waiting_for_a_full_pool_get_the_connections_as_they_come_back(
    db: Database,
) -> None:
    # two connections at most (pool 2, no overflow) for twenty units at once
    async def unit() -> int:
        async with db.write() as uow:
            await uow.execute(text("SELECT pg_sleep(0.01)"))
            return int(await uow.scalar(text("SELECT pg_backend_pid()")))

    pids = await asyncio.wait_for(asyncio.gather(*(unit() for _ in range(20))), timeout=20)

    assert len(set(pids)) <= 2


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")
