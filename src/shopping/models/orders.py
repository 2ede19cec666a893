"""Orders: the Dintero document plus typed columns, facets, events and comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKeyConstraint, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import CodePointText, JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column


class OrderRow(Base):
    """One order. `document` is the order exactly as clients get it (without `_links`,
    `events` and `state`), kept in step with the ledgers in the same transaction, so a read is
    one row; the typed columns exist for filtering and enforcement."""

    __tablename__ = "orders"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(255))
    draft_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    payment_status: Mapped[str] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    net_amount: Mapped[int] = mapped_column(BigInteger)
    customer_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: `time_to_live_expires_at`; the worker's expiry sweep reads it
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: `seq` of the order's latest event and `sequence` of its latest outbox message: read
    #: with the row lock, so appending either needs no look-up of the previous one
    event_sequence: Mapped[int] = mapped_column(Integer, server_default="0")
    outbox_sequence: Mapped[int] = mapped_column(Integer, server_default="0")

    __table_args__ = (
        Index(None, "account_id", "order_id", unique=True),
        # newest-first pages of live orders: matches the list query exactly, so the planner
        # takes it (an ordered index-only scan) even before the table has statistics
        Index(
            "ix_orders_live_by_created",
            "account_id",
            "created_at",
            "id",
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
        # a customer's live orders newest first, in page order (the customer view)
        Index(
            "ix_orders_live_by_customer",
            "account_id",
            "customer_id",
            "created_at",
            "id",
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
        Index(None, "account_id", "status", "created_at"),
        Index(None, "account_id", "payment_status", "created_at"),
        # The one query that spans accounts: the expiry sweep. Partial, so it stays small.
        Index(
            None,
            "expires_at",
            "account_id",
            postgresql_where=text("expires_at IS NOT NULL"),
            sqlite_where=text("expires_at IS NOT NULL"),
        ),
    )


class OrderFacetRow(Base):
    """Values an order is filtered by that live in nested arrays (travel modes, discount
    types, card brands, psp, stores, search terms …), maintained on every write so filters
    are index lookups on both databases instead of scans of JSON documents."""

    __tablename__ = "order_facets"

    account_id: Mapped[str] = account_id_column()
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(CodePointText, primary_key=True)
    order_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: the order's `created_at` (which never changes), so the orders of one facet value
    #: (a store's) page newest-first straight from an index, however many the account has
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    # No foreign key: facet rows are derived data written only with their order, and a
    # per-row foreign-key check costs more than the insert itself on the hot write paths.
    __table_args__ = (
        Index(None, "account_id", "order_id"),
        Index("ix_order_facets_newest", "account_id", "name", "value", "created_at", "order_id"),
    )


class OrderEventRow(Base):
    """Append-only: api-events (audit of every change) and service-events."""

    __tablename__ = "order_events"

    account_id: Mapped[str] = account_id_column()
    order_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: 1, 2, 3 … per order, assigned under the order's row lock
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    event: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        ForeignKeyConstraint(["account_id", "order_id"], ["orders.account_id", "orders.id"]),
        Index(None, "account_id", "order_id", "id", unique=True),
    )


class OrderCommentRow(Base):
    __tablename__ = "order_comments"

    account_id: Mapped[str] = account_id_column()
    order_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(String(10000))
    visibility: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    deleted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        ForeignKeyConstraint(["account_id", "order_id"], ["orders.account_id", "orders.id"]),
    )
