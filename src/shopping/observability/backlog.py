"""Webhook backlog and delivery results, read from the database when `/metrics` is scraped.

Cross-account aggregates, so the numbers are right whichever process wrote the rows:
* outbox messages the relay has not yet fanned out (past its cursor), and the oldest one;
* pending deliveries (split by whether their subscription is active: a disabled one keeps
  its deliveries until it is enabled again), and the oldest one;
* every recorded delivery attempt by result: 2xx, another status, or no response at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, and_, func, or_, select

from shopping.db import Database
from shopping.db.unit_of_work import UnitOfWork
from shopping.models import (
    DeliveryAttemptRow,
    DeliveryRow,
    OutboxMessageRow,
    RelayCursorRow,
    SubscriptionRow,
)
from shopping.webhooks.relay import FANOUT, PENDING


@dataclass(frozen=True, slots=True)
class Pending:
    count: int = 0
    oldest_age_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Backlog:
    outbox: Pending = Pending()
    #: by subscription state: "active" / "inactive" (disabled or deleted)
    deliveries: dict[str, Pending] = field(default_factory=dict)
    #: by result: "2xx" / "other_status" / "error"
    attempts: dict[str, int] = field(default_factory=dict)


async def read_backlog(db: Database, now: datetime) -> Backlog:
    async with db.read() as uow:
        cursor = await uow.one(
            select(RelayCursorRow.tx_id, RelayCursorRow.position).where(
                RelayCursorRow.name == FANOUT
            )
        )
        outbox = select(func.count(), func.min(OutboxMessageRow.created_at))
        if cursor is not None:
            outbox = outbox.where(
                or_(
                    OutboxMessageRow.tx_id > cursor.tx_id,
                    and_(
                        OutboxMessageRow.tx_id == cursor.tx_id,
                        OutboxMessageRow.position > cursor.position,
                    ),
                )
            )
        count, oldest = await _aggregate(uow, outbox)

        active = and_(SubscriptionRow.active.is_(True), SubscriptionRow.deleted_at.is_(None))
        deliveries = await uow.all(
            select(active.label("active"), func.count(), func.min(DeliveryRow.created_at))
            .select_from(DeliveryRow)
            .outerjoin(
                SubscriptionRow,
                and_(
                    SubscriptionRow.account_id == DeliveryRow.account_id,
                    SubscriptionRow.id == DeliveryRow.subscription_id,
                ),
            )
            .where(DeliveryRow.status == PENDING)
            .group_by(active)
        )
        pending: dict[str, Pending] = {"active": Pending(), "inactive": Pending()}
        for is_active, n, first in deliveries:
            state = "active" if is_active else "inactive"
            previous = pending[state]
            age = max(previous.oldest_age_seconds, _age(now, first))
            pending[state] = Pending(previous.count + n, age)

        status = DeliveryAttemptRow.status_code
        ok, other, error = await _aggregate(
            uow,
            select(
                func.count().filter(status.between(200, 299)),
                func.count().filter(status.is_not(None), ~status.between(200, 299)),
                func.count().filter(status.is_(None)),
            ),
        )
    return Backlog(
        outbox=Pending(count, _age(now, oldest)),
        deliveries=pending,
        attempts={"2xx": ok, "other_status": other, "error": error},
    )


async def _aggregate(uow: UnitOfWork, stmt: Executable) -> Any:
    """The one row of an aggregate query."""
    row = await uow.one(stmt)
    assert row is not None
    return row


def _age(now: datetime, then: datetime | None) -> float:
    return 0.0 if then is None else max(0.0, (now - then).total_seconds())
