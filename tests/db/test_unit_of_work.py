"""The unit of work (`db/unit_of_work.py`, `db/postgres.py`): the same verbs and the same
results on SQLite and Postgres, all or nothing, errors raised by the call that issued the
statement (a queued write's by the next statement that waits or by the commit), expanding
`IN` and placeholder-like text handled as data, prebuilt statements prepared once per
connection on Postgres."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import psycopg
import pytest
import sqlalchemy.exc
from fastapi import FastAPI
from sqlalchemy import bindparam, delete, func, literal, select, text, tuple_

from shopping.db import Database, create_database
from shopping.db.postgres import PostgresUnitOfWork
from shopping.db.statements import insert_into
from shopping.db.types import UtcDateTime
from shopping.models import OrderIdReservation
from tests.support.completion import settings_for
from tests.support.statements import sent_statements

NOW = datetime(2026, 1, 1, tzinfo=UTC)
#: quotes, a backslash, psycopg and Postgres placeholders, non-ASCII
TRICKY = 'O\'Brien \\ 100% $1 %(x)s :y "q" ünïcødé ✓'
#: what a duplicate key raises: SQLAlchemy's error on SQLite, psycopg's on Postgres
DUPLICATE = (sqlalchemy.exc.IntegrityError, psycopg.errors.UniqueViolation)

INSERT = insert_into(OrderIdReservation)
COUNT = (
    select(func.count())
    .select_from(OrderIdReservation)
    .where(OrderIdReservation.account_id == bindparam("account_id"))
)
ORDER_IDS = (
    select(OrderIdReservation.order_id, OrderIdReservation.created_at)
    .where(OrderIdReservation.account_id == bindparam("account_id"))
    .order_by(OrderIdReservation.order_id)
)
BY_IDS = (
    select(OrderIdReservation.order_id)
    .where(
        OrderIdReservation.account_id == bindparam("account_id"),
        OrderIdReservation.order_id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(OrderIdReservation.order_id)
)
DELETE_ONE = delete(OrderIdReservation).where(
    OrderIdReservation.account_id == bindparam("owner"),
    OrderIdReservation.order_id == bindparam("reference"),
)


def _row(account: str, order_id: str) -> dict[str, object]:
    return {"account_id": account, "order_id": order_id, "draft_id": None, "created_at": NOW}


def _db(app: FastAPI) -> Database:
    db: Database = app.state.db
    return db


async def _stored(app: FastAPI, account: str) -> list[str]:
    async with _db(app).read() as uow:
        return [row.order_id for row in await uow.all(ORDER_IDS, {"account_id": account})]


async def test_the_verbs_read_and_write(app: FastAPI, account: str) -> None:
    async with _db(app).write() as uow:
        await uow.execute(INSERT, _row(account, "A"))
        await uow.queue(INSERT, _row(account, "B"))
        await uow.execute_many(INSERT, [_row(account, "C"), _row(account, "D")])
        assert await uow.scalar(COUNT, {"account_id": account}) == 4
        deleted = await uow.execute(DELETE_ONE, {"owner": account, "reference": "D"})

    assert deleted == 1
    async with _db(app).read() as uow:
        first = await uow.one(ORDER_IDS, {"account_id": account})
        every = await uow.all(ORDER_IDS, {"account_id": account})
        none = await uow.one(ORDER_IDS, {"account_id": "nobody"})
        nothing = await uow.scalar(ORDER_IDS, {"account_id": "nobody"})
    assert first is not None
    assert (first.order_id, first[0], first.created_at) == ("A", "A", NOW)
    assert first.created_at.utcoffset() is not None  # aware, UTC, on both databases
    order_id, created_at = every[1]
    assert (order_id, created_at) == ("B", NOW)
    assert [row._asdict()["order_id"] for row in every] == ["A", "B", "C"]
    assert (none, nothing) == (None, None)


async def test_a_failed_unit_leaves_nothing(app: FastAPI, account: str) -> None:
    async def failing() -> None:
        async with _db(app).write() as uow:
            await uow.execute(INSERT, _row(account, "A"))
            await uow.queue(INSERT, _row(account, "B"))
            await uow.execute_many(INSERT, [_row(account, "C")])
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        await failing()

    assert await _stored(app, account) == []
    async with _db(app).write() as uow:  # the connection serves the next unit
        await uow.queue(INSERT, _row(account, "D"))
    assert await _stored(app, account) == ["D"]


async def test_an_error_is_raised_by_the_call_that_issued_the_statement(
    app: FastAPI, account: str
) -> None:
    reached: list[str] = []

    async def duplicate() -> None:
        async with _db(app).write() as uow:
            await uow.execute(INSERT, _row(account, "A"))
            try:
                await uow.execute(INSERT, _row(account, "A"))
            finally:
                reached.append("after the duplicate")
            reached.append("never")

    with pytest.raises(DUPLICATE):
        await duplicate()

    assert reached == ["after the duplicate"]
    assert await _stored(app, account) == []


async def test_a_queued_write_fails_at_the_next_statement_that_waits(
    app: FastAPI, account: str
) -> None:
    """Its error is raised by the next read at the latest (SQLite: by `queue` itself), and
    the whole unit rolls back."""
    reached: list[str] = []

    async def duplicate() -> None:
        async with _db(app).write() as uow:
            await uow.queue(INSERT, _row(account, "A"))
            await uow.queue(INSERT, _row(account, "A"))
            reached.append("queued")
            await uow.scalar(COUNT, {"account_id": account})
            reached.append("read")

    with pytest.raises(DUPLICATE):
        await duplicate()

    assert "read" not in reached
    assert reached == (["queued"] if _db(app).dialect == "postgresql" else [])
    assert await _stored(app, account) == []


async def test_a_queued_write_fails_at_the_latest_at_commit(app: FastAPI, account: str) -> None:
    async with _db(app).write() as uow:
        await uow.queue(INSERT, _row(account, "A"))

    async def duplicate_last() -> None:
        async with _db(app).write() as uow:
            await uow.queue(INSERT, _row(account, "B"))
            await uow.queue(INSERT, _row(account, "A"))  # the last write before COMMIT

    with pytest.raises(DUPLICATE):
        await duplicate_last()

    assert await _stored(app, account) == ["A"]


async def test_expanding_in_works_prebuilt_and_built_per_call(app: FastAPI, account: str) -> None:
    async with _db(app).write() as uow:
        await uow.execute_many(INSERT, [_row(account, name) for name in ("A", "B", "C")])
        prebuilt = await uow.all(BY_IDS, {"account_id": account, "ids": ["C", "A", "X"]})
        shorter = await uow.all(BY_IDS, {"account_id": account, "ids": ["B"]})
        empty = await uow.all(BY_IDS, {"account_id": account, "ids": []})
        per_call = await uow.all(
            select(OrderIdReservation.order_id).where(
                OrderIdReservation.account_id == account,
                OrderIdReservation.order_id.in_(["B", "C"]),
            )
        )
        pairs = await uow.all(
            select(OrderIdReservation.order_id).where(
                tuple_(OrderIdReservation.account_id, OrderIdReservation.order_id).in_(
                    [(account, "A"), ("other", "B")]
                )
            )
        )

    assert [r.order_id for r in prebuilt] == ["A", "C"]
    assert [r.order_id for r in shorter] == ["B"]
    assert empty == []
    assert sorted(r.order_id for r in per_call) == ["B", "C"]
    assert [r.order_id for r in pairs] == ["A"]


async def test_placeholder_like_text_is_data(app: FastAPI, account: str) -> None:
    async with _db(app).write() as uow:
        await uow.execute(INSERT, _row(account, TRICKY))
        in_sql = await uow.scalar(text("SELECT '%(x)s %% $1' AS v"))
        as_literal = await uow.scalar(select(literal(TRICKY)))
        matched = await uow.scalar(
            select(OrderIdReservation.order_id).where(
                OrderIdReservation.account_id == account, OrderIdReservation.order_id == TRICKY
            )
        )

    assert in_sql == "%(x)s %% $1"
    assert as_literal == TRICKY
    assert matched == TRICKY
    assert await _stored(app, account) == [TRICKY]


async def test_listeners_see_every_statement_a_unit_sends(app: FastAPI, account: str) -> None:
    with sent_statements(app) as statements:
        async with _db(app).write() as uow:
            await uow.one(COUNT, {"account_id": account})
            await uow.queue(INSERT, _row(account, "A"))
            await uow.execute_many(INSERT, [_row(account, "B"), _row(account, "C")])

    assert [s.split()[0].upper() for s in statements if not s.startswith(("BEGIN", "COMMIT"))][
        :2
    ] == ["SELECT", "INSERT"]
    assert len([s for s in statements if s.upper().startswith("INSERT")]) >= 2


async def test_prebuilt_statements_are_prepared_once_per_connection(
    app: FastAPI, account: str
) -> None:
    if _db(app).dialect != "postgresql":
        pytest.skip("server-side prepared statements: Postgres")
    prepared = text("SELECT count(*) FROM pg_prepared_statements")
    async with _db(app).read() as uow:
        assert isinstance(uow, PostgresUnitOfWork)
        await uow.scalar(COUNT, {"account_id": account})
        before = await uow.scalar(prepared)
        for _ in range(5):
            assert await uow.scalar(COUNT, {"account_id": account}) == 0
        after = await uow.scalar(prepared)
        statements = await uow.all(
            text("SELECT statement FROM pg_prepared_statements WHERE statement LIKE :pattern"),
            {"pattern": "%count(*)%order_id_reservations%"},
        )

    assert after == before  # executed again, not prepared again
    assert len(statements) == 1


async def test_one_warning_at_start_up_when_autovacuum_is_off(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    db = create_database(settings_for(database_url))
    try:
        with caplog.at_level(logging.WARNING, logger="shopping.db"):
            await db.open()
            await db.open()
            async with db.read() as uow:
                setting = (
                    await uow.scalar(text("SELECT current_setting('autovacuum')"))
                    if db.dialect == "postgresql"
                    else None
                )
    finally:
        await db.dispose()

    warnings = [r.getMessage() for r in caplog.records if r.name == "shopping.db"]
    if setting == "off":  # as on the test server
        [warning] = warnings
        assert "autovacuum" in warning
        assert "ANALYZE" in warning
    else:  # SQLite, or a server with autovacuum on
        assert warnings == []


async def test_queued_writes_to_one_table_see_each_other(app: FastAPI, account: str) -> None:
    async with _db(app).write() as uow:
        await uow.queue(INSERT, _row(account, "A"))
        await uow.queue(INSERT, _row(account, "B"))
        await uow.queue(DELETE_ONE, {"owner": account, "reference": "A"})

    assert await _stored(app, account) == ["B"]


async def test_queued_inserts_travel_as_one_statement(app: FastAPI, account: str) -> None:
    textual = text(
        "INSERT INTO order_id_reservations (account_id, order_id, draft_id, created_at) "
        "VALUES (:account_id, :order_id, NULL, :created_at)"
    ).bindparams(bindparam("created_at", type_=UtcDateTime))
    with sent_statements(app) as statements:
        async with _db(app).write() as uow:
            await uow.queue(INSERT, _row(account, TRICKY))
            await uow.queue(textual, {"account_id": account, "order_id": "B", "created_at": NOW})

    writes = [s for s in statements if not s.startswith(("BEGIN", "COMMIT"))]
    assert len(writes) == (1 if _db(app).dialect == "postgresql" else 2)
    assert await _stored(app, account) == sorted(["B", TRICKY])
