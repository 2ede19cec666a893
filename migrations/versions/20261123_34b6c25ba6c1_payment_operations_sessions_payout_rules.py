"""payment operations, sessions, payout rules

Revision ID: 34b6c25ba6c1
Revises: 71597aac23d6
Create Date: 2026-11-23 17:34:52.725833+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import shopping.db.types

revision: str = "34b6c25ba6c1"
down_revision: str | None = "71597aac23d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payout_rules",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("rule_type", sa.String(length=255), nullable=False),
        sa.Column("rule_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "rule",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("account_id", "id", "rule_version", name=op.f("pk_payout_rules")),
    )
    with op.batch_alter_table("payout_rules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payout_rules_account_id_rule_type_rule_id_rule_version"),
            ["account_id", "rule_type", "rule_id", "rule_version"],
            unique=True,
        )

    op.create_table(
        "payment_operations",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("authorization_id", sa.String(length=40), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column(
            "operation",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.id"],
            name=op.f("fk_payment_operations_account_id_order_id_orders"),
        ),
        sa.PrimaryKeyConstraint("account_id", "order_id", "id", name=op.f("pk_payment_operations")),
    )
    with op.batch_alter_table("payment_operations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_operations_account_id_order_id_kind_created_at"),
            ["account_id", "order_id", "kind", "created_at"],
            unique=False,
        )

    op.create_table(
        "payment_sessions",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "session",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.id"],
            name=op.f("fk_payment_sessions_account_id_order_id_orders"),
        ),
        sa.PrimaryKeyConstraint("account_id", "order_id", "id", name=op.f("pk_payment_sessions")),
    )


def downgrade() -> None:
    op.drop_table("payment_sessions")
    with op.batch_alter_table("payment_operations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_operations_account_id_order_id_kind_created_at"))

    op.drop_table("payment_operations")
    with op.batch_alter_table("payout_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payout_rules_account_id_rule_type_rule_id_rule_version"))

    op.drop_table("payout_rules")
