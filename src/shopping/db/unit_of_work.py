"""The one way repositories talk to the database.

A `UnitOfWork` is what `Database.read()` and `Database.write()` hand out: a transaction (or,
for reads, a connection) with these verbs. Repositories take one as their first argument and
never see a driver or an engine:

* `one(stmt, params)` — the first row, or None.
* `all(stmt, params)` — every row.
* `scalar(stmt, params)` — the first column of the first row, or None.
* `execute(stmt, params)` — a statement whose rows nobody reads; the number of rows it touched.
* `execute_many(stmt, rows)` — the same statement once per parameter set.
* `queue(stmt, params)` — a write whose outcome nobody reads in this unit of work.

Statements are SQLAlchemy Core statements, ideally built once at module level with
`bindparam`s. Rows support attribute access, index access, unpacking and `_asdict()`.

Errors are raised by the call that issued the statement, with one documented exception:
inside `Database.write()` on Postgres, `queue` and `execute_many` send their statements
without waiting for the answer (psycopg's pipeline mode), so the writes at the end of a use
case travel with its COMMIT in one round trip. An error of such a queued write is raised by
the next verb that waits for the server (`one`, `all`, `scalar`, `execute`) or by the commit,
and the whole unit of work rolls back as after any error. On SQLite they run at once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection

Params = Mapping[str, Any]
#: A result row: `row.name`, `row[0]`, `a, b = row`, `row._asdict()`.
Row = Any


class UnitOfWork(ABC):
    """A transaction (or a read-only connection) and the verbs that run statements in it."""

    @property
    @abstractmethod
    def dialect(self) -> str:
        """`sqlite` or `postgresql`: for the few statements whose SQL differs."""

    @abstractmethod
    async def one(self, stmt: Executable, params: Params | None = None) -> Row | None: ...

    @abstractmethod
    async def all(self, stmt: Executable, params: Params | None = None) -> list[Row]: ...

    async def scalar(self, stmt: Executable, params: Params | None = None) -> Any:
        row = await self.one(stmt, params)
        return None if row is None else row[0]

    @abstractmethod
    async def execute(self, stmt: Executable, params: Params | None = None) -> int: ...

    @abstractmethod
    async def execute_many(self, stmt: Executable, rows: Sequence[Params]) -> None: ...

    async def queue(self, stmt: Executable, params: Params | None = None) -> None:
        """Run a write whose outcome (row count, error) this unit of work does not read
        before its next statement: see the module docstring for when its error surfaces."""
        await self.execute(stmt, params)


class SqlAlchemyUnitOfWork(UnitOfWork):
    """A unit of work on a SQLAlchemy connection (SQLite, and code handed a connection)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    async def one(self, stmt: Executable, params: Params | None = None) -> Row | None:
        result = await self.connection.execute(stmt, dict(params or {}))
        return result.first()

    async def all(self, stmt: Executable, params: Params | None = None) -> list[Row]:
        result = await self.connection.execute(stmt, dict(params or {}))
        return list(result.all())

    async def execute(self, stmt: Executable, params: Params | None = None) -> int:
        result = await self.connection.execute(stmt, dict(params or {}))
        return result.rowcount

    async def execute_many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        if rows:
            await self.connection.execute(stmt, [dict(row) for row in rows])
