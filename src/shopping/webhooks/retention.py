"""Webhook history is kept for `SHOPPING_WEBHOOK_RETENTION_DAYS`, then purged in batches.

Finished deliveries (delivered or given up) and their attempts go once older than the
retention; outbox messages go once older than it *and* fanned out (behind the relay's cursor),
so nothing undelivered is ever dropped, *and* superseded: each draft's and order's latest
message stays, the last word on its current state (and what revision 7b3e91c0d5a2 filled
the rows' `outbox_sequence` from; the next `sequence` now continues from that column). The
event feed reaches back as far as the retention, and to each draft's and order's latest event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, or_, select, tuple_
from sqlalchemy.orm import aliased

from shopping.db.unit_of_work import UnitOfWork
from shopping.models import DeliveryAttemptRow, DeliveryRow, OutboxMessageRow, RelayCursorRow

FINISHED = ("delivered", "failed", "cancelled")
FANOUT = "fanout"


async def purge_history(uow: UnitOfWork, before: datetime, limit: int = 1000) -> int:
    """Delete up to `limit` finished deliveries (with their attempts) and `limit` outbox
    messages older than `before`; returns how many deliveries and messages."""
    finished = await uow.all(
        select(DeliveryRow.account_id, DeliveryRow.id)
        .where(DeliveryRow.status.in_(FINISHED), DeliveryRow.created_at < before)
        .limit(limit)
    )
    keys = [tuple(row) for row in finished]
    if keys:  # the attempts first, then their deliveries: no attempt is left orphaned
        await uow.execute(
            delete(DeliveryAttemptRow).where(
                tuple_(DeliveryAttemptRow.account_id, DeliveryAttemptRow.delivery_id).in_(keys)
            )
        )
        await uow.execute(
            delete(DeliveryRow).where(tuple_(DeliveryRow.account_id, DeliveryRow.id).in_(keys))
        )
    cursor = await uow.one(
        select(RelayCursorRow.tx_id, RelayCursorRow.position).where(RelayCursorRow.name == FANOUT)
    )
    messages = 0
    if cursor is not None:
        fanned_out = or_(
            OutboxMessageRow.tx_id < cursor.tx_id,
            and_(
                OutboxMessageRow.tx_id == cursor.tx_id,
                OutboxMessageRow.position <= cursor.position,
            ),
        )
        later = aliased(OutboxMessageRow)
        superseded = (
            select(later.sequence)
            .where(
                later.account_id == OutboxMessageRow.account_id,
                later.aggregate_id == OutboxMessageRow.aggregate_id,
                later.sequence > OutboxMessageRow.sequence,
            )
            .exists()
        )
        purged = await uow.all(
            delete(OutboxMessageRow)
            .where(
                tuple_(OutboxMessageRow.account_id, OutboxMessageRow.event_id).in_(
                    select(OutboxMessageRow.account_id, OutboxMessageRow.event_id)
                    .where(OutboxMessageRow.created_at < before, fanned_out, superseded)
                    .limit(limit)
                )
            )
            .returning(OutboxMessageRow.event_id)
        )
        messages = len(purged)
    return len(keys) + messages
