"""Statements sent through libpq with the least Python in between.

psycopg's cursors do much per statement that the fast path never needs (query conversion, the
prepared-statement manager, result descriptions, row factories): measured under load, a get
order cost ~15 % less CPU here without them. The fast path prepares its statements itself, so it
sends either simple queries (`BEGIN; EXECUTE …`, `EXECUTE …; COMMIT`) or executions of
statements prepared on the connection, and reads rows through psycopg's own loaders. psycopg's
connection still owns the socket, its lock and the handling of a wait that is cancelled.
"""

from __future__ import annotations

import keyword
import re
from collections import namedtuple
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from psycopg import AsyncConnection, pq
from psycopg.adapt import PyFormat, Transformer
from psycopg.errors import error_from_result
from psycopg.generators import execute as _flush_and_fetch
from psycopg.types.json import Json

from shopping.kit.json import dumps

_FATAL_ERROR = pq.ExecStatus.FATAL_ERROR
_TUPLES_OK = pq.ExecStatus.TUPLES_OK


async def simple_query(driver: AsyncConnection[Any], query: str) -> list[pq.abc.PGresult]:
    """One or more statements in one round trip (values already written in); a failing
    statement raises its error, and Postgres has skipped the ones after it."""
    pgconn = driver.pgconn
    async with driver.lock:
        pgconn.send_query(query.encode())
        results: list[pq.abc.PGresult] = await driver.wait(_flush_and_fetch(pgconn))
    return _checked(driver, results)


async def execute_prepared(
    driver: AsyncConnection[Any], name: str, values: Sequence[bytes | None]
) -> pq.abc.PGresult:
    """Execute the statement prepared on this connection as `name`, its values in text form."""
    pgconn = driver.pgconn
    async with driver.lock:
        pgconn.send_query_prepared(name.encode(), values)
        results: list[pq.abc.PGresult] = await driver.wait(_flush_and_fetch(pgconn))
    return _checked(driver, results)[-1]


def _checked(driver: AsyncConnection[Any], results: list[pq.abc.PGresult]) -> list[pq.abc.PGresult]:
    for result in results:
        if result.status == _FATAL_ERROR:
            raise error_from_result(result, encoding=driver.info.encoding)
    return results


def rows(driver: AsyncConnection[Any], result: pq.abc.PGresult) -> list[Any]:
    """The result's rows as named tuples, values loaded by the connection's loaders (the
    JSON loader SQLAlchemy set up included); no rows for a result without any."""
    if result.status != _TUPLES_OK:
        return []
    names = tuple((result.fname(i) or b"").decode() for i in range(result.nfields))
    transformer = Transformer(driver)
    transformer.set_pgresult(result)
    return transformer.load_rows(0, result.ntuples, _row_maker(names))


@lru_cache(maxsize=512)
def _row_maker(names: tuple[str, ...]) -> Callable[[Any], Any]:
    row = namedtuple("Row", [_identifier(name) for name in names])  # type: ignore[misc]
    return row._make


def _identifier(name: str) -> str:
    """A column name usable as an attribute, as psycopg's `namedtuple_row` makes it."""
    name = re.sub(r"\W", "_", name) or "_"
    if name[0].isdigit() or name[0] == "_":  # `?column?` becomes `f_column_`
        name = "f" + name
    return name + "_" if keyword.iskeyword(name) else name


def text_value(value: Any, driver: AsyncConnection[Any]) -> bytes | None:
    """`value` in the text form Postgres parses for the parameter's type (the prepared
    statement's); the common types written here, anything else by psycopg's dumpers."""
    if value is None:
        return None
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, str):
        return _no_nul(value).encode()
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat().encode()
    if type(value) is Json:  # SQLAlchemy's JSON bind processor wraps documents in it
        return dumps(value.obj)  # the serializer `database.py` gives psycopg
    dumped = Transformer(driver).get_dumper(value, PyFormat.TEXT).dump(value)
    return None if dumped is None else bytes(dumped)


def literal(value: Any, driver: AsyncConnection[Any]) -> str:
    """`value` as an SQL literal, for statements sent as simple queries (`EXECUTE name(…)`):
    its text form in quotes. With `standard_conforming_strings` on (set for every session)
    doubling the single quotes is the whole escaping of a string literal."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        text = _no_nul(value)
    else:
        dumped = text_value(value, driver)
        assert dumped is not None
        text = dumped.decode()
    return "'" + text.replace("'", "''") + "'"


def _no_nul(value: str) -> str:
    # libpq sends text values as C strings and Postgres text cannot hold U+0000 anyway
    if "\x00" in value:
        raise ValueError("a string with U+0000 cannot be sent to Postgres")
    return value
