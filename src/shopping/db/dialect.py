"""Statements whose SQL differs between SQLite and Postgres."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import DeclarativeBase


async def insert_if_absent(
    conn: AsyncConnection, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted.

    Unlike catching an IntegrityError this leaves a Postgres transaction usable.
    """
    stmt = _insert_if_absent(model, conn.dialect.name)
    result = await conn.execute(stmt, values)
    return result.first() is not None


@cache
def _insert_if_absent(model: type[DeclarativeBase], dialect: str) -> Insert:
    """Built once per table and dialect (columns come with each call's parameters)."""
    table = model.__table__
    assert isinstance(table, Table)
    module = postgresql if dialect == "postgresql" else sqlite
    # RETURNING, not rowcount: drivers may report -1 for an INSERT ... ON CONFLICT
    stmt: Insert = module.insert(table).on_conflict_do_nothing()
    return stmt.returning(literal_column("1"))
