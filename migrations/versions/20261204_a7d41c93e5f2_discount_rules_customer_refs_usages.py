"""discount rules, their targets, the customers they are given to, and their usages

Revision ID: a7d41c93e5f2
Revises: 5d8e0b7c4a61
Create Date: 2026-12-04 16:22:19.722515+00:00

Pricing a cart finds its candidate rules through the targets of its items
(account_id, target), the refs given to the customer or to everyone (account_id,
customer_id, rule_id) and the rules' primary key: no rule about other items is read. A
customer's usage row is locked by every completion that uses the rule.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopping.db.types

revision: str = "a7d41c93e5f2"
down_revision: str | None = "5d8e0b7c4a61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "discount_customer_refs",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_discount_customer_refs")),
    )
    with op.batch_alter_table("discount_customer_refs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discount_customer_refs_account_id_customer_id_rule_id"),
            ["account_id", "customer_id", "rule_id"],
            unique=True,
        )
        batch_op.create_index(
            batch_op.f("ix_discount_customer_refs_account_id_rule_id_created_at_id"),
            ["account_id", "rule_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "discount_rules",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("purchase_from", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("purchase_to", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", shopping.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_discount_rules")),
    )
    with op.batch_alter_table("discount_rules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discount_rules_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_discount_rules_account_id_updated_at"),
            ["account_id", "updated_at"],
            unique=False,
        )

    op.create_table(
        "discount_usage_refs",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("ref", sa.String(length=255), nullable=False),
        sa.Column("ref_type", sa.String(length=32), nullable=False),
        sa.Column("usage", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_discount_usage_refs")),
    )
    with op.batch_alter_table("discount_usage_refs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discount_usage_refs_account_id_rule_id_created_at"),
            ["account_id", "rule_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "discount_usages",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("customer_id", sa.String(length=255), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("ref_id", sa.String(length=40), nullable=False),
        sa.Column("usage", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", shopping.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "account_id", "customer_id", "rule_id", name=op.f("pk_discount_usages")
        ),
    )
    with op.batch_alter_table("discount_usages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discount_usages_account_id_rule_id_customer_id"),
            ["account_id", "rule_id", "customer_id"],
            unique=False,
        )
    op.create_table(
        "discount_rule_targets",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint(
            "account_id", "rule_id", "target", name=op.f("pk_discount_rule_targets")
        ),
    )
    with op.batch_alter_table("discount_rule_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discount_rule_targets_account_id_target_rule_id"),
            ["account_id", "target", "rule_id"],
            unique=False,
        )

    if op.get_bind().dialect.name == "postgresql":
        # like every document column: the planner never reads its statistics
        op.execute(sa.text("ALTER TABLE discount_rules ALTER COLUMN document SET STATISTICS 0"))


def downgrade() -> None:
    with op.batch_alter_table("discount_rule_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discount_rule_targets_account_id_target_rule_id"))
    op.drop_table("discount_rule_targets")
    with op.batch_alter_table("discount_usages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discount_usages_account_id_rule_id_customer_id"))

    op.drop_table("discount_usages")
    with op.batch_alter_table("discount_usage_refs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discount_usage_refs_account_id_rule_id_created_at"))

    op.drop_table("discount_usage_refs")
    with op.batch_alter_table("discount_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discount_rules_account_id_updated_at"))
        batch_op.drop_index(batch_op.f("ix_discount_rules_account_id_created_at_id"))

    op.drop_table("discount_rules")
    with op.batch_alter_table("discount_customer_refs", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_discount_customer_refs_account_id_rule_id_created_at_id")
        )
        batch_op.drop_index(batch_op.f("ix_discount_customer_refs_account_id_customer_id_rule_id"))

    op.drop_table("discount_customer_refs")
