"""Idempotency keys: the stored outcome of a write, replayed for a retry with the same key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column


class IdempotencyKeyRow(Base):
    __tablename__ = "idempotency_keys"

    account_id: Mapped[str] = account_id_column()
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    #: sha256 of method, path, query and body: the same key with another request is a 422
    request_hash: Mapped[str] = mapped_column(String(64))
    #: `in_progress` while the first request runs, then `completed`
    state: Mapped[str] = mapped_column(String(16))
    #: an in-progress claim older than this was abandoned (crash) and may be taken over
    locked_until: Mapped[datetime] = mapped_column(UtcDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response: Mapped[Any] = mapped_column(JsonDocument, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)

    # Cross-account on purpose: the worker purges expired keys of every account.
    __table_args__ = (Index(None, "expires_at"),)
