"""partial index for pages of live orders

Revision ID: e187205f7afd
Revises: c18ae00e85ec
Create Date: 2026-11-23 18:48:28.687659+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e187205f7afd"
down_revision: str | None = "c18ae00e85ec"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_account_id_created_at_id"))
        batch_op.create_index(
            "ix_orders_live_by_created",
            ["account_id", "created_at", "id"],
            unique=False,
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_orders_live_by_created",
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )
