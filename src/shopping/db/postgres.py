"""The unit of work on Postgres: SQLAlchemy Core statements run on a psycopg connection.

Each statement is compiled once per parameter shape (`Statements`), with SQLAlchemy's public
compiler API: the SQL text, and the bind processors of its parameters' types. It runs as a
server-side prepared statement (`prepare=True`), so Postgres parses and plans it once per
connection (psycopg keeps the most recently used `PREPARED_PER_CONNECTION` of them). A
statement with an expanding `IN` is expanded by SQLAlchemy (`construct_expanded_state`); its
text changes with the length of the list, so it is left to psycopg's automatic preparation
of texts it sees often.

A write unit runs in psycopg's pipeline mode: BEGIN travels with the first statement,
`queue`d writes and `execute_many` batches travel with the next statement that waits for an
answer or with COMMIT, so a use case costs one round trip per statement it reads plus one.

`queue`d writes are also held back until then and sent as one statement: the first ones as
data-modifying CTEs (`WITH w0 AS (INSERT ...), w1 AS (UPDATE ...) INSERT ...`), prepared like
any other. Each message a statement costs the driver a send and a turn of the event loop,
which on a busy server outweighs what the database does with it. Statements in one such
batch see the same snapshot and not each other's rows, so a write to a table that the batch
already writes to starts a new batch; a statement with its own WITH, or with an expanding
`IN`, is sent on its own. A queued statement must therefore not look up a row that another
queued write creates: it takes such values as parameters (as the facet insert takes its
order's `created_at`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from psycopg import AsyncConnection, AsyncPipeline
from sqlalchemy import Executable
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

from shopping.db.unit_of_work import Params, Row, UnitOfWork
from shopping.kit.json import dumps_str, loads

Listener = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class _Shape:
    """A statement compiled for one set of parameter names."""

    compiled: SQLCompiler
    sql: str
    positions: tuple[str, ...]
    processors: dict[str, Callable[[Any], Any]]
    expanding: frozenset[str]


class Statements:
    """Compiled statements for one dialect, kept as long as their statement lives."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._shapes: WeakKeyDictionary[Executable, dict[tuple[str, ...], _Shape]] = (
            WeakKeyDictionary()
        )

    def bound(self, stmt: Executable, params: Params) -> tuple[str, list[Any], bool]:
        """The SQL to send (positional `%s` placeholders), its values in order (processed for
        the driver) and whether to prepare it."""
        keys = tuple(params)
        shapes = self._shapes.get(stmt)
        if shapes is None:
            shapes = self._shapes[stmt] = {}
        shape = shapes.get(keys)
        if shape is None:
            shape = shapes[keys] = self._compile(stmt, keys)
        values = dict(shape.compiled.construct_params(dict(params)) or {})
        for name, process in shape.processors.items():
            if name in values:
                value = values[name]
                if name in shape.expanding:
                    values[name] = [process(item) for item in value]
                elif value is not None:
                    values[name] = process(value)
        if not shape.expanding:
            return shape.sql, [values[name] for name in shape.positions], True
        expanded = shape.compiled.construct_expanded_state(values)
        return expanded.statement, list(expanded.positional_parameters), False

    def _compile(self, stmt: Executable, keys: tuple[str, ...]) -> _Shape:
        compiled = stmt.compile(dialect=self.dialect, column_keys=list(keys))  # type: ignore[attr-defined]
        assert isinstance(compiled, SQLCompiler)
        processors: dict[str, Callable[[Any], Any]] = {}
        expanding: set[str] = set()
        for name, bind in compiled.binds.items():
            process = bind.type.bind_processor(self.dialect)
            if process is not None:
                processors[name] = process
            if bind.expanding:
                expanding.add(name)
        positions = tuple(compiled.positiontup or ())
        return _Shape(compiled, compiled.string, positions, processors, frozenset(expanding))


def postgres_dialect() -> Dialect:
    """The dialect statements are compiled for (JSON through the project's serializer)."""
    return PGDialect_psycopg(  # type: ignore[no-untyped-call]
        paramstyle="format", json_serializer=dumps_str, json_deserializer=loads
    )


class PostgresUnitOfWork(UnitOfWork):
    """A unit of work on a psycopg connection; `pipeline` is set for write units."""

    def __init__(
        self,
        connection: AsyncConnection[Any],
        statements: Statements,
        pipeline: AsyncPipeline | None = None,
        listeners: Sequence[Listener] = (),
    ) -> None:
        self.connection = connection
        self._statements = statements
        self._pipeline = pipeline
        self._listeners = listeners
        #: queued writes not sent yet, and the tables (or texts) they write to
        self._held: list[tuple[str, list[Any]]] = []
        self._targets: set[object] = set()

    @property
    def dialect(self) -> str:
        return "postgresql"

    async def _send_sql(self, sql: str, values: list[Any], prepare: bool) -> Any:
        for listener in self._listeners:
            listener(sql)
        return await self.connection.execute(sql, values, prepare=True if prepare else None)

    async def _send(self, stmt: Executable, params: Params | None) -> Any:
        await self.flush()
        sql, values, prepare = self._statements.bound(stmt, params or {})
        return await self._send_sql(sql, values, prepare)

    async def one(self, stmt: Executable, params: Params | None = None) -> Row | None:
        cursor = await self._send(stmt, params)
        return await cursor.fetchone()

    async def all(self, stmt: Executable, params: Params | None = None) -> list[Row]:
        cursor = await self._send(stmt, params)
        rows: list[Row] = await cursor.fetchall()
        return rows

    async def execute(self, stmt: Executable, params: Params | None = None) -> int:
        cursor = await self._send(stmt, params)
        if self._pipeline is not None:
            await self._pipeline.sync()  # the row count is the answer waited for
        count: int = cursor.rowcount
        return count

    async def queue(self, stmt: Executable, params: Params | None = None) -> None:
        if self._pipeline is None:
            await self._send(stmt, params)
            return
        sql, values, prepare = self._statements.bound(stmt, params or {})
        # an INSERT, UPDATE or DELETE names its table; of textual SQL only an INSERT is
        # held (what else it writes to is not known)
        target = stmt.table if isinstance(stmt, UpdateBase) else stmt
        kind = sql.lstrip()[:6].upper()
        if not prepare or kind.startswith("WITH") or (target is stmt and kind != "INSERT"):
            await self.flush()
            await self._send_sql(sql, values, prepare)
            return
        if target in self._targets:
            await self.flush()
        self._targets.add(target)
        self._held.append((sql, values))

    async def flush(self) -> None:
        """Send the held writes as one statement (without waiting for its answer)."""
        if not self._held:
            return
        held, self._held = self._held, []
        self._targets.clear()
        if len(held) == 1:
            sql, values = held[0]
        else:
            ctes = ", ".join(f"w{number} AS ({text})" for number, (text, _) in enumerate(held[:-1]))
            sql = f"WITH {ctes} {held[-1][0]}"
            values = [value for _, part in held for value in part]
        await self._send_sql(sql, values, True)

    async def execute_many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        if not rows:
            return
        await self.flush()
        bound = [self._statements.bound(stmt, row) for row in rows]
        sql = bound[0][0]
        for listener in self._listeners:
            listener(sql)
        async with self.connection.cursor() as cursor:
            await cursor.executemany(sql, [values for _, values, _ in bound])
