"""Migrations run both ways on both databases, and match the models exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from shopping.db.migrations import downgrade, upgrade
from shopping.models import Base
from tests.conftest import ensure_postgres
from tests.support.databases import empty_postgres


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    ensure_postgres()
    with empty_postgres() as url:
        yield url


def _sync_url(url: str) -> str:
    parsed = make_url(url)
    driver = "sqlite" if parsed.get_backend_name() == "sqlite" else "postgresql+psycopg"
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def _tables(url: str) -> set[str]:
    engine = create_engine(_sync_url(url))
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _drift(url: str) -> list[object]:
    engine = create_engine(_sync_url(url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_database: str) -> None:
    upgrade(empty_database)
    assert _tables(empty_database) == set(Base.metadata.tables)
    downgrade(empty_database, "base")
    assert _tables(empty_database) == set()
    upgrade(empty_database)
    assert _tables(empty_database) == set(Base.metadata.tables)


def test_models_and_migrations_do_not_drift(empty_database: str) -> None:
    upgrade(empty_database)
    assert _drift(empty_database) == []


def _upgraded_postgres_rows(url: str, reason: str, sql: str) -> list[Any]:
    """Upgrade a Postgres database and return the rows of `sql` (skips on SQLite)."""
    if not url.startswith("postgresql"):
        pytest.skip(f"{reason}: Postgres")
    upgrade(url)
    engine = create_engine(_sync_url(url))
    try:
        with engine.connect() as conn:
            return list(conn.exec_driver_sql(sql).all())
    finally:
        engine.dispose()


def test_documents_are_compressed_with_lz4_on_postgres(empty_database: str) -> None:
    rows = _upgraded_postgres_rows(
        empty_database,
        "column compression",
        "SELECT attrelid::regclass::text || '.' || attname, attcompression"
        " FROM pg_attribute WHERE (attrelid::regclass::text, attname) IN"
        " (('orders', 'document'), ('draft_orders', 'document'),"
        " ('outbox_messages', 'payload'), ('idempotency_keys', 'response'))",
    )
    assert dict(rows) == {
        "orders.document": "l",
        "draft_orders.document": "l",
        "outbox_messages.payload": "l",
        "idempotency_keys.response": "l",
    }


def test_documents_are_stored_as_json_text_on_postgres(empty_database: str) -> None:
    rows = _upgraded_postgres_rows(
        empty_database,
        "column types",
        "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = 'public' AND data_type IN ('json', 'jsonb')",
    )
    types = dict(rows)
    assert set(types.values()) == {"json"}
    assert types["orders.document"] == "json"


def test_no_json_column_has_planner_statistics_on_postgres(empty_database: str) -> None:
    rows = _upgraded_postgres_rows(
        empty_database,
        "statistics targets",
        "SELECT c.table_name || '.' || c.column_name, a.attstattarget"
        " FROM information_schema.columns c JOIN pg_attribute a"
        " ON a.attrelid = c.table_name::regclass AND a.attname = c.column_name"
        " WHERE c.table_schema = 'public' AND c.data_type IN ('json', 'jsonb')",
    )
    targets = dict(rows)
    assert "outbox_messages.payload" in targets
    assert {column: target for column, target in targets.items() if target != 0} == {}


def test_sequences_on_drafts_and_orders_are_filled_from_their_history(
    empty_database: str,
) -> None:
    """Revision 7b3e91c0d5a2 gives existing drafts and orders the numbers of their latest
    outbox message and order event; one without any keeps 0."""
    upgrade(empty_database, "3242a439af24")
    engine = create_engine(_sync_url(empty_database))
    now = {"now": datetime(2026, 1, 1, tzinfo=UTC)}
    draft = (
        "INSERT INTO draft_orders (account_id, id, status, version, currency, net_amount,"
        " created_at, created_by, updated_at, document)"
        " VALUES ('T1', :id, 'open', 1, 'NOK', 0, :now, 'c', :now, '{}')"
    )
    order = (
        "INSERT INTO orders (account_id, id, order_id, status, payment_status, version,"
        " currency, net_amount, created_at, updated_at, document)"
        " VALUES ('T1', :id, :id, 'open', 'pending', 1, 'NOK', 0, :now, :now, '{}')"
    )
    message = (
        "INSERT INTO outbox_messages (account_id, event_id, tx_id, position, event,"
        " aggregate_id, sequence, created_at, payload)"
        " VALUES ('T1', :event_id, :n, :n, 'e', :aggregate, :sequence, :now, '{}')"
    )
    event = (
        "INSERT INTO order_events (account_id, order_id, seq, id, event_type, created_at, event)"
        " VALUES ('T1', 'o1', :seq, :id, 'api-event', :now, '{}')"
    )
    try:
        with engine.begin() as conn:
            for table, ids in ((draft, ("d1", "d2")), (order, ("o1", "o2"))):
                for key in ids:
                    conn.execute(text(table), {**now, "id": key})
            for n, (aggregate, sequence) in enumerate((("d1", 1), ("d1", 2), ("o1", 5)), 1):
                values = {"event_id": f"m{n}", "n": n, "aggregate": aggregate}
                conn.execute(text(message), {**now, **values, "sequence": sequence})
            for seq in (1, 2, 3):
                conn.execute(text(event), {**now, "seq": seq, "id": f"e{seq}"})
        upgrade(empty_database)
        with engine.connect() as conn:
            drafts = conn.execute(text("SELECT id, outbox_sequence FROM draft_orders")).all()
            orders = conn.execute(
                text("SELECT id, event_sequence, outbox_sequence FROM orders")
            ).all()
    finally:
        engine.dispose()
    assert sorted(drafts) == [("d1", 2), ("d2", 0)]
    assert sorted(orders) == [("o1", 3, 5), ("o2", 0, 0)]
