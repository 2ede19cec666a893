"""lz4 compression for stored documents (Postgres)

Revision ID: 4f1c2a7d9e03
Revises: 98bd2a5675b4
Create Date: 2026-12-02 03:40:00.000000+00:00

Order and draft documents, outbox payloads and stored idempotent responses are 2-4 KB of JSON:
past Postgres's ~2 KB threshold, so every write compresses them and every read decompresses
them. lz4 does both several times faster than the default pglz. Values already stored keep
their compression until rewritten. A server built without lz4 keeps pglz (nothing to do).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4f1c2a7d9e03"
down_revision: str | None = "98bd2a5675b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("orders", "document"),
    ("draft_orders", "document"),
    ("outbox_messages", "payload"),
    ("idempotency_keys", "response"),
)


def _set_compression(method: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        op.execute(
            f"""
            DO $$ BEGIN
                ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method};
            EXCEPTION WHEN feature_not_supported THEN NULL;  -- built without lz4
            END $$
            """
        )


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("pglz")
