"""Running prebuilt statements with less overhead on Postgres.

SQLAlchemy's execution machinery (execution context, result objects, the greenlet bridge of
its asyncio layer) roughly doubles the CPU cost of a small statement. For the statements on
the hot paths, which are built once with bind parameters, that machinery does nothing we need:
here such a statement is compiled once per parameter shape and sent straight through the psycopg
connection of the current SQLAlchemy connection — same transaction, same bind processing
(JSON, timestamps), rows as named tuples. SQLite keeps the ordinary path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from psycopg.rows import namedtuple_row
from sqlalchemy import Executable, event
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.compiler import Compiled


@dataclass(frozen=True, slots=True)
class _Prepared:
    statement: Executable  # held, so its id() is never reused while cached
    compiled: Compiled
    sql: str
    processors: Mapping[str, Callable[[Any], Any]]


class Rows:
    """The few result methods the repositories use, over a list of rows."""

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def all(self) -> list[Any]:
        return self._rows

    def scalar_one_or_none(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


_prepared: dict[tuple[int, tuple[str, ...]], _Prepared] = {}
#: Prebuilt statements times their parameter shapes stay far below this; a statement built per
#: call would otherwise fill the cache.
_MAX_PREPARED = 1024


def _prepare(stmt: Executable, dialect: Dialect, keys: tuple[str, ...]) -> _Prepared:
    compiled = stmt.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
    return _Prepared(stmt, compiled, compiled.string, dict(compiled._bind_processors))


async def run(conn: AsyncConnection, stmt: Executable, params: dict[str, Any]) -> Rows:
    """Execute a prebuilt statement (module-level, never rebuilt per call) with `params`."""
    if conn.dialect.name != "postgresql":
        result = await conn.execute(stmt, params)
        return Rows(list(result.all()) if result.returns_rows else [])
    await flush(conn)  # queued writes go first: this statement may depend on them
    sql, values = _bound(stmt, conn.dialect, params)
    return await _execute(conn, sql, values)


def _bound(
    stmt: Executable, dialect: Dialect, params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The statement's SQL (compiled once per parameter shape) and its processed values."""
    key = (id(stmt), tuple(params))
    prepared = _prepared.get(key)
    if prepared is None or prepared.statement is not stmt:
        prepared = _prepare(stmt, dialect, tuple(params))
        if len(_prepared) < _MAX_PREPARED:
            _prepared[key] = prepared
    constructed = prepared.compiled.construct_params(params)
    assert constructed is not None
    values = dict(constructed)
    for name, process in prepared.processors.items():
        if name in values:
            values[name] = process(values[name])
    return prepared.sql, values


#: Called with the SQL of every statement sent here (SQLAlchemy's own execution events do not
#: see these), e.g. by tests that count statements.
statement_listeners: list[Callable[[str], None]] = []


async def _execute(conn: AsyncConnection, sql: str, values: dict[str, Any]) -> Rows:
    for listener in statement_listeners:
        listener(sql)
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    async with driver.cursor(row_factory=namedtuple_row) as cursor:
        await cursor.execute(sql, values)
        return Rows(await cursor.fetchall() if cursor.description is not None else [])


# ---- deferred writes ---------------------------------------------------------------------
#
# A write whose result nobody reads (an INSERT/UPDATE without RETURNING) need not cost a round
# trip of its own. On Postgres `defer` queues it on the transaction; the queue goes out as ONE
# statement (data-modifying CTEs: `WITH w0 AS (…), w1 AS (…) SELECT 1`) when a statement that
# returns rows runs, or before commit. That statement is atomic and its parts see the same
# snapshot, so two writes to one table are never queued together (a second one flushes the
# first): nothing queued ever depends on another queued write's effect, except foreign keys,
# which Postgres checks at the end of the statement.

_PARAM = re.compile(r"%\((\w+)\)s")
_PENDING = "shopping_deferred_writes"


@dataclass(slots=True)
class _Deferred:
    table: str
    sql: str
    values: dict[str, Any]


def _pending(conn: AsyncConnection) -> list[_Deferred]:
    info = conn.sync_connection.info if conn.sync_connection is not None else {}
    queue: list[_Deferred] = info.setdefault(_PENDING, [])
    return queue


async def defer(
    conn: AsyncConnection, stmt: Executable, params: dict[str, Any], *, table: str | None = None
) -> None:
    """Queue a write that returns nothing (run at once on SQLite or outside a transaction)."""
    if conn.dialect.name != "postgresql" or not conn.in_transaction():
        await run(conn, stmt, params)
        return
    target = table or getattr(stmt, "table").name  # noqa: B009 - DML statements have .table
    queue = _pending(conn)
    if any(item.table == target for item in queue):
        await flush(conn)
        queue = _pending(conn)
    sql, values = _bound(stmt, conn.dialect, params)
    queue.append(_Deferred(target, sql, values))


async def flush(conn: AsyncConnection) -> None:
    """Send the queued writes as one statement."""
    if conn.dialect.name != "postgresql":
        return
    queue = _pending(conn)
    if not queue:
        return
    items = list(queue)
    queue.clear()
    if len(items) == 1:
        sql, values = items[0].sql, items[0].values
    else:
        parts, values = [], {}
        for index, item in enumerate(items):
            prefix = f"w{index}_"
            renamed = _PARAM.sub(f"%({prefix}\\1)s", item.sql)
            parts.append(f"w{index} AS ({renamed})")
            values.update({prefix + name: value for name, value in item.values.items()})
        sql = "WITH " + ", ".join(parts) + " SELECT 1"
    await _execute(conn, sql, values)


def discard(conn: AsyncConnection) -> None:
    """Forget queued writes (the transaction is rolling back)."""
    if conn.sync_connection is not None:
        conn.sync_connection.info.pop(_PENDING, None)


def forget_on_checkin(engine: AsyncEngine) -> None:
    """Never let queued writes outlive their connection's checkout: a transaction that ended
    without `Database.write` (which flushes or discards) leaves nothing for the next user."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _forget(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info.pop(_PENDING, None)
