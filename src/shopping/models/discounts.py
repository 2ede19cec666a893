"""Discount rules, who they are given to, and how often each customer used them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shopping.db.types import JsonDocument, UtcDateTime
from shopping.models.base import Base, account_id_column

#: The customer id that stands for every customer (Discounts API).
EVERYONE = "/"


class DiscountRuleRow(Base):
    """One rule; `document` is the rule as clients see it. Columns hold what lists filter on."""

    __tablename__ = "discount_rules"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean)
    private: Mapped[bool] = mapped_column(Boolean)
    purchase_from: Mapped[datetime] = mapped_column(UtcDateTime)
    purchase_to: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: set by the first purchase that used the rule: from then on its terms are fixed
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument)

    __table_args__ = (
        Index(None, "account_id", "created_at", "id"),
        Index(None, "account_id", "updated_at"),
    )


class DiscountRuleTargetRow(Base):
    """What a rule is about: `id:<item id>`, `group:<group id>`, or `*` for a rule about
    no item in particular. Pricing looks rules up by the targets of the cart's items, so a
    rule about other items is never read."""

    __tablename__ = "discount_rule_targets"

    account_id: Mapped[str] = account_id_column()
    rule_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    target: Mapped[str] = mapped_column(String(300), primary_key=True)

    __table_args__ = (Index(None, "account_id", "target", "rule_id"),)


class DiscountCustomerRefRow(Base):
    """A rule given to a customer (`/`: everyone)."""

    __tablename__ = "discount_customer_refs"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    deleted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        # the rules of a customer (and of everyone) at every draft priced with discounts
        Index(None, "account_id", "customer_id", "rule_id", unique=True),
        Index(None, "account_id", "rule_id", "created_at", "id"),
    )


class DiscountUsageRow(Base):
    """How many purchases one customer used one rule in; its row lock serializes the
    completions that use the rule for that customer (`discount_repeat_usage`)."""

    __tablename__ = "discount_usages"

    account_id: Mapped[str] = account_id_column()
    customer_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(40))
    ref_id: Mapped[str] = mapped_column(String(40))
    usage: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index(None, "account_id", "rule_id", "customer_id"),)


class DiscountUsageRefRow(Base):
    """One purchase that used a rule (append-only): the usage history and the statistics."""

    __tablename__ = "discount_usage_refs"

    account_id: Mapped[str] = account_id_column()
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(String(255))
    ref: Mapped[str] = mapped_column(String(255))
    ref_type: Mapped[str] = mapped_column(String(32))
    usage: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index(None, "account_id", "rule_id", "created_at"),)
