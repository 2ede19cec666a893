"""The transactional outbox: `emit` writes an event in the caller's transaction, so it exists
exactly when the change it reports was committed; a rolled-back request emits nothing.

Reading in commit order (the event feed and the relay) uses a horizon: on Postgres only
messages of transactions older than the oldest one still running are read, so a reader never
sees message N+1 before a slower transaction commits message N. SQLite has one writer at a
time, so its positions already are commit order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ColumnElement, Select

from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid
from shopping.models import OutboxMessageRow

Json = dict[str, Any]
_PG_TX_ID = "pg_current_xact_id()::text::bigint"
_PG_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


@dataclass(frozen=True, slots=True)
class Message:
    account_id: str
    event_id: str
    tx_id: int
    position: int
    event: str
    aggregate_id: str
    sequence: int
    created_at: datetime
    payload: Json

    def body(self) -> Json:
        """The webhook/feed body (without the per-delivery `event_delivery`)."""
        return {
            "account_id": self.account_id,
            "event": self.event,
            "event_id": self.event_id,
            "sequence": self.sequence,
            "created_at": isoformat(self.created_at),
            **self.payload,
        }


async def emit(
    conn: AsyncConnection,
    *,
    account_id: str,
    event: str,
    aggregate_id: str,
    resource: Json,
    now: datetime,
) -> str:
    """Record `event` about a draft or order (`resource`: `{"draft": …}`, `{"order": …}` …).

    The caller holds the aggregate's row lock, which makes `sequence` (1, 2, 3 … per draft or
    order) gap-free and ordered.
    """
    event_id = new_uuid()
    next_sequence = (
        select(func.coalesce(func.max(OutboxMessageRow.sequence), 0) + 1)
        .where(
            OutboxMessageRow.account_id == account_id,
            OutboxMessageRow.aggregate_id == aggregate_id,
        )
        .scalar_subquery()
    )
    values: Json = {
        "account_id": account_id,
        "event_id": event_id,
        "event": event,
        "aggregate_id": aggregate_id,
        "sequence": next_sequence,
        "created_at": now,
        "payload": resource,
    }
    if conn.dialect.name == "postgresql":
        values["tx_id"] = literal_column(_PG_TX_ID)
    else:  # one writer at a time: the next position is commit order
        next_position = select(
            func.coalesce(func.max(OutboxMessageRow.tx_id), 0) + 1
        ).scalar_subquery()
        values["tx_id"] = next_position
        values["position"] = next_position
    await conn.execute(insert(OutboxMessageRow).values(**values))
    return event_id


_COLUMNS = (
    OutboxMessageRow.account_id,
    OutboxMessageRow.event_id,
    OutboxMessageRow.tx_id,
    OutboxMessageRow.position,
    OutboxMessageRow.event,
    OutboxMessageRow.aggregate_id,
    OutboxMessageRow.sequence,
    OutboxMessageRow.created_at,
    OutboxMessageRow.payload,
)


def messages_where(*conditions: ColumnElement[bool]) -> Select[Any]:
    return select(*_COLUMNS).where(*conditions)


def committed_after(
    conn: AsyncConnection, after: tuple[int, int] | None, *extra: ColumnElement[bool]
) -> Select[Any]:
    """Messages past the cursor `(tx_id, position)` in commit order, below the horizon."""
    stmt = select(*_COLUMNS).where(*extra)
    if conn.dialect.name == "postgresql":
        stmt = stmt.where(OutboxMessageRow.tx_id < literal_column(_PG_HORIZON))
    if after is not None:
        tx_id, position = after
        stmt = stmt.where(
            or_(
                OutboxMessageRow.tx_id > tx_id,
                and_(OutboxMessageRow.tx_id == tx_id, OutboxMessageRow.position > position),
            )
        )
    return stmt.order_by(OutboxMessageRow.tx_id, OutboxMessageRow.position)


async def read_account_feed(
    conn: AsyncConnection, account_id: str, after_event_id: str | None, limit: int
) -> list[Message] | None:
    """The account's events after `after_event_id` in commit order; None if the cursor is
    not one of the account's events."""
    after = None
    if after_event_id is not None:
        row = (
            await conn.execute(
                select(OutboxMessageRow.tx_id, OutboxMessageRow.position).where(
                    OutboxMessageRow.account_id == account_id,
                    OutboxMessageRow.event_id == after_event_id,
                )
            )
        ).first()
        if row is None:
            return None
        after = (row.tx_id, row.position)
    stmt = committed_after(conn, after, OutboxMessageRow.account_id == account_id).limit(limit)
    return [Message(*row) for row in await conn.execute(stmt)]
