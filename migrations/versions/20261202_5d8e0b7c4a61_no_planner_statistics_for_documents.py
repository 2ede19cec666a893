"""no planner statistics for document columns (Postgres)

Revision ID: 5d8e0b7c4a61
Revises: 7b3e91c0d5a2
Create Date: 2026-12-02 12:30:00.000000+00:00

No statement filters, joins or sorts on a JSON document: the planner never reads their
statistics, but every ANALYZE fetches each sampled row's document to gather them (measured on
a bench database: ANALYZE of outbox_messages 320 → 210 ms, of draft_events 330 → 160 ms). With
the statistics target at 0 ANALYZE skips these columns; the rest of each table is analyzed as
before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d8e0b7c4a61"
down_revision: str | None = "7b3e91c0d5a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: every JSON column of this revision
_COLUMNS = (
    ("api_clients", "scopes"),
    ("draft_events", "event"),
    ("draft_orders", "document"),
    ("idempotency_keys", "response"),
    ("order_events", "event"),
    ("orders", "document"),
    ("outbox_messages", "payload"),
    ("payment_operations", "operation"),
    ("payment_sessions", "session"),
    ("payout_rules", "rule"),
    ("webhook_deliveries", "payload"),
    ("webhook_subscriptions", "document"),
    ("webhook_subscriptions", "events"),
)


def _set_statistics(target: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        op.execute(sa.text(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {target}"))


def upgrade() -> None:
    _set_statistics(0)


def downgrade() -> None:
    _set_statistics(-1)  # the server's default_statistics_target
