"""Write units of work: deferred writes sent together before commit, dropped on rollback,
never leaked; all or nothing whichever way statements are sent; on Postgres a transaction is
opened only when a statement needs one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from psycopg.rows import namedtuple_row
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Integer,
    String,
    bindparam,
    cast,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeEngine

from shopping.db import fastpath
from shopping.db.statements import insert_into
from shopping.models import OrderIdReservation
from shopping.models.orders import OrderFacetRow
from tests.support.statements import sent_statements

NOW = datetime(2026, 1, 1, tzinfo=UTC)
#: quotes, a backslash, psycopg and Postgres placeholders, non-ASCII
TRICKY = 'O\'Brien \\ 100% $1 %(x)s "q" ünïcødé ✓'


def _row(account: str, order_id: str) -> dict[str, object]:
    return {"account_id": account, "order_id": order_id, "draft_id": None, "created_at": NOW}


def _facet(account: str) -> dict[str, object]:
    return {"account_id": account, "name": "status", "value": "open", "order_id": "o-1"}


async def _stored(app: FastAPI, account: str) -> list[tuple[Any, ...]]:
    """The account's reservations as (order_id, created_at), as read back."""
    async with app.state.db.read() as conn:
        stored = await conn.execute(
            select(OrderIdReservation.order_id, OrderIdReservation.created_at).where(
                OrderIdReservation.account_id == account
            )
        )
        return [tuple(r) for r in stored]


async def _read_then_write(app: FastAPI, account: str, order_id: str) -> None:
    """A unit that reads, then writes: after a failure, proof its connection works again."""
    async with app.state.db.write() as conn:
        await fastpath.run(conn, select(func.count()).select_from(OrderIdReservation), {})
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, order_id))


async def _count(app: FastAPI, account: str) -> int:
    async with app.state.db.read() as conn:
        stmt = (
            select(func.count())
            .select_from(OrderIdReservation)
            .where(OrderIdReservation.account_id == account)
        )
        return int((await conn.execute(stmt)).scalar_one())


async def test_deferred_writes_commit_with_the_transaction(app: FastAPI, account: str) -> None:
    async with app.state.db.write() as conn:
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "B"))
    assert await _count(app, account) == 2


async def test_deferred_writes_roll_back_with_the_transaction(app: FastAPI, account: str) -> None:
    async def fail_after_a_deferred_write() -> None:
        async with app.state.db.write() as conn:
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        await fail_after_a_deferred_write()
    assert await _count(app, account) == 0
    async with app.state.db.write() as conn:  # nothing left queued on the connection
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "B"))
    assert await _count(app, account) == 1


async def test_a_statement_returning_rows_sees_queued_writes(app: FastAPI, account: str) -> None:
    stmt = (
        select(func.count())
        .select_from(OrderIdReservation)
        .where(OrderIdReservation.account_id == account)
    )
    async with app.state.db.write() as conn:
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
        rows = await fastpath.run(conn, stmt, {})
    assert rows.first()[0] == 1


async def test_a_statement_sent_through_sqlalchemy_sees_queued_writes(
    app: FastAPI, account: str
) -> None:
    stmt = (
        select(func.count())
        .select_from(OrderIdReservation)
        .where(OrderIdReservation.account_id == account)
    )
    with sent_statements(app) as statements:
        async with app.state.db.write() as conn:
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
            seen = (await conn.execute(stmt)).scalar_one()
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "B"))
    assert seen == 1
    assert await _count(app, account) == 2
    if app.state.db.engine.dialect.name == "postgresql":
        assert [s.split()[0] for s in statements] == [
            "BEGIN",
            "INSERT",
            "SELECT",
            "INSERT",
            "COMMIT",
        ]


async def test_queued_writes_fail_together(app: FastAPI, account: str) -> None:
    db = app.state.db
    async with db.write() as conn:
        await fastpath.defer(conn, insert_into(OrderFacetRow), _facet(account))

    async def reserve_and_repeat_the_facet() -> None:
        async with db.write() as conn:
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
            await fastpath.defer(conn, insert_into(OrderFacetRow), _facet(account))

    # SQLAlchemy's error on SQLite, the driver's from the Postgres fast path
    with pytest.raises((IntegrityError, psycopg.errors.UniqueViolation)):
        await reserve_and_repeat_the_facet()
    assert await _count(app, account) == 0


async def test_a_statement_sent_through_sqlalchemy_rolls_back_with_the_unit(
    app: FastAPI, account: str
) -> None:
    async def insert_then_fail() -> None:
        async with app.state.db.write() as conn:
            await conn.execute(insert(OrderIdReservation).values(**_row(account, "A")))
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        await insert_then_fail()
    assert await _count(app, account) == 0


async def test_a_unit_that_only_queues_writes_is_one_statement(
    app: FastAPI, backend: str, account: str
) -> None:
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    with sent_statements(app) as statements:
        async with app.state.db.write() as conn:
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
            await fastpath.defer(conn, insert_into(OrderFacetRow), _facet(account))
    assert len(statements) == 1
    assert statements[0].startswith("WITH w0 AS (INSERT INTO order_id_reservations")
    assert await _count(app, account) == 1


async def test_a_unit_that_reads_first_runs_in_a_transaction(
    app: FastAPI, backend: str, account: str
) -> None:
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    locked = (
        select(OrderIdReservation.order_id)
        .where(OrderIdReservation.account_id == account)
        .with_for_update()
    )
    with sent_statements(app) as statements:
        async with app.state.db.write() as conn:
            await fastpath.run(conn, locked, {})
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
    assert [s.split()[0] for s in statements] == ["BEGIN", "SELECT", "INSERT", "COMMIT"]
    assert await _count(app, account) == 1


async def test_values_bound_with_begin_arrive_exactly(
    app: FastAPI, account: str, backend: str
) -> None:
    # BEGIN and the first statement share a round trip, their values bound client-side
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    returning = insert(OrderIdReservation).returning(
        OrderIdReservation.order_id, OrderIdReservation.created_at
    )
    with sent_statements(app) as statements:
        async with app.state.db.write() as conn:
            rows = (await fastpath.run(conn, returning, _row(account, TRICKY))).all()
    assert [s.split()[0] for s in statements] == ["BEGIN", "INSERT", "COMMIT"]
    assert [tuple(r) for r in rows] == [(TRICKY, NOW)]
    assert await _stored(app, account) == [(TRICKY, NOW)]


async def test_a_first_statement_that_fails_leaves_nothing_open(
    app: FastAPI, account: str, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    failing = select(cast(literal("not a number"), Integer))
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        async with app.state.db.write() as conn:
            await fastpath.run(conn, failing, {})
    await _read_then_write(app, account, "A")  # the same connection, usable again
    assert await _count(app, account) == 1


async def test_a_write_takes_one_round_trip_to_begin_and_one_to_commit(
    app: FastAPI, account: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BEGIN goes with the first statement and COMMIT with the last (libpq's pipeline mode)."""
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    round_trips = 0
    wait = psycopg.AsyncConnection.wait

    async def counted(self: psycopg.AsyncConnection[Any], *args: Any, **kwargs: Any) -> Any:
        nonlocal round_trips
        round_trips += 1
        return await wait(self, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncConnection, "wait", counted)
    for n in range(2):  # the first unit also prepares its statements
        round_trips = 0
        await _read_then_write(app, account, f"R{n}")
    assert round_trips == 2
    assert await _count(app, account) == 2


async def test_the_first_statement_is_prepared_once_per_connection_and_planned_generically(
    app: FastAPI, account: str, backend: str
) -> None:
    """Sent with BEGIN as an execution of a statement prepared on the connection, so Postgres
    keeps its plan like any prepared statement's instead of planning every call."""
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    locked = (
        select(OrderIdReservation.order_id.label("prepared_once"))  # found by its label below
        .where(OrderIdReservation.account_id == bindparam("account_id"))
        .with_for_update()
    )
    for n in range(8):
        async with app.state.db.write() as conn:
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, f"A{n}"))
            await fastpath.flush(conn)  # the batch is the unit's first statement
        async with app.state.db.write() as conn:
            rows = (await fastpath.run(conn, locked, {"account_id": account})).all()
            assert len(rows) == n + 1
            plans = await conn.execute(
                text(
                    "SELECT generic_plans + custom_plans, generic_plans"
                    " FROM pg_prepared_statements WHERE name LIKE 'shopping_%'"
                    " AND statement LIKE '%prepared_once%'"
                )
            )
            executions, generic = plans.one()
    assert executions >= 8  # one statement on this connection, executed every time
    assert generic > 0  # past the first custom plans, Postgres reuses one


async def test_a_first_statement_that_cannot_be_prepared_leaves_the_connection_usable(
    app: FastAPI, account: str, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    broken: Select[Any] = select(literal_column("no_such_column")).select_from(OrderIdReservation)
    for _ in range(2):  # nothing half-prepared is left to trip over the second time
        with pytest.raises(psycopg.errors.UndefinedColumn):
            async with app.state.db.write() as conn:
                await fastpath.run(conn, broken, {})
    await _read_then_write(app, account, "A")
    assert await _count(app, account) == 1


async def test_a_rolled_back_unit_does_not_lose_the_prepared_first_statement(
    app: FastAPI, account: str, backend: str
) -> None:
    """psycopg deallocates every prepared statement when it rolls a transaction back; the
    next unit prepares its first statement again instead of naming one that is gone."""
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    locked = (
        select(OrderIdReservation.order_id)
        .where(OrderIdReservation.account_id == bindparam("account_id"))
        .with_for_update()
    )

    async def lock_then_fail() -> None:
        async with app.state.db.write() as conn:
            await fastpath.run(conn, locked, {"account_id": account})
            raise LookupError("rolled back after its first statement")

    for _ in range(3):
        with pytest.raises(LookupError):
            await lock_then_fail()
    async with app.state.db.write() as conn:
        await fastpath.run(conn, locked, {"account_id": account})
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "A"))
    assert await _count(app, account) == 1


async def test_the_last_batch_commits_with_its_values_exact(
    app: FastAPI, account: str, backend: str
) -> None:
    """In a transaction, the queued writes and COMMIT share a round trip (values bound
    client-side, like the first statement's)."""
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    locked = select(func.count()).select_from(OrderIdReservation)
    with sent_statements(app) as statements:
        async with app.state.db.write() as conn:
            await fastpath.run(conn, locked, {})
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, TRICKY))
    assert [s.split()[0] for s in statements] == ["BEGIN", "SELECT", "INSERT", "COMMIT"]
    assert await _stored(app, account) == [(TRICKY, NOW)]


async def test_a_last_batch_that_fails_commits_nothing(
    app: FastAPI, account: str, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("transactions opened on demand: Postgres")
    db = app.state.db
    async with db.write() as conn:
        await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "taken"))

    async def read_then_write_twice() -> None:
        async with db.write() as conn:
            await fastpath.run(conn, select(func.count()).select_from(OrderIdReservation), {})
            await fastpath.defer(conn, insert_into(OrderFacetRow), _facet(account))
            await fastpath.defer(conn, insert_into(OrderIdReservation), _row(account, "taken"))

    with pytest.raises(psycopg.errors.UniqueViolation):
        await read_then_write_twice()
    async with db.read() as conn:
        facets = await conn.execute(
            select(func.count())
            .select_from(OrderFacetRow)
            .where(OrderFacetRow.account_id == account)
        )
        assert facets.scalar_one() == 0  # the batch's other write went with it
    await _read_then_write(app, account, "B")  # the connection is usable again
    assert await _count(app, account) == 2


@asynccontextmanager
async def _unit(app: FastAPI, kind: str) -> AsyncIterator[AsyncConnection]:
    db = app.state.db
    async with db.write() if kind == "write" else db.read() as conn:
        yield conn


#: a write's first statement goes with BEGIN in one pipeline; a read on its own: both as
#: executions of the prepared statement, their values as text parameters
UNITS = ("write", "read")


@pytest.mark.parametrize("unit", UNITS)
async def test_values_arrive_exactly(app: FastAPI, backend: str, unit: str) -> None:
    """Each type arrives as it was sent, whichever way the statement goes."""
    if backend != "postgres":
        pytest.skip("statements prepared on the connection: Postgres")
    sent = {
        "text": "it's \\'; DROP TABLE orders; -- 100% ünï",
        "whole": -(2**62),
        "yes": True,
        "no": False,
        "moment": datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=UTC),
        "fraction": 0.1,
        "nothing": None,
        "quotes": "''",
        "document": {"name": TRICKY, "list": [1, None, True], "nested": {"'": "\\u0000"}},
    }
    types: dict[str, TypeEngine[Any]] = {
        "text": String(),
        "whole": BigInteger(),
        "yes": Boolean(),
        "no": Boolean(),
        "moment": DateTime(timezone=True),
        "fraction": Float(),
        "nothing": String(),
        "quotes": String(),
        "document": JSON(),
    }
    # in a typed context, as in the repositories' statements (PREPARE infers each type)
    echo: Select[Any] = select(
        *(cast(bindparam(name, type_=kind), kind).label(name) for name, kind in types.items())
    )
    async with _unit(app, unit) as conn:
        row = (await fastpath.run(conn, echo, sent)).first()
    assert row._asdict() == sent


@pytest.mark.parametrize("unit", UNITS)
async def test_a_string_with_nul_is_refused_before_it_is_sent(
    app: FastAPI, backend: str, unit: str
) -> None:
    if backend != "postgres":
        pytest.skip("statements prepared on the connection: Postgres")
    echo: Select[Any] = select(bindparam("text", type_=String()).label("text"))
    with pytest.raises(ValueError, match="U\\+0000"):
        async with _unit(app, unit) as conn:
            await fastpath.run(conn, echo, {"text": "a\x00b"})


@pytest.mark.parametrize("unit", UNITS)
async def test_a_failing_statement_raises_its_own_error_and_leaves_the_connection_usable(
    app: FastAPI, backend: str, unit: str
) -> None:
    if backend != "postgres":
        pytest.skip("statements prepared on the connection: Postgres")
    failing = select(cast(bindparam("n", type_=String()), Integer).label("n"))
    for _ in range(2):  # the second time on the connection the first one left behind
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            async with _unit(app, unit) as conn:
                await fastpath.run(conn, failing, {"n": "not a number"})
    async with _unit(app, unit) as conn:
        assert (await fastpath.run(conn, failing, {"n": "7"})).first().n == 7


async def test_rows_are_named_as_psycopg_names_them(app: FastAPI, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("statements prepared on the connection: Postgres")
    odd = text('SELECT 1, 2 AS "2x", 3 AS "_u", 4 AS "a b", 5 AS plain')
    async with app.state.db.read() as conn:
        ours = (await fastpath.run(conn, odd, {})).first()
        driver = (await conn.get_raw_connection()).driver_connection
        async with driver.cursor(row_factory=namedtuple_row) as cursor:
            await cursor.execute(str(odd))
            theirs = await cursor.fetchone()
    assert ours._fields == theirs._fields == ("f_column_", "f2x", "f_u", "a_b", "plain")
    assert tuple(ours) == tuple(theirs) == (1, 2, 3, 4, 5)


@pytest.mark.parametrize("unit", UNITS)
async def test_statements_past_the_cache_bound_are_sent_as_they_are(
    app: FastAPI, backend: str, unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A statement built per call must not fill the caches: past their bound it is bound by
    psycopg and sent as it is, with the same results."""
    if backend != "postgres":
        pytest.skip("statements prepared on the connection: Postgres")
    monkeypatch.setattr(fastpath, "_MAX_PREPARED", 0)
    document = {"name": TRICKY, "list": [1, None]}
    echo: Select[Any] = select(
        cast(bindparam("text", type_=String()), String).label(f"text_{unit}"),
        cast(bindparam("document", type_=JSON()), JSON).label(f"document_{unit}"),
    )
    async with _unit(app, unit) as conn:
        row = (await fastpath.run(conn, echo, {"text": TRICKY, "document": document})).first()
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        cursor = await driver.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            (f"%text_{unit}%",),
        )
        prepared = await cursor.fetchone()
    assert tuple(row) == (TRICKY, document)
    assert prepared == (0,)
