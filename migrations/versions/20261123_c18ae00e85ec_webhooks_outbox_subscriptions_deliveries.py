"""webhooks: outbox, subscriptions, deliveries

Revision ID: c18ae00e85ec
Revises: 34b6c25ba6c1
Create Date: 2026-11-23 17:38:55.940198+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import shopping.db.types

revision: str = "c18ae00e85ec"
down_revision: str | None = "34b6c25ba6c1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("tx_id", sa.BigInteger(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.String(length=40), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("account_id", "event_id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_account_id_aggregate_id_sequence"),
            ["account_id", "aggregate_id", "sequence"],
            unique=True,
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_account_id_tx_id_position"),
            ["account_id", "tx_id", "position"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_tx_id_position"), ["tx_id", "position"], unique=False
        )

    op.create_table(
        "relay_cursor",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("tx_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_relay_cursor")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("subscription_id", sa.String(length=40), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=True),
        sa.Column("aggregate_id", sa.String(length=40), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_webhook_deliveries")),
    )
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_account_id_subscription_id_aggregate_id_sequence"),
            ["account_id", "subscription_id", "aggregate_id", "sequence"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_account_id_subscription_id_created_at"),
            ["account_id", "subscription_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_webhook_deliveries_status_next_attempt_at"),
            ["status", "next_attempt_at"],
            unique=False,
        )

    op.create_table(
        "webhook_delivery_attempts",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("delivery_id", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("started_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("response_excerpt", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint(
            "account_id", "delivery_id", "attempt", name=op.f("pk_webhook_delivery_attempts")
        ),
    )
    op.create_table(
        "webhook_subscriptions",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=True),
        sa.Column(
            "events",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("disabled_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "document",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_webhook_subscriptions")),
    )


def downgrade() -> None:
    op.drop_table("webhook_subscriptions")
    op.drop_table("webhook_delivery_attempts")
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_deliveries_status_next_attempt_at"))
        batch_op.drop_index(
            batch_op.f("ix_webhook_deliveries_account_id_subscription_id_created_at")
        )
        batch_op.drop_index(
            batch_op.f("ix_webhook_deliveries_account_id_subscription_id_aggregate_id_sequence")
        )

    op.drop_table("webhook_deliveries")
    op.drop_table("relay_cursor")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_tx_id_position"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_account_id_tx_id_position"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_account_id_aggregate_id_sequence"))

    op.drop_table("outbox_messages")
