"""Statements whose SQL differs between SQLite and Postgres."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, TextClause, bindparam, literal_column, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase

from shopping.db.types import UtcDateTime
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
def _facet_insert(
    model: type[DeclarativeBase],
    owner: str,
    dialect: str,
    stamped: bool,
) -> TextClause:
    """One prebuilt INSERT of many (name, value) facet rows, passed as one JSON array of
    pairs: a single statement however many rows, without per-call statement building."""
    table = model.__table__
    assert isinstance(table, Table)
    columns, stamp = f"account_id, name, value, {owner}", ""
    if stamped:  # a value, not a look-up of the owner: its row may be written in the same batch
        columns += ", created_at"
        stamp = ", :created_at"
    if dialect == "postgresql":
        rows = (
            f"SELECT :account_id, e->>0, e->>1, :owner{stamp} "  # noqa: S608
            "FROM jsonb_array_elements(CAST(:pairs AS jsonb)) AS e"
        )
    else:
        rows = (
            "SELECT :account_id, json_extract(value, '$[0]'), json_extract(value, '$[1]'), "  # noqa: S608
            f":owner{stamp} FROM json_each(:pairs)"
        )
    sql = f"INSERT INTO {table.name} ({columns}) {rows}"
    if stamped:
        return text(sql).bindparams(bindparam("created_at", type_=UtcDateTime()))
    return text(sql)


async def insert_facets(
    uow: UnitOfWork,
    model: type[DeclarativeBase],
    owner_column: str,
    *,
    account_id: str,
    owner_id: str,
    pairs: list[tuple[str, str]],
    created_at: datetime | None = None,
) -> None:
    """Insert facet rows `(name, value)` of one draft or order in a single statement; with
    `created_at` (the owner's creation time), each row carries it too."""
    stmt = _facet_insert(model, owner_column, uow.dialect, created_at is not None)
    params: dict[str, Any] = {
        "account_id": account_id,
        "owner": owner_id,
        "pairs": dumps_str(pairs),
    }
    if created_at is not None:
        params["created_at"] = created_at
    await uow.queue(stmt, params)
