"""Statements sent through libpq with the least Python in between.

psycopg's cursors do much per statement that the fast path never needs (query conversion, the
prepared-statement manager, result descriptions, row factories): measured under load, a get
order cost ~15 % less CPU here without them. The fast path prepares its statements itself, so it
sends executions of statements prepared on the connection, their values as text parameters
(with BEGIN before or COMMIT after in the same round trip, through libpq's pipeline mode), or
plain simple queries, and reads rows through psycopg's own loaders. psycopg's connection still
owns the socket, its lock and the handling of a wait that is cancelled.
"""

from __future__ import annotations

import contextlib
import keyword
import re
from collections import namedtuple
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from psycopg import AsyncConnection, pq
from psycopg.abc import PQGen
from psycopg.adapt import PyFormat, Transformer
from psycopg.errors import OperationalError, error_from_result
from psycopg.generators import execute as _flush_and_fetch
from psycopg.generators import fetch_many as _fetch_many
from psycopg.generators import send as _flush
from psycopg.types.json import Json

from shopping.kit.json import dumps

_FATAL_ERROR = pq.ExecStatus.FATAL_ERROR
_TUPLES_OK = pq.ExecStatus.TUPLES_OK

BEGIN: Final = b"BEGIN"
COMMIT: Final = b"COMMIT"


async def simple_query(driver: AsyncConnection[Any], query: str) -> list[pq.abc.PGresult]:
    """One or more statements in one round trip; a failing statement raises its error, and
    Postgres has skipped the ones after it."""
    pgconn = driver.pgconn
    async with driver.lock:
        pgconn.send_query(query.encode())
        results: list[pq.abc.PGresult] = await driver.wait(_flush_and_fetch(pgconn))
    return _checked(driver, results)


async def execute_prepared(
    driver: AsyncConnection[Any],
    name: str,
    values: Sequence[bytes | None],
    *,
    before: bytes | None = None,
    after: bytes | None = None,
) -> pq.abc.PGresult:
    """Execute the statement prepared on this connection as `name`, its values in text form.

    `before` and `after` (`BEGIN`, `COMMIT`) go in the same round trip, queued with it in
    libpq's pipeline mode; if the statement fails Postgres skips what follows it, and the
    transaction is left for the caller to roll back, as after any failed statement."""
    pgconn = driver.pgconn
    async with driver.lock:
        if before is None and after is None:
            pgconn.send_query_prepared(name.encode(), values)
            results: list[pq.abc.PGresult] = await driver.wait(_flush_and_fetch(pgconn))
            return _checked(driver, results)[-1]
        pgconn.enter_pipeline_mode()
        try:
            if before is not None:
                pgconn.send_query_params(before, None)
            pgconn.send_query_prepared(name.encode(), values)
            if after is not None:
                pgconn.send_query_params(after, None)
            pgconn.pipeline_sync()
            queued = 1 + (before is not None) + (after is not None)
            per_command = await driver.wait(_pipeline_results(pgconn, queued))
        except BaseException:
            with contextlib.suppress(OperationalError):  # a broken connection cannot leave it
                pgconn.exit_pipeline_mode()
            raise
        pgconn.exit_pipeline_mode()
    for results in per_command:
        _checked(driver, results)
    return per_command[1 if before is not None else 0][-1]


def _pipeline_results(pgconn: pq.abc.PGconn, queued: int) -> PQGen[list[list[pq.abc.PGresult]]]:
    """psycopg's generators, driven by `connection.wait`: send the pipeline, then collect
    each queued command's results and the sync point's (a command skipped after an error
    has a result of its own, PIPELINE_ABORTED)."""
    yield from _flush(pgconn)
    per_command = []
    for _ in range(queued):
        per_command.append((yield from _fetch_many(pgconn)))
    yield from _fetch_many(pgconn)  # the sync point
    return per_command


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


def _no_nul(value: str) -> str:
    # libpq sends text values as C strings and Postgres text cannot hold U+0000 anyway
    if "\x00" in value:
        raise ValueError("a string with U+0000 cannot be sent to Postgres")
    return value
