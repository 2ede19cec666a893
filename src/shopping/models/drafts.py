"""Draft orders ("carts"): the Dintero document plus typed columns for what is filtered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKeyConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import CodePointText, JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column


class DraftOrderRow(Base):
    __tablename__ = "draft_orders"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    net_amount: Mapped[int] = mapped_column(BigInteger)
    customer_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    #: business order id reserved at creation (`ALPHANUMERIC_9_RESERVE`), kept across updates
    reserved_order_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: `{"options": {...}, "order": {...}}` as the client sent it plus computed fields
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: `sequence` of the draft's latest outbox message: read with the row lock, so the next
    #: message's number needs no look-up in the outbox
    outbox_sequence: Mapped[int] = mapped_column(Integer, server_default="0")

    __table_args__ = (
        # newest-first cursor pagination, alone or with the common filters
        Index(None, "account_id", "created_at", "id"),
        Index(None, "account_id", "customer_id", "created_at"),
        Index(None, "account_id", "status", "created_at"),
    )


class DraftEventRow(Base):
    """Append-only audit trail: one api-event per draft version."""

    __tablename__ = "draft_events"

    account_id: Mapped[str] = account_id_column()
    draft_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: the draft version this change produced; the key makes a lost update impossible
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    event: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "draft_id"], ["draft_orders.account_id", "draft_orders.id"]
        ),
    )


class DraftFacetRow(Base):
    """Normalized values a draft can be found by (`search`), kept in step on every write.

    An index on (account, name, value) answers exact and prefix matches on both databases,
    where a scan of JSON documents would not scale.
    """

    __tablename__ = "draft_facets"

    account_id: Mapped[str] = account_id_column()
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(CodePointText, primary_key=True)
    draft_id: Mapped[str] = mapped_column(String(40), primary_key=True)

    # No foreign key: facet rows are derived data written only with their draft, and a
    # per-row foreign-key check costs more than the insert itself on the hot create path.
    __table_args__ = (Index(None, "account_id", "draft_id"),)


class OrderIdReservation(Base):
    """Business order ids (`order_id`) in use or reserved: the one authority on uniqueness."""

    __tablename__ = "order_id_reservations"

    account_id: Mapped[str] = account_id_column()
    order_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    draft_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
