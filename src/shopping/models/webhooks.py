"""Webhooks: the transactional outbox, subscriptions, deliveries and their attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Identity, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column


class OutboxMessageRow(Base):
    """One `shopping_*` event, written in the same transaction as the change it reports.

    Ordering: `position` grows with every insert. On Postgres `tx_id` is the writing
    transaction's id; the feed and the relay only read below the oldest still-running
    transaction (`pg_snapshot_xmin`), so an event never appears behind one already read. On
    SQLite writers are serialized, `tx_id` equals `position`, and the same rule holds.
    """

    __tablename__ = "outbox_messages"

    account_id: Mapped[str] = account_id_column()
    event_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, Identity(always=False))
    tx_id: Mapped[int] = mapped_column(BigInteger)
    event: Mapped[str] = mapped_column(String(64))
    #: the draft or order whose `sequence` (1, 2, 3 …) orders its events
    aggregate_id: Mapped[str] = mapped_column(String(40))
    sequence: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: the event body without `event_delivery` (added per delivery)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        Index(None, "account_id", "tx_id", "position"),
        Index(None, "account_id", "aggregate_id", "sequence", unique=True),
        # the relay reads every account's new messages in commit order
        Index(None, "tx_id", "position"),
    )


class RelayCursorRow(Base):
    """How far the relay has fanned outbox messages out into deliveries (one row)."""

    __tablename__ = "relay_cursor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    tx_id: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(BigInteger)


class SubscriptionRow(Base):
    __tablename__ = "webhook_subscriptions"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str | None] = mapped_column(String(255), nullable=True)
    events: Mapped[list[str]] = mapped_column(JsonDocument)
    active: Mapped[bool] = mapped_column(Boolean)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: when its deliveries started failing with no success since (None: the last one succeeded)
    failing_since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the subscription as clients see it (config without the secret, fields, …)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class DeliveryRow(Base):
    """One event to one subscription; retried until delivered or given up."""

    __tablename__ = "webhook_deliveries"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    subscription_id: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(String(64))
    #: None for pings, which have no outbox message
    event_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    aggregate_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    sequence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: pending → delivered | failed | cancelled (its subscription was deleted)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: a worker's claim: others leave the delivery alone until then
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument, nullable=True)

    __table_args__ = (
        Index(None, "account_id", "subscription_id", "created_at"),
        Index(None, "account_id", "subscription_id", "aggregate_id", "sequence"),
        # the relay's claim query spans accounts: what is due, soonest first
        Index(None, "status", "next_attempt_at"),
    )


class DeliveryAttemptRow(Base):
    __tablename__ = "webhook_delivery_attempts"

    account_id: Mapped[str] = account_id_column()
    delivery_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_ms: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    response_excerpt: Mapped[str | None] = mapped_column(Text, nullable=True)
