"""The one way repositories talk to the database.

A `UnitOfWork` is what `Database.read()` and `Database.write()` hand out: a transaction (or, for
reads, a consistent connection) with four verbs. Repositories take one as their first
argument and never see a driver or an engine:

* `one(stmt, params)` — the first row, or None.
* `all(stmt, params)` — every row.
* `scalar(stmt, params)` — the first column of the first row, or None.
* `execute(stmt, params)` — a statement whose rows nobody reads; the number of rows it touched.
* `execute_many(stmt, rows)` — the same statement once per parameter set.

Statements are SQLAlchemy Core statements, ideally built once at module level with
`bindparam`s. Errors are raised by the call that issued the statement. Rows are SQLAlchemy
`Row`s: attribute and index access both work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import AsyncConnection

Params = Mapping[str, Any]


class UnitOfWork:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`: for the few statements whose SQL differs."""
        return self.connection.dialect.name

    async def one(self, stmt: Executable, params: Params | None = None) -> Row[Any] | None:
        result = await self.connection.execute(stmt, dict(params or {}))
        return result.first()

    async def all(self, stmt: Executable, params: Params | None = None) -> list[Row[Any]]:
        result = await self.connection.execute(stmt, dict(params or {}))
        return list(result.all())

    async def scalar(self, stmt: Executable, params: Params | None = None) -> Any:
        row = await self.one(stmt, params)
        return None if row is None else row[0]

    async def execute(self, stmt: Executable, params: Params | None = None) -> int:
        result = await self.connection.execute(stmt, dict(params or {}))
        return result.rowcount

    async def execute_many(self, stmt: Executable, rows: Sequence[Params]) -> None:
        if rows:
            await self.connection.execute(stmt, [dict(row) for row in rows])


def unit_of(conn: AsyncConnection | UnitOfWork) -> UnitOfWork:
    """The unit of work for what `Database.read()`/`write()` handed out (a connection until
    every repository takes a `UnitOfWork`)."""
    return conn if isinstance(conn, UnitOfWork) else UnitOfWork(conn)
