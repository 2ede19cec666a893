"""Checkout: payment sessions a customer pays on the hosted page, the transactions they
produce, and each account's callback-signing secret."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column


class CheckoutSessionRow(Base):
    """One Checkout session. It has no status column: like Dintero's session, its state is
    what `transaction_id`, `cancelled_at` and `expires_at` say."""

    __tablename__ = "checkout_sessions"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    merchant_reference: Mapped[str] = mapped_column(String(255))
    #: the Shopping order (its `id`) an order session pays lines of
    order_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the number of the session's latest callback, ordering its deliveries
    callback_sequence: Mapped[int] = mapped_column(Integer, default=0)
    session: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        Index(None, "account_id", "created_at", "id"),
        Index(None, "account_id", "merchant_reference"),
    )


class CheckoutTransactionRow(Base):
    """The one transaction a paid (or declined) session produced."""

    __tablename__ = "checkout_transactions"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(40))
    merchant_reference: Mapped[str] = mapped_column(String(255))
    merchant_reference_2: Mapped[str | None] = mapped_column(String(255), nullable=True)
    customer_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    payment_product_type: Mapped[str] = mapped_column(String(64))
    card_brand: Mapped[str | None] = mapped_column(String(64), nullable=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    transaction: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        # one transaction per session, whatever races to pay it
        Index(None, "account_id", "session_id", unique=True),
        Index(None, "account_id", "created_at", "id"),
        Index(None, "account_id", "merchant_reference"),
    )


class CheckoutSignatureRow(Base):
    """The account's secret for `Dintero-Signature` on callbacks (`/admin/signature`)."""

    __tablename__ = "checkout_signatures"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    secret: Mapped[str] = mapped_column(String(255))
