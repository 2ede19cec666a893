"""Statements built once and reused with parameters.

Building a SQLAlchemy statement per call (`insert(table).values(**row)`) and computing its
cache key costs more CPU than the round trip itself on hot paths; a statement made once
with `bindparam`s compiles once and then only binds values. Every statement here is keyed by
account first, like every table.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Insert, Table, Update, bindparam, insert, update
from sqlalchemy.orm import DeclarativeBase


def table_of(model: type[DeclarativeBase]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


@cache
def insert_into(model: type[DeclarativeBase]) -> Insert:
    """`INSERT INTO t (…)`: execute with one dict (or a list of dicts) of column values."""
    return insert(table_of(model))


@cache
def update_by_key(
    model: type[DeclarativeBase], key: tuple[str, ...], columns: tuple[str, ...]
) -> Update:
    """`UPDATE t SET c = :set_c … WHERE k = :key_k …`."""
    table = table_of(model)
    return (
        update(table)
        .where(*(table.c[k] == bindparam(f"key_{k}") for k in key))
        .values({c: bindparam(f"set_{c}") for c in columns})
    )


def key_params(**values: object) -> dict[str, object]:
    return {f"key_{k}": v for k, v in values.items()}


def set_params(**values: object) -> dict[str, object]:
    return {f"set_{k}": v for k, v in values.items()}
