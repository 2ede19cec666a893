"""facet tables without foreign keys

Revision ID: 98bd2a5675b4
Revises: e187205f7afd
Create Date: 2026-11-23 19:22:49.908707+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "98bd2a5675b4"
down_revision: str | None = "e187205f7afd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("draft_facets", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_draft_facets_account_id_draft_id_draft_orders"), type_="foreignkey"
        )

    with op.batch_alter_table("order_facets", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_order_facets_account_id_order_id_orders"), type_="foreignkey"
        )


def downgrade() -> None:
    with op.batch_alter_table("order_facets", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_order_facets_account_id_order_id_orders"),
            "orders",
            ["account_id", "order_id"],
            ["account_id", "id"],
        )

    with op.batch_alter_table("draft_facets", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_draft_facets_account_id_draft_id_draft_orders"),
            "draft_orders",
            ["account_id", "draft_id"],
            ["account_id", "id"],
        )
