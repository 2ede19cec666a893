"""Webhook history is purged after the retention, never what is still undelivered, nor a
draft's or order's latest message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import delete, func, insert, select

from shopping.db.dialect import insert_if_absent
from shopping.kit.ids import new_uuid
from shopping.models import DeliveryAttemptRow, DeliveryRow, OutboxMessageRow, RelayCursorRow
from shopping.webhooks.retention import purge_history

LONG_AGO = datetime(1999, 1, 1, tzinfo=UTC)  # before any pinned-clock test data


async def test_only_finished_and_fanned_out_history_is_purged(app: FastAPI, account: str) -> None:
    db = app.state.db
    async with db.write() as conn:
        delivered, failed, pending = new_uuid(), new_uuid(), new_uuid()
        for delivery_id, status in (
            (delivered, "delivered"),
            (failed, "failed"),
            (pending, "pending"),
        ):
            await conn.execute(
                insert(DeliveryRow).values(
                    account_id=account,
                    id=delivery_id,
                    subscription_id="s",
                    event="e",
                    status=status,
                    attempts=1,
                    next_attempt_at=LONG_AGO,
                    created_at=LONG_AGO,
                )
            )
            await conn.execute(
                insert(DeliveryAttemptRow).values(
                    account_id=account,
                    delivery_id=delivery_id,
                    attempt=1,
                    started_at=LONG_AGO,
                    duration_ms=1,
                    status_code=500,
                )
            )
        superseded, latest, ahead = new_uuid(), new_uuid(), new_uuid()
        draft, other = new_uuid(), new_uuid()
        for event_id, aggregate, sequence, position in (
            (superseded, draft, 1, 1),
            (latest, draft, 2, 2),
            (ahead, other, 1, 10**12),
        ):
            await conn.execute(
                insert(OutboxMessageRow).values(
                    account_id=account,
                    event_id=event_id,
                    position=position,
                    tx_id=position,
                    event="shopping_draft_update",
                    aggregate_id=aggregate,
                    sequence=sequence,
                    created_at=LONG_AGO,
                    payload={},
                )
            )
        await insert_if_absent(conn, RelayCursorRow, {"name": "fanout", "tx_id": 0, "position": 0})
        # pin the cursor between the two messages for this test, restore it afterwards
        saved = await conn.one(select(RelayCursorRow.tx_id, RelayCursorRow.position))
        assert saved is not None
        await conn.execute(delete(RelayCursorRow))
        await conn.execute(insert(RelayCursorRow).values(name="fanout", tx_id=5, position=5))

        await purge_history(conn, before=LONG_AGO + timedelta(days=1), limit=10**6)

        left = [
            row.id
            for row in await conn.all(
                select(DeliveryRow.id).where(DeliveryRow.account_id == account)
            )
        ]
        attempts = await conn.scalar(
            select(func.count())
            .select_from(DeliveryAttemptRow)
            .where(DeliveryAttemptRow.account_id == account)
        )
        messages = {
            row.event_id
            for row in await conn.all(
                select(OutboxMessageRow.event_id).where(OutboxMessageRow.account_id == account)
            )
        }
        await conn.execute(delete(RelayCursorRow))
        await conn.execute(
            insert(RelayCursorRow).values(name="fanout", tx_id=saved.tx_id, position=saved.position)
        )
        await conn.execute(delete(OutboxMessageRow).where(OutboxMessageRow.account_id == account))

    assert left == [pending]
    assert attempts == 1  # the pending delivery's
    # fanned out and superseded goes; a draft's latest message stays, and so does one not yet
    # fanned out, however old
    assert messages == {latest, ahead}
