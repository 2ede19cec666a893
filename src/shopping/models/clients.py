"""API clients: client-credentials that exchange for bearer tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column


class ApiClient(Base):
    __tablename__ = "api_clients"

    account_id: Mapped[str] = account_id_column()
    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    #: scrypt hash of the secret: `scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`
    secret_hash: Mapped[str] = mapped_column(String(255))
    scopes: Mapped[list[str]] = mapped_column(JsonDocument)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
