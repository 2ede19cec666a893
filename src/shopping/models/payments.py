"""The money side of an order: payment operations (the ledger), payment sessions, and the
stored payout rules of the Billing API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKeyConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column


class PaymentOperationRow(Base):
    """Append-only ledger: one row per authorization, capture, refund or cancellation.

    The order document carries the same operations (so an order reads in one query); both are
    written in one transaction under the order's row lock, and the ledger checks run there.
    """

    __tablename__ = "payment_operations"

    account_id: Mapped[str] = account_id_column()
    order_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: authorization | capture | refund | cancellation
    kind: Mapped[str] = mapped_column(String(16))
    authorization_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    success: Mapped[bool] = mapped_column(Boolean)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    operation: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        ForeignKeyConstraint(["account_id", "order_id"], ["orders.account_id", "orders.id"]),
        Index(None, "account_id", "order_id", "kind", "created_at"),
    )


class PaymentSessionRow(Base):
    """A checkout (payment) session started for some of an order's lines."""

    __tablename__ = "payment_sessions"

    account_id: Mapped[str] = account_id_column()
    order_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    session: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        ForeignKeyConstraint(["account_id", "order_id"], ["orders.account_id", "orders.id"]),
    )


class PayoutRuleRow(Base):
    """One version of a stored payout rule; an update adds the next `rule_version`."""

    __tablename__ = "payout_rules"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    rule_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_type: Mapped[str] = mapped_column(String(255))
    rule_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    rule: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        Index(None, "account_id", "rule_type", "rule_id", "rule_version", unique=True),
    )
