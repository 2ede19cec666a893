"""Postgres connections lent to one unit of work at a time, without a pool round trip.

Checking a connection out of SQLAlchemy's pool and back in costs ~70 us of CPU per request
(two greenlet switches, a rollback-on-return, a shielded close task) against ~10 us for a bare
psycopg pool, on requests that cost ~1 ms in all. `ConnectionLeases` keeps up to `keep`
connections checked out of the engine's pool and lends them out again: the most recently
returned first, so a few hot connections serve a light load.

A connection is kept only when it comes back as the next unit of work needs it: valid, no
transaction open (units on Postgres run in autocommit and close their own transactions), and
nobody waiting for the pool. Anything else goes back to SQLAlchemy's pool, which resets or
discards it as usual. After `max_age_seconds` a kept connection goes back too, so the pool's
recycling still applies.

A kept connection whose session the server ended while it was idle (a restart, a failover,
`pg_terminate_backend`) is discarded before it is lent, as the pool discards one it hands out
(`closed_by_server`, checked on every checkout): the unit of work gets a live connection
instead of failing on a dead one.
"""

from __future__ import annotations

import select
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from psycopg import OperationalError
from psycopg.errors import Diagnostic
from psycopg.pq import ConnStatus, TransactionStatus
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


class ConnectionLeases:
    def __init__(self, engine: AsyncEngine, *, keep: int, max_age_seconds: float) -> None:
        self._engine = engine
        self._keep = keep
        self._max_age = max_age_seconds
        self._idle: list[tuple[AsyncConnection, float]] = []  # (connection, held since)
        self._connecting = 0  # checkouts in progress, possibly waiting for a free connection

    @property
    def idle(self) -> int:
        return len(self._idle)

    @asynccontextmanager
    async def lease(self) -> AsyncIterator[AsyncConnection]:
        conn, since = await self._acquire()
        try:
            yield conn
        finally:
            await self._release(conn, since)

    async def close(self) -> None:
        """Give every idle connection back to the pool (before disposing of the engine)."""
        while self._idle:
            conn, _ = self._idle.pop()
            await conn.close()

    async def _acquire(self) -> tuple[AsyncConnection, float]:
        now = time.monotonic()
        while self._idle:
            conn, since = self._idle.pop()
            if now - since >= self._max_age:
                await conn.close()
            elif closed_by_server(driver_of(conn)):
                await conn.invalidate()  # discarded, not put back in the pool
                await conn.close()
            else:
                return conn, since
        self._connecting += 1
        try:
            conn = await self._engine.connect()
        finally:
            self._connecting -= 1
        return conn, now

    async def _release(self, conn: AsyncConnection, since: float) -> None:
        if self._connecting or len(self._idle) >= self._keep or not _ready(conn):
            # back to the pool: a checkout may be waiting there for it, enough are kept
            # already, or the pool must reset or discard it
            await conn.close()
            return
        if conn.in_transaction():  # SQLAlchemy's own autobegin (a no-op in autocommit)
            await conn.rollback()
        self._idle.append((conn, since))


def _ready(conn: AsyncConnection) -> bool:
    """Valid, and its Postgres session idle outside any transaction."""
    driver = driver_of(conn)
    return (
        driver is not None
        and not driver.closed
        and not driver.broken
        and driver.info.transaction_status == TransactionStatus.IDLE
    )


def driver_of(conn: AsyncConnection) -> Any:
    """The psycopg connection under `conn` while it is checked out and valid, else None."""
    sync = conn.sync_connection
    if sync is None or sync.closed or sync.invalidated:
        return None
    return sync.connection.driver_connection


def closed_by_server(driver: Any) -> bool:
    """Whether the server has ended this idle session. It then sent its goodbye (a FATAL
    error) and closed the socket, so there is something to read, where a live idle session
    has nothing, or an asynchronous message (a notification) that is read and kept. One
    `select` with no wait: ~1 us, against a failed request."""
    if driver is None or driver.closed:
        return True
    pgconn = driver.pgconn
    try:
        for _ in range(3):  # the goodbye is read first (libpq takes it as a notice), then EOF
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
            if not readable:
                break
            pgconn.consume_input()
            pgconn.is_busy()  # parses what was read: the goodbye reaches the notice handlers
    except (OSError, OperationalError):
        return True
    # the goodbye may be here before the end of the stream is (the server process closes its
    # socket as it exits, a moment after)
    return bool(pgconn.status != ConnStatus.OK) or driver in _said_goodbye


_said_goodbye: weakref.WeakSet[Any] = weakref.WeakSet()


def watch_for_goodbye(driver: Any) -> None:
    """Note on a new connection when the server says goodbye while it is idle: libpq hands
    that FATAL error to the notice handlers, as it does any error that answers no query."""
    connection = weakref.ref(driver)

    def on_notice(diagnostic: Diagnostic) -> None:
        if diagnostic.severity_nonlocalized == "FATAL" and (alive := connection()) is not None:
            _said_goodbye.add(alive)

    driver.add_notice_handler(on_notice)
