"""Connections and transactions: `Database.read()` and `Database.write()` hand out a
`UnitOfWork` (`unit_of_work.py`), the same verbs on both databases.

* `write()` — a transaction that changes state. It commits when the block exits without an
  exception (inside the route handler, before the response is sent, so a failed commit is a
  5xx and never an acknowledged write) and rolls back otherwise.
* `read()` — queries, without a transaction to commit on Postgres (each statement sees its
  own snapshot).

SQLite runs through a SQLAlchemy engine. A write starts with `BEGIN IMMEDIATE` (from
SQLAlchemy's `begin` event), taking the database's write lock up front so concurrent writers
queue (busy_timeout) instead of failing when a read lock is upgraded.

Postgres runs on psycopg connections from a `psycopg_pool.AsyncConnectionPool`; statements
are compiled by SQLAlchemy and prepared on the server (`postgres.py`). A write runs in
psycopg's pipeline mode: BEGIN goes with the first statement and the last writes with COMMIT.
Row locks (`SELECT ... FOR UPDATE`) taken by repositories serialize writers of one aggregate.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection as PsycopgConnection
from psycopg.pq import TransactionStatus
from psycopg.rows import namedtuple_row
from psycopg.types.json import set_json_loads
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from shopping.config import Settings
from shopping.db.liveness import check_alive, watch_for_goodbye
from shopping.db.postgres import PostgresUnitOfWork, Statements, postgres_dialect
from shopping.db.unit_of_work import SqlAlchemyUnitOfWork, UnitOfWork
from shopping.kit.json import dumps_str, loads

log = logging.getLogger("shopping.db")

WRITE_OPTION = "shopping_write"
#: Statements prepared per connection (psycopg's default keeps 100): every prebuilt statement
#: of the application stays prepared.
PREPARED_PER_CONNECTION = 500
_OPEN = (TransactionStatus.INTRANS, TransactionStatus.INERROR)
_MAX_LIFETIME = 1800.0  # seconds a Postgres connection lives before the pool replaces it


class Database:
    """Hands out units of work. `listeners` are called with the SQL of every statement a
    unit of work sends (tests count statements with them)."""

    def __init__(
        self, engine: AsyncEngine | None = None, pool: AsyncConnectionPool[Any] | None = None
    ) -> None:
        assert (engine is None) != (pool is None), "one of engine (SQLite) or pool (Postgres)"
        self._engine = engine
        self._pool = pool
        self._statements = Statements(postgres_dialect())
        self._opened = False
        self._checked = False
        self.listeners: list[Callable[[str], None]] = []

    @property
    def dialect(self) -> str:
        return "postgresql" if self._pool is not None else "sqlite"

    @property
    def engine(self) -> AsyncEngine:
        """The SQLAlchemy engine of a SQLite database."""
        assert self._engine is not None, "Postgres runs on a psycopg pool"
        return self._engine

    async def open(self) -> None:
        """Open the pool and look at the server once: `serve` calls this at start-up, which
        logs one warning when the server's autovacuum is off."""
        if self._pool is None:
            return
        await self._open_pool()
        if self._checked:
            return
        self._checked = True
        async with self._pool.connection() as connection:
            cursor = await connection.execute("SELECT current_setting('autovacuum')")
            row = await cursor.fetchone()
        if row is not None and row[0] != "on":
            log.warning(
                "autovacuum is off on this Postgres server: its planner statistics go stale "
                "as tables grow and plans degrade. Turn autovacuum on, or run ANALYZE after "
                "bulk loads and regularly while tables grow."
            )

    async def _open_pool(self) -> None:
        """Open the pool on first use (the worker and the CLI never call `open`)."""
        if not self._opened:
            assert self._pool is not None
            await self._pool.open()  # idempotent: concurrent first units all wait for it
            self._opened = True

    @asynccontextmanager
    async def write(self) -> AsyncIterator[UnitOfWork]:
        if self._pool is None:
            async with self.engine.connect() as conn:
                await conn.execution_options(**{WRITE_OPTION: True})
                async with conn.begin():
                    yield self._sqlalchemy_unit(conn)
            return
        await self._open_pool()
        async with self._pool.connection() as connection:
            try:
                # BEGIN and COMMIT are queued like any statement: BEGIN travels with the
                # first statement, COMMIT with the last writes and the pipeline's closing
                # sync, one round trip for both
                async with connection.pipeline() as pipeline:
                    await connection.execute("BEGIN")
                    unit = PostgresUnitOfWork(
                        connection, self._statements, pipeline, self.listeners
                    )
                    yield unit
                    await unit.flush()
                    await connection.execute("COMMIT")
            except BaseException:
                if connection.info.transaction_status in _OPEN:
                    await connection.rollback()
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[UnitOfWork]:
        if self._pool is None:
            async with self.engine.connect() as conn, conn.begin():
                yield self._sqlalchemy_unit(conn)
            return
        await self._open_pool()
        async with self._pool.connection() as connection:  # autocommit
            try:
                yield PostgresUnitOfWork(connection, self._statements, None, self.listeners)
            finally:
                # a transaction a read opened by hand is rolled back, never committed by the
                # pool on return
                if connection.info.transaction_status in _OPEN:
                    await connection.rollback()

    def _sqlalchemy_unit(self, conn: Any) -> UnitOfWork:
        unit = SqlAlchemyUnitOfWork(conn)
        if not self.listeners:
            return unit
        listeners = self.listeners

        def record(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
            for listener in listeners:
                listener(statement)

        event.listen(conn.sync_connection, "before_cursor_execute", record)
        return unit

    async def dispose(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        if self._engine is not None:
            await self._engine.dispose()


def create_database(settings: Settings) -> Database:
    if settings.is_sqlite:
        return Database(engine=_sqlite_engine(settings))
    return Database(pool=_postgres_pool(settings))


def _postgres_pool(settings: Settings) -> AsyncConnectionPool[Any]:
    url = make_url(settings.database_url).set(drivername="postgresql")
    return AsyncConnectionPool(
        url.render_as_string(hide_password=False),
        kwargs={
            "autocommit": True,  # a write opens its transaction; a read needs none
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms} -c timezone=UTC",
        },
        min_size=1,
        max_size=settings.db_pool_size + settings.db_max_overflow,
        max_lifetime=_MAX_LIFETIME,
        open=False,
        configure=_configure,
        check=check_alive,
    )


async def _configure(connection: PsycopgConnection[Any]) -> None:
    connection.row_factory = namedtuple_row
    connection.prepared_max = PREPARED_PER_CONNECTION
    set_json_loads(loads, connection)
    watch_for_goodbye(connection)


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
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
