"""Statements whose SQL differs between SQLite and Postgres."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import DeclarativeBase


async def insert_if_absent(
    conn: AsyncConnection, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted.

    Unlike catching an IntegrityError this leaves a Postgres transaction usable.
    """
    table = model.__table__
    assert isinstance(table, Table)
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = module.insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING, not rowcount: drivers may report -1 for an INSERT ... ON CONFLICT
    result = await conn.execute(stmt.returning(literal_column("1")))
    return result.first() is not None
