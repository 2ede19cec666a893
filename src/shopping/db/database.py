"""Engine set-up and transactions.

Two kinds of unit of work:

* `write()` — a unit of work that changes state. On SQLite it starts with `BEGIN IMMEDIATE`,
  taking the database's write lock up front so concurrent writers queue (busy_timeout) instead
  of failing when a read lock is upgraded. On Postgres, row locks (`SELECT ... FOR UPDATE`)
  taken by repositories serialize writers of the same aggregate; the transaction is opened by
  the first statement that needs it, and a unit of work that only writes (deferred writes, one
  statement) commits without BEGIN/COMMIT at all (`fastpath.py`).
* `read()` — queries: a plain transaction on SQLite; autocommit on Postgres.

On Postgres both borrow their connection from `ConnectionLeases` (`leases.py`), which keeps
connections checked out of the pool between units of work.

A write commits when the block exits without an exception, i.e. inside the route handler,
before the response is sent, so a failed commit is a 5xx and never an acknowledged write.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from shopping.config import Settings
from shopping.db.fastpath import close_scope, commit_scope, install_write_scope_hooks, open_scope
from shopping.db.leases import ConnectionLeases, closed_by_server, watch_for_goodbye
from shopping.kit.json import dumps_str, loads

_WRITE = "shopping_write"
_RECYCLE = 1800  # seconds a connection lives before the pool replaces it


class Database:
    def __init__(self, engine: AsyncEngine, leases: ConnectionLeases | None = None) -> None:
        self.engine = engine
        self._leases = leases  # Postgres: connections kept out of the pool between units

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        if self._leases is None:  # SQLite
            async with self.engine.connect() as conn:
                await conn.execution_options(**{_WRITE: True})
                async with conn.begin():
                    yield conn
            return
        async with self._leases.lease() as conn:
            open_scope(conn)
            try:
                yield conn
                await commit_scope(conn)
            finally:
                await close_scope(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """On Postgres the connections are in autocommit: no BEGIN/COMMIT round trips around
        what is mostly a single SELECT (a read of several statements sees each one's own
        snapshot)."""
        if self._leases is not None:
            async with self._leases.lease() as conn:
                yield conn
            return
        async with self.engine.connect() as conn, conn.begin():
            yield conn

    async def dispose(self) -> None:
        if self._leases is not None:
            await self._leases.close()
        await self.engine.dispose()


def create_database(settings: Settings) -> Database:
    if settings.is_sqlite:
        return Database(_sqlite_engine(settings))
    engine = _postgres_engine(settings)
    leases = ConnectionLeases(engine, keep=settings.db_pool_size, max_age_seconds=_RECYCLE / 2)
    return Database(engine, leases)


def _postgres_engine(settings: Settings) -> AsyncEngine:
    engine = create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=False,
        pool_recycle=_RECYCLE,
        isolation_level="AUTOCOMMIT",  # transactions are opened explicitly (fastpath.py)
        json_serializer=dumps_str,
        json_deserializer=loads,
        connect_args={"options": _session_options(settings)},
    )
    install_write_scope_hooks(engine)
    event.listen(engine.sync_engine.pool, "connect", _watch_for_goodbye)
    event.listen(engine.sync_engine.pool, "checkout", _refuse_closed_sessions)
    return engine


def _watch_for_goodbye(dbapi_connection: Any, _: ConnectionPoolEntry) -> None:
    watch_for_goodbye(dbapi_connection.driver_connection)


def _refuse_closed_sessions(_: Any, record: ConnectionPoolEntry, __: Any) -> None:
    """A pooled connection whose session the server ended while it sat in the pool is
    discarded and another checked out (SQLAlchemy retries a checkout refused this way)."""
    if closed_by_server(record.driver_connection):
        raise DisconnectionError("the server closed this session while it was idle")


def _session_options(settings: Settings) -> str:
    """Server settings for every session. Plans are left to Postgres's default
    (`plan_cache_mode=auto`: a prepared statement is planned generically once that plan
    is no worse than the custom ones); `statistics.py` keeps them from going stale where
    autovacuum cannot."""
    return f"-c statement_timeout={settings.db_statement_timeout_ms}"


def _sqlite_engine(settings: Settings) -> AsyncEngine:
    engine = create_async_engine(
        settings.database_url,
        json_serializer=dumps_str,
        json_deserializer=loads,
        connect_args={"timeout": 30},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _: ConnectionPoolEntry) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below (the pysqlite driver
        # would otherwise BEGIN lazily and never IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "busy_timeout=30000",
            "foreign_keys=ON",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
