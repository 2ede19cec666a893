"""orders, events, comments, idempotency keys

Revision ID: 71597aac23d6
Revises: 915d29ce9316
Create Date: 2026-11-23 17:27:43.114030+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import shopping.db.types

revision: str = "71597aac23d6"
down_revision: str | None = "915d29ce9316"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("locked_until", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column(
            "response",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "orders",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=255), nullable=False),
        sa.Column("draft_id", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payment_status", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("net_amount", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "document",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_customer_id_created_at"),
            ["account_id", "customer_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_order_id"), ["account_id", "order_id"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_payment_status_created_at"),
            ["account_id", "payment_status", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_status_created_at"),
            ["account_id", "status", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_orders_expires_at_account_id"),
            ["expires_at", "account_id"],
            unique=False,
            postgresql_where=sa.text("expires_at IS NOT NULL"),
            sqlite_where=sa.text("expires_at IS NOT NULL"),
        )

    op.create_table(
        "order_comments",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("body", sa.String(length=10000), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.id"],
            name=op.f("fk_order_comments_account_id_order_id_orders"),
        ),
        sa.PrimaryKeyConstraint("account_id", "order_id", "id", name=op.f("pk_order_comments")),
    )
    op.create_table(
        "order_events",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("event_type", sa.String(length=16), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "event",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.id"],
            name=op.f("fk_order_events_account_id_order_id_orders"),
        ),
        sa.PrimaryKeyConstraint("account_id", "order_id", "seq", name=op.f("pk_order_events")),
    )
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_events_account_id_order_id_id"),
            ["account_id", "order_id", "id"],
            unique=True,
        )

    op.create_table(
        "order_facets",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column(
            "value",
            sa.String().with_variant(sa.String(collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.id"],
            name=op.f("fk_order_facets_account_id_order_id_orders"),
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "name", "value", "order_id", name=op.f("pk_order_facets")
        ),
    )
    with op.batch_alter_table("order_facets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_facets_account_id_order_id"),
            ["account_id", "order_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("order_facets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_facets_account_id_order_id"))

    op.drop_table("order_facets")
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_events_account_id_order_id_id"))

    op.drop_table("order_events")
    op.drop_table("order_comments")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_orders_expires_at_account_id"),
            postgresql_where=sa.text("expires_at IS NOT NULL"),
            sqlite_where=sa.text("expires_at IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_orders_account_id_status_created_at"))
        batch_op.drop_index(batch_op.f("ix_orders_account_id_payment_status_created_at"))
        batch_op.drop_index(batch_op.f("ix_orders_account_id_order_id"))
        batch_op.drop_index(batch_op.f("ix_orders_account_id_customer_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_orders_account_id_created_at_id"))

    op.drop_table("orders")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_expires_at"))

    op.drop_table("idempotency_keys")
