"""checkout sessions, transactions and callback-signing secrets

Revision ID: a61c0f3e9b27
Revises: a7d41c93e5f2
Create Date: 2026-12-04 16:30:00.000000+00:00

The local Checkout: sessions paid on the hosted page, the one transaction each produces
(unique per session), and each account's `Dintero-Signature` secret. Documents are json
without planner statistics, like every other document column.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopping.db.types

revision: str = "a61c0f3e9b27"
down_revision: str | None = "a7d41c93e5f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOCUMENTS = (("checkout_sessions", "session"), ("checkout_transactions", "transaction"))


def _moment(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, shopping.db.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "checkout_sessions",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        _moment("created_at"),
        _moment("expires_at"),
        sa.Column("merchant_reference", sa.String(length=255), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=True),
        sa.Column("transaction_id", sa.String(length=64), nullable=True),
        _moment("cancelled_at", nullable=True),
        sa.Column("callback_sequence", sa.Integer(), nullable=False),
        sa.Column("session", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_checkout_sessions")),
    )
    with op.batch_alter_table("checkout_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checkout_sessions_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
        )
        batch_op.create_index(
            batch_op.f("ix_checkout_sessions_account_id_merchant_reference"),
            ["account_id", "merchant_reference"],
        )
    op.create_table(
        "checkout_transactions",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        _moment("created_at"),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("merchant_reference", sa.String(length=255), nullable=False),
        sa.Column("merchant_reference_2", sa.String(length=255), nullable=True),
        sa.Column("customer_id", sa.String(length=255), nullable=True),
        sa.Column("payment_product_type", sa.String(length=64), nullable=False),
        sa.Column("card_brand", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("transaction", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "id", name=op.f("pk_checkout_transactions")),
    )
    with op.batch_alter_table("checkout_transactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checkout_transactions_account_id_session_id"),
            ["account_id", "session_id"],
            unique=True,
        )
        batch_op.create_index(
            batch_op.f("ix_checkout_transactions_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
        )
        batch_op.create_index(
            batch_op.f("ix_checkout_transactions_account_id_merchant_reference"),
            ["account_id", "merchant_reference"],
        )
    op.create_table(
        "checkout_signatures",
        sa.Column("account_id", sa.String(length=9), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        _moment("created_at"),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_checkout_signatures")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table, column in _DOCUMENTS:
            op.execute(sa.text(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS 0"))


def downgrade() -> None:
    op.drop_table("checkout_signatures")
    with op.batch_alter_table("checkout_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkout_transactions_account_id_merchant_reference"))
        batch_op.drop_index(batch_op.f("ix_checkout_transactions_account_id_created_at_id"))
        batch_op.drop_index(batch_op.f("ix_checkout_transactions_account_id_session_id"))
    op.drop_table("checkout_transactions")
    with op.batch_alter_table("checkout_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkout_sessions_account_id_merchant_reference"))
        batch_op.drop_index(batch_op.f("ix_checkout_sessions_account_id_created_at_id"))
    op.drop_table("checkout_sessions")
