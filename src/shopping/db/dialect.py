"""Statements whose SQL differs between SQLite and Postgres."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, TextClause, literal_column, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase

from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.json import dumps_str


async def insert_if_absent(
    uow: UnitOfWork, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when the row was inserted.

    Unlike catching an IntegrityError this leaves a Postgres transaction usable.
    """
    stmt = _insert_if_absent(model, uow.dialect)
    return await uow.one(stmt, values) is not None


@cache
def _insert_if_absent(model: type[DeclarativeBase], dialect: str) -> Insert:
    """Built once per table and dialect (columns come with each call's parameters)."""
    table = model.__table__
    assert isinstance(table, Table)
    module = postgresql if dialect == "postgresql" else sqlite
    # RETURNING, not rowcount: drivers may report -1 for an INSERT ... ON CONFLICT
    stmt: Insert = module.insert(table).on_conflict_do_nothing()
    return stmt.returning(literal_column("1"))


@cache
def _facet_insert(model: type[DeclarativeBase], owner: str, dialect: str) -> TextClause:
    """One prebuilt INSERT of many (name, value) facet rows, passed as one JSON array of
    pairs: a single statement however many rows, without per-call statement building."""
    table = model.__table__
    assert isinstance(table, Table)
    if dialect == "postgresql":
        rows = (
            "SELECT :account_id, e->>0, e->>1, :owner "
            "FROM jsonb_array_elements(CAST(:pairs AS jsonb)) AS e"
        )
    else:
        rows = (
            "SELECT :account_id, json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
            ":owner FROM json_each(:pairs)"
        )
    sql = f"INSERT INTO {table.name} (account_id, name, value, {owner}) {rows}"
    return text(sql)


async def insert_facets(
    uow: UnitOfWork,
    model: type[DeclarativeBase],
    owner_column: str,
    *,
    account_id: str,
    owner_id: str,
    pairs: list[tuple[str, str]],
) -> None:
    """Insert facet rows `(name, value)` of one draft or order in a single statement."""
    stmt = _facet_insert(model, owner_column, uow.dialect)
    params = {"account_id": account_id, "owner": owner_id, "pairs": dumps_str(pairs)}
    await uow.queue(stmt, params)
