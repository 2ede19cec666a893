"""order facets carry their order's created_at: store and customer views page by index

Revision ID: d9a3f6b1c8e2
Revises: c4e8a1f2b7d3
Create Date: 2026-12-04 13:00:00.000000+00:00

The store view lists the orders of one store newest first. With the order's `created_at` on
its facet rows, an index on (account, name, value, created_at, order) yields them in page
order, so a page costs the same however many orders the account or the store has. The
customer view gets the same: a partial index of live orders in page order (it replaces the
index on account, customer and creation time, which lacked the tie-breaking id).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopping.db.types

revision: str = "d9a3f6b1c8e2"
down_revision: str | None = "c4e8a1f2b7d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILL = (
    "UPDATE order_facets SET created_at = (SELECT o.created_at FROM orders o "
    "WHERE o.account_id = order_facets.account_id AND o.id = order_facets.order_id)"
)


def upgrade() -> None:
    with op.batch_alter_table("order_facets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True)
        )
    op.execute(_FILL)
    with op.batch_alter_table("order_facets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_order_facets_newest",
            ["account_id", "name", "value", "created_at", "order_id"],
            unique=False,
        )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_account_id_customer_id_created_at"))
        batch_op.create_index(
            "ix_orders_live_by_customer",
            ["account_id", "customer_id", "created_at", "id"],
            unique=False,
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_live_by_customer")
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_customer_id_created_at"),
            ["account_id", "customer_id", "created_at"],
            unique=False,
        )
    with op.batch_alter_table("order_facets", schema=None) as batch_op:
        batch_op.drop_index("ix_order_facets_newest")
        batch_op.drop_column("created_at")
