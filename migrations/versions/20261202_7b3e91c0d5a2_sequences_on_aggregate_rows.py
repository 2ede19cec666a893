"""each draft and order keeps its latest outbox sequence (and an order its latest event seq)

Revision ID: 7b3e91c0d5a2
Revises: 3242a439af24
Create Date: 2026-12-02 07:00:00.000000+00:00

Writers hold the draft's or order's row lock, so the numbers read with it give the next
outbox message's `sequence` and the next order event's `seq` as plain values: no look-up
subqueries in the inserts (on Postgres they were most of the planning of a capture).
Filled from the outbox and the events; retention keeps each aggregate's latest message, so
its maximum is still there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7b3e91c0d5a2"
down_revision: str | None = "3242a439af24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILL = (
    "UPDATE draft_orders SET outbox_sequence = coalesce((SELECT max(o.sequence) "
    "FROM outbox_messages o WHERE o.account_id = draft_orders.account_id "
    "AND o.aggregate_id = draft_orders.id), 0)",
    "UPDATE orders SET outbox_sequence = coalesce((SELECT max(o.sequence) "
    "FROM outbox_messages o WHERE o.account_id = orders.account_id "
    "AND o.aggregate_id = orders.id), 0)",
    "UPDATE orders SET event_sequence = coalesce((SELECT max(e.seq) "
    "FROM order_events e WHERE e.account_id = orders.account_id "
    "AND e.order_id = orders.id), 0)",
)


def upgrade() -> None:
    with op.batch_alter_table("draft_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outbox_sequence", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("event_sequence", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("outbox_sequence", sa.Integer(), server_default="0", nullable=False)
        )
    for statement in _FILL:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("outbox_sequence")
        batch_op.drop_column("event_sequence")
    with op.batch_alter_table("draft_orders", schema=None) as batch_op:
        batch_op.drop_column("outbox_sequence")
