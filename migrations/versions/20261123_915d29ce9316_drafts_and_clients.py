"""drafts and clients

Revision ID: 915d29ce9316
Revises:
Create Date: 2026-11-23 17:22:21.427323+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import shopping.db.types

revision: str = "915d29ce9316"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_clients",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "scopes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("account_id", "client_id", name=op.f("pk_api_clients")),
    )
    op.create_table(
        "draft_orders",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("net_amount", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=True),
        sa.Column("reserved_order_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "document",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_draft_orders")),
    )
    with op.batch_alter_table("draft_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_orders_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_draft_orders_account_id_customer_id_created_at"),
            ["account_id", "customer_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_draft_orders_account_id_status_created_at"),
            ["account_id", "status", "created_at"],
            unique=False,
        )

    op.create_table(
        "order_id_reservations",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("order_id", sa.String(length=255), nullable=False),
        sa.Column("draft_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "order_id", name=op.f("pk_order_id_reservations")),
    )
    op.create_table(
        "draft_events",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("draft_id", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column(
            "event",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "draft_id"],
            ["draft_orders.account_id", "draft_orders.id"],
            name=op.f("fk_draft_events_account_id_draft_id_draft_orders"),
        ),
        sa.PrimaryKeyConstraint("account_id", "draft_id", "version", name=op.f("pk_draft_events")),
    )
    op.create_table(
        "draft_facets",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column(
            "value",
            sa.String().with_variant(sa.String(collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("draft_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "draft_id"],
            ["draft_orders.account_id", "draft_orders.id"],
            name=op.f("fk_draft_facets_account_id_draft_id_draft_orders"),
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "name", "value", "draft_id", name=op.f("pk_draft_facets")
        ),
    )
    with op.batch_alter_table("draft_facets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_facets_account_id_draft_id"),
            ["account_id", "draft_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("draft_facets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_facets_account_id_draft_id"))

    op.drop_table("draft_facets")
    op.drop_table("draft_events")
    op.drop_table("order_id_reservations")
    with op.batch_alter_table("draft_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_orders_account_id_status_created_at"))
        batch_op.drop_index(batch_op.f("ix_draft_orders_account_id_customer_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_draft_orders_account_id_created_at_id"))

    op.drop_table("draft_orders")
    op.drop_table("api_clients")
