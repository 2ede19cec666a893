"""subscriptions remember since when their deliveries fail; deleted ones' deliveries cancelled

Revision ID: c4e8a1f2b7d3
Revises: a61c0f3e9b27
Create Date: 2026-12-04 12:00:00.000000+00:00

A subscription is disabled once its deliveries have failed for a sustained period with no
success in between, so it keeps the start of that period. Deliveries still pending for a
subscription that was already deleted are cancelled: nothing would ever send them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopping.db.types

revision: str = "c4e8a1f2b7d3"
down_revision: str | None = "a61c0f3e9b27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CANCEL_ORPHANS = (
    "UPDATE webhook_deliveries SET status = 'cancelled', locked_until = NULL "
    "WHERE status = 'pending' AND EXISTS (SELECT 1 FROM webhook_subscriptions s "
    "WHERE s.account_id = webhook_deliveries.account_id "
    "AND s.id = webhook_deliveries.subscription_id AND s.deleted_at IS NOT NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failing_since", shopping.db.types.UtcDateTime(timezone=True), nullable=True)
        )
    op.execute(_CANCEL_ORPHANS)


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("failing_since")
